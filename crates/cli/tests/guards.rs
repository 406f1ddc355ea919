//! `socrates-db` refuses before it writes: one database given for both, and
//! database names that need percent-encoding in a URL.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::process::Output;

use common::socrates_db;

use db_core::DbUrl;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use test_db::{TestDatabase, count};

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn run(auth: &str, specs: &str, args: &[&str]) -> Output {
    socrates_db()
        .args(["--auth-url", auth, "--specs-url", specs])
        .args(args)
        .output()
        .expect("run socrates-db")
}

/// The same database, spelled another way: `localhost` and `127.0.0.1`
/// swapped, and a connection parameter added.
fn respelled(url: &DbUrl) -> String {
    let mut text = url.as_str().to_owned();
    if text.contains("@localhost") {
        text = text.replacen("@localhost", "@127.0.0.1", 1);
    } else if text.contains("@127.0.0.1") {
        text = text.replacen("@127.0.0.1", "@localhost", 1);
    }
    let separator = if text.contains('?') { '&' } else { '?' };
    format!("{text}{separator}connect_timeout=10")
}

/// Objects of every kind in the connected database, bookkeeping included.
fn objects(conn: &mut PgConnection) -> i64 {
    count(
        conn,
        "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')) \
              + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')) AS n",
    )
}

fn database_exists(admin: &mut PgConnection, name: &str) -> bool {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Text)]
        #[expect(dead_code, reason = "only the row count is used")]
        datname: String,
    }
    diesel::sql_query("SELECT datname::text FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .load::<Found>(admin)
        .expect("pg_database")
        .len()
        == 1
}

/// Item 3: `setup`, `migrate` and `rollback` given one database for both, by
/// the same URL or by two spellings of it, refuse with one line before
/// anything is written; a database that does not exist yet is not created.
#[test]
fn one_database_for_both_is_refused_before_any_write() {
    let db = TestDatabase::empty();
    let same = db.direct_url().as_str().to_owned();
    let other = respelled(db.direct_url());
    assert_ne!(same, other);
    for (auth, specs) in [(&same, &same), (&same, &other), (&other, &same)] {
        for args in [
            &["setup"][..],
            &["migrate"],
            &["rollback", "--all", "--allow-data-loss"],
            &["check-refs"],
        ] {
            let out = run(auth, specs, args);
            let (stdout, stderr) = text(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(
                stderr.contains("reach the same database"),
                "{args:?}: {stderr}"
            );
            assert_eq!(objects(&mut db.conn()), 0, "{args:?} wrote before refusing");
        }
    }

    let server = TestDatabase::server_url();
    let missing = TestDatabase::scratch_name("both");
    let url = server.with_database(&missing);
    let out = run(url.as_str(), &respelled(&url), &["setup"]);
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let mut admin = db_core::connect(server).expect("server");
    assert!(
        !database_exists(&mut admin, &missing),
        "setup created the database before refusing"
    );
}

/// Item 5: database names are percent-decoded as libpq decodes them: `setup`
/// creates the database a connection to that URL reaches, and `status` names
/// and connects to that same database.
#[test]
fn percent_encoded_names_are_decoded_as_libpq_does() {
    let server = TestDatabase::server_url();
    let names = [
        TestDatabase::scratch_name("rel_a\"b"),
        TestDatabase::scratch_name("sp ec/s%"),
    ];
    let urls: Vec<DbUrl> = names.iter().map(|n| server.with_database(n)).collect();
    assert!(urls[0].as_str().contains("%22"), "{}", urls[0].as_str());
    let out = run(urls[0].as_str(), urls[1].as_str(), &["setup"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let mut admin = db_core::connect(server).expect("server");
    for (name, url) in names.iter().zip(&urls) {
        assert!(database_exists(&mut admin, name), "{name} was not created");
        let encoded = url.as_str().rsplit('/').next().expect("path").to_owned();
        assert!(
            !database_exists(&mut admin, &encoded),
            "a database named {encoded:?} (still encoded) was created"
        );
        assert!(
            stdout.contains(&format!("{name}: created database")),
            "{stdout}"
        );
    }
    let out = run(urls[0].as_str(), urls[1].as_str(), &["status", "--json"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let status: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(status["auth"]["database"], names[0].as_str());
    assert_eq!(status["specs"]["database"], names[1].as_str());
    assert_eq!(status["auth"]["pending"], 0);
    for name in &names {
        admin
            .batch_execute(&format!(
                "DROP DATABASE {} WITH (FORCE)",
                db_core::dburl::quote_ident(name)
            ))
            .expect("drop");
    }
}
