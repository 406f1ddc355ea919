//! Quality metrics and test runs of a project.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::Value;
use specs_db::enums::{MetricType, TestStatus, TestType};
use specs_db::ids::{ProjectId, QualityMetricId, TestResultId};
use specs_db::models::{NewQualityMetric, NewTestResult, QualityMetric, TestResult};
use specs_db::schema::{quality_metrics, test_results};

use crate::{ProjectError, check_text};

/// Records a measurement; `passed` follows from the threshold when there is one.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn record(
    specs: &mut PgConnection,
    project: ProjectId,
    name: &str,
    metric_type: MetricType,
    value: f64,
    threshold: Option<f64>,
    details: Option<&Value>,
) -> Result<QualityMetric, ProjectError> {
    check_text("metric_name", name, 100)?;
    if !value.is_finite() || threshold.is_some_and(|t| !t.is_finite()) {
        return Err(ProjectError::Invalid {
            field: "metric_value",
            reason: "must be a finite number".into(),
        });
    }
    Ok(diesel::insert_into(quality_metrics::table)
        .values(NewQualityMetric {
            metric_type: Some(metric_type),
            threshold,
            passed: threshold.map(|t| value >= t),
            details,
            ..NewQualityMetric::new(QualityMetricId::new(), project, name, value)
        })
        .returning(QualityMetric::as_returning())
        .get_result(specs)?)
}

/// The latest value of a metric (`idx_quality_metrics_project_id_metric_name_calculated_at`).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn latest(
    specs: &mut PgConnection,
    project: ProjectId,
    name: &str,
) -> QueryResult<Option<QualityMetric>> {
    quality_metrics::table
        .filter(
            quality_metrics::project_id
                .eq(project)
                .and(quality_metrics::metric_name.eq(name)),
        )
        .order((
            quality_metrics::calculated_at.desc(),
            quality_metrics::created_at.desc(),
        ))
        .select(QualityMetric::as_select())
        .first(specs)
        .optional()
}

/// Starts a test run of the project's technology stack (status `running`).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn start_test(
    specs: &mut PgConnection,
    project: ProjectId,
    test_type: TestType,
    stack: &Value,
) -> Result<TestResult, ProjectError> {
    Ok(diesel::insert_into(test_results::table)
        .values(NewTestResult {
            technology_stack: Some(stack),
            status: Some(TestStatus::Running),
            ..NewTestResult::new(TestResultId::new(), project, test_type)
        })
        .returning(TestResult::as_returning())
        .get_result(specs)?)
}

/// Completes a running test: passed, or failed with a message.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn complete_test(
    specs: &mut PgConnection,
    id: TestResultId,
    results: &Value,
    failure: Option<&str>,
) -> Result<TestResult, ProjectError> {
    specs.transaction(|specs| {
        let status: TestStatus = test_results::table
            .find(id)
            .select(test_results::status)
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(ProjectError::NotFound("test run"))?;
        if !matches!(status, TestStatus::Running | TestStatus::Pending) {
            return Err(ProjectError::State(format!(
                "the test run is already {status}"
            )));
        }
        let outcome = if failure.is_some() {
            TestStatus::Failed
        } else {
            TestStatus::Passed
        };
        Ok(diesel::update(test_results::table.find(id))
            .set((
                test_results::status.eq(outcome),
                test_results::results.eq(results),
                test_results::error_message.eq(failure),
                test_results::completed_at.eq(Utc::now()),
            ))
            .returning(TestResult::as_returning())
            .get_result(specs)?)
    })
}
