//! `socrates-db import-legacy` end to end: empty targets are migrated, the
//! report adds up and check-refs is clean, a second run changes nothing, and
//! bad input is refused with one line that changes nothing.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use common::{Legacy, Pair, one_line, socrates_db, text};
use test_db::TestDatabase;

fn on(auth: &TestDatabase, specs: &TestDatabase, args: &[String]) -> std::process::Output {
    socrates_db()
        .args(auth.cli_flags("auth"))
        .args(specs.cli_flags("specs"))
        .args(args)
        .output()
        .expect("run socrates-db")
}

#[test]
fn imports_into_empty_databases_with_a_report_that_adds_up() {
    let legacy = Legacy::new();
    let (auth, specs) = (TestDatabase::empty(), TestDatabase::empty());
    let out = on(&auth, &specs, &legacy.args(&["--batch-size", "4"]));
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(printed.contains("check-refs: clean"), "{printed}");
    assert!(
        printed.contains("specs.teams")
            && printed.contains("auth.teams")
            && printed.contains("owner_not_imported 1"),
        "{printed}"
    );
    // --json: the same report, machine-readable; a second run changes nothing
    let before = (auth.fingerprint(), specs.fingerprint());
    let out = on(&auth, &specs, &legacy.args(&["--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["check_refs_clean"], serde_json::Value::Bool(true));
    let tables = json["report"]["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 29);
    for t in tables {
        let n = |k: &str| t[k].as_i64().unwrap();
        assert_eq!(
            n("read"),
            n("imported") + n("merged") + n("rejected"),
            "{t}"
        );
    }
    let after = (auth.fingerprint(), specs.fingerprint());
    let changed: Vec<&String> = [(&before.0, &after.0), (&before.1, &after.1)]
        .into_iter()
        .flat_map(|(b, a)| a.iter().filter(move |(t, d)| b.get(*t) != Some(*d)))
        .map(|(table, _)| table)
        .collect();
    assert!(
        changed.iter().all(|t| *t == "legacy_import_progress"),
        "{changed:?}"
    );
}

#[test]
fn a_dry_run_prints_the_full_report_and_keeps_nothing() {
    let legacy = Legacy::new();
    let pair = Pair::migrated();
    let before = (pair.auth.fingerprint(), pair.specs.fingerprint());
    let args = legacy.args(&["--dry-run"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = pair.run_expecting(&args, 0, "dry run");
    let printed = text(&out);
    assert!(printed.contains("dry run, nothing kept"), "{printed}");
    assert!(printed.contains("duplicate_email 1"), "{printed}");
    assert_eq!(before, (pair.auth.fingerprint(), pair.specs.fingerprint()));
    // on empty databases it refuses, since it would have to migrate them
    let (auth, specs) = (TestDatabase::empty(), TestDatabase::empty());
    let out = on(&auth, &specs, &legacy.args(&["--dry-run"]));
    one_line(&out, 1, "--dry-run writes nothing, migrations included");
}

#[test]
fn sources_that_are_not_socrates2_at_its_heads_are_refused_with_one_line() {
    let legacy = Legacy::new();
    let pair = Pair::migrated();
    let before = (pair.auth.fingerprint(), pair.specs.fingerprint());
    // our own databases are not Socrates2's
    let args = [
        "import-legacy".to_owned(),
        "--from-auth".to_owned(),
        pair.auth.direct_url().to_url_string(),
        "--from-specs".to_owned(),
        legacy.specs.direct_url().to_url_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = pair.run(&args);
    one_line(&out, 1, "legacy auth database: no alembic_version table");
    use diesel::connection::SimpleConnection;
    legacy
        .auth
        .connect_direct()
        .batch_execute("UPDATE alembic_version SET version_num = '002'")
        .unwrap();
    let args = legacy.args(&[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = pair.run(&args);
    one_line(&out, 1, "legacy auth database is at Alembic revision 002");
    let out = pair.run(&[
        "import-legacy",
        "--from-auth",
        "not a url",
        "--from-specs",
        "x",
    ]);
    one_line(&out, 1, "--from-auth");
    assert_eq!(before, (pair.auth.fingerprint(), pair.specs.fingerprint()));
}

/// Only empty databases are migrated: one that holds some of our migrations
/// is refused (left to `migrate`), and the empty one beside it is migrated.
#[test]
fn a_half_migrated_target_is_refused_not_migrated() {
    let legacy = Legacy::new();
    let (auth, specs) = (TestDatabase::empty(), TestDatabase::empty());
    let out = on(
        &auth,
        &specs,
        &["migrate", "--auth-only", "--to", "2025-11-11-000001"].map(String::from),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let before = auth.fingerprint();
    let out = on(&auth, &specs, &legacy.args(&[]));
    one_line(&out, 1, "is not at the head of the");
    assert_eq!(
        before,
        auth.fingerprint(),
        "the half-migrated database was migrated"
    );
}
