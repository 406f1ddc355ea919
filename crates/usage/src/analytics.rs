//! Analytics series: one row per (metric, period start, period, dimension),
//! upserted on `uq_analytics_metrics_series`, so jobs can rerun freely.
//!
//! `dimension_value` is free text and must never hold a user id (SCHEMA.md 5.2).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Float8, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use specs_db::enums::MetricPeriod;
use specs_db::ids::AnalyticsMetricId;

use crate::{UsageError, check_text};

/// One value of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Metric, e.g. `llm_tokens`.
    pub metric: String,
    /// Its value.
    pub value: f64,
    /// Bucket size; `None` = point in time.
    pub period: Option<MetricPeriod>,
    /// Bucket start (or measurement time).
    pub period_start: DateTime<Utc>,
    /// Bucket end (exclusive).
    pub period_end: Option<DateTime<Utc>>,
    /// Dimension, e.g. (`provider`, `claude`).
    pub dimension: Option<(String, String)>,
}

/// Inserts new points and updates changed ones, in one statement; returns how
/// many rows were written (unchanged points are not touched, nor counted).
#[tracing::instrument(level = "debug", skip_all)]
pub fn upsert(specs: &mut PgConnection, points: &[Point]) -> Result<usize, UsageError> {
    for p in points {
        check_text("metric_name", &p.metric, 100)?;
        if !p.value.is_finite() {
            return Err(UsageError::Invalid {
                field: "metric_value",
                reason: "must be finite".into(),
            });
        }
        if p.period_end.is_some_and(|end| end <= p.period_start) {
            return Err(UsageError::Invalid {
                field: "period_end",
                reason: "must be after period_start".into(),
            });
        }
        if let Some((kind, value)) = &p.dimension {
            check_text("dimension_type", kind, 50)?;
            check_text("dimension_value", value, 255)?;
        }
    }
    if points.is_empty() {
        return Ok(0);
    }
    let ids: Vec<AnalyticsMetricId> = points.iter().map(|_| AnalyticsMetricId::new()).collect();
    let names: Vec<&str> = points.iter().map(|p| p.metric.as_str()).collect();
    let values: Vec<f64> = points.iter().map(|p| p.value).collect();
    let kinds: Vec<Option<&str>> = points
        .iter()
        .map(|p| p.dimension.as_ref().map(|d| d.0.as_str()))
        .collect();
    let dims: Vec<Option<&str>> = points
        .iter()
        .map(|p| p.dimension.as_ref().map(|d| d.1.as_str()))
        .collect();
    let periods: Vec<Option<&str>> = points
        .iter()
        .map(|p| p.period.map(MetricPeriod::as_str))
        .collect();
    let starts: Vec<DateTime<Utc>> = points.iter().map(|p| p.period_start).collect();
    let ends: Vec<Option<DateTime<Utc>>> = points.iter().map(|p| p.period_end).collect();
    Ok(diesel::sql_query(
        "INSERT INTO analytics_metrics (id, metric_name, metric_value, dimension_type, dimension_value, period, period_start, period_end) \
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[]) \
         ON CONFLICT ON CONSTRAINT uq_analytics_metrics_series DO UPDATE \
             SET metric_value = EXCLUDED.metric_value, period_end = EXCLUDED.period_end \
             WHERE analytics_metrics.metric_value IS DISTINCT FROM EXCLUDED.metric_value \
                OR analytics_metrics.period_end IS DISTINCT FROM EXCLUDED.period_end",
    )
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<Text>, _>(&names)
    .bind::<Array<Float8>, _>(&values)
    .bind::<Array<Nullable<Text>>, _>(&kinds)
    .bind::<Array<Nullable<Text>>, _>(&dims)
    .bind::<Array<Nullable<Text>>, _>(&periods)
    .bind::<Array<Timestamptz>, _>(&starts)
    .bind::<Array<Nullable<Timestamptz>>, _>(&ends)
    .execute(specs)?)
}
