//! LLM calls: one row each (kept after the user is deleted), and daily aggregates.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use cross_db::Refs;
use db_core::{LlmProvider, UserId};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Timestamptz, Uuid as SqlUuid};
use serde::Serialize;
use specs_db::enums::LlmCallStatus;
use specs_db::ids::{LlmUsageId, ProjectId, SessionId};
use specs_db::models::NewLlmUsage;
use specs_db::schema::llm_usage_tracking;

use crate::{UsageError, check_non_negative, check_text};

/// One LLM call.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// Who made it.
    pub user: UserId,
    /// Project context.
    pub project: Option<ProjectId>,
    /// Session context.
    pub session: Option<SessionId>,
    /// Provider.
    pub provider: LlmProvider,
    /// Model id.
    pub model: &'a str,
    /// What it was for.
    pub operation: Option<&'a str>,
    /// Prompt tokens.
    pub input_tokens: i32,
    /// Completion tokens.
    pub output_tokens: i32,
    /// Estimated cost in USD.
    pub cost_usd: Option<BigDecimal>,
    /// Round trip.
    pub latency_ms: Option<i32>,
    /// Outcome.
    pub status: LlmCallStatus,
    /// When (default: now).
    pub at: Option<DateTime<Utc>>,
}

impl Call<'_> {
    fn validate(&self) -> Result<(), UsageError> {
        check_text("model_name", self.model, 100)?;
        if let Some(op) = self.operation {
            check_text("operation_type", op, 100)?;
        }
        check_non_negative("input_tokens", self.input_tokens.into())?;
        check_non_negative("output_tokens", self.output_tokens.into())?;
        check_non_negative("latency_ms", self.latency_ms.unwrap_or(0).into())?;
        if self.cost_usd.as_ref().is_some_and(crate::is_negative) {
            return Err(UsageError::Invalid {
                field: "cost_usd",
                reason: "must not be negative".into(),
            });
        }
        Ok(())
    }

    fn row(&self) -> NewLlmUsage<'_> {
        NewLlmUsage {
            project_id: self.project,
            session_id: self.session,
            operation_type: self.operation,
            input_tokens: Some(self.input_tokens),
            output_tokens: Some(self.output_tokens),
            total_tokens: Some(self.input_tokens.saturating_add(self.output_tokens)),
            cost_usd: self.cost_usd.as_ref(),
            latency_ms: self.latency_ms,
            status: Some(self.status),
            created_at: self.at,
            ..NewLlmUsage::new(LlmUsageId::new(), self.user, self.provider, self.model)
        }
    }
}

/// Records calls in one statement; every user is checked (and locked) in auth,
/// and the batch is refused whole if any is missing.
#[tracing::instrument(level = "debug", skip_all)]
pub fn record(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    calls: &[Call<'_>],
) -> Result<usize, UsageError> {
    for c in calls {
        c.validate()?;
    }
    let rows: Vec<NewLlmUsage<'_>> = calls.iter().map(Call::row).collect();
    cross_db::write(auth, specs, &Refs::of(&rows), |w| {
        Ok(diesel::insert_into(llm_usage_tracking::table)
            .values(&rows)
            .execute(w.specs)?)
    })
}

/// Usage of one user (or project) on one day.
#[derive(Debug, Clone, PartialEq, Serialize, QueryableByName)]
pub struct Daily {
    /// UTC day.
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    /// The user.
    #[diesel(sql_type = SqlUuid)]
    pub user_id: UserId,
    /// The project, if any.
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub project_id: Option<ProjectId>,
    /// Calls.
    #[diesel(sql_type = BigInt)]
    pub calls: i64,
    /// Tokens billed.
    #[diesel(sql_type = BigInt)]
    pub total_tokens: i64,
    /// Cost in USD.
    #[diesel(sql_type = Numeric)]
    pub cost_usd: BigDecimal,
}

/// Per user, project and UTC day, between `from` (inclusive) and `to` (exclusive).
#[tracing::instrument(level = "debug", skip_all)]
pub fn daily(
    specs: &mut PgConnection,
    user: Option<UserId>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<Daily>> {
    diesel::sql_query(
        "SELECT (created_at AT TIME ZONE 'UTC')::date AS day, user_id, project_id, count(*) AS calls, \
                coalesce(sum(total_tokens), 0)::bigint AS total_tokens, coalesce(sum(cost_usd), 0) AS cost_usd \
         FROM llm_usage_tracking \
         WHERE created_at >= $1 AND created_at < $2 AND ($3::uuid IS NULL OR user_id = $3) \
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 NULLS FIRST",
    )
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<Nullable<SqlUuid>, _>(user)
    .load(specs)
}
