//! `db_core::HeldLock`: a work lock held in a transaction kept open on a
//! connection of its own, which is how long runs hold their lock behind a
//! transaction pooler. It excludes other held locks and session locks of the
//! same work, names its holder, and is freed by release or by dropping it.
//! (Through PgBouncer when `TEST_POOLER_URL` is set.)

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::time::Duration;

use db_core::HeldLock;
use db_core::work_lock::{self, WorkLockError};
use test_db::TestDatabase;

const WORK: &str = "test:held";
const SHORT: Duration = Duration::from_millis(300);

fn busy(result: Result<HeldLock, WorkLockError>) -> String {
    match result {
        Err(err @ WorkLockError::Busy { .. }) => err.to_string(),
        other => panic!("expected busy, got {other:?}"),
    }
}

#[test]
fn a_held_lock_excludes_every_other_run_until_released_or_dropped() {
    let db = TestDatabase::empty();
    let held = HeldLock::acquire(db.url(), WORK, SHORT).expect("first");
    let refused = busy(HeldLock::acquire(db.url(), WORK, SHORT));
    assert!(
        refused.contains("test:held is already running") && refused.contains("server pid"),
        "{refused}"
    );
    // A session lock of the same work, on a server session, waits too.
    let mut session = db.connect_direct();
    assert!(matches!(
        work_lock::acquire(&mut session, WORK, SHORT),
        Err(WorkLockError::Busy { .. })
    ));
    // Other work is not held.
    HeldLock::acquire(db.url(), "test:other", SHORT)
        .expect("other work")
        .release()
        .expect("release");
    held.release().expect("release");
    let again = HeldLock::acquire(db.url(), WORK, SHORT).expect("after release");
    drop(again);
    // Dropping it closed its connection, which freed the lock.
    work_lock::acquire(&mut session, WORK, Duration::from_secs(5)).expect("after drop");
    let refused = busy(HeldLock::acquire(db.url(), WORK, SHORT));
    assert!(refused.contains("server pid"), "{refused}");
    work_lock::release(&mut session, WORK).expect("release");
}
