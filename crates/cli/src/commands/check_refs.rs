//! `socrates-db check-refs`: the orphan scan over every cross-database column.

use anyhow::Result;
use clap::Args;
use cross_db::ScanOptions;

use super::{Failure, connect_pair};
use crate::config::DbArgs;

/// Options of `check-refs`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Enqueue orphaned ids in the outbox, so `drain-outbox` applies their deletion policies
    #[arg(long)]
    repair: bool,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Distinct ids checked per round trip
    #[arg(long, value_name = "N", default_value_t = 20_000, allow_negative_numbers = true, value_parser = crate::config::batch_size())]
    batch_size: i64,
}

/// Scans; exits with status 3 when orphans exist (after printing the report).
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let targets = args.targets(&crate::config::Only::default().sets())?;
    let (mut auth, mut specs) = connect_pair(&targets)?;
    let options = ScanOptions {
        batch_size: opts.batch_size,
        repair: opts.repair,
        lock_timeout: std::time::Duration::from_secs(args.lock_timeout),
        ..ScanOptions::default()
    };
    let report = if targets.iter().all(|t| t.replicas.is_empty()) {
        cross_db::scan(&mut auth, &mut specs, &options)?
    } else {
        // The scan reads whichever replica is close enough; a repair decides
        // on the primary all the same (see cross_db::scan_with_replicas).
        let read = |target: &crate::config::Target| -> Result<db_core::replica::Read> {
            let pools =
                db_core::Replicated::new(&target.url, &target.replicas, 1, args.replica_max_lag());
            for (url, state) in pools.status() {
                match state {
                    Ok(lag) => eprintln!(
                        "socrates-db: replica {url}: {} ms behind ({} bytes)",
                        lag.behind.as_millis(),
                        lag.bytes
                    ),
                    Err(why) => eprintln!("socrates-db: replica {url} skipped: {why}"),
                }
            }
            Ok(pools.read()?)
        };
        let (mut auth_read, mut specs_read) = (read(&targets[0])?, read(&targets[1])?);
        cross_db::scan_with_replicas(
            &mut auth,
            &mut specs,
            (&mut auth_read.conn, &mut specs_read.conn),
            &options,
        )?
    };
    if opts.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{:<26} {:<20} {:<6} {:<9} {:>10} {:>9} {:>8} {:>8}  samples",
            "table",
            "column",
            "target",
            "policy",
            "references",
            "distinct",
            "missing",
            "rows"
        );
        for c in &report.columns {
            let samples: Vec<String> = c.samples.iter().map(ToString::to_string).collect();
            outln!(
                "{:<26} {:<20} {:<6} {:<9} {:>10} {:>9} {:>8} {:>8}  {}",
                c.table,
                c.column,
                c.target.table(),
                c.policy.as_str(),
                c.references,
                c.distinct_ids,
                c.missing_ids,
                c.missing_rows,
                samples.join(" ")
            );
        }
        outln!(
            "{} references checked in {} ms; orphans: {} users, {} teams ({} rows); tombstones kept by policy: {} rows{}",
            report.references,
            report.millis,
            report.orphan_users,
            report.orphan_teams,
            report.orphan_rows,
            report.tombstone_rows,
            if opts.repair {
                format!("; {} outbox entries enqueued", report.enqueued)
            } else {
                String::new()
            }
        );
    }
    if report.has_orphans() {
        let orphans = report.orphan_users + report.orphan_teams;
        let next = if opts.repair {
            "all are queued now: run socrates-db drain-outbox to apply their policies".to_owned()
        } else if report.queued == orphans {
            "all are already queued for deletion: run socrates-db drain-outbox to apply their policies"
                .to_owned()
        } else if report.queued > 0 {
            format!(
                "{} are already queued, {} are not: rerun with --repair, then socrates-db drain-outbox",
                report.queued,
                orphans - report.queued
            )
        } else {
            "rerun with --repair, then socrates-db drain-outbox".to_owned()
        };
        return Err(Failure::new(3, format!("{orphans} orphaned ids found; {next}")).into());
    }
    Ok(())
}
