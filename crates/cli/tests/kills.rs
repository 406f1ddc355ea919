//! Every long command killed (SIGKILL) at random points: the next run finishes
//! the work, and the databases end as after an uninterrupted run (hardening
//! item 15). The points are drawn anew on every test run, within the time the
//! uninterrupted run took; a failure names the point that broke it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use accounts::Client;
use accounts::provider_keys::{self, KeyRing};
use common::{Pair, project, ring_spec, user};
use db_core::{LlmProvider, UserId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

/// Random points per command.
const POINTS: usize = 3;

/// Columns an interrupted history may leave otherwise than an uninterrupted
/// one without any difference in meaning: ciphertexts (fresh nonces), and
/// checkpoint cursors (keyset positions naming generated rows).
const SKIP: &[(&str, &str)] = &[
    ("llm_provider_keys", "ciphertext"),
    ("llm_provider_keys", "nonce"),
    ("job_checkpoints", "cursor"),
];

/// A random duration below `limit`.
fn random_below(limit: Duration) -> Duration {
    let mut h = RandomState::new().build_hasher();
    h.write_u8(0);
    let nanos = u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX).max(1);
    Duration::from_nanos(h.finish() % nanos)
}

/// Runs `args` uninterrupted on a copy of `base`; then, `POINTS` times on
/// other copies, starts it, kills it at a random point of that time, runs it
/// again to the end, and compares what is left with the uninterrupted run.
fn killed_at_random_points(base: &mut Pair, args: &[&str], code: i32) {
    killed_at_random_points_skipping(base, args, code, SKIP);
}

/// [`killed_at_random_points`], comparing all but `skip`.
fn killed_at_random_points_skipping(
    base: &mut Pair,
    args: &[&str],
    code: i32,
    skip: &[(&str, &str)],
) {
    let straight = base.copy();
    let started = Instant::now();
    straight.run_expecting(args, code, "uninterrupted");
    let took = started.elapsed();
    let expected = straight.state(skip);
    drop(straight);
    for _ in 0..POINTS {
        let killed = base.copy();
        let at = random_below(took);
        let mut child = killed.command(args).spawn().expect("spawn");
        std::thread::sleep(at);
        let _ = child.kill();
        child.wait().expect("reap");
        killed.run_expecting(args, code, &format!("after a kill at {at:?} of {took:?}"));
        common::assert_same_state(
            &killed.state(skip),
            &expected,
            &format!(
                "{args:?} killed at {at:?} of {took:?}, then run again, against an uninterrupted run,"
            ),
        );
    }
}

/// Seeded databases with work for every command: keys under master key 1,
/// orphans for the repair, deletions queued for the drain.
fn fixture() -> Pair {
    let pair = Pair::seeded(2, 31);
    let (mut a, mut s) = (pair.auth.connect(), pair.specs.connect());
    let ring = KeyRing::parse(&ring_spec(&[1]), None).expect("ring");
    let users: Vec<UserId> = auth_db::schema::users::table
        .select(auth_db::schema::users::id)
        .order(auth_db::schema::users::id)
        .load(&mut a)
        .expect("users");
    for (i, u) in users.iter().enumerate() {
        provider_keys::store(
            &mut a,
            &ring,
            *u,
            LlmProvider::OpenAi,
            &format!("sk-{i}"),
            &Client::default(),
        )
        .expect("store");
    }
    for i in 0..20 {
        let orphaned = user(&mut a, &format!("orphaned{i}@example.com"));
        project(&mut a, &mut s, orphaned);
        a.batch_execute(&format!("DELETE FROM users WHERE id = '{orphaned}'"))
            .expect("orphan");
        let queued = user(&mut a, &format!("queued{i}@example.com"));
        project(&mut a, &mut s, queued);
        cross_db::delete_user(&mut a, queued, cross_db::OwnedTeams::TransferOrDelete)
            .expect("queued deletion");
    }
    drop((a, s));
    pair
}

/// Every backfill, killed at random points and run again.
#[test]
fn killed_backfills_finish_as_uninterrupted_ones() {
    let mut base = fixture();
    for job in [
        "chunks",
        "embeddings",
        "maturity",
        "counters",
        "question-effectiveness",
        "analytics-rollup",
    ] {
        killed_at_random_points(&mut base, &["backfill", job, "--batch-size", "3"], 0);
    }
}

/// `drain-outbox`, `keys rewrap`, `check-refs --repair` and `seed`, killed at
/// random points and run again.
#[test]
fn killed_batch_commands_finish_as_uninterrupted_ones() {
    let mut base = fixture();
    killed_at_random_points(&mut base, &["drain-outbox", "--batch-size", "1"], 0);
    killed_at_random_points(&mut base, &["keys", "rewrap", "--batch-size", "3"], 0);
    killed_at_random_points(
        &mut base,
        &["check-refs", "--repair", "--batch-size", "5"],
        3,
    );
    let mut empty = Pair::migrated();
    killed_at_random_points(&mut empty, &["seed", "--scale", "3", "--seed", "4"], 0);
}

/// `import-legacy` killed at random points, and at points chosen by its
/// progress (in the auth phase, in the specs phase), then run again, ends as
/// an uninterrupted import.
#[test]
fn killed_imports_finish_as_uninterrupted_ones() {
    // An invitation that had no token is given a random digest nobody holds.
    let skip = &[("project_invitations", "token_hash")];
    let legacy = common::Legacy::new();
    let mut base = Pair::migrated();
    let args = legacy.args(&["--batch-size", "1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    killed_at_random_points_skipping(&mut base, &args, 0, skip);
    let straight = base.copy();
    straight.run_expecting(&args, 0, "uninterrupted");
    let expected = straight.state(skip);
    for (db, rows) in [("auth", 3), ("auth", 12), ("specs", 5), ("specs", 60)] {
        let killed = base.copy();
        let mut child = killed.command(&args).spawn().expect("spawn");
        let mut conn = if db == "auth" {
            killed.auth.connect()
        } else {
            killed.specs.connect()
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while test_db::count(
            &mut conn,
            "SELECT coalesce(sum(read_count), 0)::bigint AS n FROM legacy_import_progress",
        ) < rows
            && child.try_wait().expect("poll").is_none()
        {
            assert!(Instant::now() < deadline, "no progress in {db}");
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill();
        child.wait().expect("reap");
        killed.run_expecting(&args, 0, &format!("after a kill at {rows} rows of {db}"));
        common::assert_same_state(
            &killed.state(skip),
            &expected,
            &format!("import-legacy killed after {rows} rows in {db}, then run again,"),
        );
    }
}
