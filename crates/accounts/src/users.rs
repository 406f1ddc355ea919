//! Registration and login.

use auth_db::enums::UserStatus;
use auth_db::models::{NewUser, User};
use auth_db::schema::users;
use chrono::{Duration, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Client};
use crate::password::{self, Verified};
use crate::{AccountError, check_len, email};

/// What a new account starts with.
#[derive(Debug, Clone, Copy, Default)]
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

/// When repeated failures lock an account.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Consecutive failures that lock the account.
    pub max_failures: i32,
    /// How long a lock lasts.
    pub lock_for: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lock_for: Duration::minutes(15),
        }
    }
}

/// Creates an account; the e-mail is normalised and the password hashed.
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

/// Checks an e-mail and password.
///
/// An unknown e-mail and a wrong password give the same error through the same
/// path (one password verification each). Failures are counted per account and
/// lock it for `policy.lock_for` after `policy.max_failures`; a success resets
/// the count and rehashes the password when the hashing parameters changed.
/// Every attempt is audited.
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
        let user: Option<User> = users::table
            .filter(users::email.eq(&normalized))
            .select(User::as_select())
            .for_update()
            .first(conn)
            .optional()?;
        let Some(user) = user else {
            password::verify_dummy(password);
            audit::record(
                conn,
                client,
                None,
                "user.login_failed",
                None,
                json!({ "email": normalized, "reason": "credentials" }),
            )?;
            return Ok(Attempt::Refused(AccountError::InvalidCredentials));
        };
        let now = Utc::now();
        if let Some(until) = user.locked_until.filter(|until| *until > now) {
            audit::record(
                conn,
                client,
                Some(user.id),
                "user.login_failed",
                None,
                json!({ "reason": "locked" }),
            )?;
            return Ok(Attempt::Refused(AccountError::Locked { until }));
        }
        match password::verify(password, &user.password_hash) {
            Verified::Mismatch => {
                let failures = user.failed_login_count + 1;
                let locked_until = (failures >= policy.max_failures).then(|| now + policy.lock_for);
                diesel::update(users::table.find(user.id))
                    .set((
                        users::failed_login_count.eq(failures),
                        users::locked_until.eq(locked_until.or(user.locked_until)),
                    ))
                    .execute(conn)?;
                audit::record(
                    conn,
                    client,
                    Some(user.id),
                    "user.login_failed",
                    None,
                    json!({ "reason": "credentials", "failures": failures }),
                )?;
                if let Some(until) = locked_until {
                    audit::record(
                        conn,
                        client,
                        Some(user.id),
                        "user.locked",
                        None,
                        json!({ "until": until }),
                    )?;
                }
                Ok(Attempt::Refused(AccountError::InvalidCredentials))
            }
            Verified::Match { .. } if user.status != UserStatus::Active => {
                audit::record(
                    conn,
                    client,
                    Some(user.id),
                    "user.login_failed",
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
                    "user.login",
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
pub fn set_password(
    conn: &mut PgConnection,
    user: UserId,
    new_password: &str,
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
        audit::record(
            conn,
            client,
            Some(user),
            "user.password_changed",
            None,
            json!({}),
        )?;
        Ok(())
    })
}
