//! Platform API keys: shown once, stored as SHA-256 plus a display prefix.

use auth_db::enums::{ApiKeyStatus, UserStatus};
use auth_db::ids::ApiKeyId;
use auth_db::models::{ApiKey, NewApiKey};
use auth_db::schema::{api_keys, users};
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Client};
use crate::secret::{ExposeSecret, SecretString, random_token, token_hash};
use crate::{AccountError, check_len, check_present};

/// Every key starts with this, so leaked keys are easy to recognise.
pub const KEY_PREFIX: &str = "sk_";
/// Characters of the key kept in clear for display.
pub const DISPLAY_CHARS: usize = 12;

/// What a new key is for.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeySpec<'a> {
    /// Label chosen by the user.
    pub name: &'a str,
    /// Granted scopes.
    pub scopes: &'a [String],
    /// Expiry; `None` = never.
    pub expires_at: Option<DateTime<Utc>>,
    /// Requests per minute; `None` = plan default.
    pub rate_limit: Option<i32>,
}

/// Creates a key; the returned string is the only copy of the secret.
#[tracing::instrument(level = "debug", skip_all, fields(owner = %owner))]
pub fn create(
    conn: &mut PgConnection,
    owner: UserId,
    spec: &KeySpec<'_>,
    client: &Client,
) -> Result<(ApiKey, SecretString), AccountError> {
    check_present("name", spec.name)?;
    check_len("name", spec.name, 255)?;
    for scope in spec.scopes {
        check_present("scope", scope)?;
        check_len("scope", scope, 100)?;
    }
    if spec.rate_limit.is_some_and(|r| r <= 0) {
        return Err(AccountError::Invalid {
            field: "rate_limit",
            reason: "must be positive",
        });
    }
    if spec.expires_at.is_some_and(|e| e <= Utc::now()) {
        return Err(AccountError::Invalid {
            field: "expires_at",
            reason: "must be in the future",
        });
    }
    let key = SecretString::from(format!("{KEY_PREFIX}{}", random_token().expose_secret()));
    let hash = token_hash(key.expose_secret());
    conn.transaction(|conn| {
        let exists: bool =
            diesel::select(diesel::dsl::exists(users::table.find(owner))).get_result(conn)?;
        if !exists {
            return Err(AccountError::UnknownUser(owner));
        }
        let row: ApiKey = diesel::insert_into(api_keys::table)
            .values(NewApiKey {
                scopes: Some(spec.scopes),
                expires_at: spec.expires_at,
                rate_limit: spec.rate_limit,
                ..NewApiKey::new(
                    ApiKeyId::new(),
                    owner,
                    spec.name,
                    &hash,
                    &key.expose_secret()[..DISPLAY_CHARS],
                )
            })
            .returning(ApiKey::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            client,
            Some(owner),
            "api_key.created",
            Some(("api_key", &row.id.to_string())),
            json!({ "prefix": row.key_prefix }),
        )?;
        Ok((row, key))
    })
}

/// Authenticates a request's key: counts the use and returns the key's row.
///
/// Refused, and not counted: an unknown, revoked or expired key, and the key of
/// a user who is not active (suspended, inactive or deleted accounts cannot
/// act through their keys).
#[tracing::instrument(level = "debug", skip_all)]
pub fn verify(conn: &mut PgConnection, key: &str) -> Result<ApiKey, AccountError> {
    let hash = token_hash(key);
    let active_users = users::table
        .filter(users::status.eq(UserStatus::Active))
        .select(users::id);
    let used: Option<ApiKey> = diesel::update(api_keys::table)
        .filter(api_keys::key_hash.eq(hash.as_slice()))
        .filter(api_keys::status.eq(ApiKeyStatus::Active))
        .filter(
            api_keys::expires_at
                .is_null()
                .or(api_keys::expires_at.gt(diesel::dsl::now)),
        )
        .filter(api_keys::user_id.eq_any(active_users))
        .set((
            api_keys::usage_count.eq(api_keys::usage_count + 1),
            api_keys::last_used_at.eq(diesel::dsl::now),
        ))
        .returning(ApiKey::as_returning())
        .get_result(conn)
        .optional()?;
    if let Some(row) = used {
        return Ok(row);
    }
    let (row, owner_status): (ApiKey, UserStatus) = api_keys::table
        .inner_join(users::table)
        .filter(api_keys::key_hash.eq(hash.as_slice()))
        .select((ApiKey::as_select(), users::status))
        .first(conn)
        .optional()?
        .ok_or(AccountError::TokenUnknown)?;
    match row.status {
        ApiKeyStatus::Revoked => Err(AccountError::TokenRevoked),
        ApiKeyStatus::Expired => Err(AccountError::TokenExpired),
        ApiKeyStatus::Active if owner_status != UserStatus::Active => {
            Err(AccountError::NotActive(owner_status))
        }
        ApiKeyStatus::Active => {
            // Past its expiry: record what it is now.
            diesel::update(
                api_keys::table
                    .find(row.id)
                    .filter(api_keys::status.eq(ApiKeyStatus::Active)),
            )
            .set(api_keys::status.eq(ApiKeyStatus::Expired))
            .execute(conn)?;
            Err(AccountError::TokenExpired)
        }
    }
}

/// Revokes one of `owner`'s keys; someone else's key is `NotFound`, as is an unknown one.
#[tracing::instrument(level = "debug", skip_all, fields(owner = %owner, id = %id))]
pub fn revoke(
    conn: &mut PgConnection,
    owner: UserId,
    id: ApiKeyId,
    client: &Client,
) -> Result<(), AccountError> {
    conn.transaction(|conn| {
        let changed = diesel::update(
            api_keys::table
                .find(id)
                .filter(api_keys::user_id.eq(owner))
                .filter(api_keys::status.eq(ApiKeyStatus::Active)),
        )
        .set((
            api_keys::status.eq(ApiKeyStatus::Revoked),
            api_keys::revoked_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(AccountError::NotFound);
        }
        audit::record(
            conn,
            client,
            Some(owner),
            "api_key.revoked",
            Some(("api_key", &id.to_string())),
            json!({}),
        )?;
        Ok(())
    })
}

/// Marks every active key past its expiry as expired; returns how many.
#[tracing::instrument(level = "debug", skip_all)]
pub fn expire_due(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::update(api_keys::table)
        .filter(api_keys::status.eq(ApiKeyStatus::Active))
        .filter(api_keys::expires_at.le(diesel::dsl::now))
        .set(api_keys::status.eq(ApiKeyStatus::Expired))
        .execute(conn)
}
