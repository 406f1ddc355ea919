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
//! runner killed in the middle leaves the database at the previous version; on
//! a database that holds nothing of ours yet, the whole first run is one
//! transaction.
//!
//! The parts: [`set`](SqlMigration) (the migrations), `runner` ([`Runner`]:
//! guards and transactions), `ledger` (the bookkeeping tables), `lock` (the
//! advisory lock), `loss` (what a rollback would destroy), `report` (what a run
//! did, a database's status), `error` ([`MigrateError`]) and [`sql`] (just
//! enough SQL reading for the guards).

mod error;
mod ledger;
mod lock;
mod loss;
mod report;
mod runner;
mod set;
pub mod sql;

pub use error::MigrateError;
pub use lock::LOCK_KEY;
pub use report::{
    ChecksumState, DataLoss, DatabaseStatus, Direction, MigrationStatus, RunReport, Step,
};
pub use runner::{DEFAULT_LOCK_TIMEOUT, MigrateOptions, RollbackOptions, RollbackTarget, Runner};
pub use set::{MigrationSet, SqlMigration};
pub use sql::Destruction;
