//! Database errors with the constraint that failed, by name.
//!
//! Policy: queries return [`diesel::QueryResult`]; each library crate has one
//! `thiserror` enum, and a constraint violation surfaces as a named variant that
//! carries the constraint's name (`uq_users_email`, `ck_users_role`, ...), so a
//! caller can match on *which* rule was broken without parsing messages. Only the
//! CLI turns errors into text (with `anyhow`).

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// A database operation failed; constraint violations name their constraint.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A row with the same unique key exists.
    #[error("unique constraint {constraint} violated: {message}")]
    UniqueViolation {
        /// Constraint or unique index name, e.g. `uq_users_email`.
        constraint: String,
        /// The server's message.
        message: String,
    },
    /// A referenced row is missing, or a referencing row blocks a delete.
    #[error("foreign key {constraint} violated: {message}")]
    ForeignKeyViolation {
        /// Constraint name, e.g. `fk_sessions_project_id`.
        constraint: String,
        /// The server's message.
        message: String,
    },
    /// A CHECK constraint refused the row.
    #[error("check constraint {constraint} violated: {message}")]
    CheckViolation {
        /// Constraint name, e.g. `ck_users_role`.
        constraint: String,
        /// The server's message.
        message: String,
    },
    /// A NOT NULL column was given NULL.
    #[error("column {column} may not be NULL: {message}")]
    NotNullViolation {
        /// Column name, when the server reports it.
        column: String,
        /// The server's message.
        message: String,
    },
    /// The transaction lost a serialization race and may be retried.
    #[error("serialization failure (retry the transaction): {0}")]
    SerializationFailure(String),
    /// The row asked for does not exist.
    #[error("row not found")]
    NotFound,
    /// Any other database error.
    #[error(transparent)]
    Query(DieselError),
    /// The connection could not be established.
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    /// No pooled connection became available.
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
}

impl DbError {
    /// The violated constraint's name, when this is a constraint violation.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            Self::UniqueViolation { constraint, .. }
            | Self::ForeignKeyViolation { constraint, .. }
            | Self::CheckViolation { constraint, .. } => Some(constraint),
            _ => None,
        }
    }
}

impl From<DieselError> for DbError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().unwrap_or_default().to_owned();
                let message = info.message().to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation => Self::UniqueViolation {
                        constraint,
                        message,
                    },
                    DatabaseErrorKind::ForeignKeyViolation => Self::ForeignKeyViolation {
                        constraint,
                        message,
                    },
                    DatabaseErrorKind::CheckViolation => Self::CheckViolation {
                        constraint,
                        message,
                    },
                    DatabaseErrorKind::NotNullViolation => Self::NotNullViolation {
                        column: info.column_name().unwrap_or_default().to_owned(),
                        message,
                    },
                    DatabaseErrorKind::SerializationFailure => Self::SerializationFailure(message),
                    other => Self::Query(DieselError::DatabaseError(other, info)),
                }
            }
            other => Self::Query(other),
        }
    }
}

/// Implements `From<diesel::result::Error>` for a crate's error type through
/// its `From<DbError>` (the `Db(#[from] DbError)` variant each has), so `?`
/// works on Diesel results and every database error is classified once.
///
/// ```
/// #[derive(Debug, thiserror::Error)]
/// enum MyError {
///     #[error(transparent)]
///     Db(#[from] db_core::DbError),
/// }
/// db_core::from_diesel_error!(MyError);
/// let err: MyError = diesel::result::Error::NotFound.into();
/// assert!(matches!(err, MyError::Db(db_core::DbError::NotFound)));
/// ```
#[macro_export]
macro_rules! from_diesel_error {
    ($ty:ty) => {
        impl ::std::convert::From<diesel::result::Error> for $ty {
            fn from(err: diesel::result::Error) -> Self {
                <$ty as ::std::convert::From<$crate::DbError>>::from($crate::DbError::from(err))
            }
        }
    };
}
