//! `socrates-db status`: applied and pending migrations, checksums, identity.

use anyhow::{Context, Result};
use clap::Args;
use db_core::migrate::{ChecksumState, DatabaseStatus};
use serde::Serialize;

use super::{connect, runner};
use crate::config::{DbArgs, Only, Target};

/// Options of `status`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    #[command(flatten)]
    only: Only,
    /// Print JSON (one object per database, keyed auth/specs) instead of a table
    #[arg(long)]
    json: bool,
}

/// One database in `status --json`.
#[derive(Debug, Serialize)]
struct Entry {
    url: String,
    source: String,
    exists: bool,
    #[serde(flatten)]
    status: Option<DatabaseStatus>,
}

/// Prints the status of the selected databases.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let targets = args.targets(&opts.only.sets())?;
    print(args, &targets, opts.json)
}

/// Prints the status of `targets`, as a table or as JSON.
pub(crate) fn print(args: &DbArgs, targets: &[Target], json: bool) -> Result<()> {
    let mut entries = serde_json::Map::new();
    for target in targets {
        let status = match connect(target) {
            Ok(mut conn) => Some(runner(target, args).status(&mut conn)?),
            Err(err) if format!("{err:#}").contains("does not exist") => None,
            Err(err) => return Err(err),
        };
        let entry = Entry {
            url: target.url.redacted(),
            source: target.source.to_string(),
            exists: status.is_some(),
            status,
        };
        if json {
            entries.insert(target.set.name.to_owned(), serde_json::to_value(&entry)?);
        } else {
            print_table(target, &entry);
        }
    }
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&entries).context("encoding status")?
        );
    }
    Ok(())
}

fn print_table(target: &Target, entry: &Entry) {
    outln!(
        "{}  {}  ({})",
        target.url.database(),
        entry.url,
        entry.source
    );
    let Some(status) = &entry.status else {
        outln!("  database does not exist (socrates-db setup creates it)\n");
        return;
    };
    let identity = match (&status.marker, &status.identity_problem) {
        (_, Some(problem)) => format!("REFUSED: {problem}"),
        (Some(marker), None) => format!("{marker} database"),
        (None, None) => "not marked yet (marked by the first migrate)".to_owned(),
    };
    outln!("  identity: {identity}");
    outln!(
        "  migrations: {} applied, {} pending, {} edited since applied",
        status.applied,
        status.pending,
        status.modified
    );
    for m in &status.migrations {
        let state = match m.checksum_state {
            ChecksumState::Pending => "pending   ",
            ChecksumState::Verified => "verified  ",
            ChecksumState::Unrecorded => "unrecorded",
            ChecksumState::Modified => "EDITED    ",
        };
        let when = m
            .applied_at
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        outln!(
            "  {state}  {:<12}  {:<55}  {when}",
            &m.checksum[..12],
            m.name
        );
    }
    for v in &status.unknown_applied {
        outln!(
            "  UNKNOWN     applied version {v} is not in the {} set",
            status.set
        );
    }
    outln!();
}
