//! `socrates-db backfill <job>`: recompute what can be derived, in resumable batches.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use jobs::{Dbs, Job, Options};
use knowledge::embed::choice::EmbedderOptions;

use super::require_current;
use crate::config::DbArgs;

/// Options of `backfill`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// The job: chunks, embeddings, search-index, maturity, counters, question-effectiveness, analytics-rollup, or all
    job: String,
    /// Report what would change; write nothing (not even the checkpoint)
    #[arg(long)]
    dry_run: bool,
    /// Rows per batch (days per batch for analytics-rollup)
    #[arg(long, value_name = "N", default_value_t = 1_000, allow_negative_numbers = true, value_parser = crate::config::batch_size())]
    batch_size: i64,
    /// Threads for the CPU part (default: the machine's cores)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::config::count(1024))]
    threads: Option<usize>,
    /// Batches written at once by jobs whose batches touch disjoint rows
    /// (each writer on its own connections; commits stay in order)
    #[arg(long, value_name = "N", default_value_t = 2, allow_negative_numbers = true, value_parser = crate::config::count(64))]
    writers: usize,
    /// Pause after this many batches per phase (run again to resume)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::config::count(crate::config::MAX_BATCHES))]
    max_batches: Option<usize>,
    #[command(flatten)]
    embedder: EmbedderOptions,
    /// Also re-embed rows whose embedding another model made (embeddings job)
    #[arg(long)]
    reembed: bool,
    /// Retrain the search lists of every model, not only of untrained ones (search-index job)
    #[arg(long)]
    retrain: bool,
    /// Print the reports as JSON
    #[arg(long)]
    json: bool,
}

/// Runs one job, or all of them in order.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let jobs: Vec<Job> = if opts.job == "all" {
        Job::ALL.to_vec()
    } else {
        vec![opts.job.parse()?]
    };
    if opts.reembed && !jobs.contains(&Job::Embeddings) {
        bail!("--reembed goes with the embeddings job (or all)");
    }
    if opts.retrain && !jobs.contains(&Job::SearchIndex) {
        bail!("--retrain goes with the search-index job (or all)");
    }
    let embedder = opts.embedder.build()?;
    let targets = args.targets(&crate::config::Only::default().sets())?;
    let mut dbs = Dbs::connect(&targets[0].url, &targets[1].url)
        .with_context(|| format!("connecting to {} and {}", targets[0].url, targets[1].url))?;
    require_current(args, &mut dbs.auth, &mut dbs.specs)?;
    let options = Options {
        batch_size: opts.batch_size,
        threads: opts.threads.unwrap_or(Options::default().threads),
        writers: opts.writers,
        dry_run: opts.dry_run,
        max_batches: opts.max_batches,
        quiet: opts.json,
        lock_timeout: std::time::Duration::from_secs(args.lock_timeout),
        reembed: opts.reembed,
        retrain: opts.retrain,
    };
    let mut all = Vec::new();
    for job in jobs {
        let reports = jobs::run_job(job, &mut dbs, &options, Arc::clone(&embedder))?;
        if !opts.json {
            for r in &reports {
                let verb = if r.dry_run { "would change" } else { "changed" };
                outln!(
                    "{}: read {} rows in {} batches, {verb} {}, {} ms (read {}, compute {}, write {}){}{}",
                    r.phase,
                    r.rows_read,
                    r.batches,
                    r.rows_changed,
                    r.millis,
                    r.read_millis,
                    r.compute_millis,
                    r.write_millis,
                    if r.resumed { " (resumed)" } else { "" },
                    if r.paused {
                        "; paused, run again to continue"
                    } else {
                        ""
                    }
                );
            }
        }
        all.extend(reports);
    }
    if opts.json {
        outln!("{}", serde_json::to_string_pretty(&all)?);
    }
    Ok(())
}
