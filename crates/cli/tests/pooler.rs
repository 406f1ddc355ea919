//! Behind PgBouncer in transaction mode (`TEST_POOLER_URL`, started by
//! `.ci/pooler-and-replica`): the pooler is found when the URL does not say
//! so, and the migration runner, which holds a session across transactions,
//! refuses it without a direct URL and runs with one. (Every other suite runs
//! through the pooler as a whole when `TEST_POOLER_URL` is set.)

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use common::{one_line, socrates_db, text};
use db_core::pooler::{Probed, SessionError, probe, require_session};
use db_core::{DbUrl, PoolMode};
use test_db::{TestDatabase, count};

const NEEDS_POOLER: &str =
    "TEST_POOLER_URL is not set: run .ci/pooler-and-replica and export what it prints";

fn tables(db: &TestDatabase) -> i64 {
    count(
        &mut db.connect_direct(),
        "SELECT count(*) AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace",
    )
}

/// A direct server is never taken for a pooler (this half runs everywhere).
#[test]
fn a_direct_server_is_a_session() {
    let db = TestDatabase::empty();
    let direct = DbUrl::parse(db.direct_url().as_str()).expect("url");
    assert_eq!(direct.declared_pool_mode(), None);
    for _ in 0..5 {
        assert_eq!(probe(&direct).expect("probe"), Probed::Session);
    }
    require_session(&direct, "the test", "--direct").expect("a session");
    // A mode that is neither is refused in one line, not ignored.
    let out = socrates_db()
        .env("SOCRATES_POOL_MODE", "statement")
        .args(db.cli_flags("auth"))
        .args(["status", "--auth-only"])
        .output()
        .expect("run");
    one_line(
        &out,
        1,
        "$SOCRATES_POOL_MODE is \"statement\"; it must be session or transaction",
    );
    let declared = direct.with_pool_mode(PoolMode::Transaction);
    assert!(matches!(
        require_session(&declared, "the test", "--direct"),
        Err(SessionError::Declared { .. })
    ));
}

#[test]
#[ignore = "needs PgBouncer in transaction mode: TEST_POOLER_URL (see README)"]
fn the_runner_refuses_a_pooler_without_a_direct_url_and_runs_with_one() {
    assert!(test_db::via_pooler(), "{NEEDS_POOLER}");
    let db = TestDatabase::empty();
    assert_eq!(db.url().pool_mode(), PoolMode::Transaction);
    // The URL as a user would write it, saying nothing of the pooler.
    let undeclared = db.url().as_str().to_owned();
    let found = probe(&DbUrl::parse(&undeclared).expect("url")).expect("probe");
    assert!(found.is_pooler(), "PgBouncer was not found: {found:?}");
    let refused = require_session(
        &DbUrl::parse(&undeclared).expect("url"),
        "the test",
        "--direct",
    )
    .expect_err("a pooler");
    assert!(
        matches!(refused, SessionError::Detected { .. }),
        "{refused}"
    );

    for (url, says) in [
        (undeclared.clone(), "reaches a transaction pooler"),
        (
            db.url().to_url_string(),
            "declared to reach a transaction pooler",
        ),
    ] {
        let out = socrates_db()
            .args(["--auth-url", &url, "migrate", "--auth-only"])
            .output()
            .expect("run");
        let stderr = one_line(&out, 1, says);
        assert!(
            stderr.contains("the migration runner") && stderr.contains("--auth-direct-url"),
            "{stderr}"
        );
        assert_eq!(tables(&db), 0, "a refused run wrote");
    }

    let out = socrates_db()
        .args(["--auth-url", &undeclared])
        .args(["--auth-direct-url", db.direct_url().as_str()])
        .args(["migrate", "--auth-only"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out));
    assert!(tables(&db) > 0);
    // Reads need no session: status through the pooler alone.
    let out = socrates_db()
        .args(["--auth-url", &undeclared, "status", "--auth-only", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\"pending\": 0"),
        "{}",
        text(&out)
    );
}
