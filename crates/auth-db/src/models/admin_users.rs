//! `admin_users`: assignment of admin roles to users.

use crate::ids::{AdminGrantId, AdminRoleId};
use crate::schema::admin_users;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;

/// A row of `admin_users`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = admin_users, check_for_backend(diesel::pg::Pg))]
pub struct AdminGrant {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: AdminGrantId,
    /// user holding the role
    pub user_id: UserId,
    /// granted role
    pub role_id: AdminRoleId,
    /// admin who granted it
    pub granted_by_id: Option<UserId>,
    /// justification
    pub reason: Option<String>,
    /// NULL = grant active (re-grant clears it)
    pub revoked_at: Option<DateTime<Utc>>,
    /// grant time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `admin_users`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = admin_users)]
pub struct NewAdminGrant<'a> {
    /// Primary key: pass `AdminGrantId::new()` (a UUIDv7).
    pub id: AdminGrantId,
    /// user holding the role
    pub user_id: UserId,
    /// granted role
    pub role_id: AdminRoleId,
    /// admin who granted it. `None` = NULL.
    pub granted_by_id: Option<UserId>,
    /// justification. `None` = NULL.
    pub reason: Option<&'a str>,
    /// NULL = grant active (re-grant clears it). `None` = NULL.
    pub revoked_at: Option<DateTime<Utc>>,
    /// grant time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewAdminGrant<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: AdminGrantId, user_id: UserId, role_id: AdminRoleId) -> Self {
        Self {
            id,
            user_id,
            role_id,
            granted_by_id: None,
            reason: None,
            revoked_at: None,
            created_at: None,
        }
    }
}

/// Changes to a `admin_users` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = admin_users)]
pub struct AdminGrantChanges<'a> {
    /// user holding the role
    pub user_id: Option<UserId>,
    /// granted role
    pub role_id: Option<AdminRoleId>,
    /// admin who granted it
    pub granted_by_id: Option<Option<UserId>>,
    /// justification
    pub reason: Option<Option<&'a str>>,
    /// NULL = grant active (re-grant clears it)
    pub revoked_at: Option<Option<DateTime<Utc>>>,
}
