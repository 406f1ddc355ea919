//! `password_reset_requests`: single-use password-reset tokens (hash only).

use crate::ids::PasswordResetRequestId;
use crate::schema::password_reset_requests;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use ipnetwork::IpNetwork;

/// A row of `password_reset_requests`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = password_reset_requests, check_for_backend(diesel::pg::Pg))]
pub struct PasswordResetRequest {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: PasswordResetRequestId,
    /// account being reset
    pub user_id: UserId,
    /// SHA-256 of the e-mailed token
    pub token_hash: Vec<u8>,
    /// token expiry
    pub expires_at: DateTime<Utc>,
    /// NULL = unused; set once
    pub used_at: Option<DateTime<Utc>>,
    /// requester IP
    pub ip_address: Option<IpNetwork>,
    /// requester user agent
    pub user_agent: Option<String>,
    /// request time
    pub created_at: DateTime<Utc>,
}

/// A new row of `password_reset_requests`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = password_reset_requests)]
pub struct NewPasswordResetRequest<'a> {
    /// Primary key: pass `PasswordResetRequestId::new()` (a UUIDv7).
    pub id: PasswordResetRequestId,
    /// account being reset
    pub user_id: UserId,
    /// SHA-256 of the e-mailed token
    pub token_hash: &'a [u8],
    /// token expiry
    pub expires_at: DateTime<Utc>,
    /// NULL = unused; set once. `None` = NULL.
    pub used_at: Option<DateTime<Utc>>,
    /// requester IP. `None` = NULL.
    pub ip_address: Option<IpNetwork>,
    /// requester user agent. `None` = NULL.
    pub user_agent: Option<&'a str>,
    /// request time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewPasswordResetRequest<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: PasswordResetRequestId,
        user_id: UserId,
        token_hash: &'a [u8],
        expires_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            user_id,
            token_hash,
            expires_at,
            used_at: None,
            ip_address: None,
            user_agent: None,
            created_at: None,
        }
    }
}

/// Changes to a `password_reset_requests` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = password_reset_requests)]
pub struct PasswordResetRequestChanges<'a> {
    /// account being reset
    pub user_id: Option<UserId>,
    /// SHA-256 of the e-mailed token
    pub token_hash: Option<&'a [u8]>,
    /// token expiry
    pub expires_at: Option<DateTime<Utc>>,
    /// NULL = unused; set once
    pub used_at: Option<Option<DateTime<Utc>>>,
    /// requester IP
    pub ip_address: Option<Option<IpNetwork>>,
    /// requester user agent
    pub user_agent: Option<Option<&'a str>>,
}
