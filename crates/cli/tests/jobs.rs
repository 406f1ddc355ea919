//! `seed` and `backfill` as operators run them.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use test_db::{Pair, TestDatabase, count, wait_until};

/// `socrates-db` on the harness's pair.
trait Cli {
    fn cmd(&self) -> Command;
    fn run(&self, args: &[&str]) -> String;
    fn maturity(&self) -> String;
}

impl Cli for Pair {
    fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_socrates-db"));
        cmd.args(self.auth.cli_flags("auth"))
            .args(self.specs.cli_flags("specs"))
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    fn maturity(&self) -> String {
        #[derive(QueryableByName)]
        struct D {
            #[diesel(sql_type = Text)]
            d: String,
        }
        diesel::sql_query(
            "SELECT (SELECT string_agg(id || ':' || maturity_score, ',' ORDER BY id) FROM projects) || ' / ' || \
                    (SELECT string_agg(project_id || category || score, ',' ORDER BY project_id, category) FROM maturity_tracking) AS d",
        )
        .get_result::<D>(&mut self.specs.connect())
        .expect("maturity")
        .d
    }
}

/// `seed` fills empty databases (the same content for the same seed) and refuses
/// non-empty ones; `backfill --dry-run` writes nothing; unknown jobs are refused.
#[test]
fn seed_and_dry_run() {
    let a = Pair::new();
    let out = a.run(&["seed", "--scale", "1", "--seed", "5"]);
    assert!(out.contains("projects: 15 rows"), "{out}");
    let b = Pair::new();
    b.run(&["seed", "--scale", "1", "--seed", "5"]);
    assert_eq!(
        (a.auth.fingerprint(), a.specs.fingerprint()),
        (b.auth.fingerprint(), b.specs.fingerprint())
    );
    let again = a
        .cmd()
        .args(["seed", "--scale", "1"])
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("seed needs empty databases"));

    let before = (a.auth.fingerprint(), a.specs.fingerprint());
    let out = a.run(&["backfill", "all", "--dry-run", "--batch-size", "4"]);
    assert!(
        out.contains("backfill:maturity: read 15 rows") && out.contains("would change"),
        "{out}"
    );
    assert_eq!(
        (a.auth.fingerprint(), a.specs.fingerprint()),
        before,
        "a dry run wrote something"
    );
    let bad = a
        .cmd()
        .args(["backfill", "everything"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(1));
    let empty = Pair::new();
    let unmigrated = TestDatabase::empty();
    let refused = Command::new(env!("CARGO_BIN_EXE_socrates-db"))
        .args([
            "--auth-url",
            unmigrated.url().as_str(),
            "--specs-url",
            empty.specs.url().as_str(),
            "backfill",
            "maturity",
        ])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("run socrates-db setup or migrate first")
    );
}

/// A backfill killed (SIGKILL) inside a batch's transaction loses that batch
/// only; the next run resumes after the last committed batch, and the result
/// equals an uninterrupted run's.
#[test]
fn killed_backfill_resumes_to_the_same_result() {
    let straight = Pair::new();
    let killed = Pair::new();
    for p in [&straight, &killed] {
        p.run(&["seed", "--scale", "2", "--seed", "11"]);
    }
    straight.run(&["backfill", "maturity", "--batch-size", "5"]);

    // Hold a row of the second batch, so that batch's writes (the tracking COPY's
    // foreign-key check, or the UPDATE) wait inside its transaction; the third
    // batch, written beside it, must wait for it to commit.
    let mut blocker = killed.specs.connect();
    blocker
        .batch_execute("BEGIN; SELECT 1 FROM projects WHERE id = (SELECT id FROM projects ORDER BY id OFFSET 7 LIMIT 1) FOR UPDATE;")
        .expect("lock");
    let mut child = killed
        .cmd()
        .args(["backfill", "maturity", "--batch-size", "5"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut observer = killed.specs.connect();
    // Wait until the first batch has committed, the second waits for the lock,
    // and the third has been written and waits (idle in its transaction) for
    // the second to commit.
    let state = "SELECT (SELECT count(*) FROM job_checkpoints WHERE job_name = 'backfill:maturity' AND processed_count = 5) \
         * (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' \
            AND (query LIKE 'COPY \"maturity_tracking\"%' OR query LIKE 'UPDATE projects%')) \
         * (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' \
            AND pid <> $1) AS n";
    let blocker_pid = count(&mut blocker, "SELECT pg_backend_pid()::bigint AS n");
    let deadline = Instant::now() + Duration::from_secs(30);
    wait_until(
        &mut observer,
        &state.replace("$1", &blocker_pid.to_string()),
        |n| n != 0,
        deadline,
        "the job never reached its third batch",
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    blocker.batch_execute("ROLLBACK").expect("release");
    wait_until(
        &mut observer,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'",
        |n| n == 0,
        deadline,
        "the killed job's session never ended",
    );
    // Exactly the first batch committed, with its checkpoint: not the third,
    // though its statements had run.
    assert_eq!(
        count(
            &mut observer,
            "SELECT processed_count AS n FROM job_checkpoints WHERE job_name = 'backfill:maturity' AND status = 'running'"
        ),
        5
    );
    let out = killed.run(&["backfill", "maturity", "--batch-size", "5"]);
    assert!(
        out.contains("(resumed)") && out.contains("read 25 rows"),
        "{out}"
    );
    assert_eq!(killed.maturity(), straight.maturity());
}
