//! `socrates-db setup`: from nothing to both databases at head, in one command.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use db_core::migrate::MigrateOptions;

use super::{
    RUNNER, connect_sessions, migrate_all, print_elapsed, refuse_one_database_for_both, runner,
    status,
};
use crate::config::{DbArgs, Only};

/// Options of `setup`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Print the final status as JSON
    #[arg(long)]
    json: bool,
}

/// Creates whichever database is missing, plans both (guards first), migrates
/// both at once, prints status.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let started = Instant::now();
    let targets = args.targets(&Only::default().sets())?;
    refuse_one_database_for_both(&targets)?;
    for target in &targets {
        let created = db_core::admin::ensure_database(target.session_url(RUNNER)?)
            .with_context(|| format!("creating {} on {}", target.url.database(), target.url))?;
        let verb = if created { "created" } else { "found" };
        outln!(
            "{}: {verb} database at {} ({})",
            target.url.database(),
            target.url,
            target.source
        );
    }
    let mut conns = connect_sessions(&targets, RUNNER)?;
    for (target, conn) in targets.iter().zip(&mut conns) {
        runner(target, args).migrate(
            conn,
            &MigrateOptions {
                dry_run: true,
                target: None,
            },
        )?;
    }
    migrate_all(args, &targets, &mut conns, &MigrateOptions::default())?;
    print_elapsed("setup", started);
    outln!();
    status::print(args, &targets, opts.json)
}
