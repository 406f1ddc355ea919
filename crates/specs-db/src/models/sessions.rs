//! `sessions`: a conversation session inside a project.

use crate::enums::{SessionMode, SessionStatus};
use crate::ids::{ProjectId, SessionId};
use crate::schema::sessions;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `sessions`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg))]
pub struct Session {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: SessionId,
    /// owning project
    pub project_id: ProjectId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. user who ran the session
    pub user_id: Option<UserId>,
    /// session title
    pub title: Option<String>,
    /// conversation mode; one of: socratic, direct_chat
    pub mode: SessionMode,
    /// session state; one of: active, archived, completed
    pub status: SessionStatus,
    /// knowledge-domain key (free text)
    pub domain: Option<String>,
    /// role/persona the user takes (free text)
    pub role: Option<String>,
    /// cached message count
    pub message_count: i32,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// session start
    pub started_at: DateTime<Utc>,
    /// session end; NULL = still running
    pub ended_at: Option<DateTime<Utc>>,
    /// set when the session is archived
    pub archived_at: Option<DateTime<Utc>>,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `sessions`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    /// Primary key: pass `SessionId::new()` (a UUIDv7).
    pub id: SessionId,
    /// owning project
    pub project_id: ProjectId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. user who ran the session. `None` = NULL.
    pub user_id: Option<UserId>,
    /// session title. `None` = NULL.
    pub title: Option<&'a str>,
    /// conversation mode; one of: socratic, direct_chat. `None` = default ('socratic').
    pub mode: Option<SessionMode>,
    /// session state; one of: active, archived, completed. `None` = default ('active').
    pub status: Option<SessionStatus>,
    /// knowledge-domain key (free text). `None` = NULL.
    pub domain: Option<&'a str>,
    /// role/persona the user takes (free text). `None` = NULL.
    pub role: Option<&'a str>,
    /// cached message count. `None` = default (0).
    pub message_count: Option<i32>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// session start. `None` = default (now()).
    pub started_at: Option<DateTime<Utc>>,
    /// session end; NULL = still running. `None` = NULL.
    pub ended_at: Option<DateTime<Utc>>,
    /// set when the session is archived. `None` = NULL.
    pub archived_at: Option<DateTime<Utc>>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewSession<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: SessionId, project_id: ProjectId) -> Self {
        Self {
            id,
            project_id,
            user_id: None,
            title: None,
            mode: None,
            status: None,
            domain: None,
            role: None,
            message_count: None,
            metadata: None,
            started_at: None,
            ended_at: None,
            archived_at: None,
            created_at: None,
        }
    }
}

/// Changes to a `sessions` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = sessions)]
pub struct SessionChanges<'a> {
    /// owning project
    pub project_id: Option<ProjectId>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. user who ran the session
    pub user_id: Option<Option<UserId>>,
    /// session title
    pub title: Option<Option<&'a str>>,
    /// conversation mode; one of: socratic, direct_chat
    pub mode: Option<SessionMode>,
    /// session state; one of: active, archived, completed
    pub status: Option<SessionStatus>,
    /// knowledge-domain key (free text)
    pub domain: Option<Option<&'a str>>,
    /// role/persona the user takes (free text)
    pub role: Option<Option<&'a str>>,
    /// cached message count
    pub message_count: Option<i32>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
    /// session start
    pub started_at: Option<DateTime<Utc>>,
    /// session end; NULL = still running
    pub ended_at: Option<Option<DateTime<Utc>>>,
    /// set when the session is archived
    pub archived_at: Option<Option<DateTime<Utc>>>,
}
