//! `activity_logs`: user-facing activity feed per user and project (not the security audit, which lives in auth).

use crate::enums::ActivitySeverity;
use crate::ids::{ActivityLogId, ProjectId};
use crate::schema::activity_logs;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::Value;
use uuid::Uuid;

/// A row of `activity_logs`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = activity_logs, check_for_backend(diesel::pg::Pg))]
pub struct ActivityLog {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: ActivityLogId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. actor; NULL = system; kept as tombstone
    pub user_id: Option<UserId>,
    /// project context, if any
    pub project_id: Option<ProjectId>,
    /// e.g. specification.created (free text)
    pub action: String,
    /// e.g. specification (free text)
    pub resource_type: String,
    /// id of the resource
    pub resource_id: Option<Uuid>,
    /// display name at the time
    pub resource_name: Option<String>,
    /// human-readable line
    pub description: Option<String>,
    /// `{"before":…,"after":…}`
    pub changes: Value,
    /// importance of the event; one of: info, warning, error, critical
    pub severity: ActivitySeverity,
    /// client IP address
    pub ip_address: Option<IpNetwork>,
    /// client user agent
    pub user_agent: Option<String>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
}

/// A new row of `activity_logs`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = activity_logs)]
pub struct NewActivityLog<'a> {
    /// Primary key: pass `ActivityLogId::new()` (a UUIDv7).
    pub id: ActivityLogId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. actor; NULL = system; kept as tombstone. `None` = NULL.
    pub user_id: Option<UserId>,
    /// project context, if any. `None` = NULL.
    pub project_id: Option<ProjectId>,
    /// e.g. specification.created (free text)
    pub action: &'a str,
    /// e.g. specification (free text)
    pub resource_type: &'a str,
    /// id of the resource. `None` = NULL.
    pub resource_id: Option<Uuid>,
    /// display name at the time. `None` = NULL.
    pub resource_name: Option<&'a str>,
    /// human-readable line. `None` = NULL.
    pub description: Option<&'a str>,
    /// `{"before":…,"after":…}`. `None` = default ('{}'::jsonb).
    pub changes: Option<&'a Value>,
    /// importance of the event; one of: info, warning, error, critical. `None` = default ('info').
    pub severity: Option<ActivitySeverity>,
    /// client IP address. `None` = NULL.
    pub ip_address: Option<IpNetwork>,
    /// client user agent. `None` = NULL.
    pub user_agent: Option<&'a str>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewActivityLog<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: ActivityLogId, action: &'a str, resource_type: &'a str) -> Self {
        Self {
            id,
            action,
            resource_type,
            user_id: None,
            project_id: None,
            resource_id: None,
            resource_name: None,
            description: None,
            changes: None,
            severity: None,
            ip_address: None,
            user_agent: None,
            metadata: None,
            created_at: None,
        }
    }
}
