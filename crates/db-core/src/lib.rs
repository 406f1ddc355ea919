//! What both Socrates databases share, at the bottom of the dependency graph.
//!
//! `auth-db` and `specs-db` build on this crate and never on each other: typed
//! ids that cross databases ([`UserId`], [`TeamId`]), the macros every table's
//! model uses ([`typed_id!`], [`text_enum!`]), value sets used in both databases,
//! the error type that names violated constraints ([`DbError`]), connection
//! pools, and the migration runner with its guards ([`migrate`]). Development
//! tooling (the private cluster of the CLI and the tests) lives in its own
//! crate, `dev-cluster`, so a service that links this one links none of it.

pub mod admin;
pub mod dburl;
pub mod error;
pub mod ids;
pub mod job_checkpoints;
pub mod migrate;
pub mod pool;
pub mod pooler;
pub mod prepared;
pub mod replica;
pub mod text_enum;
pub mod trace;
pub mod validate;
pub mod values;
pub mod work_lock;

/// The build-script helper of the database crates, tested here.
#[cfg(test)]
#[path = "../build/embed_migrations.rs"]
#[expect(dead_code, reason = "only the metadata reader is tested here")]
mod embed_migrations;

#[cfg(test)]
mod embed_migrations_tests {
    use super::embed_migrations::run_in_transaction;

    #[test]
    fn metadata_toml_says_whether_a_migration_runs_in_a_transaction() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("metadata.toml");
        assert!(
            run_in_transaction(&file),
            "no metadata.toml: Diesel's default"
        );
        std::fs::write(&file, "run_in_transaction = false\n").expect("write");
        assert!(!run_in_transaction(&file));
        std::fs::write(&file, "run_in_transaction = true\n").expect("write");
        assert!(run_in_transaction(&file));
        std::fs::write(&file, "# nothing said\n").expect("write");
        assert!(run_in_transaction(&file));
        std::fs::write(&file, "run_in_transaction = \"no\"\n").expect("write");
        assert!(std::panic::catch_unwind(|| run_in_transaction(&file)).is_err());
    }
}

pub use dburl::{DbUrl, PoolMode};
pub use error::DbError;
pub use ids::{JobCheckpointId, TeamId, UserId};
pub use migrate::{MigrationSet, Runner, SqlMigration};
pub use pool::{ALIVE_WINDOW, PgManager, PgPool, PgPooled, build_pool, build_pool_with};
pub use pooler::connect;
pub use prepared::{Prepared, prepared};
pub use replica::Replicated;
pub use text_enum::{EnumColumn, UnknownEnumValue};
pub use values::{ImportOutcome, InvitationStatus, JobStatus, LlmProvider, PermissionLevel};
pub use work_lock::{HeldLock, LockOn, WorkLockError, with_work_lock};

/// Re-exports the macros rely on, so callers need not depend on them by name.
#[doc(hidden)]
pub mod __private {
    pub use chrono;
    pub use serde;
    pub use uuid;
}
