//! What the runner reports: steps run, rows a rollback destroys, a database's status.

use std::fmt;

use chrono::NaiveDateTime;
use serde::Serialize;

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
