//! `import-legacy` against the limit of moving the same bytes.
//!
//! Data: a Socrates2 pair (the fixture's schemas, Alembic heads 010 and 017)
//! filled by `sql/legacy_*_fill.sql` to about `--rows` rows across its 29
//! tables, conversation-heavy, with a share of dirty rows. Measured, in one
//! invocation:
//!
//! - **ours**: `legacy_import::run` into a freshly migrated pair of ours, end
//!   to end (reads, staging COPY, the mapping statements, the quarantine, the
//!   per-batch locks in auth);
//! - **the limit**: `pg_dump --data-only` of each legacy database piped into
//!   `psql` on an empty database of the same legacy schema (the same rows,
//!   moved as COPY with no transformation), auth then specs.
//!
//! The target is ours within 2x of the limit's time.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use clap::Args;
use diesel::connection::SimpleConnection;
use test_db::TestDatabase;

use crate::growth::parse_size;
use crate::report::{Table, thousands};
use crate::sql::fill;

const AUTH_FILL: &str = include_str!("sql/legacy_auth_fill.sql");
const SPECS_FILL: &str = include_str!("sql/legacy_specs_fill.sql");

/// Options of the `import-legacy` benchmark.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Legacy rows across all tables (about; the report prints the exact count)
    #[arg(long, value_parser = parse_size, default_value = "1M")]
    rows: i64,
    /// Legacy rows per batch of the import
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
    batch_size: i64,
    /// Timed runs of each method, alternating, into fresh databases (medians are reported)
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    runs: u32,
}

/// The fill's sizes for about `rows` rows (its proportions: see the SQL).
fn sizes(rows: i64) -> Vec<(&'static str, i64)> {
    let part = |per_million: i64| (rows * per_million / 1_000_000).max(1);
    let users = part(10_000).max(500);
    vec![
        ("users", users),
        ("audit", part(10_000)),
        ("tokens", part(20_000)),
        ("teams", part(1_000)),
        ("keys", part(2_000)),
        ("projects", part(20_000)),
        ("sessions", part(60_000)),
        ("messages", part(455_000)),
        ("questions", part(100_000)),
        ("specs", part(120_000)),
        ("conflicts", part(10_000)),
        ("generated", part(5_000)),
        ("documents", part(2_000)),
        ("shares", part(10_000)),
        ("invitations", part(5_000)),
        ("usage", part(40_000)),
        ("subscriptions", part(5_000).min(users)),
        ("analytics", part(5_000)),
        ("activity", part(20_000)),
        ("small", part(5_000)),
    ]
}

fn legacy_database(schema: &str, data: Option<&str>) -> Result<TestDatabase> {
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    conn.batch_execute(schema)?;
    if let Some(data) = data {
        conn.batch_execute(data)?;
        conn.batch_execute("ANALYZE")?;
    }
    Ok(db)
}

/// Rows of every table but `alembic_version`, counted.
fn rows_in(db: &TestDatabase) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = db.connect_direct();
    let tables: Vec<Name> = diesel::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT tablename::text AS name FROM pg_tables \
             WHERE schemaname = 'public' AND tablename <> 'alembic_version'",
        ),
        &mut conn,
    )
    .unwrap_or_default();
    tables
        .iter()
        .map(|t| test_db::count(&mut conn, &format!("SELECT count(*) AS n FROM {}", t.name)))
        .sum()
}

/// `pg_dump --data-only from | psql to`, timed.
fn dump_and_restore(from: &TestDatabase, to: &TestDatabase) -> Result<Duration> {
    let started = Instant::now();
    let mut dump = Command::new("pg_dump")
        .args([
            "--data-only",
            "--no-owner",
            "--no-privileges",
            "--exclude-table-data=alembic_version",
        ])
        .arg(from.direct_url().to_url_string())
        .stdout(Stdio::piped())
        .spawn()
        .context("running pg_dump")?;
    let stdout = dump.stdout.take().context("pg_dump's output")?;
    let restore = Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null"])
        .arg(to.direct_url().to_url_string())
        .stdin(stdout)
        .status()
        .context("running psql")?;
    let dumped = dump.wait()?;
    ensure!(
        dumped.success() && restore.success(),
        "pg_dump | psql failed"
    );
    Ok(started.elapsed())
}

pub(crate) fn run(opts: &Opts) -> Result<()> {
    use legacy_import::fixture::{AUTH_SCHEMA, SPECS_SCHEMA};
    let vars = sizes(opts.rows);
    eprintln!(
        "filling a Socrates2 pair with about {} rows ...",
        thousands(opts.rows as f64)
    );
    let auth = legacy_database(AUTH_SCHEMA, Some(&fill(AUTH_FILL, &vars)?))?;
    let specs = legacy_database(SPECS_SCHEMA, Some(&fill(SPECS_FILL, &vars)?))?;
    let total = rows_in(&auth) + rows_in(&specs);

    let mut limits = Vec::new();
    let mut imports = Vec::new();
    let mut last = None;
    for run in 1..=opts.runs {
        eprintln!(
            "run {run} of {}: the limit, pg_dump --data-only | psql ...",
            opts.runs
        );
        let (auth_copy, specs_copy) = (
            legacy_database(AUTH_SCHEMA, None)?,
            legacy_database(SPECS_SCHEMA, None)?,
        );
        limits.push(dump_and_restore(&auth, &auth_copy)? + dump_and_restore(&specs, &specs_copy)?);
        ensure!(
            rows_in(&auth_copy) + rows_in(&specs_copy) == total,
            "the restore did not move every row"
        );
        drop((auth_copy, specs_copy));
        eprintln!("run {run} of {}: ours, import-legacy ...", opts.runs);
        let ours_auth = TestDatabase::new(&auth_db::MIGRATION_SET);
        let ours_specs = TestDatabase::new(&specs_db::MIGRATION_SET);
        let started = Instant::now();
        let report = legacy_import::run(
            &mut auth.connect_direct(),
            &mut specs.connect_direct(),
            &mut ours_auth.connect_direct(),
            &mut ours_specs.connect_direct(),
            &legacy_import::Options {
                batch_size: opts.batch_size,
                ..legacy_import::Options::default()
            },
        )?;
        imports.push(started.elapsed());
        ensure!(report.adds_up(), "the report does not add up");
        last = Some((report, ours_auth, ours_specs));
    }
    let (report, ours_auth, ours_specs) = last.context("at least one run")?;
    let (read, imported, merged, rejected) = report.totals();
    ensure!(read == total, "read {read} of {total} legacy rows");
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let spread = |v: &[Duration]| {
        let secs: Vec<String> = v
            .iter()
            .map(|d| format!("{:.1}", d.as_secs_f64()))
            .collect();
        secs.join(" / ")
    };
    let (limit_runs, import_runs) = (spread(&limits), spread(&imports));
    let (limit, ours) = (median(limits), median(imports));

    let mut table = Table::new(
        format!(
            "import-legacy: {} legacy rows ({} imported, {} merged, {} rejected), batches of {}, median of {} runs",
            thousands(total as f64),
            thousands(imported as f64),
            thousands(merged as f64),
            thousands(rejected as f64),
            opts.batch_size,
            opts.runs
        ),
        &[
            "method",
            "median s",
            "rows/s",
            "vs the limit",
            "target",
            "runs (s)",
        ],
    );
    let rate = |d: Duration| thousands(total as f64 / d.as_secs_f64().max(1e-9));
    table.row(vec![
        "ours: import-legacy (map, quarantine, locks)".into(),
        format!("{:.1}", ours.as_secs_f64()),
        rate(ours),
        format!("{:.2}x", ours.as_secs_f64() / limit.as_secs_f64().max(1e-9)),
        "<= 2.00x".into(),
        import_runs,
    ]);
    table.row(vec![
        "the limit: pg_dump --data-only | psql".into(),
        format!("{:.1}", limit.as_secs_f64()),
        rate(limit),
        "1.00x".into(),
        String::new(),
        limit_runs,
    ]);
    table.print();
    breakdown(&ours_auth, &ours_specs);
    Ok(())
}

/// Where the import's time went (the last run): each legacy table, from its progress row.
fn breakdown(auth: &TestDatabase, specs: &TestDatabase) {
    #[derive(diesel::QueryableByName)]
    struct Took {
        #[diesel(sql_type = diesel::sql_types::Text)]
        source_table: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        read_count: i64,
        #[diesel(sql_type = diesel::sql_types::Double)]
        seconds: f64,
    }
    let mut rows: Vec<Took> = [auth, specs]
        .iter()
        .flat_map(|db| {
            diesel::RunQueryDsl::load::<Took>(
                diesel::sql_query(
                    "SELECT source_table::text, read_count, \
                     extract(epoch FROM finished_at - started_at)::float8 AS seconds \
                     FROM legacy_import_progress",
                ),
                &mut db.connect_direct(),
            )
            .unwrap_or_default()
        })
        .collect();
    rows.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
    let mut table = Table::new(
        "import-legacy: where the time went (each legacy table, slowest first)",
        &["legacy table", "rows", "seconds", "rows/s"],
    );
    for r in rows {
        table.row(vec![
            r.source_table,
            thousands(r.read_count as f64),
            format!("{:.2}", r.seconds),
            thousands(r.read_count as f64 / r.seconds.max(1e-9)),
        ]);
    }
    table.print();
}
