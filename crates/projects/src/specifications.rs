//! Versioned specifications.
//!
//! A specification is identified by `(project, category, key)`; its versions are
//! rows numbered from 1, exactly one of them current. Superseding happens in one
//! transaction: the current row is locked, the new row gets version + 1 (and
//! `metadata.supersedes` pointing back), the old row stops being current and
//! points forward through `superseded_by`. Concurrent supersedes of one key
//! serialize on that lock; the loser re-reads the new current row and supersedes
//! it in turn, so no version is lost and one row stays current.

use chrono::Utc;
use diesel::prelude::*;
use serde_json::json;
use specs_db::enums::{SpecCategory, SpecSource, SpecStatus, SpecType};
use specs_db::ids::{ProjectId, SessionId, SpecificationId};
use specs_db::models::{NewSpecification, Specification};
use specs_db::schema::specifications;

use crate::{ProjectError, check_range, check_text};

/// The content of one version.
#[derive(Debug, Clone, Copy)]
pub struct SpecInput<'a> {
    /// Category.
    pub category: SpecCategory,
    /// Stable key within the category.
    pub key: &'a str,
    /// The statement.
    pub value: &'a str,
    /// Requirement class.
    pub spec_type: Option<SpecType>,
    /// How it was obtained.
    pub source: SpecSource,
    /// Approval state.
    pub status: SpecStatus,
    /// Extraction confidence, 0..1.
    pub confidence: Option<f64>,
    /// Contribution to category maturity, 0..100.
    pub maturity_score: f64,
    /// The session it came from.
    pub session: Option<SessionId>,
}

impl<'a> SpecInput<'a> {
    /// A user-given draft of `key` in `category`.
    pub fn new(category: SpecCategory, key: &'a str, value: &'a str) -> Self {
        Self {
            category,
            key,
            value,
            spec_type: None,
            source: SpecSource::UserInput,
            status: SpecStatus::Draft,
            confidence: None,
            maturity_score: 0.0,
            session: None,
        }
    }

    fn validate(&self) -> Result<(), ProjectError> {
        check_text("key", self.key, 255)?;
        check_text("value", self.value, 100_000)?;
        if let Some(c) = self.confidence {
            check_range("confidence", c, 1.0)?;
        }
        check_range("maturity_score", self.maturity_score, 100.0)
    }

    fn row(
        &self,
        id: SpecificationId,
        project: ProjectId,
        version: i32,
        metadata: &'a serde_json::Value,
    ) -> NewSpecification<'a> {
        NewSpecification {
            session_id: self.session,
            spec_type: self.spec_type,
            source: Some(self.source),
            status: Some(self.status),
            version: Some(version),
            confidence: self.confidence,
            maturity_score: Some(self.maturity_score),
            metadata: Some(metadata),
            ..NewSpecification::new(id, project, self.category, self.key, self.value)
        }
    }
}

/// Adds a new specification at version 1; an existing key must be superseded instead.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn add(
    specs: &mut PgConnection,
    project: ProjectId,
    input: &SpecInput<'_>,
) -> Result<Specification, ProjectError> {
    input.validate()?;
    let empty = json!({});
    diesel::insert_into(specifications::table)
        .values(input.row(SpecificationId::new(), project, 1, &empty))
        .returning(Specification::as_returning())
        .get_result(specs)
        .map_err(|e| match db_core::DbError::from(e) {
            db_core::DbError::UniqueViolation { .. } => ProjectError::State(format!(
                "{}/{} exists; supersede it instead",
                input.category, input.key
            )),
            db_core::DbError::ForeignKeyViolation { .. } => {
                ProjectError::NotFound("project or session")
            }
            other => ProjectError::Db(other),
        })
}

fn current_locked(
    specs: &mut PgConnection,
    project: ProjectId,
    category: SpecCategory,
    key: &str,
) -> QueryResult<Option<Specification>> {
    specifications::table
        .filter(specifications::project_id.eq(project))
        .filter(specifications::category.eq(category))
        .filter(specifications::key.eq(key))
        .filter(specifications::is_current.eq(true))
        .select(Specification::as_select())
        .for_update()
        .first(specs)
        .optional()
}

/// Replaces the current version of `(project, input.category, input.key)` by a new one.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn supersede(
    specs: &mut PgConnection,
    project: ProjectId,
    input: &SpecInput<'_>,
) -> Result<Specification, ProjectError> {
    input.validate()?;
    specs.transaction(|specs| {
        // A concurrent supersede may commit while we wait for the lock; the row we
        // waited for is then no longer current, and the next read finds its successor.
        let mut current = None;
        for _ in 0..16 {
            current = current_locked(specs, project, input.category, input.key)?;
            if current.is_some() {
                break;
            }
            let any: i64 = specifications::table
                .filter(specifications::project_id.eq(project))
                .filter(specifications::category.eq(input.category))
                .filter(specifications::key.eq(input.key))
                .count()
                .get_result(specs)?;
            if any == 0 {
                break;
            }
        }
        let old = current.ok_or(ProjectError::NotFound("current specification"))?;
        let metadata = json!({ "supersedes": old.id });
        let new: Specification = diesel::insert_into(specifications::table)
            .values(input.row(SpecificationId::new(), project, old.version + 1, &metadata))
            .returning(Specification::as_returning())
            .get_result(specs)?;
        diesel::update(specifications::table.find(old.id))
            .set((
                specifications::is_current.eq(false),
                specifications::superseded_at.eq(Utc::now()),
                specifications::superseded_by.eq(new.id),
            ))
            .execute(specs)?;
        Ok(new)
    })
}

/// The current specifications of a project in one category (`idx_specifications_project_id_category_current`).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn current(
    specs: &mut PgConnection,
    project: ProjectId,
    category: SpecCategory,
) -> QueryResult<Vec<Specification>> {
    specifications::table
        .filter(specifications::project_id.eq(project))
        .filter(specifications::category.eq(category))
        .filter(specifications::is_current.eq(true))
        .order(specifications::key)
        .select(Specification::as_select())
        .load(specs)
}

/// Every version of one specification, oldest first.
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn history(
    specs: &mut PgConnection,
    project: ProjectId,
    category: SpecCategory,
    key: &str,
) -> QueryResult<Vec<Specification>> {
    specifications::table
        .filter(specifications::project_id.eq(project))
        .filter(specifications::category.eq(category))
        .filter(specifications::key.eq(key))
        .order(specifications::version)
        .select(Specification::as_select())
        .load(specs)
}

/// Deletes one specification row and removes its id from every conflict and
/// generated file that mentions it (those arrays have no foreign key).
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn delete(specs: &mut PgConnection, id: SpecificationId) -> Result<(), ProjectError> {
    specs.transaction(|specs| {
        crate::conflicts::forget_spec(specs, id)?;
        crate::generated::forget_spec(specs, id)?;
        let deleted = diesel::delete(specifications::table.find(id)).execute(specs)?;
        if deleted == 0 {
            return Err(ProjectError::NotFound("specification"));
        }
        Ok(())
    })
}
