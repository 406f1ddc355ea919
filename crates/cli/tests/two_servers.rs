//! socrates_auth and socrates_specs on two PostgreSQL servers, the specs one
//! going down in the middle of a user's deletion (hardening item 14).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use db_core::DbUrl;
use db_core::dburl::quote_ident;
use db_core::migrate::{MigrateOptions, Runner};
use dev_cluster::Cluster;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use seed::{SeedOptions, seed};
use test_db::{TestDatabase, count, wait_until};

/// A PostgreSQL server of this test's own (so stopping it disturbs no other
/// test), stopped and removed when dropped.
struct SpecsServer {
    dir: tempfile::TempDir,
    cluster: Cluster,
}

impl SpecsServer {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        // The server runs as `postgres` when we are root: it must reach the directory.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        let (cluster, _) = Cluster::ensure(&dir.path().join("specs")).expect("second server");
        Self { dir, cluster }
    }

    fn restart(&self) {
        Cluster::ensure(&self.dir.path().join("specs")).expect("start again");
    }

    /// A new database holding the specs migrations (or a copy of `template`).
    fn database(&self, name: &str, template: Option<&str>) -> DbUrl {
        let mut admin = db_core::connect(&self.cluster.url("postgres")).expect("admin");
        let sql = match template {
            Some(t) => format!(
                "CREATE DATABASE {} TEMPLATE {}",
                quote_ident(name),
                quote_ident(t)
            ),
            None => format!("CREATE DATABASE {}", quote_ident(name)),
        };
        admin.batch_execute(&sql).expect("create");
        let url = self.cluster.url(name);
        if template.is_none() {
            let mut conn = db_core::connect(&url).expect("connect");
            Runner::new(&specs_db::MIGRATION_SET)
                .migrate(&mut conn, &MigrateOptions::default())
                .expect("migrate specs");
        }
        url
    }
}

impl Drop for SpecsServer {
    fn drop(&mut self) {
        let _ = self.cluster.stop();
    }
}

fn socrates_db(auth: &DbUrl, specs: &DbUrl, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socrates-db"));
    cmd.args(["--auth-url", auth.as_str(), "--specs-url", specs.as_str()])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(auth: &DbUrl, specs: &DbUrl, args: &[&str]) -> Output {
    socrates_db(auth, specs, args).output().expect("run")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// What both databases hold, but for generated ids, times and the outbox's
/// attempt count (the interrupted drain made one attempt more).
fn state(auth: &DbUrl, specs: &DbUrl) -> [std::collections::BTreeMap<String, String>; 2] {
    let skip = &[("cross_db_outbox", "attempts")];
    [auth, specs].map(|url| {
        let mut conn = db_core::connect(url).expect("connect");
        test_db::content(&mut conn, skip)
    })
}

/// `users delete` on two servers: the specs server stops while the deletion is
/// applied there. The command says the deletion is queued (exit 3); a drain
/// while the server is down fails with one line; once it is back, a drain
/// applies it, `check-refs` is clean, and both databases hold exactly what an
/// uninterrupted deletion leaves: no orphan, and no row lost that the deletion
/// policies do not cover.
#[test]
fn a_deletion_survives_the_specs_server_going_down() {
    let server = SpecsServer::start();
    let mut auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs_name = TestDatabase::scratch_name("outage");
    let specs = server.database(&specs_name, None);
    {
        seed(
            &mut auth.connect(),
            &mut db_core::connect(&specs).expect("specs"),
            SeedOptions::new(1, 21),
        )
        .expect("seed");
    }
    let mut s = db_core::connect(&specs).expect("specs");
    let owner: uuid::Uuid = specs_db::schema::projects::table
        .group_by(specs_db::schema::projects::owner_id)
        .select(specs_db::schema::projects::owner_id)
        .order(diesel::dsl::count_star().desc())
        .first(&mut s)
        .expect("an owner");
    let projects_of_others: Vec<uuid::Uuid> = specs_db::schema::projects::table
        .filter(specs_db::schema::projects::owner_id.ne(owner))
        .select(specs_db::schema::projects::id)
        .order(specs_db::schema::projects::id)
        .load(&mut s)
        .expect("projects");
    drop(s);
    let email: String = auth_db::schema::users::table
        .find(db_core::UserId::from(owner))
        .select(auth_db::schema::users::email)
        .first(&mut auth.connect())
        .expect("email");

    // The uninterrupted deletion, on copies.
    let auth_ref = auth.copy();
    let specs_ref = server.database(&TestDatabase::scratch_name("outref"), Some(&specs_name));
    let out = run(
        auth_ref.url(),
        &specs_ref,
        &["users", "delete", &email, "--yes"],
    );
    assert!(out.status.success(), "{}", text(&out));

    // The interrupted one: hold the specs cleanup, then stop the server under it.
    let mut blocker = db_core::connect(&specs).expect("blocker");
    blocker
        .batch_execute("BEGIN; LOCK TABLE projects IN ACCESS EXCLUSIVE MODE;")
        .expect("lock");
    let child = socrates_db(auth.url(), &specs, &["users", "delete", &email, "--yes"])
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut observer = db_core::connect(&specs).expect("observer");
    wait_until(
        &mut observer,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND wait_event_type = 'Lock'",
        |n| n > 0,
        deadline,
        "the deletion never reached specs",
    );
    drop(observer);
    server.cluster.stop().expect("stop the specs server");
    drop(blocker);
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("queued and not applied yet"), "{stderr}");
    assert_eq!(
        count(
            &mut auth.connect(),
            &format!("SELECT count(*) AS n FROM users WHERE id = '{owner}'")
        ),
        0,
        "the user is gone from auth"
    );

    let out = run(auth.url(), &specs, &["drain-outbox"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);

    server.restart();
    let out = run(auth.url(), &specs, &["drain-outbox"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = run(auth.url(), &specs, &["check-refs"]);
    assert!(
        out.status.success(),
        "orphans after the drain: {}",
        text(&out)
    );

    let mut s = db_core::connect(&specs).expect("specs");
    let left: Vec<uuid::Uuid> = specs_db::schema::projects::table
        .select(specs_db::schema::projects::id)
        .order(specs_db::schema::projects::id)
        .load(&mut s)
        .expect("projects");
    assert_eq!(
        left, projects_of_others,
        "projects of other users were lost"
    );
    drop(s);
    assert_eq!(
        state(auth.url(), &specs),
        state(auth_ref.url(), &specs_ref),
        "the interrupted deletion left other rows than an uninterrupted one"
    );
}
