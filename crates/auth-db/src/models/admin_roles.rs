//! `admin_roles`: named admin roles with permission lists.

use crate::ids::AdminRoleId;
use crate::schema::admin_roles;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// A row of `admin_roles`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = admin_roles, check_for_backend(diesel::pg::Pg))]
pub struct AdminRole {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: AdminRoleId,
    /// role name
    pub name: String,
    /// what the role is for
    pub description: Option<String>,
    /// permission strings (e.g. `users.suspend`)
    pub permissions: Vec<String>,
    /// built-in role; the app refuses to delete it
    pub is_system_role: bool,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `admin_roles`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = admin_roles)]
pub struct NewAdminRole<'a> {
    /// Primary key: pass `AdminRoleId::new()` (a UUIDv7).
    pub id: AdminRoleId,
    /// role name
    pub name: &'a str,
    /// what the role is for. `None` = NULL.
    pub description: Option<&'a str>,
    /// permission strings (e.g. `users.suspend`). `None` = default ('{}'::text[]).
    pub permissions: Option<&'a [String]>,
    /// built-in role; the app refuses to delete it. `None` = default (false).
    pub is_system_role: Option<bool>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewAdminRole<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: AdminRoleId, name: &'a str) -> Self {
        Self {
            id,
            name,
            description: None,
            permissions: None,
            is_system_role: None,
            created_at: None,
        }
    }
}

/// Changes to a `admin_roles` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = admin_roles)]
pub struct AdminRoleChanges<'a> {
    /// role name
    pub name: Option<&'a str>,
    /// what the role is for
    pub description: Option<Option<&'a str>>,
    /// permission strings (e.g. `users.suspend`)
    pub permissions: Option<&'a [String]>,
    /// built-in role; the app refuses to delete it
    pub is_system_role: Option<bool>,
}
