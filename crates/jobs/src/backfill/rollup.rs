//! `analytics-rollup`: daily analytics series from `llm_usage_tracking`.
//!
//! Per UTC day: `llm_calls`, `llm_tokens`, `llm_cost_usd` (overall and with the
//! dimension `provider`), and `llm_active_users` (distinct users; the count, never
//! the ids). Keyset over days (an index lookup finds each next day with data);
//! points are upserted on their series key, so unchanged days are not rewritten.

use bigdecimal::ToPrimitive;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text, Timestamptz};
use rayon::prelude::*;
use specs_db::enums::MetricPeriod;
use usage::analytics::{self, Point};

use cross_db::Present;

use crate::runner::{Dbs, Phase, Side};
use crate::{JobError, cursor};

/// Keyset over days with usage.
pub(super) struct Rollup;

/// Totals of one day, overall (`provider` NULL) or for one provider.
#[derive(Debug, Clone, QueryableByName)]
pub(super) struct DayTotals {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Nullable<Text>)]
    provider: Option<String>,
    #[diesel(sql_type = BigInt)]
    calls: i64,
    #[diesel(sql_type = BigInt)]
    tokens: i64,
    #[diesel(sql_type = Numeric)]
    cost: bigdecimal::BigDecimal,
    #[diesel(sql_type = BigInt)]
    users: i64,
}

#[derive(QueryableByName)]
struct Next {
    #[diesel(sql_type = Nullable<Timestamptz>)]
    at: Option<DateTime<Utc>>,
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

fn points(day: &[DayTotals]) -> Vec<Point> {
    let mut out = Vec::new();
    for t in day {
        let start = midnight(t.day);
        let dimension = t.provider.clone().map(|p| ("provider".to_owned(), p));
        let mut push = |metric: &str, value: f64| {
            out.push(Point {
                metric: metric.to_owned(),
                value,
                period: Some(MetricPeriod::Daily),
                period_start: start,
                period_end: Some(start + Duration::days(1)),
                dimension: dimension.clone(),
            });
        };
        push("llm_calls", t.calls as f64);
        push("llm_tokens", t.tokens as f64);
        push("llm_cost_usd", t.cost.to_f64().unwrap_or(0.0));
        if t.provider.is_none() {
            push("llm_active_users", t.users as f64);
        }
    }
    out
}

impl Phase for Rollup {
    type Item = (NaiveDate, Vec<DayTotals>);
    type Out = Vec<Point>;

    fn name(&self) -> String {
        "backfill:analytics-rollup".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        // Days in the span (an upper bound: days without usage are skipped).
        Ok(Some(super::count(
            &mut dbs.specs,
            "SELECT coalesce(max((created_at AT TIME ZONE 'UTC')::date) - min((created_at AT TIME ZONE 'UTC')::date) + 1, 0)::bigint AS n \
             FROM llm_usage_tracking",
        )?))
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError> {
        let mut from: Option<DateTime<Utc>> =
            cursor::day(after)?.map(|day| midnight(day) + Duration::days(1));
        let mut days = Vec::new();
        while i64::try_from(days.len()).unwrap_or(i64::MAX) < limit {
            // Each next day with data is one lookup on idx_llm_usage_tracking_created_at.
            let next: Next = diesel::sql_query(
                "SELECT min(created_at) AS at FROM llm_usage_tracking \
                 WHERE $1::timestamptz IS NULL OR created_at >= $1",
            )
            .bind::<Nullable<Timestamptz>, _>(from)
            .get_result(&mut dbs.specs)?;
            let Some(at) = next.at else { break };
            let day = at.date_naive();
            days.push(day);
            from = Some(midnight(day) + Duration::days(1));
        }
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            return Ok(Vec::new());
        };
        let totals: Vec<DayTotals> = diesel::sql_query(
            "SELECT (created_at AT TIME ZONE 'UTC')::date AS day, provider, count(*) AS calls, \
                    coalesce(sum(total_tokens), 0)::bigint AS tokens, coalesce(sum(cost_usd), 0) AS cost, \
                    count(DISTINCT user_id) AS users \
             FROM llm_usage_tracking WHERE created_at >= $1 AND created_at < $2 \
             GROUP BY GROUPING SETS ((1, provider), (1)) ORDER BY 1",
        )
        .bind::<Timestamptz, _>(midnight(*first))
        .bind::<Timestamptz, _>(midnight(*last) + Duration::days(1))
        .load(&mut dbs.specs)?;
        Ok(days
            .into_iter()
            .map(|d| (d, totals.iter().filter(|t| t.day == d).cloned().collect()))
            .collect())
    }

    fn cursor(&self, item: &Self::Item) -> String {
        item.0.to_string()
    }

    fn compute(&self, items: Vec<Self::Item>) -> Result<Vec<Point>, JobError> {
        Ok(items
            .par_iter()
            .flat_map_iter(|(_, totals)| points(totals))
            .collect())
    }

    fn write(
        &self,
        conn: &mut PgConnection,
        out: &Vec<Point>,
        _: &Present,
    ) -> Result<u64, JobError> {
        Ok(analytics::upsert(conn, out)? as u64)
    }
}
