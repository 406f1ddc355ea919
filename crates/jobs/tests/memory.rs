//! A job holds bounded memory whatever the size: the maturity backfill in
//! batches of 10 over 10,000 projects grows this process's resident memory by
//! no more than a ceiling, and by no more than the same run over 1,000 (plus
//! a little), so nothing it keeps grows with the rows. (Its own test binary:
//! the peak is the process's, so no other test may run beside it.)

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::sync::Arc;

use diesel::connection::SimpleConnection;
use jobs::{Dbs, Job, Options, run_job};
use knowledge::embed::HashingEmbedder;
use test_db::{Pair, count};

/// The most a run may add to the resident memory it started with.
const CEILING_MIB: f64 = 32.0;
/// How much more 10x the rows may take than the smaller run.
const SLACK_MIB: f64 = 4.0;

fn status_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .expect("the field")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .expect("a number");
    kib / 1024.0
}

/// A pair holding `projects` projects with two specifications each.
fn projects(projects: usize) -> Pair {
    let pair = Pair::new();
    pair.specs
        .connect_direct()
        .batch_execute(&format!(
            "INSERT INTO projects (id, owner_id, creator_id, name)
                 SELECT gen_random_uuid(), '00000000-0000-7000-8000-00000000000a',
                        '00000000-0000-7000-8000-00000000000a', 'p' || g
                 FROM generate_series(1, {projects}) g;
             INSERT INTO specifications (id, project_id, category, key, value, status, confidence)
                 SELECT gen_random_uuid(), p.id, 'goals', 'k' || k, 'v', 'approved', 0.8
                 FROM projects p, generate_series(1, 2) k;
             ANALYZE;"
        ))
        .expect("load");
    pair
}

/// How far the resident memory peaked above where it stood when the run began (MiB).
fn growth_of_a_run(pair: &Pair) -> f64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak (Linux 4.0+)");
    let before = status_mib("VmRSS:");
    let mut dbs = Dbs::connect(pair.auth.url(), pair.specs.url()).expect("connect");
    let options = Options {
        batch_size: 10,
        threads: 2,
        quiet: true,
        ..Options::default()
    };
    let reports =
        run_job(Job::Maturity, &mut dbs, &options, Arc::new(HashingEmbedder)).expect("job");
    drop(dbs);
    let projects = count(&mut pair.specs.conn(), "SELECT count(*) AS n FROM projects");
    assert_eq!(
        reports[0].rows_read,
        u64::try_from(projects).expect("count")
    );
    status_mib("VmHWM:") - before
}

#[test]
fn a_backfill_in_batches_of_10_over_10000_rows_stays_under_a_ceiling() {
    // The first run pays for what any run allocates once (threads, buffers).
    growth_of_a_run(&projects(100));
    let small = growth_of_a_run(&projects(1_000));
    let large = growth_of_a_run(&projects(10_000));
    eprintln!("peak growth: {small:.1} MiB over 1,000 rows, {large:.1} MiB over 10,000");
    assert!(
        large <= CEILING_MIB,
        "{large:.1} MiB over 10,000 rows (ceiling {CEILING_MIB})"
    );
    assert!(
        large <= small + SLACK_MIB,
        "memory grew with the rows: {small:.1} MiB over 1,000, {large:.1} MiB over 10,000"
    );
}
