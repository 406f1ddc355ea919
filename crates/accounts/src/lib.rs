//! Accounts: everything about who people are and what they may do, in
//! `socrates_auth` only (it never touches specs; see `cross-db` for that).
//!
//! Secrets are never stored raw: passwords as Argon2id PHC strings
//! ([`password`]), tokens and API keys as SHA-256 digests ([`secret`]),
//! third-party API keys as AES-256-GCM ciphertext under a versioned master key
//! ([`provider_keys`]). Every security event goes to `audit_logs` and every
//! admin action to `admin_audit_logs` ([`audit`], [`admin`]), both append-only.
//! Bad input gets a typed [`AccountError`] and changes nothing.

pub mod admin;
pub mod api_keys;
pub mod audit;
pub mod email;
pub mod password;
pub mod provider_keys;
pub mod resets;
pub mod secret;
pub mod tokens;
pub mod users;

use db_core::{DbError, UserId};

pub use audit::Client;

/// An account operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Not an e-mail address.
    #[error("{0:?} is not a valid e-mail address")]
    InvalidEmail(String),
    /// A value is longer than its column allows.
    #[error("{field} is longer than {max} characters")]
    TooLong {
        /// Which input.
        field: &'static str,
        /// Its limit.
        max: usize,
    },
    /// A value is empty or otherwise unusable.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which input.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The new password breaks the policy.
    #[error("password rejected: {0}")]
    WeakPassword(&'static str),
    /// Another account has this e-mail.
    #[error("an account with this e-mail address exists")]
    EmailTaken,
    /// Another account has this username.
    #[error("this username is taken")]
    UsernameTaken,
    /// Unknown e-mail or wrong password (deliberately indistinguishable).
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    /// The account exists but may not log in.
    #[error("the account is {0}")]
    NotActive(auth_db::enums::UserStatus),
    /// No such user.
    #[error("user {0} does not exist")]
    UnknownUser(UserId),
    /// A token that was never issued (or was tampered with).
    #[error("unknown token")]
    TokenUnknown,
    /// A token past its expiry.
    #[error("the token has expired")]
    TokenExpired,
    /// A revoked token.
    #[error("the token has been revoked")]
    TokenRevoked,
    /// A single-use token used again.
    #[error("the token has already been used")]
    TokenUsed,
    /// A rotated refresh token presented again: its whole family is now revoked.
    #[error("refresh token reuse detected; every session of this login has been revoked")]
    TokenReused,
    /// The thing asked for does not exist, or is not the caller's.
    #[error("not found")]
    NotFound,
    /// The actor lacks a permission.
    #[error("permission {0:?} is required")]
    Forbidden(String),
    /// The master key ring is misconfigured, or lacks a key version.
    #[error("master key ring: {0}")]
    KeyRing(String),
    /// Encryption, decryption or hashing failed.
    #[error("cryptography: {0}")]
    Crypto(String),
    /// Another run holds the work (a key rewrap).
    #[error(transparent)]
    Busy(#[from] db_core::WorkLockError),
    /// A database error.
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for AccountError {
    fn from(err: DbError) -> Self {
        match &err {
            DbError::UniqueViolation { constraint, .. }
                if constraint == auth_db::constraints::UQ_USERS_EMAIL =>
            {
                Self::EmailTaken
            }
            DbError::UniqueViolation { constraint, .. }
                if constraint == auth_db::constraints::UQ_USERS_USERNAME =>
            {
                Self::UsernameTaken
            }
            _ => Self::Db(err),
        }
    }
}

db_core::from_diesel_error!(AccountError);

/// Refuses a string longer than `max` characters.
pub(crate) fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), AccountError> {
    db_core::validate::length(value, max).map_err(|_| AccountError::TooLong { field, max })
}

/// Refuses an empty (or blank) required string.
pub(crate) fn check_present(field: &'static str, value: &str) -> Result<(), AccountError> {
    db_core::validate::non_blank(value).map_err(|_| AccountError::Invalid {
        field,
        reason: "must not be empty",
    })
}
