//! One module per subcommand: each has its `Opts` and a `run`.

pub(crate) mod acknowledge;
pub(crate) mod backfill;
pub(crate) mod check_refs;
pub(crate) mod cluster;
pub(crate) mod drain;
pub(crate) mod keys;
pub(crate) mod migrate;
pub(crate) mod rollback;
pub(crate) mod seed;
pub(crate) mod setup;
pub(crate) mod status;
pub(crate) mod users;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use db_core::migrate::{Direction, RunReport, Runner};
use diesel::{Connection, PgConnection};

use crate::config::{DbArgs, Target};

/// A failure with its own exit status (e.g. 3: orphans found), printed as one line.
#[derive(Debug)]
pub(crate) struct Failure {
    /// Exit status.
    pub(crate) code: u8,
    /// The reason.
    pub(crate) message: String,
}

impl Failure {
    /// A failure exiting with `code`.
    pub(crate) fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Connects to both databases (auth, specs).
pub(crate) fn connect_both(args: &DbArgs) -> Result<(PgConnection, PgConnection)> {
    let targets = args.targets(&crate::config::Only::default().sets())?;
    Ok((connect(&targets[0])?, connect(&targets[1])?))
}

/// Refuses to run against databases that are not fully migrated (or are the wrong ones).
pub(crate) fn require_current(
    args: &DbArgs,
    auth: &mut PgConnection,
    specs: &mut PgConnection,
) -> Result<()> {
    for (set, conn) in [
        (&auth_db::MIGRATION_SET, auth),
        (&specs_db::MIGRATION_SET, specs),
    ] {
        let status = Runner::new(set)
            .lock_timeout(Duration::from_secs(args.lock_timeout))
            .status(conn)?;
        if !status.is_current() {
            anyhow::bail!(
                "{} is not at the head of the {} migrations ({} pending, {} edited{}); run socrates-db setup or migrate first",
                status.database,
                set.name,
                status.pending,
                status.modified,
                status
                    .identity_problem
                    .map(|p| format!("; {p}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

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
