//! `api_keys`: platform access keys for the Socrates API (hash + display prefix only).

use crate::enums::ApiKeyStatus;
use crate::ids::ApiKeyId;
use crate::schema::api_keys;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `api_keys`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = api_keys, check_for_backend(diesel::pg::Pg))]
pub struct ApiKey {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: ApiKeyId,
    /// key owner
    pub user_id: UserId,
    /// user-given label
    pub name: String,
    /// SHA-256 of the full key
    pub key_hash: Vec<u8>,
    /// first characters, for display/identification
    pub key_prefix: String,
    /// key state; one of: active, revoked, expired
    pub status: ApiKeyStatus,
    /// granted scopes
    pub scopes: Vec<String>,
    /// requests per minute; NULL = plan default
    pub rate_limit: Option<i32>,
    /// successful authentications
    pub usage_count: i64,
    /// last successful use
    pub last_used_at: Option<DateTime<Utc>>,
    /// NULL = no expiry
    pub expires_at: Option<DateTime<Utc>>,
    /// set with status 'revoked'
    pub revoked_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `api_keys`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    /// Primary key: pass `ApiKeyId::new()` (a UUIDv7).
    pub id: ApiKeyId,
    /// key owner
    pub user_id: UserId,
    /// user-given label
    pub name: &'a str,
    /// SHA-256 of the full key
    pub key_hash: &'a [u8],
    /// first characters, for display/identification
    pub key_prefix: &'a str,
    /// key state; one of: active, revoked, expired. `None` = default ('active').
    pub status: Option<ApiKeyStatus>,
    /// granted scopes. `None` = default ('{}'::text[]).
    pub scopes: Option<&'a [String]>,
    /// requests per minute; NULL = plan default. `None` = NULL.
    pub rate_limit: Option<i32>,
    /// successful authentications. `None` = default (0).
    pub usage_count: Option<i64>,
    /// last successful use. `None` = NULL.
    pub last_used_at: Option<DateTime<Utc>>,
    /// NULL = no expiry. `None` = NULL.
    pub expires_at: Option<DateTime<Utc>>,
    /// set with status 'revoked'. `None` = NULL.
    pub revoked_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewApiKey<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: ApiKeyId,
        user_id: UserId,
        name: &'a str,
        key_hash: &'a [u8],
        key_prefix: &'a str,
    ) -> Self {
        Self {
            id,
            user_id,
            name,
            key_hash,
            key_prefix,
            status: None,
            scopes: None,
            rate_limit: None,
            usage_count: None,
            last_used_at: None,
            expires_at: None,
            revoked_at: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `api_keys` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyChanges<'a> {
    /// key owner
    pub user_id: Option<UserId>,
    /// user-given label
    pub name: Option<&'a str>,
    /// SHA-256 of the full key
    pub key_hash: Option<&'a [u8]>,
    /// first characters, for display/identification
    pub key_prefix: Option<&'a str>,
    /// key state; one of: active, revoked, expired
    pub status: Option<ApiKeyStatus>,
    /// granted scopes
    pub scopes: Option<&'a [String]>,
    /// requests per minute; NULL = plan default
    pub rate_limit: Option<Option<i32>>,
    /// successful authentications
    pub usage_count: Option<i64>,
    /// last successful use
    pub last_used_at: Option<Option<DateTime<Utc>>>,
    /// NULL = no expiry
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// set with status 'revoked'
    pub revoked_at: Option<Option<DateTime<Utc>>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
