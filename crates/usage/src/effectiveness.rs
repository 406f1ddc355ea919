//! How well question templates work: counters per user (and globally, user NULL),
//! upserted on `uq_question_effectiveness_user_id_question_template_id`
//! (NULLS NOT DISTINCT, so the global row is unique too).

use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Uuid as SqlUuid};
use specs_db::ids::{QuestionEffectivenessId, QuestionId};
use specs_db::models::QuestionEffectiveness;
use specs_db::schema::question_effectiveness as qe;

use crate::{UsageError, check_text};

/// What happened to one asking of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Asked, no answer yet.
    Asked,
    /// Answered with usable specifications.
    AnsweredWell,
    /// Skipped.
    Skipped,
}

fn bump(
    specs: &mut PgConnection,
    user: Option<UserId>,
    template: &str,
    question: Option<QuestionId>,
    outcome: Outcome,
) -> QueryResult<QuestionEffectiveness> {
    let (asked, well, skipped) = match outcome {
        Outcome::Asked => (1, 0, 0),
        Outcome::AnsweredWell => (0, 1, 0),
        Outcome::Skipped => (0, 0, 1),
    };
    diesel::sql_query(
        "INSERT INTO question_effectiveness (id, user_id, question_template_id, question_id, times_asked, times_answered_well, times_skipped, last_asked_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 > 0 THEN now() END) \
         ON CONFLICT ON CONSTRAINT uq_question_effectiveness_user_id_question_template_id DO UPDATE SET \
             times_asked = question_effectiveness.times_asked + EXCLUDED.times_asked, \
             times_answered_well = question_effectiveness.times_answered_well + EXCLUDED.times_answered_well, \
             times_skipped = question_effectiveness.times_skipped + EXCLUDED.times_skipped, \
             question_id = coalesce(EXCLUDED.question_id, question_effectiveness.question_id), \
             last_asked_at = coalesce(EXCLUDED.last_asked_at, question_effectiveness.last_asked_at), \
             effectiveness_score = CASE WHEN question_effectiveness.times_asked + EXCLUDED.times_asked > 0 \
                 THEN least(1.0, (question_effectiveness.times_answered_well + EXCLUDED.times_answered_well)::float8 \
                                 / (question_effectiveness.times_asked + EXCLUDED.times_asked)) END \
         RETURNING *",
    )
    .bind::<SqlUuid, _>(QuestionEffectivenessId::new())
    .bind::<Nullable<SqlUuid>, _>(user)
    .bind::<Text, _>(template)
    .bind::<Nullable<SqlUuid>, _>(question)
    .bind::<Integer, _>(asked)
    .bind::<Integer, _>(well)
    .bind::<Integer, _>(skipped)
    .get_result(specs)
}

/// Counts an outcome for the user's row (checked in auth) and for the global row.
pub fn record(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    user: UserId,
    template: &str,
    question: Option<QuestionId>,
    outcome: Outcome,
) -> Result<QuestionEffectiveness, UsageError> {
    check_text("question_template_id", template, 100)?;
    cross_db::write(auth, specs, &Refs::new().user(user), |w| {
        bump(w.specs, None, template, question, outcome)?;
        Ok(bump(w.specs, Some(user), template, question, outcome)?)
    })
}

/// The row of a template for a user, or the global one (`user` = None).
pub fn of(
    specs: &mut PgConnection,
    user: Option<UserId>,
    template: &str,
) -> QueryResult<Option<QuestionEffectiveness>> {
    let query = qe::table
        .filter(qe::question_template_id.eq(template))
        .into_boxed();
    let query = match user {
        Some(u) => query.filter(qe::user_id.eq(u)),
        None => query.filter(qe::user_id.is_null()),
    };
    query
        .select(QuestionEffectiveness::as_select())
        .first(specs)
        .optional()
}
