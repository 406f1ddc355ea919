//! `socrates-db seed`: deterministic synthetic data in empty databases.

use anyhow::Result;
use clap::Args;
use seed::{SEEDED_PASSWORD, SeedOptions};

use super::{connect_both, require_current};
use crate::config::DbArgs;

/// Options of `seed`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Size: 40 users, 4 teams and 15 projects (with their sessions, messages, specifications ...) per unit
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    scale: u32,
    /// Generator seed: the same seed gives the same content
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
}

/// Seeds both databases (which must be migrated and empty).
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let (mut auth, mut specs) = connect_both(args)?;
    require_current(args, &mut auth, &mut specs)?;
    let started = std::time::Instant::now();
    let report = seed::seed(
        &mut auth,
        &mut specs,
        SeedOptions {
            scale: opts.scale,
            seed: opts.seed,
            lock_timeout: std::time::Duration::from_secs(args.lock_timeout),
        },
    )?;
    if report.already_seeded {
        outln!(
            "already seeded with --scale {} --seed {} (by an earlier run); nothing to do",
            opts.scale,
            opts.seed
        );
        return Ok(());
    }
    for (table, rows) in &report.tables {
        outln!("{table}: {rows} rows");
    }
    outln!(
        "seeded in {:.1} s; every seeded user's password is {SEEDED_PASSWORD:?}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
