//! A legacy pair (the fixture) and a migrated pair of ours, per test.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses part of it"
)]

pub mod imported;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use legacy_import::{Options, Report, fixture};
use test_db::TestDatabase;

/// Two legacy databases (auth at 010, specs at 017) filled with the fixture.
pub struct LegacyPair {
    pub auth: TestDatabase,
    pub specs: TestDatabase,
}

impl LegacyPair {
    pub fn new() -> Self {
        Self::with(fixture::AUTH_DATA, fixture::SPECS_DATA)
    }

    /// The schemas with other rows.
    pub fn with(auth_data: &str, specs_data: &str) -> Self {
        let auth = TestDatabase::empty();
        let specs = TestDatabase::empty();
        auth.connect_direct()
            .batch_execute(&format!("{}\n{auth_data}", fixture::AUTH_SCHEMA))
            .expect("legacy auth fixture");
        specs
            .connect_direct()
            .batch_execute(&format!("{}\n{specs_data}", fixture::SPECS_SCHEMA))
            .expect("legacy specs fixture");
        Self { auth, specs }
    }
}

/// A database's content by table (see [`test_db::content`]).
pub type Content = Vec<(String, String)>;

/// A migrated pair of ours.
pub struct Ours {
    pub auth: TestDatabase,
    pub specs: TestDatabase,
}

impl Ours {
    pub fn new() -> Self {
        Self {
            auth: TestDatabase::new(&auth_db::MIGRATION_SET),
            specs: TestDatabase::new(&specs_db::MIGRATION_SET),
        }
    }

    /// Imports `legacy` into this pair.
    pub fn import(&self, legacy: &LegacyPair, options: &Options) -> Report {
        self.try_import(legacy, options).expect("import")
    }

    pub fn try_import(
        &self,
        legacy: &LegacyPair,
        options: &Options,
    ) -> Result<Report, legacy_import::ImportError> {
        legacy_import::run(
            &mut legacy.auth.connect_direct(),
            &mut legacy.specs.connect_direct(),
            &mut self.auth.connect_direct(),
            &mut self.specs.connect_direct(),
            options,
        )
    }

    /// What both databases hold, compared across runs (ids and timestamps
    /// included where they are data: see [`test_db::content`]).
    pub fn content(&self) -> (Content, Content) {
        // An invitation that had no token gets a random digest nobody holds.
        let skip = [("project_invitations", "token_hash")];
        (
            test_db::content(&mut self.auth.connect_direct(), &skip)
                .into_iter()
                .collect(),
            test_db::content(&mut self.specs.connect_direct(), &skip)
                .into_iter()
                .collect(),
        )
    }
}

/// The ids of a legacy table.
pub fn legacy_ids(conn: &mut PgConnection, table: &str) -> Vec<uuid::Uuid> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: uuid::Uuid,
    }
    diesel::sql_query(format!("SELECT id FROM {table} ORDER BY id"))
        .load::<Id>(conn)
        .expect("legacy ids")
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// Small batches, so every table takes several.
pub fn small_batches() -> Options {
    Options {
        batch_size: 3,
        ..Options::default()
    }
}
