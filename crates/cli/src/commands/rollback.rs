//! `socrates-db rollback` and `socrates-db redo`: revert (and re-apply) migrations.

use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use db_core::migrate::{MigrateError, RollbackOptions, RollbackTarget};

use super::{RUNNER, connect_sessions, print_elapsed, print_report, runner};
use crate::config::{DbArgs, Only};

/// Options of `rollback` and `redo`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    #[command(flatten)]
    only: Only,
    /// Revert the last N migrations of each selected database (default: 1)
    #[arg(long, value_name = "N", conflicts_with_all = ["to", "all"], allow_negative_numbers = true, value_parser = crate::config::count(1_000_000))]
    steps: Option<usize>,
    /// Revert every migration applied after VERSION, which stays (needs --auth-only or --specs-only)
    #[arg(long, value_name = "VERSION", conflicts_with = "all")]
    to: Option<String>,
    /// Revert every migration, down to an empty schema
    #[arg(long)]
    all: bool,
    /// Proceed even though tables or columns that would be dropped hold rows
    #[arg(long)]
    allow_data_loss: bool,
    /// Print the SQL that would run, per migration, without running it
    #[arg(long)]
    dry_run: bool,
}

impl Opts {
    fn target(&self) -> RollbackTarget {
        match (&self.to, self.all, self.steps) {
            (Some(version), _, _) => RollbackTarget::To(version.clone()),
            (None, true, _) => RollbackTarget::All,
            (None, false, steps) => RollbackTarget::Steps(steps.unwrap_or(1)),
        }
    }
}

/// Reverts (and with `reapply`, re-applies) the selected databases, specs first.
///
/// Every database is planned before any is touched, so a guard that refuses
/// one (identity, checksum, data loss) refuses before the other changes.
pub(crate) fn run(args: &DbArgs, opts: &Opts, reapply: bool) -> Result<()> {
    if opts.to.is_some() && !opts.only.is_single() {
        bail!("--to names one database's migration: add --auth-only or --specs-only");
    }
    let started = Instant::now();
    let mut sets = opts.only.sets();
    sets.reverse();
    let targets = args.targets(&sets)?;
    let options = |dry_run| RollbackOptions {
        target: opts.target(),
        allow_data_loss: opts.allow_data_loss,
        dry_run,
    };
    let act = |runner: db_core::Runner, conn: &mut _, options: &RollbackOptions| {
        if reapply {
            runner.redo(conn, options)
        } else {
            runner.rollback(conn, options)
        }
    };
    let mut conns = connect_sessions(&targets, RUNNER)?;
    for (target, conn) in targets.iter().zip(&mut conns) {
        let plan = act(runner(target, args), conn, &options(true))?;
        if opts.dry_run {
            print_report(&plan);
            if !plan.data_loss.is_empty() && !opts.allow_data_loss {
                outln!("{}: refused without --allow-data-loss", plan.database);
            }
        } else if !plan.data_loss.is_empty() && !opts.allow_data_loss {
            return Err(MigrateError::DataLoss {
                database: plan.database,
                losses: plan.data_loss,
            }
            .into());
        }
    }
    if opts.dry_run {
        return Ok(());
    }
    for (target, conn) in targets.iter().zip(&mut conns) {
        print_report(&act(runner(target, args), conn, &options(false))?);
    }
    print_elapsed(if reapply { "redo" } else { "rollback" }, started);
    Ok(())
}
