//! `analytics_metrics`: aggregated platform metrics as (name, period, dimension) time series.

use crate::enums::MetricPeriod;
use crate::ids::AnalyticsMetricId;
use crate::schema::analytics_metrics;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `analytics_metrics`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = analytics_metrics, check_for_backend(diesel::pg::Pg))]
pub struct AnalyticsMetric {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: AnalyticsMetricId,
    /// e.g. daily_active_users (free text)
    pub metric_name: String,
    /// measured value
    pub metric_value: f64,
    /// e.g. plan, provider (free text)
    pub dimension_type: Option<String>,
    /// value of the dimension
    pub dimension_value: Option<String>,
    /// bucket size; NULL = point-in-time; one of: daily, weekly, monthly
    pub period: Option<MetricPeriod>,
    /// bucket start, or measurement time
    pub period_start: DateTime<Utc>,
    /// bucket end (exclusive)
    pub period_end: Option<DateTime<Utc>>,
    /// free-form labels
    pub tags: Vec<String>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
}

/// A new row of `analytics_metrics`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = analytics_metrics)]
pub struct NewAnalyticsMetric<'a> {
    /// Primary key: pass `AnalyticsMetricId::new()` (a UUIDv7).
    pub id: AnalyticsMetricId,
    /// e.g. daily_active_users (free text)
    pub metric_name: &'a str,
    /// measured value
    pub metric_value: f64,
    /// e.g. plan, provider (free text). `None` = NULL.
    pub dimension_type: Option<&'a str>,
    /// value of the dimension. `None` = NULL.
    pub dimension_value: Option<&'a str>,
    /// bucket size; NULL = point-in-time; one of: daily, weekly, monthly. `None` = NULL.
    pub period: Option<MetricPeriod>,
    /// bucket start, or measurement time. `None` = default (now()).
    pub period_start: Option<DateTime<Utc>>,
    /// bucket end (exclusive). `None` = NULL.
    pub period_end: Option<DateTime<Utc>>,
    /// free-form labels. `None` = default ('{}'::text[]).
    pub tags: Option<&'a [String]>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewAnalyticsMetric<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: AnalyticsMetricId, metric_name: &'a str, metric_value: f64) -> Self {
        Self {
            id,
            metric_name,
            metric_value,
            dimension_type: None,
            dimension_value: None,
            period: None,
            period_start: None,
            period_end: None,
            tags: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `analytics_metrics` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = analytics_metrics)]
pub struct AnalyticsMetricChanges<'a> {
    /// e.g. daily_active_users (free text)
    pub metric_name: Option<&'a str>,
    /// measured value
    pub metric_value: Option<f64>,
    /// e.g. plan, provider (free text)
    pub dimension_type: Option<Option<&'a str>>,
    /// value of the dimension
    pub dimension_value: Option<Option<&'a str>>,
    /// bucket size; NULL = point-in-time; one of: daily, weekly, monthly
    pub period: Option<Option<MetricPeriod>>,
    /// bucket start, or measurement time
    pub period_start: Option<DateTime<Utc>>,
    /// bucket end (exclusive)
    pub period_end: Option<Option<DateTime<Utc>>>,
    /// free-form labels
    pub tags: Option<&'a [String]>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
