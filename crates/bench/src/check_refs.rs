//! `check-refs` against its baselines.
//!
//! Data, at each of `--sizes` (references): one user in auth per
//! `--refs-per-user` references; that many specs rows referring to users
//! (`conversation_history.user_id`), of which `--orphans` refer to ids that do
//! not exist. Measured at each size, in one invocation:
//!
//! - **check-refs**: `cross_db::scan` over every registered column (keyset
//!   batches of distinct ids from specs, an anti-join per batch in auth);
//! - **(a) the limit**: the same orphan count by anti-joins inside one database,
//!   with the auth ids copied into a temporary table of specs (copy timed apart);
//! - **(b) the naive way**: one `EXISTS` lookup in auth per reference, timed on a
//!   sample and extrapolated to every reference.
//!
//! Then the growth of each method's time against the number of references:
//! its fitted exponent, and a chart.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use clap::Args;
use cross_db::{Policy, REFERENCES, ScanOptions, Target};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use test_db::TestDatabase;

use crate::growth::{Growth, parse_size, short};
use crate::report::{Table, thousands};
use crate::rows::ids;

/// Options of the `check-refs` benchmark.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Specs rows holding a user reference, one run per size (100k, 1M, ...)
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_value = "1M,3M,10M")]
    sizes: Vec<i64>,
    /// References per user in auth (users = size / this)
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(i64).range(1..))]
    refs_per_user: i64,
    /// Rows referring to users that do not exist (one missing id each)
    #[arg(long, default_value_t = 1_000)]
    orphans: i64,
    /// References looked up one by one for baseline (b)
    #[arg(long, default_value_t = 10_000)]
    sample: i64,
    /// Timed repetitions of each method (the median is reported)
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Distinct ids per round trip of check-refs
    #[arg(long, default_value_t = 20_000)]
    batch_size: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> Result<T>) -> Result<(Duration, T)> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        last = Some(f()?);
        times.push(started.elapsed());
    }
    Ok((median(times), last.context("at least one run")?))
}

/// One size: its references and users.
struct Size {
    rows: i64,
    users: i64,
}

fn load(opts: &Opts, size: &Size, auth: &mut PgConnection, specs: &mut PgConnection) -> Result<()> {
    ensure!(
        opts.orphans <= size.rows && size.users > 0,
        "need at least one user and --orphans <= every size"
    );
    auth.batch_execute(&format!(
        "INSERT INTO users (id, email, password_hash) \
         SELECT gen_random_uuid(), 'user' || g || '@bench.example', 'not-a-real-hash' FROM generate_series(1, {}) g;
         ANALYZE users;",
        size.users
    ))?;
    let users = ids(auth, diesel::sql_query("SELECT id FROM users"))?;
    diesel::sql_query(
        "INSERT INTO projects (id, owner_id, creator_id, name) VALUES (gen_random_uuid(), $1[1], $1[1], 'bench')",
    )
    .bind::<Array<SqlUuid>, _>(&users)
    .execute(specs)?;
    specs.batch_execute(
        "INSERT INTO sessions (id, project_id) SELECT gen_random_uuid(), p.id FROM projects p, generate_series(1, 1000);",
    )?;
    diesel::sql_query(
        "INSERT INTO conversation_history (id, session_id, user_id, role, content) \
         SELECT gen_random_uuid(), s.ids[1 + g % array_length(s.ids, 1)], $1[1 + g % array_length($1, 1)], 'user', 'bench' \
         FROM generate_series(0, $2 - 1) g, (SELECT array_agg(id) AS ids FROM sessions) s",
    )
    .bind::<Array<SqlUuid>, _>(&users)
    .bind::<BigInt, _>(size.rows - opts.orphans)
    .execute(specs)?;
    diesel::sql_query(
        "INSERT INTO conversation_history (id, session_id, user_id, role, content) \
         SELECT gen_random_uuid(), (SELECT min(id::text)::uuid FROM sessions), gen_random_uuid(), 'user', 'orphan' \
         FROM generate_series(1, $1)",
    )
    .bind::<BigInt, _>(opts.orphans)
    .execute(specs)?;
    specs.batch_execute("VACUUM ANALYZE")?;
    auth.batch_execute("VACUUM ANALYZE")?;
    Ok(())
}

/// The limit: every registered column anti-joined with copied auth ids, inside specs.
fn single_database(specs: &mut PgConnection) -> Result<i64> {
    let mut orphans = 0;
    for r in REFERENCES.iter().filter(|r| r.policy != Policy::Keep) {
        let ids = match r.target {
            Target::Users => "bench_auth_users",
            Target::Teams => "bench_auth_teams",
        };
        let n: Count = diesel::sql_query(format!(
            "SELECT count(DISTINCT c.{col}) AS n FROM {table} c \
             WHERE c.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {ids} a WHERE a.id = c.{col})",
            col = r.column,
            table = r.table,
        ))
        .get_result(specs)?;
        orphans += n.n;
    }
    Ok(orphans)
}

/// What one size measured, in seconds.
struct Measured {
    scan: f64,
    limit: f64,
    copy: f64,
    naive: f64,
}

/// Runs the benchmark at every size, prints a table per size, the growth of
/// each method and the ratios, and writes the chart into `charts`.
pub(crate) fn run(opts: &Opts, charts: &Path) -> Result<()> {
    let mut growth = Growth::new(
        "check-refs",
        "check-refs: time against references",
        "references",
        "seconds",
    );
    let mut ratios = Table::new(
        "check-refs against its baselines at each size",
        &[
            "references",
            "users",
            "vs (a) the limit",
            "vs (a) with the copy",
            "(b) is slower by",
        ],
    );
    for rows in &opts.sizes {
        let size = Size {
            rows: *rows,
            users: (rows / opts.refs_per_user).max(1),
        };
        let m = at_size(opts, &size)?;
        let x = *rows as f64;
        growth.add("check-refs", Some(1.1), x, m.scan);
        growth.add("(a) one anti-join inside specs", Some(1.1), x, m.limit);
        growth.add(
            "(a) with the copy of the auth ids",
            Some(1.1),
            x,
            m.limit + m.copy,
        );
        growth.add("(b) one lookup per reference", None, x, m.naive);
        ratios.row(vec![
            short(x),
            short(size.users as f64),
            format!("{:.2}x its time", m.scan / m.limit),
            format!("{:.2}x its time", m.scan / (m.limit + m.copy)),
            format!("{:.1}x", m.naive / m.scan),
        ]);
    }
    growth.report(&ratios, charts)?;
    Ok(())
}

fn at_size(opts: &Opts, size: &Size) -> Result<Measured> {
    let auth_db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs_db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let (mut auth, mut specs) = (auth_db.connect(), specs_db.connect());
    println!(
        "\ncheck-refs: loading {} users and {} references ({} orphaned) ...",
        thousands(size.users as f64),
        thousands(size.rows as f64),
        thousands(opts.orphans as f64)
    );
    let started = Instant::now();
    load(opts, size, &mut auth, &mut specs)?;
    println!("loaded in {:.1} s", started.elapsed().as_secs_f64());

    let options = ScanOptions {
        batch_size: opts.batch_size,
        ..ScanOptions::default()
    };
    let (scanned, scan_rss) = crate::rss::measured(|| {
        timed(opts.runs, || {
            Ok(cross_db::scan(&mut auth, &mut specs, &options)?)
        })
    });
    let (scan_time, report) = scanned?;
    let references = report.references as f64;
    let found = i64::try_from(report.orphan_users + report.orphan_teams)?;

    let copy_started = Instant::now();
    let auth_ids = ids(&mut auth, diesel::sql_query("SELECT id FROM users"))?;
    specs.batch_execute(
        "CREATE TEMP TABLE bench_auth_users (id uuid PRIMARY KEY); CREATE TEMP TABLE bench_auth_teams (id uuid PRIMARY KEY);",
    )?;
    diesel::sql_query("INSERT INTO bench_auth_users SELECT unnest($1)")
        .bind::<Array<SqlUuid>, _>(&auth_ids)
        .execute(&mut specs)?;
    specs.batch_execute("ANALYZE bench_auth_users; ANALYZE bench_auth_teams;")?;
    let copy_time = copy_started.elapsed();
    let (limit_time, limit_orphans) = timed(opts.runs, || single_database(&mut specs))?;

    let sample = ids(
        &mut specs,
        diesel::sql_query(
            "SELECT user_id AS id FROM conversation_history TABLESAMPLE BERNOULLI (5) WHERE user_id IS NOT NULL LIMIT $1",
        )
        .bind::<BigInt, _>(opts.sample),
    )?;
    let (naive_sample_time, _) = timed(1, || {
        let mut missing = 0;
        for id in &sample {
            let exists: bool = diesel::select(diesel::dsl::exists(
                auth_db::schema::users::table.find(db_core::UserId(*id)),
            ))
            .get_result(&mut auth)?;
            missing += usize::from(!exists);
        }
        Ok(missing)
    })?;
    let per_reference = naive_sample_time.as_secs_f64() / sample.len().max(1) as f64;
    let naive_time = per_reference * references;

    let rate = |secs: f64| thousands(references / secs);
    let scan_secs = scan_time.as_secs_f64();
    let mut table = Table::new(
        format!(
            "check-refs over {} references to {} users, {} orphans (median of {} runs)",
            thousands(references),
            thousands(size.users as f64),
            thousands(opts.orphans as f64),
            opts.runs
        ),
        &[
            "method",
            "seconds",
            "references/s",
            "check-refs is",
            "peak RSS MiB",
        ],
    );
    table.row(vec![
        "check-refs (keyset batches + anti-join in auth)".into(),
        format!("{scan_secs:.3}"),
        rate(scan_secs),
        "-".into(),
        scan_rss,
    ]);
    let limit_secs = limit_time.as_secs_f64();
    table.row(vec![
        "(a) one anti-join inside specs (the limit)".into(),
        format!("{limit_secs:.3}"),
        rate(limit_secs),
        format!("{:.2}x its time", scan_secs / limit_secs),
        "-".into(),
    ]);
    table.row(vec![
        "    copying the auth ids into specs first".into(),
        format!("{:.3}", copy_time.as_secs_f64()),
        "".into(),
        format!(
            "{:.2}x with the copy",
            scan_secs / (limit_secs + copy_time.as_secs_f64())
        ),
        "-".into(),
    ]);
    table.row(vec![
        format!(
            "(b) one lookup per reference ({} sampled)",
            thousands(sample.len() as f64)
        ),
        format!("{naive_time:.3}"),
        rate(naive_time),
        format!("{:.1}x faster", naive_time / scan_secs),
        "-".into(),
    ]);
    table.print();
    println!(
        "\norphaned ids found: check-refs {found}, single-database anti-join {limit_orphans} (expected {})",
        opts.orphans
    );
    ensure!(
        found == opts.orphans && limit_orphans == opts.orphans,
        "the methods disagree on the orphan count"
    );
    Ok(Measured {
        scan: scan_secs,
        limit: limit_secs,
        copy: copy_time.as_secs_f64(),
        naive: naive_time,
    })
}
