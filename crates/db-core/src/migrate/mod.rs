//! The migration runner: Diesel migrations plus the guards a shared database needs.
//!
//! The SQL is plain Diesel migrations (the stock `diesel` CLI runs the same
//! directories and records them in the same `__diesel_schema_migrations` table).
//! On top of `diesel_migrations`, this runner adds:
//!
//! - an **advisory lock** per database, so runners started at once serialize and
//!   each migration is applied exactly once;
//! - a **checksum ledger** (`__socrates_migrations`): a migration edited after it
//!   was applied is reported and blocks every write until acknowledged;
//! - a **database-identity guard** (`__socrates_database` plus the applied
//!   versions and the tables present): the auth set refuses the specs database
//!   and the other way round;
//! - a **rollback guard**: reverting SQL that would drop tables or columns holding
//!   rows is refused unless data loss is explicitly allowed, naming every table
//!   and its row count;
//! - **dry runs** that return the SQL they would run, per migration.
//!
//! Every guard runs before the first write, so a refusal changes nothing. Each
//! migration runs in its own transaction together with its ledger row, so a
//! runner killed in the middle leaves the database at the previous version.

mod ledger;
mod lock;
pub mod sql;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_migrations::MigrationHarness;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::dburl::quote_literal;
use ledger::DbState;
pub use lock::LOCK_KEY;
pub use sql::Destruction;

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

/// Every Socrates migration runs in a transaction (Diesel's default).
struct InTransaction;
impl MigrationMetadata for InTransaction {}

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
        &InTransaction
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

    fn by_version(&self, version: &str) -> Option<&'static SqlMigration> {
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

/// What a rollback or redo reverts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollbackTarget {
    /// The last `n` applied migrations.
    Steps(usize),
    /// Every migration applied after this one (it stays applied).
    To(String),
    /// Everything, down to an empty schema.
    All,
}

/// Options of [`Runner::migrate`].
#[derive(Debug, Clone, Default)]
pub struct MigrateOptions {
    /// Report the SQL that would run, without running it.
    pub dry_run: bool,
    /// Stop after this migration (default: apply everything pending).
    pub target: Option<String>,
}

/// Options of [`Runner::rollback`] and [`Runner::redo`].
#[derive(Debug, Clone)]
pub struct RollbackOptions {
    /// What to revert.
    pub target: RollbackTarget,
    /// Revert even SQL that destroys rows.
    pub allow_data_loss: bool,
    /// Report the SQL that would run, without running it.
    pub dry_run: bool,
}

/// Up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// `up.sql`
    Up,
    /// `down.sql`
    Down,
}

/// One migration applied or reverted (or, in a dry run, that would be).
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Diesel version.
    pub version: String,
    /// Directory name.
    pub name: String,
    /// Which file ran.
    pub direction: Direction,
    /// The SQL, in dry runs only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// Wall time in milliseconds, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub millis: Option<u64>,
}

/// Rows a rollback destroys (or would destroy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataLoss {
    /// The migration whose `down.sql` destroys them.
    pub migration: String,
    /// `table`, `table.column` or `schema <name>`.
    pub object: String,
    /// Rows (for a column: rows where it is not NULL).
    pub rows: i64,
}

impl fmt::Display for DataLoss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.rows == 1 { "row" } else { "rows" };
        write!(f, "{} ({} {unit})", self.object, self.rows)
    }
}

/// What a migrate, rollback or redo did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Migration set.
    pub set: &'static str,
    /// Database name.
    pub database: String,
    /// Nothing was written.
    pub dry_run: bool,
    /// Migrations applied or reverted, in order.
    pub steps: Vec<Step>,
    /// Migrations the diesel CLI had applied, now recorded in the ledger.
    pub adopted: Vec<String>,
    /// Rows destroyed (allowed), or that a dry run would destroy.
    pub data_loss: Vec<DataLoss>,
}

/// Checksum verdict for one migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecksumState {
    /// Not applied.
    Pending,
    /// Applied, and the SQL is unchanged since.
    Verified,
    /// Applied by another tool; recorded by the next migrate.
    Unrecorded,
    /// Applied, and the SQL changed since: blocks writes until acknowledged.
    Modified,
}

/// One migration in a [`DatabaseStatus`].
#[derive(Debug, Clone, Serialize)]
pub struct MigrationStatus {
    /// Diesel version.
    pub version: String,
    /// Directory name.
    pub name: String,
    /// Whether it is applied.
    pub applied: bool,
    /// When Diesel recorded it (server time).
    pub applied_at: Option<NaiveDateTime>,
    /// SHA-256 of the SQL in this build.
    pub checksum: String,
    /// SHA-256 recorded when it was applied.
    pub recorded_checksum: Option<String>,
    /// Who recorded it: `runner`, `adopted` (applied by the diesel CLI) or `acknowledged`.
    pub recorded_by: Option<String>,
    /// How the two compare.
    pub checksum_state: ChecksumState,
}

/// The state of one database against one migration set.
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseStatus {
    /// Migration set.
    pub set: &'static str,
    /// Database name.
    pub database: String,
    /// The set the database is marked with, if any.
    pub marker: Option<String>,
    /// Why the identity guard would refuse this database, if it would.
    pub identity_problem: Option<String>,
    /// Every migration of the set, in order.
    pub migrations: Vec<MigrationStatus>,
    /// Applied versions this set does not contain.
    pub unknown_applied: Vec<String>,
    /// Count of applied migrations.
    pub applied: usize,
    /// Count of pending migrations.
    pub pending: usize,
    /// Count of migrations edited since they were applied.
    pub modified: usize,
}

impl DatabaseStatus {
    /// Everything applied, nothing edited, identity fine.
    pub fn is_current(&self) -> bool {
        self.pending == 0
            && self.modified == 0
            && self.identity_problem.is_none()
            && self.unknown_applied.is_empty()
    }
}

/// A runner refused, or failed.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The identity guard: this database holds another set (or something else).
    #[error("refusing to run the {set} migrations on database {database}: {reason}")]
    WrongDatabase {
        /// Migration set.
        set: &'static str,
        /// Database name.
        database: String,
        /// What gave it away.
        reason: String,
    },
    /// The checksum guard: applied migrations were edited afterwards.
    #[error(
        "applied migrations of {database} were edited after they were applied: {}; \
         review the edit, then acknowledge it (socrates-db acknowledge)",
        .migrations.join(", ")
    )]
    ChecksumMismatch {
        /// Database name.
        database: String,
        /// `name (recorded <hex>, now <hex>)` per migration.
        migrations: Vec<String>,
    },
    /// The rollback guard: reverting would destroy rows.
    #[error(
        "rolling back {database} would destroy data: {}; rerun with --allow-data-loss to proceed",
        .losses.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    DataLoss {
        /// Database name.
        database: String,
        /// Every table or column that holds rows.
        losses: Vec<DataLoss>,
    },
    /// A version given on the command line is not in the set.
    #[error("the {set} migration set has no migration {key:?}")]
    UnknownMigration {
        /// Migration set.
        set: &'static str,
        /// What was asked for.
        key: String,
    },
    /// `rollback --to` a migration that is not applied.
    #[error("migration {name} is not applied to {database}, so there is nothing to roll back to")]
    NotApplied {
        /// Database name.
        database: String,
        /// Directory name.
        name: String,
    },
    /// Another runner held the lock for too long.
    #[error(
        "timed out after {}s waiting for the migration lock of {database}{}",
        .waited.as_secs(),
        .holder_pid.map(|p| format!(" (held by server process {p})")).unwrap_or_default()
    )]
    LockTimeout {
        /// Database name.
        database: String,
        /// How long we waited.
        waited: Duration,
        /// Server pid of the session holding it, if known.
        holder_pid: Option<i32>,
        /// The lock error.
        #[source]
        source: diesel::result::Error,
    },
    /// A migration's SQL failed; its transaction was rolled back.
    #[error("migration {name} ({direction:?}) failed and was rolled back: {source}")]
    Failed {
        /// Directory name.
        name: String,
        /// Which file failed.
        direction: Direction,
        /// The error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Any other database error.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Runs one [`MigrationSet`] against databases.
#[derive(Debug, Clone, Copy)]
pub struct Runner {
    set: &'static MigrationSet,
    lock_timeout: Duration,
}

/// How long a runner waits for another runner by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(300);

impl Runner {
    /// A runner for `set`.
    pub fn new(set: &'static MigrationSet) -> Self {
        Self {
            set,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
        }
    }

    /// Waits at most `timeout` for the migration lock.
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// The set this runner applies.
    pub fn set(&self) -> &'static MigrationSet {
        self.set
    }

    /// Reads the state of the connected database; writes nothing.
    pub fn status(&self, conn: &mut PgConnection) -> Result<DatabaseStatus, MigrateError> {
        let state = ledger::read_state(conn)?;
        Ok(self.describe(&state))
    }

    fn describe(&self, state: &DbState) -> DatabaseStatus {
        let migrations: Vec<MigrationStatus> = self
            .set
            .migrations
            .iter()
            .map(|m| MigrationStatus {
                version: m.version.to_owned(),
                name: m.name.to_owned(),
                applied: state.applied.contains_key(m.version),
                applied_at: state.applied.get(m.version).copied(),
                checksum: m.checksum_hex(),
                recorded_checksum: state
                    .ledger
                    .get(m.version)
                    .map(|l| hex::encode(&l.checksum)),
                recorded_by: state.ledger.get(m.version).map(|l| l.recorded_by.clone()),
                checksum_state: checksum_state(state, m),
            })
            .collect();
        let count = |s: ChecksumState| migrations.iter().filter(|m| m.checksum_state == s).count();
        DatabaseStatus {
            set: self.set.name,
            database: state.database.clone(),
            marker: state.marker.clone(),
            identity_problem: self.identity_problem(state),
            unknown_applied: self.unknown_applied(state),
            applied: migrations.iter().filter(|m| m.applied).count(),
            pending: count(ChecksumState::Pending),
            modified: count(ChecksumState::Modified),
            migrations,
        }
    }

    fn unknown_applied(&self, state: &DbState) -> Vec<String> {
        state
            .applied
            .keys()
            .filter(|v| self.set.by_version(v).is_none())
            .cloned()
            .collect()
    }

    /// Why this database is not one this set may touch, if it is not.
    fn identity_problem(&self, state: &DbState) -> Option<String> {
        if let Some(marker) = &state.marker
            && marker != self.set.name
        {
            return Some(format!(
                "it is marked as {} {marker} database",
                article(marker)
            ));
        }
        let unknown = self.unknown_applied(state);
        if !unknown.is_empty() {
            return Some(format!(
                "it has applied migrations the {} set does not contain ({}); it belongs to another set or to a newer build",
                self.set.name,
                unknown.join(", ")
            ));
        }
        let ours_applied = state
            .applied
            .keys()
            .filter_map(|v| self.set.by_version(v))
            .any(|m| !m.created_tables().is_empty());
        if state.marker.is_none() && !ours_applied {
            // Not ours yet: the database must hold nothing but what the applied
            // part of this set (at most Diesel's initial setup) created. A
            // table whose name collides with ours is someone else's table.
            let allowed: BTreeSet<String> = state
                .applied
                .keys()
                .filter_map(|v| self.set.by_version(v))
                .flat_map(|m| sql::created_functions(m.up))
                .map(|f| format!("function {f}"))
                .collect();
            let foreign: Vec<&str> = state.tables.iter().map(String::as_str).collect();
            let others: Vec<&str> = state
                .objects
                .iter()
                .filter(|o| !allowed.contains(*o))
                .map(String::as_str)
                .collect();
            let listed = |names: &[&str]| {
                let mut shown = names
                    .iter()
                    .take(10)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                if names.len() > 10 {
                    shown.push_str(&format!(" and {} more", names.len() - 10));
                }
                shown
            };
            let mut parts = Vec::new();
            if !foreign.is_empty() {
                parts.push(format!(
                    "it already holds tables the {} set does not create ({})",
                    self.set.name,
                    listed(&foreign)
                ));
            }
            if !others.is_empty() {
                parts.push(format!(
                    "it already holds objects the {} set does not create ({})",
                    self.set.name,
                    listed(&others)
                ));
            }
            if !parts.is_empty() {
                return Some(format!(
                    "{}; it is not marked as a Socrates database, so it belongs to something else",
                    parts.join("; ")
                ));
            }
        }
        None
    }

    fn check_identity(&self, state: &DbState) -> Result<(), MigrateError> {
        match self.identity_problem(state) {
            Some(reason) => Err(MigrateError::WrongDatabase {
                set: self.set.name,
                database: state.database.clone(),
                reason,
            }),
            None => Ok(()),
        }
    }

    fn check_checksums(&self, state: &DbState) -> Result<(), MigrateError> {
        let modified: Vec<String> = self
            .set
            .migrations
            .iter()
            .filter(|m| checksum_state(state, m) == ChecksumState::Modified)
            .map(|m| {
                let recorded = state
                    .ledger
                    .get(m.version)
                    .map(|l| hex::encode(&l.checksum))
                    .unwrap_or_default();
                format!(
                    "{} (recorded {}, now {})",
                    m.name,
                    short(&recorded),
                    short(&m.checksum_hex())
                )
            })
            .collect();
        if modified.is_empty() {
            Ok(())
        } else {
            Err(MigrateError::ChecksumMismatch {
                database: state.database.clone(),
                migrations: modified,
            })
        }
    }

    /// Reads state and runs both guards: what every write path starts with.
    fn guarded_state(&self, conn: &mut PgConnection) -> Result<DbState, MigrateError> {
        let state = ledger::read_state(conn)?;
        self.check_identity(&state)?;
        self.check_checksums(&state)?;
        Ok(state)
    }

    /// Records migrations applied by other tools (creating the bookkeeping
    /// tables if need be), in one transaction; writes nothing when there is
    /// nothing to record.
    fn prepare(
        &self,
        conn: &mut PgConnection,
        state: &DbState,
    ) -> Result<Vec<String>, MigrateError> {
        let unrecorded: Vec<&'static SqlMigration> = self
            .set
            .migrations
            .iter()
            .filter(|m| checksum_state(state, m) == ChecksumState::Unrecorded)
            .collect();
        let stale = state.ledger.keys().any(|v| !state.applied.contains_key(v));
        let ours_applied = state
            .applied
            .keys()
            .any(|v| self.set.by_version(v).is_some());
        let unmarked = state.marker.is_none() && ours_applied;
        if unrecorded.is_empty() && !stale && !unmarked {
            return Ok(Vec::new());
        }
        conn.transaction::<_, MigrateError, _>(|conn| {
            ledger::ensure_tables(conn)?;
            ledger::forget_unapplied(conn)?;
            for m in &unrecorded {
                ledger::record(conn, self.set.name, m, ledger::BY_ADOPTION)?;
            }
            if ours_applied {
                ledger::mark(conn, self.set.name)?;
            }
            Ok(())
        })?;
        Ok(unrecorded.iter().map(|m| m.name.to_owned()).collect())
    }

    fn pending<'s>(&self, state: &'s DbState) -> impl Iterator<Item = &'static SqlMigration> + 's {
        self.set
            .migrations
            .iter()
            .filter(move |m| !state.applied.contains_key(m.version))
    }

    /// Applies pending migrations (up to `options.target`), each in its own transaction.
    pub fn migrate(
        &self,
        conn: &mut PgConnection,
        options: &MigrateOptions,
    ) -> Result<RunReport, MigrateError> {
        let limit = match &options.target {
            Some(key) => Some(self.find(key)?.version),
            None => None,
        };
        let within = move |m: &&SqlMigration| limit.is_none_or(|l| m.version <= l);
        if options.dry_run {
            let state = self.guarded_state(conn)?;
            let steps = self
                .pending(&state)
                .filter(within)
                .map(|m| planned(m, Direction::Up))
                .collect();
            return Ok(self.report(&state, true, steps, Vec::new(), Vec::new()));
        }
        lock::with_lock(conn, self.lock_timeout, |conn| {
            let state = self.guarded_state(conn)?;
            let pending: Vec<&'static SqlMigration> = self.pending(&state).filter(within).collect();
            if state.applied.is_empty() {
                // A database that holds nothing of ours yet gets everything, and
                // its bookkeeping, in one transaction: a migration that fails (or
                // a runner killed half-way) leaves it exactly as it was.
                let steps = if pending.is_empty() {
                    Vec::new()
                } else {
                    conn.transaction::<_, MigrateError, _>(|conn| {
                        ledger::ensure_tables(conn)?;
                        pending.iter().map(|m| self.run_up(conn, m)).collect()
                    })?
                };
                return Ok(self.report(&state, false, steps, Vec::new(), Vec::new()));
            }
            let adopted = self.prepare(conn, &state)?;
            let mut steps = Vec::new();
            for m in pending {
                steps.push(self.apply(conn, m)?);
            }
            Ok(self.report(&state, false, steps, adopted, Vec::new()))
        })
    }

    /// Reverts applied migrations, newest first, refusing to destroy rows unless allowed.
    pub fn rollback(
        &self,
        conn: &mut PgConnection,
        options: &RollbackOptions,
    ) -> Result<RunReport, MigrateError> {
        self.revert_then(conn, options, false)
    }

    /// Reverts then re-applies migrations (default: the last one), under the same guards.
    pub fn redo(
        &self,
        conn: &mut PgConnection,
        options: &RollbackOptions,
    ) -> Result<RunReport, MigrateError> {
        self.revert_then(conn, options, true)
    }

    fn revert_then(
        &self,
        conn: &mut PgConnection,
        options: &RollbackOptions,
        reapply: bool,
    ) -> Result<RunReport, MigrateError> {
        let plan = |conn: &mut PgConnection| -> Result<
            (DbState, Vec<&'static SqlMigration>, Vec<DataLoss>),
            MigrateError,
        > {
            let state = self.guarded_state(conn)?;
            let targets = self.rollback_targets(&state, &options.target)?;
            let mut losses = Vec::new();
            for m in &targets {
                losses.extend(measure_loss(conn, m, false)?);
            }
            Ok((state, targets, losses))
        };
        if options.dry_run {
            let (state, targets, losses) = plan(conn)?;
            let mut steps: Vec<Step> = targets
                .iter()
                .map(|m| planned(m, Direction::Down))
                .collect();
            if reapply {
                steps.extend(targets.iter().rev().map(|m| planned(m, Direction::Up)));
            }
            return Ok(self.report(&state, true, steps, Vec::new(), losses));
        }
        lock::with_lock(conn, self.lock_timeout, |conn| {
            let (state, targets, losses) = plan(conn)?;
            if !losses.is_empty() && !options.allow_data_loss {
                return Err(MigrateError::DataLoss {
                    database: state.database.clone(),
                    losses,
                });
            }
            if targets.is_empty() {
                // Nothing to revert: nothing is written, not even bookkeeping.
                return Ok(self.report(&state, false, Vec::new(), Vec::new(), losses));
            }
            let adopted = self.prepare(conn, &state)?;
            let mut steps = Vec::new();
            for m in &targets {
                steps.push(self.revert(conn, m, options.allow_data_loss, &state.database)?);
            }
            if reapply {
                for m in targets.iter().rev() {
                    steps.push(self.apply(conn, m)?);
                }
            }
            Ok(self.report(&state, false, steps, adopted, losses))
        })
    }

    /// Accepts the current SQL of edited migrations (all of them, or those named).
    ///
    /// Returns the names of the migrations whose recorded checksum changed.
    pub fn acknowledge(
        &self,
        conn: &mut PgConnection,
        only: &[String],
    ) -> Result<Vec<String>, MigrateError> {
        let wanted: Vec<&'static SqlMigration> = only
            .iter()
            .map(|k| self.find(k))
            .collect::<Result<_, _>>()?;
        lock::with_lock(conn, self.lock_timeout, |conn| {
            let state = ledger::read_state(conn)?;
            self.check_identity(&state)?;
            let mut done = Vec::new();
            conn.transaction::<_, MigrateError, _>(|conn| {
                for m in self.set.migrations {
                    let chosen = wanted.is_empty() || wanted.iter().any(|w| w.version == m.version);
                    if chosen && checksum_state(&state, m) == ChecksumState::Modified {
                        ledger::record(conn, self.set.name, m, ledger::BY_ACKNOWLEDGEMENT)?;
                        done.push(m.name.to_owned());
                    }
                }
                Ok(())
            })?;
            Ok(done)
        })
    }

    fn find(&self, key: &str) -> Result<&'static SqlMigration, MigrateError> {
        self.set
            .find(key)
            .ok_or_else(|| MigrateError::UnknownMigration {
                set: self.set.name,
                key: key.to_owned(),
            })
    }

    fn rollback_targets(
        &self,
        state: &DbState,
        target: &RollbackTarget,
    ) -> Result<Vec<&'static SqlMigration>, MigrateError> {
        let mut applied: Vec<&'static SqlMigration> = self
            .set
            .migrations
            .iter()
            .filter(|m| state.applied.contains_key(m.version))
            .collect();
        applied.reverse();
        Ok(match target {
            RollbackTarget::Steps(n) => applied.into_iter().take(*n).collect(),
            RollbackTarget::All => applied,
            RollbackTarget::To(key) => {
                let keep = self.find(key)?;
                if !state.applied.contains_key(keep.version) {
                    return Err(MigrateError::NotApplied {
                        database: state.database.clone(),
                        name: keep.name.to_owned(),
                    });
                }
                applied
                    .into_iter()
                    .filter(|m| m.version > keep.version)
                    .collect()
            }
        })
    }

    fn apply(
        &self,
        conn: &mut PgConnection,
        m: &'static SqlMigration,
    ) -> Result<Step, MigrateError> {
        conn.transaction::<_, MigrateError, _>(|conn| self.run_up(conn, m))
    }

    /// Runs `up.sql` with its bookkeeping, inside the caller's transaction.
    fn run_up(
        &self,
        conn: &mut PgConnection,
        m: &'static SqlMigration,
    ) -> Result<Step, MigrateError> {
        let started = Instant::now();
        conn.run_migration(m)
            .map_err(|source| MigrateError::Failed {
                name: m.name.to_owned(),
                direction: Direction::Up,
                source,
            })?;
        ledger::record(conn, self.set.name, m, ledger::BY_RUNNER)?;
        ledger::mark(conn, self.set.name)?;
        Ok(ran(m, Direction::Up, started))
    }

    fn revert(
        &self,
        conn: &mut PgConnection,
        m: &'static SqlMigration,
        allow_data_loss: bool,
        database: &str,
    ) -> Result<Step, MigrateError> {
        let started = Instant::now();
        conn.transaction::<_, MigrateError, _>(|conn| {
            // Re-measure under ACCESS EXCLUSIVE locks: rows written since the plan
            // was made are counted, and none can be written before the DROP.
            let losses = measure_loss(conn, m, true)?;
            if !losses.is_empty() && !allow_data_loss {
                return Err(MigrateError::DataLoss {
                    database: database.to_owned(),
                    losses,
                });
            }
            conn.revert_migration(m)
                .map_err(|source| MigrateError::Failed {
                    name: m.name.to_owned(),
                    direction: Direction::Down,
                    source,
                })?;
            ledger::forget(conn, m.version)?;
            Ok(())
        })?;
        Ok(ran(m, Direction::Down, started))
    }

    fn report(
        &self,
        state: &DbState,
        dry_run: bool,
        steps: Vec<Step>,
        adopted: Vec<String>,
        data_loss: Vec<DataLoss>,
    ) -> RunReport {
        RunReport {
            set: self.set.name,
            database: state.database.clone(),
            dry_run,
            steps,
            adopted,
            data_loss,
        }
    }
}

/// `a` or `an`, for a set name.
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn short(hex: &str) -> &str {
    &hex[..hex.len().min(12)]
}

fn checksum_state(state: &DbState, m: &SqlMigration) -> ChecksumState {
    let Some(run_on) = state.applied.get(m.version) else {
        return ChecksumState::Pending;
    };
    match state.ledger.get(m.version) {
        // Re-applied by another tool since it was recorded: the record is stale.
        Some(row) if row.diesel_run_on.is_some_and(|r| r != *run_on) => ChecksumState::Unrecorded,
        Some(row) if row.checksum == m.checksum() => ChecksumState::Verified,
        Some(_) => ChecksumState::Modified,
        None => ChecksumState::Unrecorded,
    }
}

fn planned(m: &SqlMigration, direction: Direction) -> Step {
    Step {
        version: m.version.to_owned(),
        name: m.name.to_owned(),
        direction,
        sql: Some(
            match direction {
                Direction::Up => m.up,
                Direction::Down => m.down,
            }
            .to_owned(),
        ),
        millis: None,
    }
}

fn ran(m: &SqlMigration, direction: Direction, started: Instant) -> Step {
    Step {
        version: m.version.to_owned(),
        name: m.name.to_owned(),
        direction,
        sql: None,
        millis: Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)),
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Present {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    present: bool,
}

fn relation_exists(conn: &mut PgConnection, name: &str) -> QueryResult<bool> {
    diesel::sql_query(format!(
        "SELECT to_regclass({}) IS NOT NULL AS present",
        quote_literal(name)
    ))
    .get_result::<Present>(conn)
    .map(|p| p.present)
}

fn column_exists(conn: &mut PgConnection, table: &str, column: &str) -> QueryResult<bool> {
    diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass({}) \
         AND attname = {} AND attnum > 0 AND NOT attisdropped) AS present",
        quote_literal(table),
        quote_literal(column.trim_matches('"'))
    ))
    .get_result::<Present>(conn)
    .map(|p| p.present)
}

fn lock_table(conn: &mut PgConnection, table: &str) -> QueryResult<()> {
    conn.batch_execute(&format!("LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
}

/// Rows of `table`, or of `table` where `non_null` is not NULL.
fn count_rows(conn: &mut PgConnection, table: &str, non_null: Option<&str>) -> QueryResult<i64> {
    let filter = non_null
        .map(|c| format!(" WHERE {c} IS NOT NULL"))
        .unwrap_or_default();
    diesel::sql_query(format!("SELECT count(*) AS n FROM {table}{filter}"))
        .get_result::<Count>(conn)
        .map(|c| c.n)
}

/// Rows the `down.sql` of `m` would destroy, as the database is now.
fn measure_loss(
    conn: &mut PgConnection,
    m: &SqlMigration,
    lock: bool,
) -> QueryResult<Vec<DataLoss>> {
    let mut found: BTreeMap<String, i64> = BTreeMap::new();
    for destruction in sql::destructions(m.down) {
        match destruction {
            Destruction::Table(table) | Destruction::Rows(table) => {
                if relation_exists(conn, &table)? {
                    if lock {
                        lock_table(conn, &table)?;
                    }
                    let rows = count_rows(conn, &table, None)?;
                    found.insert(table, rows);
                }
            }
            Destruction::Column { table, column } => {
                if column_exists(conn, &table, &column)? {
                    if lock {
                        lock_table(conn, &table)?;
                    }
                    let rows = count_rows(conn, &table, Some(&column))?;
                    found.insert(format!("{table}.{column}"), rows);
                }
            }
            Destruction::Schema(schema) => {
                #[derive(QueryableByName)]
                struct Table {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    name: String,
                }
                let tables: Vec<Table> = diesel::sql_query(format!(
                    "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = {}",
                    quote_literal(schema.trim_matches('"'))
                ))
                .load(conn)?;
                let mut rows = 0;
                for t in tables {
                    if lock {
                        lock_table(conn, &t.name)?;
                    }
                    rows += count_rows(conn, &t.name, None)?;
                }
                found.insert(format!("schema {schema}"), rows);
            }
        }
    }
    Ok(found
        .into_iter()
        .filter(|(_, rows)| *rows > 0)
        .map(|(object, rows)| DataLoss {
            migration: m.name.to_owned(),
            object,
            rows,
        })
        .collect())
}
