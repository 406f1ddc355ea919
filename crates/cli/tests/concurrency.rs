//! Every command that writes in batches is safe to start many times at once:
//! eight processes started together leave the databases exactly as one run
//! does (hardening item 1).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::process::{Child, Output};

use accounts::Client;
use accounts::provider_keys::{self, KeyRing};
use common::{Pair, project, ring_spec, text, user};
use db_core::{LlmProvider, UserId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

const RUNS: usize = 8;

/// Columns two equal runs need not agree on: ciphertexts (fresh nonces each
/// time), checkpoint cursors (keyset positions that name generated rows) and
/// the chunk ids of search codes (the chunks job generates the chunks' ids).
const SKIP: &[(&str, &str)] = &[
    ("llm_provider_keys", "ciphertext"),
    ("llm_provider_keys", "nonce"),
    ("job_checkpoints", "cursor"),
    ("document_chunk_codes", "chunk_id"),
];

trait AtOnce {
    fn at_once(&self, args: &[&str]) -> Vec<Output>;
}

impl AtOnce for Pair {
    /// `RUNS` processes started together.
    fn at_once(&self, args: &[&str]) -> Vec<Output> {
        let children: Vec<Child> = (0..RUNS)
            .map(|_| self.command(args).spawn().expect("spawn"))
            .collect();
        children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait"))
            .collect()
    }
}

/// Runs `args` once on one copy of `base` and `RUNS` times at once on another,
/// and compares what they leave; returns the concurrent runs' outputs.
fn compare(base: &mut Pair, args: &[&str], expect_code: i32) -> Vec<Output> {
    let single = base.copy();
    let many = base.copy();
    single.run_expecting(args, expect_code, "once");
    let outs = many.at_once(args);
    common::assert_same_state(
        &many.state(SKIP),
        &single.state(SKIP),
        &format!("{args:?}: {RUNS} runs at once, against one run,"),
    );
    outs
}

fn all_succeed(args: &[&str], outs: &[Output], code: i32) {
    for out in outs {
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", text(out));
    }
}

/// Each backfill, and `backfill all`, eight times at once: the same rows and
/// the same checkpoints as one run.
#[test]
fn backfills_started_at_once_end_as_one_run() {
    let mut base = Pair::seeded(1, 11);
    for job in [
        "chunks",
        "embeddings",
        "search-index",
        "maturity",
        "counters",
        "question-effectiveness",
        "analytics-rollup",
        "all",
    ] {
        let args = ["backfill", job, "--batch-size", "7", "--writers", "2"];
        let outs = compare(&mut base, &args, 0);
        all_succeed(&args, &outs, 0);
    }
}

/// A run that cannot get the work within `--lock-timeout` refuses with one
/// line naming the session that holds it.
#[test]
fn a_run_that_cannot_wait_names_the_holder() {
    let pair = Pair::seeded(1, 11);
    let mut holder = pair.specs.connect_direct();
    db_core::work_lock::acquire(
        &mut holder,
        "backfill:maturity",
        std::time::Duration::from_secs(1),
    )
    .expect("hold the job");
    let out = pair.run(&["--lock-timeout", "1", "backfill", "maturity"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("backfill:maturity is already running") && stderr.contains("server pid"),
        "{stderr}"
    );
    db_core::work_lock::release(&mut holder, "backfill:maturity").expect("release");
    let out = pair.run(&["--lock-timeout", "1", "backfill", "maturity"]);
    assert!(out.status.success(), "{}", text(&out));
}

/// `seed`, `keys rewrap`, `check-refs --repair`, `drain-outbox` and `users
/// delete`, eight times at once: the same databases as one run; the runs that
/// find the work done say so.
#[test]
fn batch_commands_started_at_once_end_as_one_run() {
    // seed: one run loads, the others find this very seed in place.
    let mut empty = Pair::migrated();
    let args = ["seed", "--scale", "1", "--seed", "3"];
    let single = empty.copy();
    let many = empty.copy();
    assert!(single.run(&args).status.success());
    let outs = many.at_once(&args);
    all_succeed(&args, &outs, 0);
    assert_eq!(
        (single.auth.fingerprint(), single.specs.fingerprint()),
        (many.auth.fingerprint(), many.specs.fingerprint()),
        "seed: {RUNS} runs at once loaded other rows than one run"
    );
    let already = outs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("already seeded"))
        .count();
    assert_eq!(already, RUNS - 1);

    // Fixtures for the rest: provider keys under master key 1, a user to
    // delete, an orphan the scan repairs, and a deletion waiting for a drain.
    let mut base = Pair::seeded(1, 11);
    {
        let (mut a, mut s) = (base.auth.connect(), base.specs.connect());
        let ring = KeyRing::parse(&ring_spec(&[1]), None).expect("ring");
        let users: Vec<UserId> = auth_db::schema::users::table
            .select(auth_db::schema::users::id)
            .order(auth_db::schema::users::id)
            .limit(25)
            .load(&mut a)
            .expect("users");
        for (i, u) in users.iter().enumerate() {
            provider_keys::store(
                &mut a,
                &ring,
                *u,
                LlmProvider::Claude,
                &format!("sk-{i}"),
                &Client::default(),
            )
            .expect("store");
        }
        let doomed = user(&mut a, "doomed@example.com");
        project(&mut a, &mut s, doomed);
        let orphaned = user(&mut a, "orphaned@example.com");
        project(&mut a, &mut s, orphaned);
        a.batch_execute(&format!("DELETE FROM users WHERE id = '{orphaned}'"))
            .expect("orphan");
        let drained = user(&mut a, "drained@example.com");
        project(&mut a, &mut s, drained);
        cross_db::delete_user(&mut a, drained, cross_db::OwnedTeams::TransferOrDelete)
            .expect("queued deletion");
    }

    let args = ["keys", "rewrap", "--batch-size", "4"];
    all_succeed(&args, &compare(&mut base, &args, 0), 0);

    // Orphans found exit 3, whether this run or another queued them.
    let args = ["check-refs", "--repair"];
    all_succeed(&args, &compare(&mut base, &args, 3), 3);

    let args = ["drain-outbox", "--batch-size", "1"];
    all_succeed(&args, &compare(&mut base, &args, 0), 0);

    // One run deletes; the others find no such user and say so.
    let args = ["users", "delete", "doomed@example.com", "--yes"];
    let outs = compare(&mut base, &args, 0);
    let ok = outs.iter().filter(|o| o.status.success()).count();
    assert_eq!(ok, 1, "exactly one run deletes the user");
    for out in outs.iter().filter(|o| !o.status.success()) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("no user") || stderr.contains("does not exist"),
            "{stderr}"
        );
    }
}
