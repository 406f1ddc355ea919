//! The seed on real databases: deterministic, sound, and only into empty databases.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::sync::Arc;

use diesel::prelude::*;
use jobs::{Dbs, Job, Options, Report, run_job};
use knowledge::embed::HashingEmbedder;
use seed::{SeedOptions, seed};
use test_db::{Pair, count};

fn run(pair: &Pair, job: Job) -> Vec<Report> {
    let options = Options {
        batch_size: 100,
        threads: 2,
        quiet: true,
        ..Options::default()
    };
    let mut dbs = Dbs::connect(pair.auth.url(), pair.specs.url()).expect("connect");
    run_job(job, &mut dbs, &options, Arc::new(HashingEmbedder)).expect("job")
}

/// The same seed gives the same content in both databases; another seed another;
/// seeded data is sound (no orphan, counters right); a non-empty database is refused.
#[test]
fn seed_is_deterministic_and_sound() {
    let a = Pair::seeded(1, 42);
    let b = Pair::seeded(1, 42);
    let c = Pair::seeded(1, 43);
    assert_eq!(a.everything(), b.everything());
    assert_ne!(a.data(), c.data());
    assert!(
        count(
            &mut a.specs.connect(),
            "SELECT count(*) AS n FROM conversation_history"
        ) > 100
    );
    let scan = cross_db::scan(
        &mut a.auth.connect(),
        &mut a.specs.connect(),
        &cross_db::ScanOptions::default(),
    )
    .expect("scan");
    assert_eq!(
        (scan.has_orphans(), scan.tombstone_rows),
        (false, 0),
        "{scan:?}"
    );
    let counters = run(&a, Job::Counters);
    assert!(
        counters.iter().all(|r| r.rows_changed == 0),
        "seeded counters are right: {counters:?}"
    );
    let err = seed(
        &mut a.auth.connect(),
        &mut a.specs.connect(),
        SeedOptions::new(1, 1),
    )
    .expect_err("not empty");
    assert!(
        err.to_string().contains("seed needs empty databases"),
        "{err}"
    );
    // Seeded users can log in with the documented password.
    let email: String = auth_db::schema::users::table
        .select(auth_db::schema::users::email)
        .first(&mut a.auth.connect())
        .expect("user");
    let hash: String = auth_db::schema::users::table
        .select(auth_db::schema::users::password_hash)
        .first(&mut a.auth.connect())
        .expect("user");
    assert!(email.ends_with("@seed.socrates.example"));
    assert!(hash.starts_with("$argon2id$"));
}
