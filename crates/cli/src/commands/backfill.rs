//! `socrates-db backfill <job>`: recompute what can be derived, in resumable batches.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use jobs::{Dbs, Job, Options};
use knowledge::embed::{CommandEmbedder, Embedder, HashingEmbedder};

use super::require_current;
use crate::config::DbArgs;

/// Options of `backfill`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// The job: embeddings, chunks, maturity, counters, question-effectiveness, analytics-rollup, or all
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
    /// External embedding program speaking JSON lines (default: the built-in hashing embedder)
    #[arg(long, value_name = "PROGRAM")]
    embedder_command: Option<String>,
    /// Argument for the embedding program (repeatable)
    #[arg(
        long = "embedder-arg",
        value_name = "ARG",
        requires = "embedder_command"
    )]
    embedder_args: Vec<String>,
    /// Model name recorded with embeddings from the external program
    #[arg(long, value_name = "NAME", requires = "embedder_command")]
    embedder_model: Option<String>,
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
    let embedder: Arc<dyn Embedder> = match &opts.embedder_command {
        Some(program) => {
            let Some(model) = &opts.embedder_model else {
                bail!(
                    "--embedder-command needs --embedder-model (the name recorded with each embedding)"
                );
            };
            Arc::new(CommandEmbedder::new(
                program.clone(),
                opts.embedder_args.clone(),
                model.clone(),
            ))
        }
        None => Arc::new(HashingEmbedder),
    };
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
