//! The migrations themselves: one directory each, in an ordered set per database.

use std::collections::BTreeSet;
use std::fmt;

use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
};
use diesel::pg::Pg;
use sha2::{Digest, Sha256};

use super::sql;

/// One migration directory (`<version>_<name>/up.sql + down.sql`), embedded at build time.
#[derive(Debug, Clone, Copy)]
pub struct SqlMigration {
    /// Directory name, e.g. `2025-11-11-000001_auth_initial_schema`.
    pub name: &'static str,
    /// Diesel's version: the directory's prefix without dashes, e.g. `20251111000001`.
    pub version: &'static str,
    /// Contents of `up.sql`.
    pub up: &'static str,
    /// Contents of `down.sql`.
    pub down: &'static str,
    /// False when the directory's `metadata.toml` says `run_in_transaction = false`
    /// (for statements PostgreSQL refuses inside a transaction, such as
    /// `CREATE INDEX CONCURRENTLY`): the runner, like the diesel CLI, then runs
    /// its SQL on its own and records it afterwards.
    pub run_in_transaction: bool,
}

impl SqlMigration {
    /// SHA-256 over `up.sql` and `down.sql` (line endings normalised to `\n`).
    pub fn checksum(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        for (label, body) in [("up", self.up), ("down", self.down)] {
            hasher.update(label.as_bytes());
            hasher.update([0]);
            hasher.update(body.replace("\r\n", "\n").as_bytes());
            hasher.update([0]);
        }
        // How it runs is part of what was applied; the default adds nothing, so
        // the checksums of transactional migrations are what they always were.
        if !self.run_in_transaction {
            hasher.update(b"run_in_transaction = false");
            hasher.update([0]);
        }
        hasher.finalize().into()
    }

    /// The checksum as lowercase hex.
    pub fn checksum_hex(&self) -> String {
        hex::encode(self.checksum())
    }

    /// Tables its `up.sql` creates.
    pub fn created_tables(&self) -> Vec<String> {
        sql::created_tables(self.up)
    }
}

impl MigrationName for SqlMigration {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(self.version)
    }
}

impl fmt::Display for SqlMigration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// How Diesel runs a migration: in a transaction (its default), or not.
struct RunsInTransaction(bool);

impl MigrationMetadata for RunsInTransaction {
    fn run_in_transaction(&self) -> bool {
        self.0
    }
}

static IN_TRANSACTION: RunsInTransaction = RunsInTransaction(true);
static OUTSIDE_TRANSACTION: RunsInTransaction = RunsInTransaction(false);

impl Migration<Pg> for SqlMigration {
    fn run(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<Pg>,
    ) -> diesel::migration::Result<()> {
        conn.batch_execute(self.up).map_err(Into::into)
    }

    fn revert(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<Pg>,
    ) -> diesel::migration::Result<()> {
        conn.batch_execute(self.down).map_err(Into::into)
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        if self.run_in_transaction {
            &IN_TRANSACTION
        } else {
            &OUTSIDE_TRANSACTION
        }
    }

    fn name(&self) -> &dyn MigrationName {
        self
    }
}

/// A database's ordered set of migrations (`auth` or `specs`).
#[derive(Debug)]
pub struct MigrationSet {
    /// Short name, recorded in the database it migrates: `auth` or `specs`.
    pub name: &'static str,
    /// Name of the database this set is for by default, e.g. `socrates_auth`.
    pub default_database: &'static str,
    /// Migrations in version order.
    pub migrations: &'static [SqlMigration],
}

impl MigrationSet {
    /// Finds a migration by directory name, Diesel version, or dashed version prefix.
    pub fn find(&self, key: &str) -> Option<&'static SqlMigration> {
        let compact = key.replace('-', "");
        self.migrations.iter().find(|m| {
            m.name == key || m.version == compact || m.name.split('_').next() == Some(key)
        })
    }

    pub(crate) fn by_version(&self, version: &str) -> Option<&'static SqlMigration> {
        self.migrations.iter().find(|m| m.version == version)
    }

    /// Every table this set creates.
    pub fn tables(&self) -> BTreeSet<String> {
        self.migrations
            .iter()
            .flat_map(SqlMigration::created_tables)
            .collect()
    }

    /// SHA-256 over every migration's checksum: changes whenever any SQL changes.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for m in self.migrations {
            hasher.update(m.version.as_bytes());
            hasher.update(m.checksum());
        }
        hex::encode(hasher.finalize())
    }
}

impl MigrationSource<Pg> for &MigrationSet {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<Pg>>>> {
        Ok(self
            .migrations
            .iter()
            .map(|m| Box::new(*m) as Box<dyn Migration<Pg>>)
            .collect())
    }
}
