//! The one place that knows both databases.
//!
//! `socrates_specs` refers to users and teams of `socrates_auth` by id, without
//! foreign keys (the two may live on different servers). This crate enforces
//! those references for the domain crates above it, and nothing else does:
//!
//! - [`registry`]: every such column, with its deletion policy;
//! - [`references`]: the specs structs that write those columns, each able to
//!   say which auth rows it refers to ([`Refs::of`]);
//! - [`mod@write`]: writes that lock the referenced auth rows until specs commits;
//! - [`outbox`]: deletions of users and teams, carried to specs by a drain;
//! - [`mod@scan`]: the orphan scan that finds what slipped through, and repairs it.

pub mod outbox;
pub mod references;
pub mod registry;
pub mod scan;
pub mod write;

use db_core::{DbError, TeamId, UserId};

pub use outbox::{
    DrainOptions, DrainReport, OwnedTeams, UserDeletion, delete_team, delete_user, drain, pending,
};
pub use references::{References, write_row};
pub use registry::{CrossRef, Policy, REFERENCES, Target};
pub use scan::{ScanOptions, ScanReport, scan, scan_with_replicas};
pub use write::{Present, Refs, Write, write, write_present};

/// A cross-database operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum XdbError {
    /// The referenced user does not exist.
    #[error("user {0} does not exist")]
    UnknownUser(UserId),
    /// The referenced user is soft-deleted (status `deleted`).
    #[error("user {0} is deleted")]
    DeletedUser(UserId),
    /// The referenced team does not exist.
    #[error("team {0} does not exist")]
    UnknownTeam(TeamId),
    /// A checked write needs its own specs transaction (so it can commit before the auth locks go).
    #[error(
        "a checked write must own its specs transaction, but the specs connection is already in one"
    )]
    SpecsTransactionOpen,
    /// Admins with audit records are never hard-deleted.
    #[error(
        "user {0} has admin audit records and cannot be hard-deleted; set its status to 'deleted' instead"
    )]
    AdminAuditTrail(UserId),
    /// An owned team could not pass to its successor.
    #[error(
        "team {team} cannot pass to {successor}, who already owns a team named {name:?}; rename one first"
    )]
    TransferConflict {
        /// The team.
        team: TeamId,
        /// The member it would pass to.
        successor: UserId,
        /// Its name.
        name: String,
    },
    /// Another run holds the work (a `check-refs --repair`).
    #[error(transparent)]
    Busy(#[from] db_core::WorkLockError),
    /// A database error.
    #[error(transparent)]
    Db(#[from] DbError),
}

db_core::from_diesel_error!(XdbError);
