//! Collaboration: teams (in auth), project shares (in specs), and the one access
//! decision that combines them ([`access::access`]).
//!
//! Team membership lives in `socrates_auth`, shares in `socrates_specs`; every
//! share that names a user or team is written through `cross-db`, and team
//! counters (`member_count`, `project_count`) are kept right in the same
//! transactions that change what they count.

pub mod access;
pub mod invitations;
pub mod shares;
pub mod teams;

use accounts::AccountError;
use cross_db::XdbError;
use db_core::{DbError, TeamId, UserId};

/// A collaboration operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CollabError {
    /// No such thing, or not visible to the caller.
    #[error("not found")]
    NotFound,
    /// The actor may not do this.
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// The owner already has a team of this name.
    #[error("you already own a team named {0:?}")]
    TeamNameTaken(String),
    /// The user is already an active member.
    #[error("user {user} is already a member of team {team}")]
    AlreadyMember {
        /// The team.
        team: TeamId,
        /// The user.
        user: UserId,
    },
    /// The user is not a member.
    #[error("user {user} is not a member of team {team}")]
    NotMember {
        /// The team.
        team: TeamId,
        /// The user.
        user: UserId,
    },
    /// A pending invitation for this address exists.
    #[error("an invitation for this address is already pending")]
    InvitationPending,
    /// The invitation is for someone else.
    #[error("this invitation was sent to another address")]
    WrongInvitee,
    /// The invitation was answered, revoked or expired.
    #[error("the invitation is {0}")]
    NotPending(db_core::InvitationStatus),
    /// A value is out of bounds.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which input.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A token or e-mail problem (shared with accounts).
    #[error(transparent)]
    Account(#[from] AccountError),
    /// A cross-database reference problem.
    #[error(transparent)]
    Xdb(#[from] XdbError),
    /// A database error.
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for CollabError {
    fn from(err: DbError) -> Self {
        Self::Db(err)
    }
}

db_core::from_diesel_error!(CollabError);

/// Refuses empty or overlong text.
pub(crate) fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), CollabError> {
    db_core::validate::text(value, max).map_err(|problem| CollabError::Invalid {
        field,
        reason: match problem {
            db_core::validate::TextProblem::Empty => "must not be empty",
            db_core::validate::TextProblem::TooLong { .. } => "too long",
        },
    })
}
