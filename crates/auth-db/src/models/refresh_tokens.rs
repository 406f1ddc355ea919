//! `refresh_tokens`: rotating refresh tokens (hash only) with family-based reuse detection.

use crate::ids::RefreshTokenId;
use crate::schema::refresh_tokens;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use ipnetwork::IpNetwork;

/// A row of `refresh_tokens`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = refresh_tokens, check_for_backend(diesel::pg::Pg))]
pub struct RefreshToken {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: RefreshTokenId,
    /// token owner
    pub user_id: UserId,
    /// SHA-256 of the opaque token (32 bytes)
    pub token_hash: Vec<u8>,
    /// rotation family; = id of the family's first token
    pub family_id: RefreshTokenId,
    /// token issued when this one was rotated
    pub replaced_by: Option<RefreshTokenId>,
    /// hard expiry
    pub expires_at: DateTime<Utc>,
    /// NULL = not revoked
    pub revoked_at: Option<DateTime<Utc>>,
    /// client user agent at issue
    pub user_agent: Option<String>,
    /// client IP at issue
    pub ip_address: Option<IpNetwork>,
    /// issue time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `refresh_tokens`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    /// Primary key: pass `RefreshTokenId::new()` (a UUIDv7).
    pub id: RefreshTokenId,
    /// token owner
    pub user_id: UserId,
    /// SHA-256 of the opaque token (32 bytes)
    pub token_hash: &'a [u8],
    /// rotation family; = id of the family's first token
    pub family_id: RefreshTokenId,
    /// token issued when this one was rotated. `None` = NULL.
    pub replaced_by: Option<RefreshTokenId>,
    /// hard expiry
    pub expires_at: DateTime<Utc>,
    /// NULL = not revoked. `None` = NULL.
    pub revoked_at: Option<DateTime<Utc>>,
    /// client user agent at issue. `None` = NULL.
    pub user_agent: Option<&'a str>,
    /// client IP at issue. `None` = NULL.
    pub ip_address: Option<IpNetwork>,
    /// issue time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewRefreshToken<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: RefreshTokenId,
        user_id: UserId,
        token_hash: &'a [u8],
        family_id: RefreshTokenId,
        expires_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            user_id,
            token_hash,
            family_id,
            expires_at,
            replaced_by: None,
            revoked_at: None,
            user_agent: None,
            ip_address: None,
            created_at: None,
        }
    }
}

/// Changes to a `refresh_tokens` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenChanges<'a> {
    /// token issued when this one was rotated
    pub replaced_by: Option<Option<RefreshTokenId>>,
    /// hard expiry
    pub expires_at: Option<DateTime<Utc>>,
    /// NULL = not revoked
    pub revoked_at: Option<Option<DateTime<Utc>>>,
    /// client user agent at issue
    pub user_agent: Option<Option<&'a str>>,
    /// client IP at issue
    pub ip_address: Option<Option<IpNetwork>>,
}
