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
    let straight = base.copy();
    let started = Instant::now();
    straight.run_expecting(args, code, "uninterrupted");
    let took = started.elapsed();
    let expected = straight.state(SKIP);
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
            &killed.state(SKIP),
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
