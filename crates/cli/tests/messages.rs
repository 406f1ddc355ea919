//! What `socrates-db` says agrees with what it did: exit statuses, one-line
//! usage errors, refused out-of-range values, and messages that do not mislead.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::process::Output;

use common::{one_line, project, socrates_db, user};
use diesel::connection::SimpleConnection;
use test_db::{TestDatabase, count};

fn on(auth: &TestDatabase, specs: &TestDatabase, args: &[&str]) -> Output {
    socrates_db()
        .args(auth.cli_flags("auth"))
        .args(specs.cli_flags("specs"))
        .args(args)
        .output()
        .expect("run socrates-db")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Item 7: every usage error is one line on stderr with exit 2, and values out
/// of range are refused, never clamped.
#[test]
fn usage_errors_are_one_line_and_out_of_range_values_are_refused() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["backfill", "maturity", "--batch-size", "0"],
            "0 is not in 1..=",
        ),
        (
            &["backfill", "maturity", "--batch-size", "-1"],
            "-1 is not in 1..=",
        ),
        (
            &["backfill", "maturity", "--max-batches", "0"],
            "0 is not in 1..=",
        ),
        (
            &["backfill", "maturity", "--writers", "0"],
            "0 is not in 1..=",
        ),
        (
            &["backfill", "maturity", "--threads", "0"],
            "0 is not in 1..=",
        ),
        (&["check-refs", "--batch-size", "0"], "0 is not in 1..="),
        (&["drain-outbox", "--batch-size", "-5"], "-5 is not in 1..="),
        (
            &["keys", "rewrap", "--max-batches", "0"],
            "0 is not in 1..=",
        ),
        (&["seed", "--scale", "0"], "0 is not in 1..="),
        (&["rollback", "--steps", "0"], "0 is not in 1..="),
        (
            &["--lock-timeout", "2147484", "status"],
            "2147484 is not in 1..=2147483",
        ),
        (&["--lock-timeout", "0", "status"], "0 is not in 1..="),
        (
            &["rollback", "--steps", "1", "--all"],
            "cannot be used with",
        ),
        (&["no-such-command"], "unrecognized subcommand"),
        (&["migrate", "--bogus"], "unexpected argument"),
        (&[], "a command is missing"),
    ];
    for (args, needle) in cases {
        let out = socrates_db().args(*args).output().expect("run");
        let stderr = one_line(&out, 2, needle);
        assert!(stderr.starts_with("socrates-db: usage error: "), "{stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
    }
    let help = socrates_db().arg("--help").output().expect("help");
    assert_eq!(help.status.code(), Some(0));
}

/// Item 6: `users delete` whose specs cleanup fails exits 3 and says the
/// deletion is queued, not applied; `drain-outbox` agrees (3) until the cause
/// is gone, then applies it (0) and the scan is clean.
#[test]
fn a_deletion_queued_but_not_applied_says_so_and_exits_non_zero() {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let (mut a, mut s) = (auth.conn(), specs.conn());
    let doomed = user(&mut a, "doomed@example.com");
    project(&mut a, &mut s, doomed);
    s.batch_execute(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \
           $$BEGIN RAISE EXCEPTION 'specs refuses deletions now'; END$$; \
         CREATE TRIGGER refuse BEFORE DELETE ON projects FOR EACH ROW EXECUTE FUNCTION refuse();",
    )
    .expect("trigger");

    let out = on(
        &auth,
        &specs,
        &["users", "delete", "doomed@example.com", "--yes"],
    );
    let stderr = one_line(&out, 3, "queued and not applied yet");
    assert!(stderr.contains("specs refuses deletions now"), "{stderr}");
    assert!(text(&out).0.contains("deleted doomed@example.com"));
    let out = on(&auth, &specs, &["drain-outbox"]);
    one_line(&out, 3, "failed and stay pending");

    s.batch_execute("DROP TRIGGER refuse ON projects")
        .expect("drop");
    let out = on(&auth, &specs, &["drain-outbox"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let out = on(&auth, &specs, &["check-refs"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(count(&mut s, "SELECT count(*) AS n FROM projects"), 0);
}

/// Item 8: messages say what is true.
#[test]
fn messages_do_not_mislead() {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let (mut a, mut s) = (auth.conn(), specs.conn());
    let owner = user(&mut a, "owner@example.com");
    project(&mut a, &mut s, owner);

    // The confirmation says the projects are deleted (they are: cascade).
    let out = on(&auth, &specs, &["users", "delete", "owner@example.com"]);
    let stderr = one_line(&out, 1, "without --yes");
    assert!(
        stderr.contains("the 1 projects it owns would be deleted"),
        "{stderr}"
    );
    assert!(!stderr.contains("transferred where possible"), "{stderr}");

    // An orphan whose deletion is queued already: drain, not --repair.
    cross_db::delete_user(&mut a, owner, cross_db::OwnedTeams::TransferOrDelete).expect("delete");
    let out = on(&auth, &specs, &["check-refs"]);
    let stderr = one_line(&out, 3, "already queued for deletion");
    assert!(!stderr.contains("--repair"), "{stderr}");
    assert!(stderr.contains("drain-outbox"), "{stderr}");

    // A connection error is one line, without libpq's tabs.
    let out = socrates_db()
        .args([
            "--auth-url",
            "postgres://postgres@127.0.0.1:1/nowhere",
            "status",
            "--auth-only",
        ])
        .output()
        .expect("run");
    one_line(&out, 1, "connecting to");

    // `acknowledge` with an auth version needs no --auth-only.
    let out = on(&auth, &specs, &["acknowledge", "2025-11-11-000001"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("no edited migration to acknowledge"),
        "{stdout}"
    );
    let out = on(&auth, &specs, &["acknowledge", "2099-01-01-000001"]);
    one_line(&out, 1, "in the auth or specs migration sets");
}
