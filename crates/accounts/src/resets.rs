//! Password resets: single-use, expiring tokens, stored as SHA-256.

use auth_db::enums::UserStatus;
use auth_db::ids::PasswordResetRequestId;
use auth_db::models::{NewPasswordResetRequest, PasswordResetRequest};
use auth_db::schema::{password_reset_requests, users};
use chrono::{Duration, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Client};
use crate::secret::{ExposeSecret, SecretString, random_token, token_hash};
use crate::{AccountError, email, password, tokens};

/// Starts a reset: returns the token to e-mail when an active account has this
/// address, `None` otherwise (callers answer the same either way).
#[tracing::instrument(level = "debug", skip_all)]
pub fn request(
    conn: &mut PgConnection,
    email: &str,
    ttl: Duration,
    client: &Client,
) -> Result<Option<SecretString>, AccountError> {
    let email = email::normalize(email)?;
    conn.transaction(|conn| {
        let user: Option<(UserId, UserStatus)> = users::table
            .filter(users::email.eq(&email))
            .select((users::id, users::status))
            .first(conn)
            .optional()?;
        let Some((user, UserStatus::Active)) = user else {
            audit::record(
                conn,
                client,
                None,
                "password.reset_requested",
                None,
                json!({ "email": email, "sent": false }),
            )?;
            return Ok(None);
        };
        let token = random_token();
        let hash = token_hash(token.expose_secret());
        let id = PasswordResetRequestId::new();
        diesel::insert_into(password_reset_requests::table)
            .values(NewPasswordResetRequest {
                ip_address: client.ip,
                user_agent: client.user_agent.as_deref(),
                ..NewPasswordResetRequest::new(id, user, &hash, Utc::now() + ttl)
            })
            .execute(conn)?;
        audit::record(
            conn,
            client,
            Some(user),
            "password.reset_requested",
            Some(("password_reset", &id.to_string())),
            json!({ "sent": true }),
        )?;
        Ok(Some(token))
    })
}

/// Uses up every pending reset token of a user (a password change or a completed
/// reset makes them void); returns how many.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn invalidate_pending(conn: &mut PgConnection, user: UserId) -> QueryResult<usize> {
    diesel::update(password_reset_requests::table)
        .filter(password_reset_requests::user_id.eq(user))
        .filter(password_reset_requests::used_at.is_null())
        .set(password_reset_requests::used_at.eq(diesel::dsl::now))
        .execute(conn)
}

/// Completes a reset: the token is used up, the password replaced, the failed-login
/// lock lifted, every refresh token and every other pending reset of the user revoked.
///
/// Only an active account can be reset: a suspended, inactive or deleted user's
/// token is refused and nothing changes.
#[tracing::instrument(level = "debug", skip_all)]
pub fn complete(
    conn: &mut PgConnection,
    token: &str,
    new_password: &str,
    client: &Client,
) -> Result<UserId, AccountError> {
    password::check_policy(new_password)?;
    let hash = token_hash(token);
    conn.transaction(|conn| {
        let request: PasswordResetRequest = password_reset_requests::table
            .filter(password_reset_requests::token_hash.eq(hash.as_slice()))
            .select(PasswordResetRequest::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(AccountError::TokenUnknown)?;
        if request.used_at.is_some() {
            return Err(AccountError::TokenUsed);
        }
        if request.expires_at <= Utc::now() {
            return Err(AccountError::TokenExpired);
        }
        let status: UserStatus = users::table
            .find(request.user_id)
            .select(users::status)
            .for_update()
            .first(conn)?;
        if status != UserStatus::Active {
            return Err(AccountError::NotActive(status));
        }
        let new_hash = password::hash(new_password)?;
        diesel::update(password_reset_requests::table.find(request.id))
            .set(password_reset_requests::used_at.eq(diesel::dsl::now))
            .execute(conn)?;
        let voided = invalidate_pending(conn, request.user_id)?;
        diesel::update(users::table.find(request.user_id))
            .set((
                users::password_hash.eq(&new_hash),
                users::failed_login_count.eq(0),
                users::locked_until.eq(None::<chrono::DateTime<Utc>>),
            ))
            .execute(conn)?;
        let revoked = tokens::revoke_all(conn, request.user_id)?;
        audit::record(
            conn,
            client,
            Some(request.user_id),
            "password.reset",
            Some(("password_reset", &request.id.to_string())),
            json!({ "revoked_refresh_tokens": revoked, "voided_resets": voided }),
        )?;
        Ok(request.user_id)
    })
}
