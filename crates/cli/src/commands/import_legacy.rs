//! `socrates-db import-legacy`: a Socrates2 installation into ours.

use anyhow::{Context, Result};
use clap::Args;
use db_core::migrate::{MigrateOptions, Runner};

use super::{
    Failure, connect_sessions, migrate_all, refuse_one_database_for_both, require_current,
};
use crate::config::DbArgs;

/// Options of `import-legacy`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// URL of the Socrates2 auth database (Alembic head 010); only read
    #[arg(long, value_name = "URL")]
    from_auth: String,
    /// URL of the Socrates2 specs database (Alembic head 017); only read
    #[arg(long, value_name = "URL")]
    from_specs: String,
    /// Do everything, print the full report, and keep nothing
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Legacy rows per batch (and per transaction)
    #[arg(long, value_name = "N", default_value_t = 10_000, allow_negative_numbers = true, value_parser = crate::config::batch_size())]
    batch_size: i64,
}

fn connect_legacy(url: &str, which: &str) -> Result<diesel::PgConnection> {
    let parsed = db_core::DbUrl::parse(url).map_err(|e| anyhow::anyhow!("--from-{which}: {e}"))?;
    db_core::connect(&parsed)
        .with_context(|| format!("connecting to the legacy {which} database {parsed}"))
}

/// Imports; prints the report, then checks the cross-database references
/// (exit status 3 if any is orphaned, as `check-refs`).
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let mut legacy_auth = connect_legacy(&opts.from_auth, "auth")?;
    let mut legacy_specs = connect_legacy(&opts.from_specs, "specs")?;
    let targets = args.targets(&crate::config::Only::default().sets())?;
    refuse_one_database_for_both(&targets)?;
    let mut conns = connect_sessions(&targets, "import-legacy")?;
    // Empty databases are migrated first; anything else must be current
    // (a database half migrated is left to `migrate`, never migrated here).
    let empty = targets
        .iter()
        .zip(conns.iter_mut())
        .map(|(t, c)| Ok(Runner::new(t.set).status(c)?.applied == 0))
        .collect::<Result<Vec<bool>>>()?;
    if opts.dry_run && empty.iter().any(|e| *e) {
        anyhow::bail!(
            "--dry-run writes nothing, migrations included, and the target databases are empty; \
             run socrates-db setup (or import-legacy without --dry-run) first"
        );
    }
    for (i, _) in empty.iter().enumerate().filter(|(_, e)| **e) {
        migrate_all(
            args,
            std::slice::from_ref(&targets[i]),
            std::slice::from_mut(&mut conns[i]),
            &MigrateOptions::default(),
        )?;
    }
    let [auth, specs] = &mut conns[..] else {
        anyhow::bail!("expected an auth and a specs database");
    };
    require_current(args, auth, specs)?;
    let options = legacy_import::Options {
        batch_size: opts.batch_size,
        dry_run: opts.dry_run,
        lock_timeout: std::time::Duration::from_secs(args.lock_timeout),
    };
    let started = std::time::Instant::now();
    let report = legacy_import::run(&mut legacy_auth, &mut legacy_specs, auth, specs, &options)?;
    let elapsed = started.elapsed();
    let refs = if opts.dry_run {
        None
    } else {
        Some(cross_db::scan(
            auth,
            specs,
            &cross_db::ScanOptions::default(),
        )?)
    };
    let orphans = refs.as_ref().is_some_and(cross_db::ScanReport::has_orphans);
    if opts.json {
        let value = serde_json::json!({
            "report": report,
            "seconds": elapsed.as_secs_f64(),
            "check_refs_clean": refs.as_ref().map(|r| !r.has_orphans()),
        });
        outln!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print(&report);
        let (read, imported, merged, rejected) = report.totals();
        outln!(
            "{}{read} legacy rows in {:.1} s: {imported} imported, {merged} merged, {rejected} rejected \
             (see legacy_import_quarantine)",
            if report.dry_run {
                "dry run, nothing kept: "
            } else {
                ""
            },
            elapsed.as_secs_f64()
        );
        if let Some(refs) = &refs {
            outln!(
                "check-refs: {}",
                if refs.has_orphans() {
                    "orphaned references found (run socrates-db check-refs)"
                } else {
                    "clean"
                }
            );
        }
    }
    if !report.adds_up() {
        return Err(
            Failure::new(1, "the report does not add up (a bug: see the table above)").into(),
        );
    }
    if orphans {
        return Err(Failure::new(3, "orphaned cross-database references after the import").into());
    }
    Ok(())
}

fn print(report: &legacy_import::Report) {
    outln!(
        "{:<33} {:<32} {:>8} {:>8} {:>7} {:>8}  reasons",
        "legacy table",
        "into",
        "read",
        "imported",
        "merged",
        "rejected"
    );
    for t in &report.tables {
        let reasons: Vec<String> = t
            .merged_by_reason
            .iter()
            .chain(&t.rejected_by_reason)
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        outln!(
            "{:<33} {:<32} {:>8} {:>8} {:>7} {:>8}  {}",
            t.table,
            t.into,
            t.read,
            t.imported,
            t.merged,
            t.rejected,
            reasons.join(", ")
        );
    }
}
