//! Conflicts between specifications: open, resolve, ignore.

use chrono::Utc;
use diesel::prelude::*;
use specs_db::enums::{ConflictSeverity, ConflictStatus, ConflictType};
use specs_db::ids::{ConflictId, ProjectId, SpecificationId};
use specs_db::models::{Conflict, NewConflict};
use specs_db::schema::{conflicts, specifications};

use crate::{ProjectError, check_text};

/// A detected conflict.
#[derive(Debug, Clone, Copy)]
pub struct Detected<'a> {
    /// Short label.
    pub title: Option<&'a str>,
    /// What conflicts.
    pub description: &'a str,
    /// Kind.
    pub conflict_type: ConflictType,
    /// How serious.
    pub severity: ConflictSeverity,
    /// The specifications involved (all of this project).
    pub spec_ids: &'a [SpecificationId],
}

/// Opens a conflict between specifications of `project`.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn open(
    specs: &mut PgConnection,
    project: ProjectId,
    c: &Detected<'_>,
) -> Result<Conflict, ProjectError> {
    check_text("description", c.description, 100_000)?;
    if let Some(t) = c.title {
        check_text("title", t, 255)?;
    }
    specs.transaction(|specs| {
        let found: i64 = specifications::table
            .filter(specifications::id.eq_any(c.spec_ids))
            .filter(specifications::project_id.eq(project))
            .count()
            .get_result(specs)?;
        let distinct: std::collections::BTreeSet<_> = c.spec_ids.iter().collect();
        if usize::try_from(found).unwrap_or(0) != distinct.len() {
            return Err(ProjectError::Invalid {
                field: "spec_ids",
                reason: "every id must be a specification of this project".into(),
            });
        }
        Ok(diesel::insert_into(conflicts::table)
            .values(NewConflict {
                title: c.title,
                severity: Some(c.severity),
                spec_ids: Some(c.spec_ids),
                ..NewConflict::new(ConflictId::new(), project, c.description, c.conflict_type)
            })
            .returning(Conflict::as_returning())
            .get_result(specs)?)
    })
}

fn close(
    specs: &mut PgConnection,
    id: ConflictId,
    status: ConflictStatus,
    resolution: Option<&str>,
    by_user: bool,
) -> Result<Conflict, ProjectError> {
    specs.transaction(|specs| {
        let current: ConflictStatus = conflicts::table
            .find(id)
            .select(conflicts::status)
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(ProjectError::NotFound("conflict"))?;
        if current != ConflictStatus::Open {
            return Err(ProjectError::State(format!(
                "the conflict is already {current}"
            )));
        }
        Ok(diesel::update(conflicts::table.find(id))
            .set((
                conflicts::status.eq(status),
                conflicts::resolution.eq(resolution),
                conflicts::resolved_at.eq(Utc::now()),
                conflicts::resolved_by_user.eq(by_user),
            ))
            .returning(Conflict::as_returning())
            .get_result(specs)?)
    })
}

/// Resolves an open conflict.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn resolve(
    specs: &mut PgConnection,
    id: ConflictId,
    resolution: &str,
    by_user: bool,
) -> Result<Conflict, ProjectError> {
    check_text("resolution", resolution, 100_000)?;
    close(
        specs,
        id,
        ConflictStatus::Resolved,
        Some(resolution),
        by_user,
    )
}

/// Ignores an open conflict.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn ignore(specs: &mut PgConnection, id: ConflictId) -> Result<Conflict, ProjectError> {
    close(specs, id, ConflictStatus::Ignored, None, true)
}

/// The open conflicts of a project (`idx_conflicts_project_id_open`).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn open_in(specs: &mut PgConnection, project: ProjectId) -> QueryResult<Vec<Conflict>> {
    conflicts::table
        .filter(
            conflicts::project_id
                .eq(project)
                .and(conflicts::status.eq(ConflictStatus::Open)),
        )
        .order((conflicts::created_at, conflicts::id))
        .select(Conflict::as_select())
        .load(specs)
}

/// The conflicts that mention a specification (`idx_conflicts_spec_ids`, GIN).
#[tracing::instrument(level = "debug", skip_all, fields(spec = %spec))]
pub fn touching(specs: &mut PgConnection, spec: SpecificationId) -> QueryResult<Vec<Conflict>> {
    conflicts::table
        .filter(conflicts::spec_ids.contains(vec![spec]))
        .select(Conflict::as_select())
        .load(specs)
}

/// Removes a deleted specification's id from every conflict that mentions it.
pub(crate) fn forget_spec(specs: &mut PgConnection, spec: SpecificationId) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE conflicts SET spec_ids = array_remove(spec_ids, $1) WHERE spec_ids @> ARRAY[$1]",
    )
    .bind::<diesel::sql_types::Uuid, _>(spec)
    .execute(specs)
}
