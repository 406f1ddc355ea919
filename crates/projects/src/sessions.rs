//! Sessions: a conversation inside a project.

use chrono::Utc;
use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use specs_db::enums::{SessionMode, SessionStatus};
use specs_db::ids::{ProjectId, SessionId};
use specs_db::models::{NewSession, Session};
use specs_db::schema::sessions;

use crate::ProjectError;

/// Starts a session in a project, run by `user` (who must exist in auth).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project, user = %user))]
pub fn start(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    project: ProjectId,
    user: UserId,
    mode: SessionMode,
    title: Option<&str>,
) -> Result<Session, ProjectError> {
    if let Some(t) = title {
        crate::check_text("title", t, 255)?;
    }
    let new = NewSession {
        user_id: Some(user),
        title,
        mode: Some(mode),
        ..NewSession::new(SessionId::new(), project)
    };
    cross_db::write(auth, specs, &Refs::of(&new), |w| {
        diesel::insert_into(sessions::table)
            .values(&new)
            .returning(Session::as_returning())
            .get_result(w.specs)
            .map_err(|e| match db_core::DbError::from(e) {
                db_core::DbError::ForeignKeyViolation { .. } => ProjectError::NotFound("project"),
                other => ProjectError::Db(other),
            })
    })
}

fn locked(specs: &mut PgConnection, id: SessionId) -> Result<Session, ProjectError> {
    sessions::table
        .find(id)
        .select(Session::as_select())
        .for_update()
        .first(specs)
        .optional()?
        .ok_or(ProjectError::NotFound("session"))
}

/// Ends a session (status `completed`, `ended_at` now).
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn end(specs: &mut PgConnection, id: SessionId) -> Result<Session, ProjectError> {
    specs.transaction(|specs| {
        let session = locked(specs, id)?;
        if session.status != SessionStatus::Active {
            return Err(ProjectError::State(format!(
                "the session is {}",
                session.status
            )));
        }
        Ok(diesel::update(sessions::table.find(id))
            .set((
                sessions::status.eq(SessionStatus::Completed),
                sessions::ended_at.eq(Utc::now()),
            ))
            .returning(Session::as_returning())
            .get_result(specs)?)
    })
}

/// Switches the conversation mode of an active session.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn set_mode(
    specs: &mut PgConnection,
    id: SessionId,
    mode: SessionMode,
) -> Result<Session, ProjectError> {
    specs.transaction(|specs| {
        let session = locked(specs, id)?;
        if session.status != SessionStatus::Active {
            return Err(ProjectError::State(format!(
                "the session is {}",
                session.status
            )));
        }
        Ok(diesel::update(sessions::table.find(id))
            .set(sessions::mode.eq(mode))
            .returning(Session::as_returning())
            .get_result(specs)?)
    })
}

/// A project's sessions, newest first.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project, limit))]
pub fn list(specs: &mut PgConnection, project: ProjectId, limit: i64) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::project_id.eq(project))
        .order((sessions::started_at.desc(), sessions::id.desc()))
        .limit(limit)
        .select(Session::as_select())
        .load(specs)
}
