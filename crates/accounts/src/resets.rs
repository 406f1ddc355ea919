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
use crate::secret::{random_token, token_hash};
use crate::{AccountError, email, password, tokens};

/// Starts a reset: returns the token to e-mail when an active account has this
/// address, `None` otherwise (callers answer the same either way).
pub fn request(
    conn: &mut PgConnection,
    email: &str,
    ttl: Duration,
    client: &Client,
) -> Result<Option<String>, AccountError> {
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
        let hash = token_hash(&token);
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

/// Completes a reset: the token is used up, the password replaced, the failed-login
/// lock lifted, and every refresh token of the user revoked.
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
        let new_hash = password::hash(new_password)?;
        diesel::update(password_reset_requests::table.find(request.id))
            .set(password_reset_requests::used_at.eq(diesel::dsl::now))
            .execute(conn)?;
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
            json!({ "revoked_refresh_tokens": revoked }),
        )?;
        Ok(request.user_id)
    })
}
