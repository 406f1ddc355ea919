//! `conflicts`: detected contradictions between specifications.

use crate::enums::{ConflictSeverity, ConflictStatus, ConflictType};
use crate::ids::{ConflictId, ProjectId, SpecificationId};
use crate::schema::conflicts;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `conflicts`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = conflicts, check_for_backend(diesel::pg::Pg))]
pub struct Conflict {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: ConflictId,
    /// project the conflict belongs to
    pub project_id: ProjectId,
    /// short label
    pub title: Option<String>,
    /// what conflicts
    pub description: String,
    /// kind of conflict; one of: technology, requirement, timeline, resource
    pub conflict_type: ConflictType,
    /// how serious the conflict is; one of: low, medium, high, critical
    pub severity: ConflictSeverity,
    /// resolution state; one of: open, resolved, ignored
    pub status: ConflictStatus,
    /// ids of the specifications involved (no FK)
    pub spec_ids: Vec<SpecificationId>,
    /// how it was resolved
    pub resolution: Option<String>,
    /// when the conflict was resolved or ignored
    pub resolved_at: Option<DateTime<Utc>>,
    /// resolved by the user, not automatically
    pub resolved_by_user: bool,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// detection time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `conflicts`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = conflicts)]
pub struct NewConflict<'a> {
    /// Primary key: pass `ConflictId::new()` (a UUIDv7).
    pub id: ConflictId,
    /// project the conflict belongs to
    pub project_id: ProjectId,
    /// short label. `None` = NULL.
    pub title: Option<&'a str>,
    /// what conflicts
    pub description: &'a str,
    /// kind of conflict; one of: technology, requirement, timeline, resource
    pub conflict_type: ConflictType,
    /// how serious the conflict is; one of: low, medium, high, critical. `None` = default ('medium').
    pub severity: Option<ConflictSeverity>,
    /// resolution state; one of: open, resolved, ignored. `None` = default ('open').
    pub status: Option<ConflictStatus>,
    /// ids of the specifications involved (no FK). `None` = default ('{}'::uuid[]).
    pub spec_ids: Option<&'a [SpecificationId]>,
    /// how it was resolved. `None` = NULL.
    pub resolution: Option<&'a str>,
    /// when the conflict was resolved or ignored. `None` = NULL.
    pub resolved_at: Option<DateTime<Utc>>,
    /// resolved by the user, not automatically. `None` = default (false).
    pub resolved_by_user: Option<bool>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// detection time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewConflict<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: ConflictId,
        project_id: ProjectId,
        description: &'a str,
        conflict_type: ConflictType,
    ) -> Self {
        Self {
            id,
            project_id,
            description,
            conflict_type,
            title: None,
            severity: None,
            status: None,
            spec_ids: None,
            resolution: None,
            resolved_at: None,
            resolved_by_user: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `conflicts` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = conflicts)]
pub struct ConflictChanges<'a> {
    /// project the conflict belongs to
    pub project_id: Option<ProjectId>,
    /// short label
    pub title: Option<Option<&'a str>>,
    /// what conflicts
    pub description: Option<&'a str>,
    /// kind of conflict; one of: technology, requirement, timeline, resource
    pub conflict_type: Option<ConflictType>,
    /// how serious the conflict is; one of: low, medium, high, critical
    pub severity: Option<ConflictSeverity>,
    /// resolution state; one of: open, resolved, ignored
    pub status: Option<ConflictStatus>,
    /// ids of the specifications involved (no FK)
    pub spec_ids: Option<&'a [SpecificationId]>,
    /// how it was resolved
    pub resolution: Option<Option<&'a str>>,
    /// when the conflict was resolved or ignored
    pub resolved_at: Option<Option<DateTime<Utc>>>,
    /// resolved by the user, not automatically
    pub resolved_by_user: Option<bool>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
