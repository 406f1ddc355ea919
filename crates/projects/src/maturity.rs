//! Maturity: how complete a project's specification is, per category and overall.
//!
//! The formula (also in `maturity_update.sql`, as one statement):
//! a current specification earns its own `maturity_score` when set, else 10
//! (draft), 25 (approved), 35 (implemented) or 0 (deprecated), times its
//! confidence (1 when unknown); a category scores the sum, capped at 100; the
//! project scores the mean of the ten categories. Scores are rounded to four
//! places, so a recomputation from the same rows gives the same numbers.
//!
//! Recording is idempotent: a `maturity_tracking` row is written only for a
//! category whose score differs from its latest recorded one (a category never
//! recorded counts as 0), and `projects.maturity_score` is updated only when it
//! differs. [`plan`] computes the changes without writing; [`apply`] writes them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Double, Text, Uuid as SqlUuid};
use serde_json::json;
use specs_db::enums::{SpecCategory, SpecStatus};
use specs_db::ids::{MaturityRecordId, ProjectId};
use specs_db::schema::{maturity_tracking, projects, specifications};

use crate::ProjectError;

/// The maturity formula as one SQL statement over every project.
pub const UPDATE_ALL_SQL: &str = include_str!("maturity_update.sql");

/// One current specification, as the formula sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpecPoints {
    /// Category.
    pub category: SpecCategory,
    /// Approval state.
    pub status: SpecStatus,
    /// Its own contribution, when set (> 0).
    pub maturity_score: f64,
    /// Extraction confidence.
    pub confidence: Option<f64>,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Points one specification contributes to its category.
pub fn points(s: &SpecPoints) -> f64 {
    let base = if s.maturity_score > 0.0 {
        s.maturity_score
    } else {
        match s.status {
            SpecStatus::Draft => 10.0,
            SpecStatus::Approved => 25.0,
            SpecStatus::Implemented => 35.0,
            SpecStatus::Deprecated => 0.0,
        }
    };
    base * s.confidence.unwrap_or(1.0)
}

/// A project's scores: per category (in `SpecCategory::ALL` order) and overall.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// The project.
    pub project: ProjectId,
    /// Score per category, 0..100.
    pub categories: [f64; 10],
    /// Mean of the categories, 0..100.
    pub overall: f64,
}

/// Scores a project from its current specifications.
pub fn compute(project: ProjectId, specs: &[SpecPoints]) -> Scores {
    let mut sums = [0.0f64; 10];
    // Sum in a fixed order, so the result does not depend on row order.
    let mut sorted: Vec<&SpecPoints> = specs.iter().collect();
    sorted.sort_by_key(|s| (s.category, points(s).to_bits()));
    for s in sorted {
        let at = SpecCategory::ALL
            .iter()
            .position(|c| *c == s.category)
            .unwrap_or(0);
        sums[at] += points(s);
    }
    let categories = sums.map(|sum| round4(sum.min(100.0)));
    let overall = round4(categories.iter().sum::<f64>() / 10.0);
    Scores {
        project,
        categories,
        overall,
    }
}

/// Reads the current specifications of `projects`, grouped by project.
#[tracing::instrument(level = "debug", skip_all)]
pub fn load(
    specs: &mut PgConnection,
    projects: &[ProjectId],
) -> QueryResult<HashMap<ProjectId, Vec<SpecPoints>>> {
    let rows: Vec<(ProjectId, SpecCategory, SpecStatus, f64, Option<f64>)> = specifications::table
        .filter(specifications::project_id.eq_any(projects))
        .filter(specifications::is_current.eq(true))
        .select((
            specifications::project_id,
            specifications::category,
            specifications::status,
            specifications::maturity_score,
            specifications::confidence,
        ))
        .load(specs)?;
    let mut by_project: HashMap<ProjectId, Vec<SpecPoints>> =
        projects.iter().map(|p| (*p, Vec::new())).collect();
    for (project, category, status, maturity_score, confidence) in rows {
        by_project.entry(project).or_default().push(SpecPoints {
            category,
            status,
            maturity_score,
            confidence,
        });
    }
    Ok(by_project)
}

/// What recording a set of scores would change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// New tracking rows: (project, category, score).
    pub tracking: Vec<(ProjectId, SpecCategory, f64)>,
    /// Projects whose overall score changes: (project, score).
    pub projects: Vec<(ProjectId, f64)>,
}

#[derive(QueryableByName)]
struct Latest {
    #[diesel(sql_type = SqlUuid)]
    project_id: ProjectId,
    #[diesel(sql_type = Text)]
    category: SpecCategory,
    #[diesel(sql_type = Double)]
    score: f64,
}

/// Compares scores with what is recorded; writes nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub fn plan(specs: &mut PgConnection, scores: &[Scores]) -> QueryResult<Plan> {
    let ids: Vec<ProjectId> = scores.iter().map(|s| s.project).collect();
    let latest: HashMap<(ProjectId, SpecCategory), f64> = diesel::sql_query(
        "SELECT DISTINCT ON (project_id, category) project_id, category::text AS category, score \
         FROM maturity_tracking WHERE project_id = ANY($1) \
         ORDER BY project_id, category, calculated_at DESC, created_at DESC",
    )
    .bind::<Array<SqlUuid>, _>(&ids)
    .load::<Latest>(specs)?
    .into_iter()
    .map(|l| ((l.project_id, l.category), l.score))
    .collect();
    let stored: HashMap<ProjectId, f64> = projects::table
        .filter(projects::id.eq_any(&ids))
        .select((projects::id, projects::maturity_score))
        .load::<(ProjectId, f64)>(specs)?
        .into_iter()
        .collect();
    let mut plan = Plan::default();
    for s in scores {
        for (category, score) in SpecCategory::ALL.iter().zip(s.categories) {
            if latest.get(&(s.project, *category)).copied().unwrap_or(0.0) != score {
                plan.tracking.push((s.project, *category, score));
            }
        }
        if stored
            .get(&s.project)
            .is_some_and(|stored| *stored != s.overall)
        {
            plan.projects.push((s.project, s.overall));
        }
    }
    Ok(plan)
}

/// A tracking row as COPY sends it: every column explicit.
#[derive(Insertable)]
#[diesel(table_name = maturity_tracking, treat_none_as_default_value = false)]
struct TrackingRow<'a> {
    id: MaturityRecordId,
    project_id: ProjectId,
    category: SpecCategory,
    score: f64,
    details: &'a serde_json::Value,
    calculated_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

/// Writes a plan: the tracking rows by binary COPY, the scores by one UPDATE.
#[tracing::instrument(level = "debug", skip_all)]
pub fn apply(specs: &mut PgConnection, plan: &Plan) -> QueryResult<usize> {
    let details = json!({ "formula": "projects::maturity v1" });
    if !plan.tracking.is_empty() {
        let now = Utc::now();
        let rows: Vec<TrackingRow<'_>> = plan
            .tracking
            .iter()
            .map(|(project, category, score)| TrackingRow {
                id: MaturityRecordId::new(),
                project_id: *project,
                category: *category,
                score: *score,
                details: &details,
                calculated_at: now,
                created_at: now,
            })
            .collect();
        diesel::copy_from(maturity_tracking::table)
            .from_insertable(&rows)
            .execute(specs)?;
    }
    if !plan.projects.is_empty() {
        let (ids, values): (Vec<ProjectId>, Vec<f64>) = plan.projects.iter().copied().unzip();
        diesel::sql_query(
            "UPDATE projects p SET maturity_score = v.score \
             FROM unnest($1::uuid[], $2::float8[]) AS v(id, score) WHERE p.id = v.id",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Double>, _>(&values)
        .execute(specs)?;
    }
    Ok(plan.tracking.len() + plan.projects.len())
}

/// Recomputes one project's maturity and records what changed.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn recompute(specs: &mut PgConnection, project: ProjectId) -> Result<Scores, ProjectError> {
    specs.transaction(|specs| {
        let exists: bool =
            diesel::select(diesel::dsl::exists(projects::table.find(project))).get_result(specs)?;
        if !exists {
            return Err(ProjectError::NotFound("project"));
        }
        let inputs = load(specs, &[project])?;
        let scores = compute(project, inputs.get(&project).map_or(&[][..], Vec::as_slice));
        let plan = plan(specs, std::slice::from_ref(&scores))?;
        apply(specs, &plan)?;
        Ok(scores)
    })
}
