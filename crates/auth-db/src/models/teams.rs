//! `teams`: teams of users; lives in AUTH, so specs refers to it across databases.

use crate::enums::TeamStatus;
use crate::schema::teams;
use chrono::{DateTime, Utc};
use db_core::{TeamId, UserId};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `teams`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = teams, check_for_backend(diesel::pg::Pg))]
pub struct Team {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: TeamId,
    /// display name, unique per owner
    pub name: String,
    /// team description
    pub description: Option<String>,
    /// current owner (transferable)
    pub owner_id: UserId,
    /// team state; one of: active, archived, suspended
    pub status: TeamStatus,
    /// cached count of active members
    pub member_count: i32,
    /// cached count of projects shared with the team (specs)
    pub project_count: i32,
    /// team settings
    pub settings: Value,
    /// free metadata
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `teams`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = teams)]
pub struct NewTeam<'a> {
    /// Primary key: pass `TeamId::new()` (a UUIDv7).
    pub id: TeamId,
    /// display name, unique per owner
    pub name: &'a str,
    /// team description. `None` = NULL.
    pub description: Option<&'a str>,
    /// current owner (transferable)
    pub owner_id: UserId,
    /// team state; one of: active, archived, suspended. `None` = default ('active').
    pub status: Option<TeamStatus>,
    /// cached count of active members. `None` = default (1).
    pub member_count: Option<i32>,
    /// cached count of projects shared with the team (specs). `None` = default (0).
    pub project_count: Option<i32>,
    /// team settings. `None` = default ('{}'::jsonb).
    pub settings: Option<&'a Value>,
    /// free metadata. `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewTeam<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: TeamId, name: &'a str, owner_id: UserId) -> Self {
        Self {
            id,
            name,
            owner_id,
            description: None,
            status: None,
            member_count: None,
            project_count: None,
            settings: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `teams` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = teams)]
pub struct TeamChanges<'a> {
    /// display name, unique per owner
    pub name: Option<&'a str>,
    /// team description
    pub description: Option<Option<&'a str>>,
    /// current owner (transferable)
    pub owner_id: Option<UserId>,
    /// team state; one of: active, archived, suspended
    pub status: Option<TeamStatus>,
    /// cached count of active members
    pub member_count: Option<i32>,
    /// cached count of projects shared with the team (specs)
    pub project_count: Option<i32>,
    /// team settings
    pub settings: Option<&'a Value>,
    /// free metadata
    pub metadata: Option<&'a Value>,
}
