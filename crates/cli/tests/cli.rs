//! `socrates-db` as operators run it: real processes against real databases.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use test_db::{TestDatabase, count, wait_until};

fn socrates_db() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socrates-db"));
    cmd.env_remove("SOCRATES_AUTH_DATABASE_URL")
        .env_remove("SOCRATES_SPECS_DATABASE_URL")
        .stdin(Stdio::null());
    cmd
}

fn with_urls(cmd: &mut Command, auth: &TestDatabase, specs: &TestDatabase) {
    cmd.args(auth.cli_flags("auth"))
        .args(specs.cli_flags("specs"));
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn applied_versions(conn: &mut PgConnection) -> Vec<String> {
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = Text)]
        version: String,
    }
    diesel::sql_query("SELECT version::text FROM __diesel_schema_migrations ORDER BY version")
        .load::<V>(conn)
        .expect("versions")
        .into_iter()
        .map(|v| v.version)
        .collect()
}

/// Eight `socrates-db migrate` processes started at once on two fresh databases
/// all succeed, and every migration is applied exactly once.
#[test]
fn eight_processes_migrate_at_once() {
    let (auth, specs) = (TestDatabase::empty(), TestDatabase::empty());
    let children: Vec<Child> = (0..8)
        .map(|_| {
            let mut cmd = socrates_db();
            with_urls(&mut cmd, &auth, &specs);
            cmd.arg("migrate")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let output = child.wait_with_output().expect("wait");
        let (out, err) = text(&output);
        assert!(output.status.success(), "{out}{err}");
        applied += out.lines().filter(|l| l.contains(": applied ")).count();
    }
    let total = auth_db::MIGRATION_SET.migrations.len() + specs_db::MIGRATION_SET.migrations.len();
    assert_eq!(
        applied, total,
        "each migration applied by exactly one process"
    );
    for (db, set) in [
        (&auth, &auth_db::MIGRATION_SET),
        (&specs, &specs_db::MIGRATION_SET),
    ] {
        let versions = applied_versions(&mut db.conn());
        let expected: Vec<String> = set
            .migrations
            .iter()
            .map(|m| m.version.to_owned())
            .collect();
        assert_eq!(versions, expected);
    }
}

/// A runner killed (SIGKILL) in the middle of a migration leaves the database
/// at the previous version, and a rerun succeeds.
#[test]
fn killed_runner_leaves_previous_version() {
    let auth = TestDatabase::empty();
    let specs = TestDatabase::empty();
    let mut cmd = socrates_db();
    with_urls(&mut cmd, &auth, &specs);
    let out = cmd
        .args(["migrate", "--auth-only", "--to", "2025-11-11-000001"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{:?}", text(&out));

    // Hold a lock that migration 000002 needs (its foreign keys reference users),
    // so the runner is provably inside that migration's transaction when killed.
    let mut blocker = auth.connect();
    blocker
        .batch_execute("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE;")
        .expect("lock users");
    let mut cmd = socrates_db();
    with_urls(&mut cmd, &auth, &specs);
    let mut child = cmd
        .args(["migrate", "--auth-only"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut observer = auth.connect();
    let deadline = Instant::now() + Duration::from_secs(30);
    wait_until(
        &mut observer,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND wait_event_type = 'Lock' AND query LIKE '%admin_users%'",
        |n| n != 0,
        deadline,
        "the runner never reached migration 000002",
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    blocker.batch_execute("ROLLBACK").expect("release");
    // The orphaned server session ends when it finds its client gone.
    wait_until(
        &mut observer,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND backend_type = 'client backend' AND application_name = ''",
        |n| n <= 1,
        deadline,
        "the killed runner's session never ended",
    );
    drop(blocker);

    assert_eq!(
        applied_versions(&mut observer),
        vec!["00000000000000", "20251111000001"]
    );
    for relation in ["admin_roles", "admin_users", "admin_audit_logs"] {
        let sql = format!("SELECT count(*) AS n FROM pg_class WHERE relname = '{relation}'");
        assert_eq!(
            count(&mut observer, &sql),
            0,
            "{relation} survived the kill"
        );
    }
    assert_eq!(
        count(
            &mut observer,
            "SELECT count(*) AS n FROM pg_proc WHERE proname = 'forbid_append_only_mutation'"
        ),
        0
    );
    assert_eq!(
        count(
            &mut observer,
            "SELECT count(*) AS n FROM __socrates_migrations"
        ),
        2
    );

    let mut cmd = socrates_db();
    with_urls(&mut cmd, &auth, &specs);
    let out = cmd
        .args(["migrate", "--auth-only"])
        .output()
        .expect("rerun");
    assert!(out.status.success(), "{:?}", text(&out));
    let expected: Vec<String> = auth_db::MIGRATION_SET
        .migrations
        .iter()
        .map(|m| m.version.to_owned())
        .collect();
    assert_eq!(applied_versions(&mut observer), expected);
}

/// Refusals exit non-zero with one line naming the reason; usage errors exit 2.
#[test]
fn failures_are_one_line_with_a_non_zero_exit() {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut cmd = socrates_db();
    cmd.args(specs.cli_flags("auth"))
        .args(auth.cli_flags("specs"))
        .args(["migrate"]);
    let out = cmd.output().expect("run");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("socrates-db: error: refusing to run the auth migrations on database"),
        "{stderr}"
    );

    let out = socrates_db()
        .args(["rollback", "--steps", "1", "--all"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));

    let out = socrates_db()
        .args(["--auth-url", "mysql://nope/x", "status", "--auth-only"])
        .output()
        .expect("run");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("the scheme must be postgres://"),
        "{stderr}"
    );
}

/// `status --json` reports both databases at head after `setup`, and `setup`
/// is idempotent.
#[test]
fn setup_then_status_json() {
    let server = TestDatabase::server_url();
    let names = [
        TestDatabase::scratch_name("cliauth"),
        TestDatabase::scratch_name("clispecs"),
    ];
    let urls = [
        server.with_database(&names[0]),
        server.with_database(&names[1]),
    ];
    let run = |args: &[&str]| {
        let out = socrates_db()
            .args([
                "--auth-url",
                urls[0].as_str(),
                "--specs-url",
                urls[1].as_str(),
            ])
            .args(args)
            .output()
            .expect("run");
        assert!(out.status.success(), "{:?}", text(&out));
        text(&out).0
    };
    let first = run(&["setup"]);
    assert!(
        first.contains(&format!("{}: created database", names[0])),
        "{first}"
    );
    assert!(first.contains("setup finished in"), "{first}");
    let second = run(&["setup"]);
    assert!(
        second.contains(&format!("{}: found database", names[1])),
        "{second}"
    );
    assert!(second.contains(": nothing to do"), "{second}");
    let status: serde_json::Value =
        serde_json::from_str(&run(&["status", "--json"])).expect("JSON");
    for (set, n) in [
        ("auth", auth_db::MIGRATION_SET.migrations.len()),
        ("specs", specs_db::MIGRATION_SET.migrations.len()),
    ] {
        let db = &status[set];
        assert_eq!(db["exists"], true);
        assert_eq!(db["marker"], set);
        assert_eq!(db["applied"], n);
        assert_eq!(db["pending"], 0);
        assert!(
            db["migrations"]
                .as_array()
                .expect("list")
                .iter()
                .all(|m| m["checksum_state"] == "verified")
        );
    }
    let mut admin = db_core::connect(server).expect("server");
    for name in &names {
        admin
            .batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
            .expect("drop");
    }
}

/// Stops the private cluster and removes its directory, even if the test fails.
struct ClusterGuard {
    dir: tempfile::TempDir,
}

impl Drop for ClusterGuard {
    fn drop(&mut self) {
        let _ = socrates_db()
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(["cluster", "stop"])
            .output();
    }
}

/// With nothing configured and no server answering, `setup` starts a private
/// cluster, migrates both databases there, and a second `setup` reuses it.
#[test]
fn setup_starts_and_reuses_the_private_cluster() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    // The server runs as `postgres` when we are root: it must reach the directory.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let guard = ClusterGuard { dir };
    let unused_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let setup = || {
        let out = socrates_db()
            .current_dir(guard.dir.path())
            .env("PGPORT", unused_port.to_string())
            .env("SOCRATES_DATA_DIR", guard.dir.path().join("data"))
            .arg("setup")
            .output()
            .expect("run");
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stdout}{stderr}");
        (stdout, stderr)
    };
    let (stdout, stderr) = setup();
    assert!(stderr.contains("no server answers"), "{stderr}");
    assert!(
        stderr.contains("created and started private PostgreSQL cluster"),
        "{stderr}"
    );
    assert!(
        stdout.contains("socrates_auth: created database"),
        "{stdout}"
    );
    assert!(
        stdout.contains("socrates_specs: created database"),
        "{stdout}"
    );
    assert!(stdout.contains("(private cluster)"), "{stdout}");
    let (stdout, stderr) = setup();
    assert!(
        stderr.contains("reusing the running private PostgreSQL cluster"),
        "{stderr}"
    );
    assert!(stdout.contains("socrates_auth: found database"), "{stdout}");
    assert!(stdout.contains("socrates_specs: nothing to do"), "{stdout}");
    for set in [&auth_db::MIGRATION_SET, &specs_db::MIGRATION_SET] {
        let line = format!("{} applied, 0 pending", set.migrations.len());
        assert!(stdout.contains(&line), "{line}: {stdout}");
    }
}

/// `migrate` applies the two sets at once: while the auth runner waits for
/// its database's migration lock, the specs set is applied all the same.
#[test]
fn both_databases_migrate_at_once() {
    let auth = TestDatabase::empty();
    let specs = TestDatabase::empty();
    let mut holder = auth.connect();
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(db_core::migrate::LOCK_KEY)
        .execute(&mut holder)
        .expect("hold the auth migration lock");
    let mut cmd = socrates_db();
    with_urls(&mut cmd, &auth, &specs);
    let child = cmd
        .arg("migrate")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut observer = specs.connect();
    // A fresh database migrates in one transaction: its last table appears
    // when the whole set has committed.
    wait_until(
        &mut observer,
        "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'job_checkpoints'",
        |n| n == 1,
        Instant::now() + Duration::from_secs(60),
        "specs was not migrated while auth waited",
    );
    assert_eq!(
        count(
            &mut auth.connect(),
            "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'users'"
        ),
        0,
        "auth migrated through the lock"
    );
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<diesel::sql_types::BigInt, _>(db_core::migrate::LOCK_KEY)
        .execute(&mut holder)
        .expect("release");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{:?}", text(&out));
    let (stdout, _) = text(&out);
    let auth_at = stdout.find(auth.name()).expect("auth report");
    let specs_at = stdout.find(specs.name()).expect("specs report");
    assert!(auth_at < specs_at, "reports print auth first: {stdout}");
}
