//! Questions asked by the counselor, and their answers.

use diesel::prelude::*;
use specs_db::enums::{QuestionPriority, QuestionStatus, SpecCategory};
use specs_db::ids::{ProjectId, QuestionId, SessionId};
use specs_db::models::{NewQuestion, Question};
use specs_db::schema::questions;

use crate::{ProjectError, check_text};

/// A question to ask.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The question.
    pub text: &'a str,
    /// Its specification category.
    pub category: SpecCategory,
    /// How urgent.
    pub priority: QuestionPriority,
    /// Why it matters.
    pub context: Option<&'a str>,
    /// The session it is asked in.
    pub session: Option<SessionId>,
}

/// Asks a question (status `pending`).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn ask(
    specs: &mut PgConnection,
    project: ProjectId,
    q: &Ask<'_>,
) -> Result<Question, ProjectError> {
    check_text("text", q.text, 100_000)?;
    diesel::insert_into(questions::table)
        .values(NewQuestion {
            session_id: q.session,
            context: q.context,
            priority: Some(q.priority),
            ..NewQuestion::new(QuestionId::new(), project, q.text, q.category)
        })
        .returning(Question::as_returning())
        .get_result(specs)
        .map_err(|e| match db_core::DbError::from(e) {
            db_core::DbError::ForeignKeyViolation { .. } => {
                ProjectError::NotFound("project or session")
            }
            other => ProjectError::Db(other),
        })
}

fn settle(
    specs: &mut PgConnection,
    id: QuestionId,
    status: QuestionStatus,
    answer: Option<&str>,
) -> Result<Question, ProjectError> {
    specs.transaction(|specs| {
        let current: QuestionStatus = questions::table
            .find(id)
            .select(questions::status)
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(ProjectError::NotFound("question"))?;
        if current != QuestionStatus::Pending {
            return Err(ProjectError::State(format!(
                "the question is already {current}"
            )));
        }
        Ok(diesel::update(questions::table.find(id))
            .set((questions::status.eq(status), questions::answer.eq(answer)))
            .returning(Question::as_returning())
            .get_result(specs)?)
    })
}

/// Records the user's answer to a pending question.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn answer(
    specs: &mut PgConnection,
    id: QuestionId,
    text: &str,
) -> Result<Question, ProjectError> {
    check_text("answer", text, 100_000)?;
    settle(specs, id, QuestionStatus::Answered, Some(text))
}

/// Skips a pending question.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn skip(specs: &mut PgConnection, id: QuestionId) -> Result<Question, ProjectError> {
    settle(specs, id, QuestionStatus::Skipped, None)
}

/// The pending questions of a project, oldest first.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn pending(specs: &mut PgConnection, project: ProjectId) -> QueryResult<Vec<Question>> {
    questions::table
        .filter(
            questions::project_id
                .eq(project)
                .and(questions::status.eq(QuestionStatus::Pending)),
        )
        .order((questions::created_at, questions::id))
        .select(Question::as_select())
        .load(specs)
}
