//! What the CLI's test files share: the binary, a pair of databases, fixtures.

#![allow(dead_code, unreachable_pub)] // each test file uses its own part

use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use specs_db::ids::ProjectId;
use specs_db::models::NewProject;

/// `socrates-db`, with no database configured from the environment.
pub fn socrates_db() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socrates-db"));
    cmd.env_remove("SOCRATES_AUTH_DATABASE_URL")
        .env_remove("SOCRATES_SPECS_DATABASE_URL")
        .env_remove("SOCRATES_AUTH_DIRECT_DATABASE_URL")
        .env_remove("SOCRATES_SPECS_DIRECT_DATABASE_URL")
        .env_remove("SOCRATES_POOL_MODE")
        .stdin(Stdio::null());
    cmd
}

/// stdout then stderr, as text.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts exit `code` with exactly one line on stderr containing `needle`;
/// returns that line.
pub fn one_line(out: &Output, code: i32, needle: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{}", text(out));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains('\t'), "a tab in {stderr:?}");
    assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    stderr
}

/// A master key ring of `versions` for `SOCRATES_MASTER_KEYS` (key v: 32 bytes of v).
pub fn ring_spec(versions: &[i32]) -> String {
    versions
        .iter()
        .map(|v| {
            let byte = u8::try_from(*v).expect("small version");
            format!(
                "{v}:{}",
                base64::engine::general_purpose::STANDARD.encode([byte; 32])
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A user row, inserted directly.
pub fn user(auth: &mut PgConnection, email: &str) -> UserId {
    test_db::world::user(auth, email)
}

/// A project of `owner`, written through cross-db.
pub fn project(auth: &mut PgConnection, specs: &mut PgConnection, owner: UserId) -> ProjectId {
    cross_db::write::<_, cross_db::XdbError>(auth, specs, &Refs::new().user(owner), |w| {
        let id = ProjectId::new();
        diesel::insert_into(specs_db::schema::projects::table)
            .values(NewProject::new(id, owner, owner, "p"))
            .execute(w.specs)?;
        Ok(id)
    })
    .expect("project")
}

/// A migrated auth and specs database (the harness's pair), and how the CLI
/// runs on them.
pub struct Pair(pub test_db::Pair);

impl std::ops::Deref for Pair {
    type Target = test_db::Pair;

    fn deref(&self) -> &test_db::Pair {
        &self.0
    }
}

impl Pair {
    pub fn migrated() -> Self {
        Self(test_db::Pair::new())
    }

    /// Migrated and seeded (`seed --scale scale --seed value`).
    pub fn seeded(scale: u32, value: u64) -> Self {
        Self(test_db::Pair::seeded(scale, value))
    }

    /// Copies of both databases.
    pub fn copy(&mut self) -> Self {
        Self(self.0.copy())
    }

    /// `socrates-db` on this pair, master keys 1 and 2 in its environment,
    /// output captured.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = socrates_db();
        cmd.args(self.auth.cli_flags("auth"))
            .args(self.specs.cli_flags("specs"))
            .args(args)
            .env("SOCRATES_MASTER_KEYS", ring_spec(&[1, 2]))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run socrates-db")
    }

    /// Runs `args`, asserting exit status `code` (`context` says which run).
    pub fn run_expecting(&self, args: &[&str], code: i32, context: &str) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?} {context}: {}",
            text(&out)
        );
        out
    }

    /// What both databases hold (see `test_db::content`), skipping `skip`.
    pub fn state(&self, skip: &[(&str, &str)]) -> [std::collections::BTreeMap<String, String>; 2] {
        [&self.auth, &self.specs].map(|db| test_db::content(&mut db.connect(), skip))
    }
}

/// Asserts two states equal, naming the tables that differ.
pub fn assert_same_state(
    got: &[std::collections::BTreeMap<String, String>; 2],
    want: &[std::collections::BTreeMap<String, String>; 2],
    what: &str,
) {
    let differing = differing(got, want);
    assert!(
        differing.is_empty(),
        "{what} left other rows in {differing:?}"
    );
}

/// The tables (`auth.t`, `specs.t`) whose content differs between two states.
fn differing(
    got: &[std::collections::BTreeMap<String, String>; 2],
    want: &[std::collections::BTreeMap<String, String>; 2],
) -> Vec<String> {
    ["auth", "specs"]
        .iter()
        .zip(got.iter().zip(want))
        .flat_map(|(db, (got, want))| {
            want.keys()
                .chain(got.keys())
                .filter(|t| got.get(*t) != want.get(*t))
                .map(move |t| format!("{db}.{t}"))
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A Socrates2 pair (legacy auth at 010, specs at 017) filled with the
/// import's fixture, and the `--from-*` flags that name it.
pub struct Legacy {
    pub auth: test_db::TestDatabase,
    pub specs: test_db::TestDatabase,
}

impl Legacy {
    pub fn new() -> Self {
        use diesel::connection::SimpleConnection;
        use legacy_import::fixture;
        let auth = test_db::TestDatabase::empty();
        let specs = test_db::TestDatabase::empty();
        auth.connect_direct()
            .batch_execute(&format!("{}\n{}", fixture::AUTH_SCHEMA, fixture::AUTH_DATA))
            .expect("legacy auth");
        specs
            .connect_direct()
            .batch_execute(&format!(
                "{}\n{}",
                fixture::SPECS_SCHEMA,
                fixture::SPECS_DATA
            ))
            .expect("legacy specs");
        Self { auth, specs }
    }

    /// `import-legacy --from-auth ... --from-specs ...` and `extra`.
    pub fn args(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec![
            "import-legacy".to_owned(),
            "--from-auth".to_owned(),
            self.auth.direct_url().to_url_string(),
            "--from-specs".to_owned(),
            self.specs.direct_url().to_url_string(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    }
}
