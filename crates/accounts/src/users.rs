//! Registration and login.

use auth_db::enums::UserStatus;
use auth_db::ids::RefreshTokenId;
use auth_db::models::{NewUser, User};
use auth_db::schema::{audit_logs, users};
use chrono::{Duration, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Client};
use crate::password::{self, Verified};
use crate::{AccountError, check_len, email, resets, tokens};

/// What a new account starts with (`Debug` redacts the password).
#[derive(Clone, Copy, Default)]
pub struct Registration<'a> {
    /// Login e-mail (normalised to lowercase).
    pub email: &'a str,
    /// Password (hashed with Argon2id; never stored).
    pub password: &'a str,
    /// Optional unique handle.
    pub username: Option<&'a str>,
    /// Given name.
    pub first_name: Option<&'a str>,
    /// Family name.
    pub last_name: Option<&'a str>,
}

impl std::fmt::Debug for Registration<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("email", &self.email)
            .field("password", &"[REDACTED]")
            .field("username", &self.username)
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .finish()
    }
}

/// How failed logins are throttled, per account and per client.
///
/// `max_failures` consecutive failures lock the account for `lock_for`. The lock
/// keeps out every client except the account's own known clients (an IP
/// address that logged in to it successfully within `known_client_for`), so a
/// stranger who locks an account does not keep its owner out; attempts refused
/// by a lock are not counted, so they do not extend it. Separately, a client
/// (IP address) with `max_client_failures` failures within `client_window`,
/// over all accounts, is refused until its failures age out of the window.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Consecutive failures that lock the account.
    pub max_failures: i32,
    /// How long a lock lasts.
    pub lock_for: Duration,
    /// Failures of one client address, over all accounts, that refuse it.
    pub max_client_failures: i64,
    /// The window in which a client's failures are counted.
    pub client_window: Duration,
    /// How long a successful login makes a client known to an account.
    pub known_client_for: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lock_for: Duration::minutes(15),
            max_client_failures: 20,
            client_window: Duration::minutes(15),
            known_client_for: Duration::days(30),
        }
    }
}

/// Creates an account; the e-mail is normalised and the password hashed.
#[tracing::instrument(level = "debug", skip_all)]
pub fn register(
    conn: &mut PgConnection,
    registration: &Registration<'_>,
    client: &Client,
) -> Result<User, AccountError> {
    let email = email::normalize(registration.email)?;
    password::check_policy(registration.password)?;
    for (field, value) in [
        ("username", registration.username),
        ("first_name", registration.first_name),
        ("last_name", registration.last_name),
    ] {
        if let Some(value) = value {
            check_len(field, value, 255)?;
        }
    }
    let hash = password::hash(registration.password)?;
    conn.transaction(|conn| {
        let user: User = diesel::insert_into(users::table)
            .values(NewUser {
                username: registration.username,
                first_name: registration.first_name,
                last_name: registration.last_name,
                ..NewUser::new(UserId::new(), &email, &hash)
            })
            .returning(User::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            client,
            Some(user.id),
            "user.registered",
            Some(("user", &user.id.to_string())),
            json!({}),
        )?;
        Ok(user)
    })
}

/// Requires `user` to exist with status `active`.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn require_active(conn: &mut PgConnection, user: UserId) -> Result<(), AccountError> {
    let status: Option<UserStatus> = users::table
        .find(user)
        .select(users::status)
        .first(conn)
        .optional()?;
    match status {
        None => Err(AccountError::UnknownUser(user)),
        Some(UserStatus::Active) => Ok(()),
        Some(other) => Err(AccountError::NotActive(other)),
    }
}

/// Finds a user by e-mail (any case).
#[tracing::instrument(level = "debug", skip_all)]
pub fn find_by_email(conn: &mut PgConnection, email: &str) -> Result<Option<User>, AccountError> {
    let email = email::normalize(email)?;
    Ok(users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

enum Attempt {
    Success(Box<User>),
    Refused(AccountError),
}

/// Failed logins from `client`'s address within the policy's window, over all accounts.
fn client_failures(
    conn: &mut PgConnection,
    client: &Client,
    policy: &LoginPolicy,
) -> QueryResult<i64> {
    let Some(ip) = client.ip else {
        return Ok(0);
    };
    audit_logs::table
        .filter(audit_logs::action.eq(audit::LOGIN_FAILED))
        .filter(audit_logs::ip_address.eq(ip))
        .filter(audit_logs::created_at.gt(Utc::now() - policy.client_window))
        .count()
        .get_result(conn)
}

/// True when `client`'s address logged in to `user` within the policy's window.
fn known_client(
    conn: &mut PgConnection,
    user: UserId,
    client: &Client,
    policy: &LoginPolicy,
) -> QueryResult<bool> {
    let Some(ip) = client.ip else {
        return Ok(false);
    };
    diesel::select(diesel::dsl::exists(
        audit_logs::table
            .filter(audit_logs::user_id.eq(user))
            .filter(audit_logs::action.eq(audit::LOGIN))
            .filter(audit_logs::ip_address.eq(ip))
            .filter(audit_logs::created_at.gt(Utc::now() - policy.known_client_for)),
    ))
    .get_result(conn)
}

/// Checks an e-mail and password.
///
/// An unknown e-mail, a wrong password, a locked account and a throttled client
/// all give [`AccountError::InvalidCredentials`] through the same work (one
/// password verification each, one audit row): the caller cannot tell them
/// apart, so failures reveal neither which addresses have accounts nor which
/// accounts are locked. See [`LoginPolicy`] for how failures are throttled; a
/// success resets the account's count and rehashes the password when the
/// hashing parameters changed. Only with the right password does an account
/// that is not active say so ([`AccountError::NotActive`]).
#[tracing::instrument(level = "debug", skip_all)]
pub fn login(
    conn: &mut PgConnection,
    email: &str,
    password: &str,
    client: &Client,
    policy: &LoginPolicy,
) -> Result<User, AccountError> {
    // A malformed address is refused before anything is read or written: its
    // format is no secret. Well-formed but unknown addresses share the path of
    // a wrong password.
    let normalized = email::normalize(email)?;
    let attempt = conn.transaction::<Attempt, AccountError, _>(|conn| {
        let throttled = client_failures(conn, client, policy)? >= policy.max_client_failures;
        let user: Option<User> = users::table
            .filter(users::email.eq(&normalized))
            .select(User::as_select())
            .for_update()
            .first(conn)
            .optional()?;
        let Some(user) = user else {
            password::verify_dummy(password);
            let reason = if throttled {
                "throttled"
            } else {
                "credentials"
            };
            audit::record(
                conn,
                client,
                None,
                audit::LOGIN_FAILED,
                None,
                json!({ "email": normalized, "reason": reason }),
            )?;
            return Ok(Attempt::Refused(AccountError::InvalidCredentials));
        };
        let now = Utc::now();
        let verified = password::verify(password, &user.password_hash);
        let locked = user.locked_until.is_some_and(|until| until > now)
            && !known_client(conn, user.id, client, policy)?;
        if throttled || locked {
            // Refused whatever the password; not counted, so a lock is not extended.
            let reason = if throttled { "throttled" } else { "locked" };
            audit::record(
                conn,
                client,
                Some(user.id),
                audit::LOGIN_FAILED,
                None,
                json!({ "reason": reason }),
            )?;
            return Ok(Attempt::Refused(AccountError::InvalidCredentials));
        }
        match verified {
            Verified::Mismatch => {
                let failures = user.failed_login_count + 1;
                let lock = failures >= policy.max_failures;
                // A new lock starts a new count: after it lapses, locking the
                // account again takes `max_failures` more failures.
                let (count, locked_until) = if lock {
                    (0, Some(now + policy.lock_for))
                } else {
                    (failures, user.locked_until)
                };
                diesel::update(users::table.find(user.id))
                    .set((
                        users::failed_login_count.eq(count),
                        users::locked_until.eq(locked_until),
                    ))
                    .execute(conn)?;
                audit::record(
                    conn,
                    client,
                    Some(user.id),
                    audit::LOGIN_FAILED,
                    None,
                    json!({ "reason": "credentials", "failures": failures }),
                )?;
                if lock {
                    audit::record(
                        conn,
                        client,
                        Some(user.id),
                        "user.locked",
                        None,
                        json!({ "until": locked_until }),
                    )?;
                }
                Ok(Attempt::Refused(AccountError::InvalidCredentials))
            }
            Verified::Match { .. } if user.status != UserStatus::Active => {
                audit::record(
                    conn,
                    client,
                    Some(user.id),
                    audit::LOGIN_FAILED,
                    None,
                    json!({ "reason": user.status }),
                )?;
                Ok(Attempt::Refused(AccountError::NotActive(user.status)))
            }
            Verified::Match { rehash } => {
                let new_hash = if rehash {
                    Some(password::hash(password)?)
                } else {
                    None
                };
                let user: User = diesel::update(users::table.find(user.id))
                    .set((
                        users::failed_login_count.eq(0),
                        users::locked_until.eq(None::<chrono::DateTime<Utc>>),
                        users::last_login_at.eq(now),
                        users::password_hash.eq(new_hash.as_deref().unwrap_or(&user.password_hash)),
                    ))
                    .returning(User::as_returning())
                    .get_result(conn)?;
                audit::record(
                    conn,
                    client,
                    Some(user.id),
                    audit::LOGIN,
                    None,
                    json!({ "rehashed": rehash }),
                )?;
                Ok(Attempt::Success(Box::new(user)))
            }
        }
    })?;
    match attempt {
        Attempt::Success(user) => Ok(*user),
        Attempt::Refused(err) => Err(err),
    }
}

/// Sets a user's password (already authenticated by the caller), audited.
///
/// Every refresh token of the user is revoked, except those of the family
/// `keep_session` when the caller names one (the session making the change
/// stays logged in); every pending password reset is voided. A stolen refresh
/// token or reset link does not outlive the change.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn set_password(
    conn: &mut PgConnection,
    user: UserId,
    new_password: &str,
    keep_session: Option<RefreshTokenId>,
    client: &Client,
) -> Result<(), AccountError> {
    password::check_policy(new_password)?;
    let hash = password::hash(new_password)?;
    conn.transaction(|conn| {
        let changed = diesel::update(users::table.find(user))
            .set(users::password_hash.eq(&hash))
            .execute(conn)?;
        if changed == 0 {
            return Err(AccountError::UnknownUser(user));
        }
        let revoked = tokens::revoke_all_but(conn, user, keep_session)?;
        let voided = resets::invalidate_pending(conn, user)?;
        audit::record(
            conn,
            client,
            Some(user),
            "user.password_changed",
            None,
            json!({ "revoked_refresh_tokens": revoked, "voided_resets": voided, "kept_family": keep_session }),
        )?;
        Ok(())
    })
}
