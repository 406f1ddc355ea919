//! `--log` and `--log-format`: the libraries' spans and events on stderr, as
//! text or one JSON object per line; nothing without them; a bad filter is a
//! usage error.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use common::{socrates_db, text};
use test_db::TestDatabase;

#[test]
fn logs_go_to_stderr_as_text_or_json_lines_only_when_asked() {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let run = |extra: &[&str]| {
        socrates_db()
            .env_remove("RUST_LOG")
            .args(auth.cli_flags("auth"))
            .args(extra)
            .args(["status", "--auth-only", "--json"])
            .output()
            .expect("run")
    };
    let quiet = run(&[]);
    assert!(quiet.status.success(), "{}", text(&quiet));
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet));

    let json = run(&["--log", "db_core=trace", "--log-format", "json"]);
    assert!(json.status.success(), "{}", text(&json));
    let stderr = String::from_utf8_lossy(&json.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(!lines.is_empty(), "no log");
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(value["target"], "db_core::query", "{line}");
        assert!(value["fields"]["millis"].is_number(), "{line}");
    }
    assert!(
        stderr.contains("__socrates_migrations") || stderr.contains("__diesel_schema_migrations"),
        "{stderr}"
    );
    // stdout is the command's own output, untouched.
    serde_json::from_slice::<serde_json::Value>(&json.stdout).expect("status JSON");

    let plain = run(&["--log", "db_core::query=debug"]);
    assert!(
        String::from_utf8_lossy(&plain.stderr).contains("db_core::query"),
        "{}",
        text(&plain)
    );

    let bad = run(&["--log", "db_core=nonsense"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    let stderr = String::from_utf8_lossy(&bad.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("socrates-db: usage error: --log"),
        "{stderr}"
    );
}
