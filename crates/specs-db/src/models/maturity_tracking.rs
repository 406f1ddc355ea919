//! `maturity_tracking`: time series of maturity scores per project and category.

use crate::enums::SpecCategory;
use crate::ids::{MaturityRecordId, ProjectId};
use crate::schema::maturity_tracking;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `maturity_tracking`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = maturity_tracking, check_for_backend(diesel::pg::Pg))]
pub struct MaturityRecord {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: MaturityRecordId,
    /// project scored
    pub project_id: ProjectId,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: SpecCategory,
    /// maturity 0–100
    pub score: f64,
    /// score breakdown
    pub details: Value,
    /// when the score applies
    pub calculated_at: DateTime<Utc>,
    /// row insert time
    pub created_at: DateTime<Utc>,
}

/// A new row of `maturity_tracking`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = maturity_tracking)]
pub struct NewMaturityRecord<'a> {
    /// Primary key: pass `MaturityRecordId::new()` (a UUIDv7).
    pub id: MaturityRecordId,
    /// project scored
    pub project_id: ProjectId,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: SpecCategory,
    /// maturity 0–100
    pub score: f64,
    /// score breakdown. `None` = default ('{}'::jsonb).
    pub details: Option<&'a Value>,
    /// when the score applies. `None` = default (now()).
    pub calculated_at: Option<DateTime<Utc>>,
    /// row insert time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewMaturityRecord<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: MaturityRecordId,
        project_id: ProjectId,
        category: SpecCategory,
        score: f64,
    ) -> Self {
        Self {
            id,
            project_id,
            category,
            score,
            details: None,
            calculated_at: None,
            created_at: None,
        }
    }
}
