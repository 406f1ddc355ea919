//! Projects: creation for an owner, phases, archiving, transfer of ownership.

use chrono::Utc;
use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use specs_db::enums::{ProjectPhase, ProjectStatus};
use specs_db::ids::ProjectId;
use specs_db::models::{NewProject, Project, ProjectChanges};
use specs_db::schema::projects;

use crate::{ProjectError, check_text};

/// Creates a project owned (and created) by `owner`, who must exist in auth.
#[tracing::instrument(level = "debug", skip_all, fields(owner = %owner, project = tracing::field::Empty))]
pub fn create(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    owner: UserId,
    name: &str,
    description: Option<&str>,
) -> Result<Project, ProjectError> {
    check_text("name", name, 255)?;
    if let Some(d) = description {
        check_text("description", d, 100_000)?;
    }
    let new = NewProject {
        description,
        ..NewProject::new(ProjectId::new(), owner, owner, name)
    };
    tracing::Span::current().record("project", tracing::field::display(new.id));
    cross_db::write(auth, specs, &Refs::of(&new), |w| {
        Ok(diesel::insert_into(projects::table)
            .values(&new)
            .returning(Project::as_returning())
            .get_result(w.specs)?)
    })
}

/// Reads a project.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn get(specs: &mut PgConnection, id: ProjectId) -> Result<Project, ProjectError> {
    projects::table
        .find(id)
        .select(Project::as_select())
        .first(specs)
        .optional()?
        .ok_or(ProjectError::NotFound("project"))
}

/// The owner's projects, newest first (index `idx_projects_owner_id_created_at`).
#[tracing::instrument(level = "debug", skip_all, fields(owner = %owner, limit))]
pub fn list_owned(
    specs: &mut PgConnection,
    owner: UserId,
    limit: i64,
) -> QueryResult<Vec<Project>> {
    projects::table
        .filter(projects::owner_id.eq(owner))
        .order((projects::created_at.desc(), projects::id.desc()))
        .limit(limit)
        .select(Project::as_select())
        .load(specs)
}

/// The phase after `phase`, if any.
pub fn next_phase(phase: ProjectPhase) -> Option<ProjectPhase> {
    let all = ProjectPhase::ALL;
    let at = all.iter().position(|p| *p == phase)?;
    all.get(at + 1).copied()
}

/// Moves a project to `to`, which must be the phase right after its current one.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn advance_phase(
    specs: &mut PgConnection,
    id: ProjectId,
    to: ProjectPhase,
) -> Result<Project, ProjectError> {
    specs.transaction(|specs| {
        let project: Project = projects::table
            .find(id)
            .select(Project::as_select())
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(ProjectError::NotFound("project"))?;
        if project.status == ProjectStatus::Archived {
            return Err(ProjectError::State("an archived project does not change phase".into()));
        }
        if next_phase(project.current_phase) != Some(to) {
            return Err(ProjectError::State(format!(
                "phases go discovery -> analysis -> design -> implementation; {} cannot become {to}",
                project.current_phase
            )));
        }
        Ok(diesel::update(projects::table.find(id))
            .set(projects::current_phase.eq(to))
            .returning(Project::as_returning())
            .get_result(specs)?)
    })
}

/// Archives a project (status `archived`, `archived_at` set); archiving twice is a no-op.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn archive(specs: &mut PgConnection, id: ProjectId) -> Result<Project, ProjectError> {
    let project = get(specs, id)?;
    if project.status == ProjectStatus::Archived {
        return Ok(project);
    }
    Ok(diesel::update(projects::table.find(id))
        .set((
            projects::status.eq(ProjectStatus::Archived),
            projects::archived_at.eq(Utc::now()),
        ))
        .returning(Project::as_returning())
        .get_result(specs)?)
}

/// Gives a project to another user (who must exist); the creator stays as it was.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id, new_owner = %new_owner))]
pub fn transfer(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    id: ProjectId,
    new_owner: UserId,
) -> Result<Project, ProjectError> {
    let changes = ProjectChanges {
        owner_id: Some(new_owner),
        ..ProjectChanges::default()
    };
    cross_db::write(auth, specs, &Refs::of(&changes), |w| {
        diesel::update(projects::table.find(id))
            .set(&changes)
            .returning(Project::as_returning())
            .get_result(w.specs)
            .optional()?
            .ok_or(ProjectError::NotFound("project"))
    })
}
