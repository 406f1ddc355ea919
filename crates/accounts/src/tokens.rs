//! Refresh tokens: 256 random bits handed out once, stored as SHA-256.
//!
//! Rotation is atomic: the presented token is locked, a successor is issued in
//! the same family and the old token is revoked pointing at it. Presenting a
//! token that was already rotated is reuse (a stolen token, or a replay): the
//! whole family is revoked and the event audited.

use auth_db::enums::UserStatus;
use auth_db::ids::RefreshTokenId;
use auth_db::models::{NewRefreshToken, RefreshToken};
use auth_db::schema::{refresh_tokens, users};
use chrono::{DateTime, Duration, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::json;

use crate::AccountError;
use crate::audit::{self, Client};
use crate::secret::{ExposeSecret, SecretString, random_token, token_hash};

/// A refresh token as handed to the client (the only time `token` exists in clear).
///
/// `Debug` shows `token` as `[REDACTED]`.
#[derive(Debug, Clone)]
pub struct Issued {
    /// Row id (the JWT `jti`).
    pub id: RefreshTokenId,
    /// The secret to give the client.
    pub token: SecretString,
    /// Rotation family (id of its first token).
    pub family_id: RefreshTokenId,
    /// Owner.
    pub user_id: UserId,
    /// Hard expiry.
    pub expires_at: DateTime<Utc>,
}

fn insert(
    conn: &mut PgConnection,
    user: UserId,
    family: Option<RefreshTokenId>,
    ttl: Duration,
    client: &Client,
) -> QueryResult<Issued> {
    let id = RefreshTokenId::new();
    let family_id = family.unwrap_or(id);
    let token = random_token();
    let hash = token_hash(token.expose_secret());
    let expires_at = Utc::now() + ttl;
    diesel::insert_into(refresh_tokens::table)
        .values(NewRefreshToken {
            user_agent: client.user_agent.as_deref(),
            ip_address: client.ip,
            ..NewRefreshToken::new(id, user, &hash, family_id, expires_at)
        })
        .execute(conn)?;
    Ok(Issued {
        id,
        token,
        family_id,
        user_id: user,
        expires_at,
    })
}

/// Starts a new family for a user who just logged in.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn issue(
    conn: &mut PgConnection,
    user: UserId,
    ttl: Duration,
    client: &Client,
) -> Result<Issued, AccountError> {
    conn.transaction(|conn| {
        crate::users::require_active(conn, user)?;
        let issued = insert(conn, user, None, ttl, client)?;
        audit::record(
            conn,
            client,
            Some(user),
            "token.issued",
            Some(("refresh_token", &issued.id.to_string())),
            json!({}),
        )?;
        Ok(issued)
    })
}

enum Rotation {
    Rotated(Issued),
    Refused(AccountError),
}

/// Exchanges a refresh token for its successor; see the module documentation.
#[tracing::instrument(level = "debug", skip_all)]
pub fn rotate(
    conn: &mut PgConnection,
    token: &str,
    ttl: Duration,
    client: &Client,
) -> Result<Issued, AccountError> {
    let hash = token_hash(token);
    let outcome = conn.transaction::<Rotation, AccountError, _>(|conn| {
        let Some(current) = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(hash.as_slice()))
            .select(RefreshToken::as_select())
            .for_update()
            .first(conn)
            .optional()?
        else {
            return Ok(Rotation::Refused(AccountError::TokenUnknown));
        };
        if current.revoked_at.is_some() {
            if current.replaced_by.is_none() {
                return Ok(Rotation::Refused(AccountError::TokenRevoked));
            }
            let revoked = diesel::update(refresh_tokens::table)
                .filter(refresh_tokens::family_id.eq(current.family_id))
                .filter(refresh_tokens::revoked_at.is_null())
                .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
                .execute(conn)?;
            audit::record(
                conn,
                client,
                Some(current.user_id),
                "token.reuse_detected",
                Some(("refresh_token", &current.id.to_string())),
                json!({ "family_id": current.family_id, "revoked": revoked }),
            )?;
            return Ok(Rotation::Refused(AccountError::TokenReused));
        }
        if current.expires_at <= Utc::now() {
            return Ok(Rotation::Refused(AccountError::TokenExpired));
        }
        let status: UserStatus = users::table
            .find(current.user_id)
            .select(users::status)
            .first(conn)?;
        if status != UserStatus::Active {
            return Ok(Rotation::Refused(AccountError::NotActive(status)));
        }
        let next = insert(conn, current.user_id, Some(current.family_id), ttl, client)?;
        diesel::update(refresh_tokens::table.find(current.id))
            .set((
                refresh_tokens::revoked_at.eq(diesel::dsl::now),
                refresh_tokens::replaced_by.eq(next.id),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            client,
            Some(current.user_id),
            "token.rotated",
            Some(("refresh_token", &next.id.to_string())),
            json!({ "previous": current.id }),
        )?;
        Ok(Rotation::Rotated(next))
    })?;
    match outcome {
        Rotation::Rotated(next) => Ok(next),
        Rotation::Refused(err) => Err(err),
    }
}

/// Revokes one token (logout); unknown tokens are an error, already revoked ones are not.
#[tracing::instrument(level = "debug", skip_all)]
pub fn revoke(conn: &mut PgConnection, token: &str, client: &Client) -> Result<(), AccountError> {
    let hash = token_hash(token);
    conn.transaction(|conn| {
        let row: Option<(RefreshTokenId, UserId)> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(hash.as_slice()))
            .select((refresh_tokens::id, refresh_tokens::user_id))
            .first(conn)
            .optional()?;
        let (id, user) = row.ok_or(AccountError::TokenUnknown)?;
        diesel::update(
            refresh_tokens::table
                .find(id)
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
        .execute(conn)?;
        audit::record(
            conn,
            client,
            Some(user),
            "token.revoked",
            Some(("refresh_token", &id.to_string())),
            json!({}),
        )?;
        Ok(())
    })
}

/// Revokes every live token of a user (logout everywhere, password reset); returns how many.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn revoke_all(conn: &mut PgConnection, user: UserId) -> QueryResult<usize> {
    revoke_all_but(conn, user, None)
}

/// Revokes every live token of a user except those of the family `keep`
/// (the session that is changing the password); returns how many.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn revoke_all_but(
    conn: &mut PgConnection,
    user: UserId,
    keep: Option<RefreshTokenId>,
) -> QueryResult<usize> {
    diesel::update(refresh_tokens::table)
        .filter(refresh_tokens::user_id.eq(user))
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::family_id.nullable().is_distinct_from(keep))
        .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
        .execute(conn)
}
