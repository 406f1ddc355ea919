//! `test_results`: compatibility/integration test runs for a project's technology stack.

use crate::enums::{TestStatus, TestType};
use crate::ids::{ProjectId, TestResultId};
use crate::schema::test_results;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `test_results`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = test_results, check_for_backend(diesel::pg::Pg))]
pub struct TestResult {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: TestResultId,
    /// project whose stack was tested
    pub project_id: ProjectId,
    /// kind of test run; one of: compatibility, integration, unit
    pub test_type: TestType,
    /// technologies tested `{"python":"3.12"}`
    pub technology_stack: Value,
    /// run state; one of: pending, running, passed, failed
    pub status: TestStatus,
    /// result details
    pub results: Value,
    /// failure message, if any
    pub error_message: Option<String>,
    /// run start
    pub started_at: DateTime<Utc>,
    /// run end; NULL while pending or running
    pub completed_at: Option<DateTime<Utc>>,
    /// row creation time
    pub created_at: DateTime<Utc>,
}

/// A new row of `test_results`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = test_results)]
pub struct NewTestResult<'a> {
    /// Primary key: pass `TestResultId::new()` (a UUIDv7).
    pub id: TestResultId,
    /// project whose stack was tested
    pub project_id: ProjectId,
    /// kind of test run; one of: compatibility, integration, unit
    pub test_type: TestType,
    /// technologies tested `{"python":"3.12"}`. `None` = default ('{}'::jsonb).
    pub technology_stack: Option<&'a Value>,
    /// run state; one of: pending, running, passed, failed. `None` = default ('pending').
    pub status: Option<TestStatus>,
    /// result details. `None` = default ('{}'::jsonb).
    pub results: Option<&'a Value>,
    /// failure message, if any. `None` = NULL.
    pub error_message: Option<&'a str>,
    /// run start. `None` = default (now()).
    pub started_at: Option<DateTime<Utc>>,
    /// run end; NULL while pending or running. `None` = NULL.
    pub completed_at: Option<DateTime<Utc>>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewTestResult<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: TestResultId, project_id: ProjectId, test_type: TestType) -> Self {
        Self {
            id,
            project_id,
            test_type,
            technology_stack: None,
            status: None,
            results: None,
            error_message: None,
            started_at: None,
            completed_at: None,
            created_at: None,
        }
    }
}

/// Changes to a `test_results` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = test_results)]
pub struct TestResultChanges<'a> {
    /// project whose stack was tested
    pub project_id: Option<ProjectId>,
    /// kind of test run; one of: compatibility, integration, unit
    pub test_type: Option<TestType>,
    /// technologies tested `{"python":"3.12"}`
    pub technology_stack: Option<&'a Value>,
    /// run state; one of: pending, running, passed, failed
    pub status: Option<TestStatus>,
    /// result details
    pub results: Option<&'a Value>,
    /// failure message, if any
    pub error_message: Option<Option<&'a str>>,
    /// run start
    pub started_at: Option<DateTime<Utc>>,
    /// run end; NULL while pending or running
    pub completed_at: Option<Option<DateTime<Utc>>>,
}
