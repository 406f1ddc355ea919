//! The core of `socrates_specs`: what a user builds with Socrates.
//!
//! Projects, their sessions and conversations, the questions asked, the
//! versioned specifications extracted, the conflicts between them, maturity
//! scores, quality metrics, test runs and generated code. Writes of columns
//! that refer to auth users go through `cross-db`; everything else is specs
//! only. Functions take `&mut PgConnection` and open their own transaction,
//! which nests (as a savepoint) inside the caller's when there is one.

pub mod conflicts;
pub mod conversation;
pub mod generated;
pub mod maturity;
pub mod projects;
pub mod quality;
pub mod questions;
pub mod sessions;
pub mod specifications;

use cross_db::XdbError;
use db_core::DbError;

/// A projects operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// No such row.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A value is out of bounds.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which input.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The operation does not apply in the row's current state.
    #[error("{0}")]
    State(String),
    /// A cross-database reference was refused.
    #[error(transparent)]
    Xdb(#[from] XdbError),
    /// A database error.
    #[error(transparent)]
    Db(#[from] DbError),
}

db_core::from_diesel_error!(ProjectError);

/// Refuses empty or overlong text.
pub(crate) fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), ProjectError> {
    db_core::validate::text(value, max).map_err(|problem| ProjectError::Invalid {
        field,
        reason: problem.to_string(),
    })
}

/// Refuses a score outside `0..=max`.
pub(crate) fn check_range(field: &'static str, value: f64, max: f64) -> Result<(), ProjectError> {
    if !(0.0..=max).contains(&value) {
        return Err(ProjectError::Invalid {
            field,
            reason: format!("must be between 0 and {max}"),
        });
    }
    Ok(())
}
