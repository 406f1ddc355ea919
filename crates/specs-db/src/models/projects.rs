//! `projects`: a user's specification project; root of almost all specs data.

use crate::enums::{ProjectPhase, ProjectStatus};
use crate::ids::ProjectId;
use crate::schema::projects;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `projects`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = projects, check_for_backend(diesel::pg::Pg))]
pub struct Project {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: ProjectId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. current owner
    pub owner_id: UserId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. original creator (immutable)
    pub creator_id: UserId,
    /// project name
    pub name: String,
    /// project description
    pub description: Option<String>,
    /// workflow phase; one of: discovery, analysis, design, implementation
    pub current_phase: ProjectPhase,
    /// lifecycle state; one of: active, archived, completed, on_hold
    pub status: ProjectStatus,
    /// overall maturity 0–100
    pub maturity_score: f64,
    /// chosen technologies `{"name":"version"}`
    pub technology_stack: Value,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// set when status becomes 'archived'
    pub archived_at: Option<DateTime<Utc>>,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `projects`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = projects)]
pub struct NewProject<'a> {
    /// Primary key: pass `ProjectId::new()` (a UUIDv7).
    pub id: ProjectId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. current owner
    pub owner_id: UserId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. original creator (immutable)
    pub creator_id: UserId,
    /// project name
    pub name: &'a str,
    /// project description. `None` = NULL.
    pub description: Option<&'a str>,
    /// workflow phase; one of: discovery, analysis, design, implementation. `None` = default ('discovery').
    pub current_phase: Option<ProjectPhase>,
    /// lifecycle state; one of: active, archived, completed, on_hold. `None` = default ('active').
    pub status: Option<ProjectStatus>,
    /// overall maturity 0–100. `None` = default (0).
    pub maturity_score: Option<f64>,
    /// chosen technologies `{"name":"version"}`. `None` = default ('{}'::jsonb).
    pub technology_stack: Option<&'a Value>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// set when status becomes 'archived'. `None` = NULL.
    pub archived_at: Option<DateTime<Utc>>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewProject<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: ProjectId, owner_id: UserId, creator_id: UserId, name: &'a str) -> Self {
        Self {
            id,
            owner_id,
            creator_id,
            name,
            description: None,
            current_phase: None,
            status: None,
            maturity_score: None,
            technology_stack: None,
            metadata: None,
            archived_at: None,
            created_at: None,
        }
    }
}

/// Changes to a `projects` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = projects)]
pub struct ProjectChanges<'a> {
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. current owner
    pub owner_id: Option<UserId>,
    /// project name
    pub name: Option<&'a str>,
    /// project description
    pub description: Option<Option<&'a str>>,
    /// workflow phase; one of: discovery, analysis, design, implementation
    pub current_phase: Option<ProjectPhase>,
    /// lifecycle state; one of: active, archived, completed, on_hold
    pub status: Option<ProjectStatus>,
    /// overall maturity 0–100
    pub maturity_score: Option<f64>,
    /// chosen technologies `{"name":"version"}`
    pub technology_stack: Option<&'a Value>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
    /// set when status becomes 'archived'
    pub archived_at: Option<Option<DateTime<Utc>>>,
}
