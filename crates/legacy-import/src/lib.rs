//! `socrates-db import-legacy`: moves a Socrates2 installation (its two
//! databases at Alembic heads auth 010 and specs 017, as
//! `legacy/SOCRATES2_SCHEMA.md` describes them) into ours, with nothing lost.
//!
//! How a legacy table moves (the private `plan` module lists them, in dependency order):
//!
//! 1. The legacy databases are read in one `REPEATABLE READ READ ONLY`
//!    transaction each (one snapshot for the whole run, never a write there),
//!    in keyset batches of `--batch-size` rows, by a reader thread one batch
//!    ahead of the writer: each row in its record text form (`record_out`),
//!    plus a few values computed over the legacy table (the survivor of a set
//!    of e-mails that differ only in case, a specification's place in its
//!    version chain). Tables whose rows only make sense together
//!    (specifications, generated projects) are read a group of projects at a
//!    time.
//! 2. A batch is written with binary COPY into a temporary staging table of
//!    the target database, read back into a row type of the legacy columns
//!    (`record_in`), and one statement then maps it: every row is either
//!    inserted into our table under its legacy id, found there already (an
//!    earlier run), merged into a row it duplicates, or rejected; merges and
//!    rejections go to `legacy_import_quarantine` with their reason and the
//!    whole legacy row as JSON (raw tokens replaced by their SHA-256). The
//!    batch's counts and resume position go to `legacy_import_progress` in the
//!    same transaction, whose CHECK makes them add up. A specs batch first
//!    locks the users and teams it names in auth (`FOR KEY SHARE`, until it
//!    has committed), as every checked write does.
//! 3. References into the other database go through a session map of the
//!    legacy user, role and team ids to ours (a merged account maps to the
//!    account it was merged into).
//!
//! A killed run resumes from the last committed batch; a finished one run
//! again finds every row where it put it and changes nothing. `--dry-run` does
//! all of it inside one transaction per database and rolls them back.

mod engine;
mod locks;
mod plan;
mod report;
mod source;

use std::time::Duration;

pub use engine::run;
pub use plan::Db;
pub use report::{Report, TableReport};

/// The name of the work lock the import takes on both of our databases.
pub const WORK: &str = "import-legacy";

/// How to run an import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Legacy rows per batch (and per transaction).
    pub batch_size: i64,
    /// Do everything, report it, and roll it all back.
    pub dry_run: bool,
    /// How long to wait for another run holding the import.
    pub lock_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            batch_size: 10_000,
            dry_run: false,
            lock_timeout: Duration::from_secs(30),
        }
    }
}

/// Why an import did not run or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A legacy database is not what the import reads.
    #[error("{0}")]
    Source(String),
    /// Another run holds the import.
    #[error(transparent)]
    Lock(#[from] db_core::work_lock::WorkLockError),
    /// A batch's counts did not add up (a bug: the batch was rolled back).
    #[error("{table}: a batch of {read} rows came out as {accounted} (rolled back)")]
    Unaccounted {
        /// The legacy table.
        table: String,
        /// Rows read.
        read: i64,
        /// Rows accounted for.
        accounted: i64,
    },
    /// A database error while moving one legacy table.
    #[error("{table}: {source}")]
    Table {
        /// The legacy table.
        table: String,
        /// The error.
        source: diesel::result::Error,
    },
    /// A database error.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// A legacy pair to test against: the two schemas exactly as
/// `legacy/SOCRATES2_SCHEMA.md` describes them (Alembic heads 010 and 017),
/// and data that exercises every transformation and every dirty case the
/// import handles (`MAPPING.md`).
pub mod fixture {
    /// The legacy auth database at head 010 (tables, constraints, indexes).
    pub const AUTH_SCHEMA: &str = include_str!("../fixture/legacy_auth.sql");
    /// The legacy specs database at head 017.
    pub const SPECS_SCHEMA: &str = include_str!("../fixture/legacy_specs.sql");
    /// Rows for the auth schema, clean and dirty.
    pub const AUTH_DATA: &str = include_str!("../fixture/legacy_auth_data.sql");
    /// Rows for the specs schema, clean and dirty.
    pub const SPECS_DATA: &str = include_str!("../fixture/legacy_specs_data.sql");
}
