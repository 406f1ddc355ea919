//! One module per subcommand: each has its `Opts` and a `run`.

pub(crate) mod acknowledge;
pub(crate) mod backfill;
pub(crate) mod check_refs;
pub(crate) mod cluster;
pub(crate) mod drain;
pub(crate) mod import_legacy;
pub(crate) mod keys;
pub(crate) mod migrate;
pub(crate) mod rollback;
pub(crate) mod search;
pub(crate) mod seed;
pub(crate) mod setup;
pub(crate) mod status;
pub(crate) mod users;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use db_core::migrate::{Direction, RunReport, Runner};
use diesel::PgConnection;

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

/// Connects to both databases (auth, specs), refusing one database for both.
pub(crate) fn connect_both(args: &DbArgs) -> Result<(PgConnection, PgConnection)> {
    connect_pair(&args.targets(&crate::config::Only::default().sets())?)
}

/// Connects to the targets of both databases (auth, specs), refusing one
/// database for both.
pub(crate) fn connect_pair(targets: &[Target]) -> Result<(PgConnection, PgConnection)> {
    let mut conns = connect_all(targets)?.into_iter();
    match (conns.next(), conns.next()) {
        (Some(auth), Some(specs)) => Ok((auth, specs)),
        _ => anyhow::bail!("expected an auth and a specs database"),
    }
}

fn same_database(targets: &[Target], server: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "the auth URL ({}) and the specs URL ({}) reach the same database {:?} on one server \
         (system identifier {server}); socrates_auth and socrates_specs must be two databases",
        targets[0].url,
        targets[1].url,
        targets[0].url.database()
    )
}

/// Connects to every target, refusing two that reach one database however
/// their URLs are spelled (compared by the server's system identifier and the
/// database's oid, not by the strings).
pub(crate) fn connect_all(targets: &[Target]) -> Result<Vec<PgConnection>> {
    distinct(
        targets,
        targets.iter().map(connect).collect::<Result<Vec<_>>>()?,
    )
}

/// [`connect_all`] for `what`, which needs a server session for its whole run
/// (see [`Target::session_url`]).
pub(crate) fn connect_sessions(targets: &[Target], what: &str) -> Result<Vec<PgConnection>> {
    let conns = targets
        .iter()
        .map(|t| connect_session(t, what))
        .collect::<Result<Vec<_>>>()?;
    distinct(targets, conns)
}

/// Connects to a target's server session for `what` (see [`Target::session_url`]).
pub(crate) fn connect_session(target: &Target, what: &str) -> Result<PgConnection> {
    let url = target.session_url(what)?;
    db_core::connect(url).with_context(|| format!("connecting to {url} (from {})", target.source))
}

/// The migration runner, named in refusals to run it through a pooler.
pub(crate) const RUNNER: &str = "the migration runner";

/// Refuses two connections that reach one database.
fn distinct(targets: &[Target], mut conns: Vec<PgConnection>) -> Result<Vec<PgConnection>> {
    if let [first, second] = &mut conns[..] {
        let a = db_core::admin::database_identity(first)?;
        let b = db_core::admin::database_identity(second)?;
        if a == b {
            return Err(same_database(targets, &a.server));
        }
    }
    Ok(conns)
}

/// Before creating anything: refuses two targets that name one database on
/// one server (the server compared by its system identifier, through its
/// maintenance database, so `localhost` and `127.0.0.1` are one server).
pub(crate) fn refuse_one_database_for_both(targets: &[Target]) -> Result<()> {
    let [auth, specs] = targets else {
        return Ok(());
    };
    if auth.url.database() != specs.url.database() {
        return Ok(());
    }
    let server = |target: &Target| -> Result<String> {
        let url = target.session_url(RUNNER)?.maintenance();
        let mut conn = db_core::connect(&url)
            .with_context(|| format!("connecting to {url} (from {})", target.source))?;
        Ok(db_core::admin::server_identity(&mut conn)?)
    };
    let a = server(auth)?;
    if a == server(specs)? {
        return Err(same_database(targets, &a));
    }
    Ok(())
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
    db_core::connect(&target.url)
        .with_context(|| format!("connecting to {} (from {})", target.url, target.source))
}

/// A runner for a target, honouring `--lock-timeout`.
pub(crate) fn runner(target: &Target, args: &DbArgs) -> Runner {
    Runner::new(target.set).lock_timeout(Duration::from_secs(args.lock_timeout))
}

/// Migrates every target at once, each on its own connection and thread (the
/// callers planned them all first), so the wall time is the slower set's, not
/// the sum. Reports print in target order once all are done; when one fails,
/// what the others did is printed all the same, then its error returned.
pub(crate) fn migrate_all(
    args: &DbArgs,
    targets: &[Target],
    conns: &mut [PgConnection],
    options: &db_core::migrate::MigrateOptions,
) -> Result<()> {
    let results: Vec<Result<RunReport>> = std::thread::scope(|scope| {
        let running: Vec<_> = targets
            .iter()
            .zip(conns.iter_mut())
            .map(|(target, conn)| {
                let runner = runner(target, args);
                scope.spawn(move || runner.migrate(conn, options))
            })
            .collect();
        running
            .into_iter()
            .map(|thread| match thread.join() {
                Ok(result) => result.map_err(anyhow::Error::from),
                Err(_) => Err(anyhow::anyhow!("a migration thread panicked")),
            })
            .collect()
    });
    let mut failed = None;
    for result in results {
        match result {
            Ok(report) => print_report(&report),
            Err(err) => {
                failed.get_or_insert(err);
            }
        }
    }
    failed.map_or(Ok(()), Err)
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
