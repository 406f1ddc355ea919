//! `specifications`: versioned specification statements extracted from conversations.

use crate::enums::{SpecCategory, SpecSource, SpecStatus, SpecType};
use crate::ids::{ProjectId, SessionId, SpecificationId};
use crate::schema::specifications;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `specifications`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = specifications, check_for_backend(diesel::pg::Pg))]
pub struct Specification {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: SpecificationId,
    /// project the specification belongs to
    pub project_id: ProjectId,
    /// session it came from
    pub session_id: Option<SessionId>,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: SpecCategory,
    /// stable identifier within category (e.g. `database`)
    pub key: String,
    /// the specification statement
    pub value: String,
    /// requirement class; one of: functional, non_functional, deployment, security, performance
    pub spec_type: Option<SpecType>,
    /// how it was obtained; one of: user_input, extracted, inferred
    pub source: SpecSource,
    /// approval state; one of: draft, approved, implemented, deprecated
    pub status: SpecStatus,
    /// 1 + version of the row it supersedes
    pub version: i32,
    /// extraction confidence 0–1; NULL = not assessed
    pub confidence: Option<f64>,
    /// contribution to category maturity 0–100
    pub maturity_score: f64,
    /// false once superseded
    pub is_current: bool,
    /// when a newer version replaced this row
    pub superseded_at: Option<DateTime<Utc>>,
    /// newer version of this spec
    pub superseded_by: Option<SpecificationId>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `specifications`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = specifications)]
pub struct NewSpecification<'a> {
    /// Primary key: pass `SpecificationId::new()` (a UUIDv7).
    pub id: SpecificationId,
    /// project the specification belongs to
    pub project_id: ProjectId,
    /// session it came from. `None` = NULL.
    pub session_id: Option<SessionId>,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: SpecCategory,
    /// stable identifier within category (e.g. `database`)
    pub key: &'a str,
    /// the specification statement
    pub value: &'a str,
    /// requirement class; one of: functional, non_functional, deployment, security, performance. `None` = NULL.
    pub spec_type: Option<SpecType>,
    /// how it was obtained; one of: user_input, extracted, inferred. `None` = default ('user_input').
    pub source: Option<SpecSource>,
    /// approval state; one of: draft, approved, implemented, deprecated. `None` = default ('draft').
    pub status: Option<SpecStatus>,
    /// 1 + version of the row it supersedes. `None` = default (1).
    pub version: Option<i32>,
    /// extraction confidence 0–1; NULL = not assessed. `None` = NULL.
    pub confidence: Option<f64>,
    /// contribution to category maturity 0–100. `None` = default (0).
    pub maturity_score: Option<f64>,
    /// false once superseded. `None` = default (true).
    pub is_current: Option<bool>,
    /// when a newer version replaced this row. `None` = NULL.
    pub superseded_at: Option<DateTime<Utc>>,
    /// newer version of this spec. `None` = NULL.
    pub superseded_by: Option<SpecificationId>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewSpecification<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: SpecificationId,
        project_id: ProjectId,
        category: SpecCategory,
        key: &'a str,
        value: &'a str,
    ) -> Self {
        Self {
            id,
            project_id,
            category,
            key,
            value,
            session_id: None,
            spec_type: None,
            source: None,
            status: None,
            version: None,
            confidence: None,
            maturity_score: None,
            is_current: None,
            superseded_at: None,
            superseded_by: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `specifications` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = specifications)]
pub struct SpecificationChanges<'a> {
    /// project the specification belongs to
    pub project_id: Option<ProjectId>,
    /// session it came from
    pub session_id: Option<Option<SessionId>>,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: Option<SpecCategory>,
    /// stable identifier within category (e.g. `database`)
    pub key: Option<&'a str>,
    /// the specification statement
    pub value: Option<&'a str>,
    /// requirement class; one of: functional, non_functional, deployment, security, performance
    pub spec_type: Option<Option<SpecType>>,
    /// how it was obtained; one of: user_input, extracted, inferred
    pub source: Option<SpecSource>,
    /// approval state; one of: draft, approved, implemented, deprecated
    pub status: Option<SpecStatus>,
    /// 1 + version of the row it supersedes
    pub version: Option<i32>,
    /// extraction confidence 0–1; NULL = not assessed
    pub confidence: Option<Option<f64>>,
    /// contribution to category maturity 0–100
    pub maturity_score: Option<f64>,
    /// false once superseded
    pub is_current: Option<bool>,
    /// when a newer version replaced this row
    pub superseded_at: Option<Option<DateTime<Utc>>>,
    /// newer version of this spec
    pub superseded_by: Option<Option<SpecificationId>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
