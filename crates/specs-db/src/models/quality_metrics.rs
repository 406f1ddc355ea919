//! `quality_metrics`: quality-control measurements per project (coverage, bias, conflicts, …).

use crate::enums::MetricType;
use crate::ids::{ProjectId, QualityMetricId};
use crate::schema::quality_metrics;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `quality_metrics`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = quality_metrics, check_for_backend(diesel::pg::Pg))]
pub struct QualityMetric {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: QualityMetricId,
    /// project measured
    pub project_id: ProjectId,
    /// metric identifier (free text)
    pub metric_name: String,
    /// metric family; one of: maturity, coverage, conflicts, bias, other
    pub metric_type: MetricType,
    /// measured value
    pub metric_value: f64,
    /// pass threshold, if any
    pub threshold: Option<f64>,
    /// NULL when there is no threshold
    pub passed: Option<bool>,
    /// breakdown
    pub details: Value,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// measurement time
    pub calculated_at: DateTime<Utc>,
    /// row insert time
    pub created_at: DateTime<Utc>,
}

/// A new row of `quality_metrics`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = quality_metrics)]
pub struct NewQualityMetric<'a> {
    /// Primary key: pass `QualityMetricId::new()` (a UUIDv7).
    pub id: QualityMetricId,
    /// project measured
    pub project_id: ProjectId,
    /// metric identifier (free text)
    pub metric_name: &'a str,
    /// metric family; one of: maturity, coverage, conflicts, bias, other. `None` = default ('other').
    pub metric_type: Option<MetricType>,
    /// measured value
    pub metric_value: f64,
    /// pass threshold, if any. `None` = NULL.
    pub threshold: Option<f64>,
    /// NULL when there is no threshold. `None` = NULL.
    pub passed: Option<bool>,
    /// breakdown. `None` = default ('{}'::jsonb).
    pub details: Option<&'a Value>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// measurement time. `None` = default (now()).
    pub calculated_at: Option<DateTime<Utc>>,
    /// row insert time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewQualityMetric<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: QualityMetricId,
        project_id: ProjectId,
        metric_name: &'a str,
        metric_value: f64,
    ) -> Self {
        Self {
            id,
            project_id,
            metric_name,
            metric_value,
            metric_type: None,
            threshold: None,
            passed: None,
            details: None,
            metadata: None,
            calculated_at: None,
            created_at: None,
        }
    }
}
