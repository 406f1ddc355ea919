//! `users`: user accounts and login state.

use crate::enums::{UserRole, UserStatus};
use crate::schema::users;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: UserId,
    /// login e-mail, stored lowercase
    pub email: String,
    /// optional unique handle
    pub username: Option<String>,
    /// PHC-format hash (argon2id; bcrypt accepted)
    pub password_hash: String,
    /// given name
    pub first_name: Option<String>,
    /// family name
    pub last_name: Option<String>,
    /// profile text
    pub bio: Option<String>,
    /// profile image URL
    pub avatar_url: Option<String>,
    /// platform role; one of: user, admin, moderator
    pub role: UserRole,
    /// account state; only `active` may log in; one of: active, inactive, suspended, deleted
    pub status: UserStatus,
    /// e-mail address verified
    pub is_verified: bool,
    /// consecutive failed logins; reset on success
    pub failed_login_count: i32,
    /// logins refused until this time
    pub locked_until: Option<DateTime<Utc>>,
    /// last successful login
    pub last_login_at: Option<DateTime<Utc>>,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `users`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    /// Primary key: pass `UserId::new()` (a UUIDv7).
    pub id: UserId,
    /// login e-mail, stored lowercase
    pub email: &'a str,
    /// optional unique handle. `None` = NULL.
    pub username: Option<&'a str>,
    /// PHC-format hash (argon2id; bcrypt accepted)
    pub password_hash: &'a str,
    /// given name. `None` = NULL.
    pub first_name: Option<&'a str>,
    /// family name. `None` = NULL.
    pub last_name: Option<&'a str>,
    /// profile text. `None` = NULL.
    pub bio: Option<&'a str>,
    /// profile image URL. `None` = NULL.
    pub avatar_url: Option<&'a str>,
    /// platform role; one of: user, admin, moderator. `None` = default ('user').
    pub role: Option<UserRole>,
    /// account state; only `active` may log in; one of: active, inactive, suspended, deleted. `None` = default ('active').
    pub status: Option<UserStatus>,
    /// e-mail address verified. `None` = default (false).
    pub is_verified: Option<bool>,
    /// consecutive failed logins; reset on success. `None` = default (0).
    pub failed_login_count: Option<i32>,
    /// logins refused until this time. `None` = NULL.
    pub locked_until: Option<DateTime<Utc>>,
    /// last successful login. `None` = NULL.
    pub last_login_at: Option<DateTime<Utc>>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewUser<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: UserId, email: &'a str, password_hash: &'a str) -> Self {
        Self {
            id,
            email,
            password_hash,
            username: None,
            first_name: None,
            last_name: None,
            bio: None,
            avatar_url: None,
            role: None,
            status: None,
            is_verified: None,
            failed_login_count: None,
            locked_until: None,
            last_login_at: None,
            created_at: None,
        }
    }
}

/// Changes to a `users` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges<'a> {
    /// login e-mail, stored lowercase
    pub email: Option<&'a str>,
    /// optional unique handle
    pub username: Option<Option<&'a str>>,
    /// PHC-format hash (argon2id; bcrypt accepted)
    pub password_hash: Option<&'a str>,
    /// given name
    pub first_name: Option<Option<&'a str>>,
    /// family name
    pub last_name: Option<Option<&'a str>>,
    /// profile text
    pub bio: Option<Option<&'a str>>,
    /// profile image URL
    pub avatar_url: Option<Option<&'a str>>,
    /// platform role; one of: user, admin, moderator
    pub role: Option<UserRole>,
    /// account state; only `active` may log in; one of: active, inactive, suspended, deleted
    pub status: Option<UserStatus>,
    /// e-mail address verified
    pub is_verified: Option<bool>,
    /// consecutive failed logins; reset on success
    pub failed_login_count: Option<i32>,
    /// logins refused until this time
    pub locked_until: Option<Option<DateTime<Utc>>>,
    /// last successful login
    pub last_login_at: Option<Option<DateTime<Utc>>>,
}
