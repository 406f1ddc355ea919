//! The cross-database commands, as operators run them.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use auth_db::models::NewUser;
use cross_db::Refs;
use db_core::UserId;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use specs_db::ids::{ProjectId, SessionId};
use specs_db::models::{NewProject, NewSession};
use test_db::{TestDatabase, count, wait_until};

fn socrates_db(auth: &TestDatabase, specs: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socrates-db"));
    cmd.args(auth.cli_flags("auth"))
        .args(specs.cli_flags("specs"))
        .stdin(Stdio::null());
    cmd
}

fn user(auth: &mut PgConnection, email: &str) -> UserId {
    let id = UserId::new();
    diesel::insert_into(auth_db::schema::users::table)
        .values(NewUser::new(
            id,
            email,
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        ))
        .execute(auth)
        .expect("user");
    id
}

/// `users delete` is killed after deleting in auth but inside the specs cleanup;
/// a later `drain-outbox` finishes the job, and draining again changes nothing.
#[test]
fn deletion_survives_a_crash_between_the_databases() {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let (mut a, mut s) = (auth.conn(), specs.conn());
    let doomed = user(&mut a, "doomed@example.com");
    let other = user(&mut a, "other@example.com");
    let (own, others) = (ProjectId::new(), ProjectId::new());
    cross_db::write::<_, cross_db::XdbError>(
        &mut a,
        &mut s,
        &Refs::new().users([doomed, other]),
        |w| {
            diesel::insert_into(specs_db::schema::projects::table)
                .values(&vec![
                    NewProject::new(own, doomed, doomed, "theirs"),
                    NewProject::new(others, other, other, "someone else's"),
                ])
                .execute(w.specs)?;
            diesel::insert_into(specs_db::schema::sessions::table)
                .values(NewSession {
                    user_id: Some(doomed),
                    ..NewSession::new(SessionId::new(), others)
                })
                .execute(w.specs)?;
            Ok(())
        },
    )
    .expect("fixtures");

    let mut blocker = specs.connect();
    blocker
        .batch_execute("BEGIN; LOCK TABLE projects IN ACCESS EXCLUSIVE MODE;")
        .expect("lock");
    let mut child = socrates_db(&auth, &specs)
        .args(["users", "delete", "doomed@example.com", "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(30);
    wait_until(
        &mut s,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM projects%'",
        |n| n != 0,
        deadline,
        "the drain never reached the specs cleanup",
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    blocker.batch_execute("ROLLBACK").expect("release");
    drop(blocker);
    // Wait for the killed process's server sessions to notice and roll back.
    for conn in [&mut a, &mut s] {
        wait_until(
            conn,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'",
            |n| n == 0,
            deadline,
            "the killed process's sessions never ended",
        );
    }

    // Auth committed, specs did not: the outbox still holds the deletion.
    assert_eq!(
        count(
            &mut a,
            &format!("SELECT count(*) AS n FROM users WHERE id = '{doomed}'")
        ),
        0
    );
    assert_eq!(
        count(
            &mut a,
            "SELECT count(*) AS n FROM cross_db_outbox WHERE processed_at IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &mut s,
            &format!("SELECT count(*) AS n FROM projects WHERE id = '{own}'")
        ),
        1
    );

    let out = socrates_db(&auth, &specs)
        .arg("drain-outbox")
        .output()
        .expect("drain");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 entries processed"), "{stdout}");
    assert_eq!(
        count(
            &mut s,
            &format!("SELECT count(*) AS n FROM projects WHERE id = '{own}'")
        ),
        0
    );
    assert_eq!(
        count(
            &mut s,
            &format!("SELECT count(*) AS n FROM projects WHERE id = '{others}'")
        ),
        1
    );
    assert_eq!(
        count(
            &mut s,
            "SELECT count(*) AS n FROM sessions WHERE user_id IS NULL"
        ),
        1
    );

    let (auth_before, specs_before) = (auth.fingerprint(), specs.fingerprint());
    let out = socrates_db(&auth, &specs)
        .arg("drain-outbox")
        .output()
        .expect("drain again");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 entries processed"));
    assert_eq!(
        (auth.fingerprint(), specs.fingerprint()),
        (auth_before, specs_before),
        "a second drain changed something"
    );

    let out = socrates_db(&auth, &specs)
        .arg("check-refs")
        .output()
        .expect("check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `check-refs` exits 3 on orphans and names them; `--repair` + `drain-outbox`
/// clears them; `users delete` refuses without `--yes`.
#[test]
fn check_refs_reports_and_repairs() {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut s = specs.conn();
    let ghost = uuid::Uuid::now_v7();
    s.batch_execute(&format!(
        "INSERT INTO notification_preferences (id, user_id, notification_type) VALUES (gen_random_uuid(), '{ghost}', 'mention')"
    ))
    .expect("orphan");
    let out = socrates_db(&auth, &specs)
        .args(["check-refs", "--json"])
        .output()
        .expect("check");
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["orphan_users"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 orphaned ids found; rerun with --repair"),
        "{stderr}"
    );

    let out = socrates_db(&auth, &specs)
        .args(["check-refs", "--repair"])
        .output()
        .expect("repair");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 outbox entries enqueued"));
    assert!(
        socrates_db(&auth, &specs)
            .arg("drain-outbox")
            .output()
            .expect("drain")
            .status
            .success()
    );
    assert!(
        socrates_db(&auth, &specs)
            .arg("check-refs")
            .output()
            .expect("check")
            .status
            .success()
    );
    assert_eq!(
        count(&mut s, "SELECT count(*) AS n FROM notification_preferences"),
        0
    );

    let mut a = auth.conn();
    user(&mut a, "keep@example.com");
    let out = socrates_db(&auth, &specs)
        .args(["users", "delete", "keep@example.com"])
        .output()
        .expect("delete");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without --yes"));
    assert_eq!(count(&mut a, "SELECT count(*) AS n FROM users"), 1);
}
