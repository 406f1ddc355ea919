//! `db_core::build_pool`: connections the server closed are never handed out
//! twice, and a connection is not pinged while it is known to be alive.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::time::{Duration, Instant};

use db_core::{PgPool, build_pool_with};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use test_db::TestDatabase;

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

fn pid(pool: &PgPool) -> QueryResult<i32> {
    let mut conn = pool.get().expect("checkout");
    Ok(diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(&mut *conn)?
        .pid)
}

fn terminate(db: &TestDatabase, pid: i32) {
    let mut admin = db.connect_direct();
    diesel::sql_query("SELECT pg_terminate_backend($1) AS pid")
        .bind::<Integer, _>(pid)
        .execute(&mut admin)
        .expect("terminate");
    // pg_terminate_backend only signals: wait until the backend is gone.
    test_db::wait_until(
        &mut admin,
        &format!("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = {pid}"),
        |n| n == 0,
        Instant::now() + Duration::from_secs(30),
        "the terminated backend never ended",
    );
}

/// Within the trust window a closed connection is handed out once (its query
/// fails, as it would on any pool), then discarded, not handed out again.
#[test]
fn a_lost_connection_fails_once_and_is_replaced() {
    let db = TestDatabase::empty();
    let pool = build_pool_with(db.direct_url(), 1, Duration::from_secs(3600));
    let first = pid(&pool).expect("pid");
    assert_eq!(pid(&pool).expect("pid"), first, "one connection, reused");
    terminate(&db, first);
    assert!(
        pid(&pool).is_err(),
        "the closed connection was trusted once"
    );
    let second = pid(&pool).expect("a fresh connection");
    assert_ne!(second, first);
    assert_eq!(pid(&pool).expect("pid"), second);
}

/// Past the trust window the pool pings before handing a connection out: a
/// closed one is replaced and the caller never sees it.
#[test]
fn an_idle_closed_connection_is_replaced_unseen() {
    let db = TestDatabase::empty();
    let pool = build_pool_with(db.direct_url(), 1, Duration::from_millis(20));
    let first = pid(&pool).expect("pid");
    terminate(&db, first);
    std::thread::sleep(Duration::from_millis(50));
    let second = pid(&pool).expect("replaced before it was handed out");
    assert_ne!(second, first);
}

/// An SQL error says nothing about the connection: it stays in the pool.
#[test]
fn sql_errors_keep_the_connection() {
    let db = TestDatabase::empty();
    let pool = build_pool_with(db.direct_url(), 1, Duration::from_secs(3600));
    let first = pid(&pool).expect("pid");
    let failed = pool
        .get()
        .expect("checkout")
        .batch_execute("SELECT * FROM no_such_table");
    assert!(failed.is_err());
    assert_eq!(pid(&pool).expect("pid"), first);
}
