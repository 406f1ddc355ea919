//! Reads from a streaming replica (`TEST_REPLICA_URL`, started by
//! `.ci/pooler-and-replica`): lag is measured, a replica further behind than
//! allowed is skipped, and a replica read never feeds a write decision (a
//! repair that scanned a replica which has not yet received a user does not
//! enqueue that user's deletion).
//!
//! Pausing replay stops the whole replica, so these tests take turns.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::sync::Mutex;
use std::time::Duration;

use cross_db::ScanOptions;
use db_core::replica::{ReadFrom, lag};
use db_core::{DbUrl, Replicated};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use test_db::{Pair, TestDatabase, count, world};

const NEEDS_REPLICA: &str =
    "TEST_REPLICA_URL is not set: run .ci/pooler-and-replica and export what it prints";
static REPLICA: Mutex<()> = Mutex::new(());

/// The replica of `db`, once it has replayed the database's creation and
/// everything written so far.
fn caught_up_replica(db: &TestDatabase) -> DbUrl {
    let url = db.replica_url().expect(NEEDS_REPLICA);
    let done =
        db_core::replica::wait_caught_up(&mut db.connect_direct(), &url, Duration::from_secs(30))
            .expect("a replica");
    assert!(done, "the replica did not catch up");
    url
}

/// Replay paused for as long as this lives (resumed on drop, even on a panic).
struct Paused(PgConnection);

impl Paused {
    fn new(replica: &DbUrl) -> Self {
        let mut conn = db_core::connect(replica).expect("replica");
        conn.batch_execute("SELECT pg_wal_replay_pause()")
            .expect("pause");
        Self(conn)
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        let _ = self.0.batch_execute("SELECT pg_wal_replay_resume()");
    }
}

fn users_named(conn: &mut PgConnection, email: &str) -> i64 {
    count(
        conn,
        &format!("SELECT count(*) AS n FROM users WHERE email = '{email}'"),
    )
}

#[test]
#[ignore = "needs a streaming replica: TEST_REPLICA_URL (see README)"]
fn a_replica_further_behind_than_allowed_is_skipped() {
    let _turn = REPLICA
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let p = Pair::new();
    let replica = caught_up_replica(&p.auth);
    let primary = p.auth.direct_url();
    let lenient = Replicated::new(
        primary,
        std::slice::from_ref(&replica),
        2,
        Duration::from_secs(3600),
    );
    let strict = Replicated::new(primary, std::slice::from_ref(&replica), 2, Duration::ZERO)
        .recheck_every(Duration::ZERO);
    assert_eq!(
        strict.read().expect("read").from,
        ReadFrom::Replica(0),
        "caught up: not behind"
    );

    let paused = Paused::new(&replica);
    world::user(&mut p.auth.connect_direct(), "late@example.com");
    let measured = lag(
        &mut p.auth.connect_direct(),
        &mut db_core::connect(&replica).expect("replica"),
    )
    .expect("lag")
    .expect("a replica");
    assert!(
        measured.bytes > 0 && measured.behind > Duration::ZERO,
        "{measured:?}"
    );

    // Strict: the replica is behind, so the primary serves, and sees the user.
    let mut read = strict.read().expect("read");
    assert_eq!(read.from, ReadFrom::Primary);
    assert_eq!(users_named(&mut read.conn, "late@example.com"), 1);
    let status = strict.status();
    assert!(status[0].1.is_err(), "{status:?}");
    // Lenient: the replica serves, and does not see it yet.
    let mut read = lenient.read().expect("read");
    assert_eq!(read.from, ReadFrom::Replica(0));
    assert_eq!(users_named(&mut read.conn, "late@example.com"), 0);

    drop(paused);
    caught_up_replica(&p.auth);
    let mut read = strict.read().expect("read");
    assert_eq!(read.from, ReadFrom::Replica(0));
    assert_eq!(users_named(&mut read.conn, "late@example.com"), 1);
}

#[test]
#[ignore = "needs a streaming replica: TEST_REPLICA_URL (see README)"]
fn a_repair_never_enqueues_what_only_a_lagging_replica_misses() {
    let _turn = REPLICA
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let p = Pair::new();
    let replica = caught_up_replica(&p.auth);
    let paused = Paused::new(&replica);
    // A user the replica has not received, and a project of theirs.
    let fresh = world::user(&mut p.auth.connect_direct(), "fresh@example.com");
    world::project(&mut p.specs.connect_direct(), fresh, "Fresh");
    let mut replica_conn = db_core::connect(&replica).expect("replica");
    assert_eq!(
        users_named(&mut replica_conn, "fresh@example.com"),
        0,
        "replay is paused"
    );

    let options = ScanOptions {
        repair: true,
        ..ScanOptions::default()
    };
    let (mut auth, mut specs) = (p.auth.conn(), p.specs.conn());
    let mut specs_read = p.specs.conn();
    let report = cross_db::scan_with_replicas(
        &mut auth,
        &mut specs,
        (&mut replica_conn, &mut specs_read),
        &options,
    )
    .expect("scan");
    assert_eq!(
        report.orphan_users, 1,
        "the replica's view: the owner is missing"
    );
    assert_eq!(report.enqueued, 0, "the primary decides: the owner exists");
    assert_eq!(
        count(&mut auth, "SELECT count(*) AS n FROM cross_db_outbox"),
        0
    );

    // The control: on the primary alone there is nothing to find.
    let report = cross_db::scan(&mut auth, &mut specs, &options).expect("scan");
    assert_eq!((report.orphan_users, report.enqueued), (0, 0));
    drop(paused);
}

/// The write path locks the auth rows it relies on (`FOR KEY SHARE`), which a
/// replica refuses: a write handed a replica for auth fails and writes nothing,
/// even for a user the replica has.
#[test]
#[ignore = "needs a streaming replica: TEST_REPLICA_URL (see README)"]
fn a_cross_database_write_cannot_decide_on_a_replica() {
    let _turn = REPLICA
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let p = Pair::new();
    let owner = world::user(&mut p.auth.connect_direct(), "owner@example.com");
    let replica = caught_up_replica(&p.auth);
    let mut replica_conn = db_core::connect(&replica).expect("replica");
    assert_eq!(users_named(&mut replica_conn, "owner@example.com"), 1);
    let mut specs = p.specs.conn();
    let refused = cross_db::write(
        &mut replica_conn,
        &mut specs,
        &cross_db::Refs::new().user(owner),
        |w| -> Result<(), cross_db::XdbError> {
            world::project(w.specs, owner, "Never");
            Ok(())
        },
    );
    let err = refused.expect_err("a replica cannot lock auth rows");
    assert!(
        err.to_string().contains("read-only") || err.to_string().contains("recovery"),
        "{err}"
    );
    assert_eq!(count(&mut specs, "SELECT count(*) AS n FROM projects"), 0);
    // The same write on the primary goes through.
    cross_db::write(
        &mut p.auth.conn(),
        &mut specs,
        &cross_db::Refs::new().user(owner),
        |w| -> Result<(), cross_db::XdbError> {
            world::project(w.specs, owner, "Kept");
            Ok(())
        },
    )
    .expect("primary");
    assert_eq!(count(&mut specs, "SELECT count(*) AS n FROM projects"), 1);
}
