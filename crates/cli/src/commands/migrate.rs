//! `socrates-db migrate`: apply pending migrations.

use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use db_core::migrate::MigrateOptions;

use super::{RUNNER, connect_sessions, migrate_all, print_elapsed, print_report, runner};
use crate::config::{DbArgs, Only};

/// Options of `migrate`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    #[command(flatten)]
    only: Only,
    /// Print the SQL that would run, per migration, without running it
    #[arg(long)]
    dry_run: bool,
    /// Stop after this migration (directory name or version; needs --auth-only or --specs-only)
    #[arg(long, value_name = "VERSION")]
    to: Option<String>,
}

/// Migrates the selected databases: first a dry run of each (so a guard that
/// refuses one database refuses before the other is touched), then both at once.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    if opts.to.is_some() && !opts.only.is_single() {
        bail!("--to names one database's migration: add --auth-only or --specs-only");
    }
    let started = Instant::now();
    let targets = args.targets(&opts.only.sets())?;
    let mut conns = connect_sessions(&targets, RUNNER)?;
    for (target, conn) in targets.iter().zip(&mut conns) {
        let preflight = MigrateOptions {
            dry_run: true,
            target: opts.to.clone(),
        };
        let plan = runner(target, args).migrate(conn, &preflight)?;
        if opts.dry_run {
            print_report(&plan);
        }
    }
    if opts.dry_run {
        return Ok(());
    }
    let options = MigrateOptions {
        dry_run: false,
        target: opts.to.clone(),
    };
    migrate_all(args, &targets, &mut conns, &options)?;
    print_elapsed("migrate", started);
    Ok(())
}
