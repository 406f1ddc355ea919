//! The user-facing activity feed (not the security audit, which lives in auth).

use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;
use specs_db::enums::ActivitySeverity;
use specs_db::ids::{ActivityLogId, ProjectId};
use specs_db::models::{ActivityLog, NewActivityLog};
use specs_db::schema::activity_logs;

use crate::{UsageError, check_text};

/// One event.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    /// Actor; `None` = the system.
    pub user: Option<UserId>,
    /// Project context.
    pub project: Option<ProjectId>,
    /// E.g. `specification.created`.
    pub action: &'a str,
    /// E.g. `specification`.
    pub resource_type: &'a str,
    /// The resource's id.
    pub resource_id: Option<uuid::Uuid>,
    /// Its display name at the time.
    pub resource_name: Option<&'a str>,
    /// A human-readable line.
    pub description: Option<&'a str>,
    /// `{"before": ..., "after": ...}`.
    pub changes: Option<&'a Value>,
    /// Importance.
    pub severity: ActivitySeverity,
}

impl<'a> Event<'a> {
    /// An informational event.
    pub fn new(action: &'a str, resource_type: &'a str) -> Self {
        Self {
            user: None,
            project: None,
            action,
            resource_type,
            resource_id: None,
            resource_name: None,
            description: None,
            changes: None,
            severity: ActivitySeverity::Info,
        }
    }
}

fn insert(specs: &mut PgConnection, row: &NewActivityLog<'_>) -> Result<ActivityLog, UsageError> {
    diesel::insert_into(activity_logs::table)
        .values(row)
        .returning(ActivityLog::as_returning())
        .get_result(specs)
        .map_err(|err| match db_core::DbError::from(err) {
            db_core::DbError::ForeignKeyViolation { .. } => UsageError::NotFound("project"),
            other => UsageError::Db(other),
        })
}

/// Appends an event (its actor checked in auth when there is one).
#[tracing::instrument(level = "debug", skip_all)]
pub fn record(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    e: &Event<'_>,
) -> Result<ActivityLog, UsageError> {
    check_text("action", e.action, 100)?;
    check_text("resource_type", e.resource_type, 100)?;
    if let Some(name) = e.resource_name {
        check_text("resource_name", name, 255)?;
    }
    let row = NewActivityLog {
        user_id: e.user,
        project_id: e.project,
        resource_id: e.resource_id,
        resource_name: e.resource_name,
        description: e.description,
        changes: e.changes,
        severity: Some(e.severity),
        ..NewActivityLog::new(ActivityLogId::new(), e.action, e.resource_type)
    };
    cross_db::write_row(auth, specs, &row, insert)
}

/// A project's feed, newest first, before `before` (keyset on time and id).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project, n))]
pub fn project_feed(
    specs: &mut PgConnection,
    project: ProjectId,
    before: Option<(DateTime<Utc>, ActivityLogId)>,
    n: i64,
) -> QueryResult<Vec<ActivityLog>> {
    use activity_logs::dsl as a;
    let mut query = activity_logs::table
        .filter(a::project_id.eq(project))
        .into_boxed();
    if let Some((at, id)) = before {
        query = query.filter(
            a::created_at
                .lt(at)
                .or(a::created_at.eq(at).and(a::id.lt(id))),
        );
    }
    query
        .order((a::created_at.desc(), a::id.desc()))
        .limit(n)
        .select(ActivityLog::as_select())
        .load(specs)
}
