//! `generated_projects`: one code-generation run (output project) for a project.

use crate::enums::GenerationStatus;
use crate::ids::{GeneratedProjectId, ProjectId};
use crate::schema::generated_projects;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `generated_projects`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = generated_projects, check_for_backend(diesel::pg::Pg))]
pub struct GeneratedProject {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: GeneratedProjectId,
    /// source project
    pub project_id: ProjectId,
    /// nth generation of this project
    pub generation_version: i32,
    /// output project name
    pub name: String,
    /// output project description
    pub description: Option<String>,
    /// main language (free text)
    pub language: Option<String>,
    /// main framework (free text)
    pub framework: Option<String>,
    /// version label of the generated code
    pub version: Option<String>,
    /// generation state; one of: pending, in_progress, completed, failed
    pub status: GenerationStatus,
    /// number of generated files
    pub file_count: i32,
    /// lines of code over all generated files
    pub total_lines_of_code: i32,
    /// percent 0–100
    pub test_coverage: Option<f64>,
    /// 0–100
    pub quality_score: Option<f64>,
    /// percent of specs implemented
    pub traceability_score: Option<f64>,
    /// archive location
    pub download_url: Option<String>,
    /// directory tree
    pub structure: Value,
    /// generator settings
    pub configuration: Value,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// generation start
    pub generation_started_at: Option<DateTime<Utc>>,
    /// generation end
    pub generation_completed_at: Option<DateTime<Utc>>,
    /// failure reason
    pub error_message: Option<String>,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `generated_projects`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = generated_projects)]
pub struct NewGeneratedProject<'a> {
    /// Primary key: pass `GeneratedProjectId::new()` (a UUIDv7).
    pub id: GeneratedProjectId,
    /// source project
    pub project_id: ProjectId,
    /// nth generation of this project. `None` = default (1).
    pub generation_version: Option<i32>,
    /// output project name
    pub name: &'a str,
    /// output project description. `None` = NULL.
    pub description: Option<&'a str>,
    /// main language (free text). `None` = NULL.
    pub language: Option<&'a str>,
    /// main framework (free text). `None` = NULL.
    pub framework: Option<&'a str>,
    /// version label of the generated code. `None` = NULL.
    pub version: Option<&'a str>,
    /// generation state; one of: pending, in_progress, completed, failed. `None` = default ('pending').
    pub status: Option<GenerationStatus>,
    /// number of generated files. `None` = default (0).
    pub file_count: Option<i32>,
    /// lines of code over all generated files. `None` = default (0).
    pub total_lines_of_code: Option<i32>,
    /// percent 0–100. `None` = NULL.
    pub test_coverage: Option<f64>,
    /// 0–100. `None` = NULL.
    pub quality_score: Option<f64>,
    /// percent of specs implemented. `None` = NULL.
    pub traceability_score: Option<f64>,
    /// archive location. `None` = NULL.
    pub download_url: Option<&'a str>,
    /// directory tree. `None` = default ('{}'::jsonb).
    pub structure: Option<&'a Value>,
    /// generator settings. `None` = default ('{}'::jsonb).
    pub configuration: Option<&'a Value>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// generation start. `None` = NULL.
    pub generation_started_at: Option<DateTime<Utc>>,
    /// generation end. `None` = NULL.
    pub generation_completed_at: Option<DateTime<Utc>>,
    /// failure reason. `None` = NULL.
    pub error_message: Option<&'a str>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewGeneratedProject<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: GeneratedProjectId, project_id: ProjectId, name: &'a str) -> Self {
        Self {
            id,
            project_id,
            name,
            generation_version: None,
            description: None,
            language: None,
            framework: None,
            version: None,
            status: None,
            file_count: None,
            total_lines_of_code: None,
            test_coverage: None,
            quality_score: None,
            traceability_score: None,
            download_url: None,
            structure: None,
            configuration: None,
            metadata: None,
            generation_started_at: None,
            generation_completed_at: None,
            error_message: None,
            created_at: None,
        }
    }
}

/// Changes to a `generated_projects` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = generated_projects)]
pub struct GeneratedProjectChanges<'a> {
    /// source project
    pub project_id: Option<ProjectId>,
    /// nth generation of this project
    pub generation_version: Option<i32>,
    /// output project name
    pub name: Option<&'a str>,
    /// output project description
    pub description: Option<Option<&'a str>>,
    /// main language (free text)
    pub language: Option<Option<&'a str>>,
    /// main framework (free text)
    pub framework: Option<Option<&'a str>>,
    /// version label of the generated code
    pub version: Option<Option<&'a str>>,
    /// generation state; one of: pending, in_progress, completed, failed
    pub status: Option<GenerationStatus>,
    /// number of generated files
    pub file_count: Option<i32>,
    /// lines of code over all generated files
    pub total_lines_of_code: Option<i32>,
    /// percent 0–100
    pub test_coverage: Option<Option<f64>>,
    /// 0–100
    pub quality_score: Option<Option<f64>>,
    /// percent of specs implemented
    pub traceability_score: Option<Option<f64>>,
    /// archive location
    pub download_url: Option<Option<&'a str>>,
    /// directory tree
    pub structure: Option<&'a Value>,
    /// generator settings
    pub configuration: Option<&'a Value>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
    /// generation start
    pub generation_started_at: Option<Option<DateTime<Utc>>>,
    /// generation end
    pub generation_completed_at: Option<Option<DateTime<Utc>>>,
    /// failure reason
    pub error_message: Option<Option<&'a str>>,
}
