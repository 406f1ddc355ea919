//! How well question templates work: counters per user (and globally, user NULL),
//! upserted on `uq_question_effectiveness_user_id_question_template_id`
//! (NULLS NOT DISTINCT, so the global row is unique too).

use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Uuid as SqlUuid};
use specs_db::ids::{QuestionEffectivenessId, QuestionId};
use specs_db::models::{NewQuestionEffectiveness, QuestionEffectiveness};
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

/// The counts an outcome adds, as the row `bump` upserts.
fn increment<'a>(
    user: Option<UserId>,
    template: &'a str,
    question: Option<QuestionId>,
    outcome: Outcome,
) -> NewQuestionEffectiveness<'a> {
    let (asked, well, skipped) = match outcome {
        Outcome::Asked => (1, 0, 0),
        Outcome::AnsweredWell => (0, 1, 0),
        Outcome::Skipped => (0, 0, 1),
    };
    NewQuestionEffectiveness {
        user_id: user,
        question_id: question,
        times_asked: Some(asked),
        times_answered_well: Some(well),
        times_skipped: Some(skipped),
        ..NewQuestionEffectiveness::new(QuestionEffectivenessId::new(), template)
    }
}

/// Adds `row`'s counts to its row (user and template), creating it if needed.
fn bump(
    specs: &mut PgConnection,
    row: &NewQuestionEffectiveness<'_>,
) -> QueryResult<QuestionEffectiveness> {
    diesel::sql_query(include_str!("bump_effectiveness.sql"))
        .bind::<SqlUuid, _>(row.id)
        .bind::<Nullable<SqlUuid>, _>(row.user_id)
        .bind::<Text, _>(row.question_template_id)
        .bind::<Nullable<SqlUuid>, _>(row.question_id)
        .bind::<Integer, _>(row.times_asked.unwrap_or(0))
        .bind::<Integer, _>(row.times_answered_well.unwrap_or(0))
        .bind::<Integer, _>(row.times_skipped.unwrap_or(0))
        .get_result(specs)
}

/// Counts an outcome for the user's row (checked in auth) and for the global row.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn record(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    user: UserId,
    template: &str,
    question: Option<QuestionId>,
    outcome: Outcome,
) -> Result<QuestionEffectiveness, UsageError> {
    check_text("question_template_id", template, 100)?;
    let global = increment(None, template, question, outcome);
    let mine = increment(Some(user), template, question, outcome);
    cross_db::write(auth, specs, &Refs::of(&mine), |w| {
        bump(w.specs, &global)?;
        Ok(bump(w.specs, &mine)?)
    })
}

/// The row of a template for a user, or the global one (`user` = None).
#[tracing::instrument(level = "debug", skip_all)]
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

#[cfg(test)]
mod tests {
    /// The upsert names the unique key by the name the catalog test checks.
    #[test]
    fn the_upsert_names_the_checked_constraint() {
        assert!(include_str!("bump_effectiveness.sql").contains(
            specs_db::constraints::UQ_QUESTION_EFFECTIVENESS_USER_ID_QUESTION_TEMPLATE_ID
        ));
    }
}
