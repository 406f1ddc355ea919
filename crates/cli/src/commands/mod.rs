//! One module per subcommand: each has its `Opts` and a `run`.

pub(crate) mod acknowledge;
pub(crate) mod cluster;
pub(crate) mod migrate;
pub(crate) mod rollback;
pub(crate) mod setup;
pub(crate) mod status;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use db_core::migrate::{Direction, RunReport, Runner};
use diesel::{Connection, PgConnection};

use crate::config::{DbArgs, Target};

/// Connects to a target database.
pub(crate) fn connect(target: &Target) -> Result<PgConnection> {
    PgConnection::establish(target.url.as_str())
        .with_context(|| format!("connecting to {} (from {})", target.url, target.source))
}

/// A runner for a target, honouring `--lock-timeout`.
pub(crate) fn runner(target: &Target, args: &DbArgs) -> Runner {
    Runner::new(target.set).lock_timeout(Duration::from_secs(args.lock_timeout))
}

/// Prints what a migrate/rollback/redo did, or the SQL a dry run would run.
pub(crate) fn print_report(report: &RunReport) {
    let db = &report.database;
    for name in &report.adopted {
        outln!("{db}: recorded {name} (applied earlier by another tool)");
    }
    for step in &report.steps {
        let verb = match (report.dry_run, step.direction) {
            (true, Direction::Up) => "would apply",
            (true, Direction::Down) => "would revert",
            (false, Direction::Up) => "applied",
            (false, Direction::Down) => "reverted",
        };
        match (&step.sql, step.millis) {
            (Some(sql), _) => outln!("-- {db}: {verb} {}\n{}\n", step.name, sql.trim_end()),
            (None, Some(ms)) => outln!("{db}: {verb} {} ({ms} ms)", step.name),
            (None, None) => outln!("{db}: {verb} {}", step.name),
        }
    }
    for loss in &report.data_loss {
        let verb = if report.dry_run {
            "would destroy"
        } else {
            "destroyed"
        };
        outln!("{db}: {verb} {loss} ({})", loss.migration);
    }
    if report.steps.is_empty() && report.adopted.is_empty() {
        outln!("{db}: nothing to do");
    }
}

/// Prints the wall time of a command.
pub(crate) fn print_elapsed(what: &str, started: Instant) {
    outln!(
        "{what} finished in {:.3} s",
        started.elapsed().as_secs_f64()
    );
}
