//! How a runner refuses or fails.

use std::time::Duration;

use super::{DataLoss, Direction};

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
    },
    /// The migration lock was not held by the connection's next statement:
    /// the connection goes through a transaction pooler.
    #[error(
        "the migration lock of {database} was not held by this connection's next statement, so \
         the connection goes through a transaction pooler; run migrations on the server's direct URL"
    )]
    NotASession {
        /// Database name.
        database: String,
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
