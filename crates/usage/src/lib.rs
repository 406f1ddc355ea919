//! Usage and everything measured about it: LLM calls and their cost, billing
//! (subscriptions and invoices), analytics series, notification preferences,
//! the activity feed, learned behaviour patterns and question effectiveness.
//!
//! Every row that names an auth user is written through `cross-db`.

pub mod activity;
pub mod analytics;
pub mod billing;
pub mod effectiveness;
pub mod llm;
pub mod notifications;
pub mod patterns;

use db_core::DbError;

/// A usage operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
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
    /// A lifecycle transition that is not allowed.
    #[error("cannot go from {from} to {to}")]
    Transition {
        /// Current state.
        from: String,
        /// Requested state.
        to: String,
    },
    /// A unique value is taken (invoice number, Stripe id ...).
    #[error("{0} is already in use")]
    Taken(String),
    /// A cross-database reference was refused.
    #[error(transparent)]
    Xdb(#[from] cross_db::XdbError),
    /// A database error.
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for UsageError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::UniqueViolation { constraint, .. } => Self::Taken(constraint),
            other => Self::Db(other),
        }
    }
}

db_core::from_diesel_error!(UsageError);

/// Refuses empty or overlong text.
pub(crate) fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), UsageError> {
    db_core::validate::text(value, max).map_err(|_| UsageError::Invalid {
        field,
        reason: format!("must be 1 to {max} characters"),
    })
}

/// Whether an amount of money is below zero.
pub(crate) fn is_negative(amount: &bigdecimal::BigDecimal) -> bool {
    amount.sign() == bigdecimal::num_bigint::Sign::Minus
}

/// Refuses a negative count.
pub(crate) fn check_non_negative(field: &'static str, value: i64) -> Result<(), UsageError> {
    if value < 0 {
        return Err(UsageError::Invalid {
            field,
            reason: "must not be negative".into(),
        });
    }
    Ok(())
}
