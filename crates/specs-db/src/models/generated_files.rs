//! `generated_files`: one file of a generated project, with traceability to specifications.

use crate::enums::GeneratedFileStatus;
use crate::ids::{GeneratedFileId, GeneratedProjectId, SpecificationId};
use crate::schema::generated_files;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `generated_files`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = generated_files, check_for_backend(diesel::pg::Pg))]
pub struct GeneratedFile {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: GeneratedFileId,
    /// generation run the file belongs to
    pub generated_project_id: GeneratedProjectId,
    /// path inside the generated project
    pub file_path: String,
    /// base name
    pub filename: String,
    /// language/extension (free text)
    pub file_type: Option<String>,
    /// file content
    pub content: Option<String>,
    /// bytes
    pub file_size: Option<i64>,
    /// lines of code in the file
    pub lines_of_code: Option<i32>,
    /// why the file exists
    pub purpose: Option<String>,
    /// review state; one of: draft, generated, reviewed, approved
    pub status: GeneratedFileStatus,
    /// specifications implemented (no FK)
    pub spec_ids: Vec<SpecificationId>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `generated_files`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = generated_files)]
pub struct NewGeneratedFile<'a> {
    /// Primary key: pass `GeneratedFileId::new()` (a UUIDv7).
    pub id: GeneratedFileId,
    /// generation run the file belongs to
    pub generated_project_id: GeneratedProjectId,
    /// path inside the generated project
    pub file_path: &'a str,
    /// base name
    pub filename: &'a str,
    /// language/extension (free text). `None` = NULL.
    pub file_type: Option<&'a str>,
    /// file content. `None` = NULL.
    pub content: Option<&'a str>,
    /// bytes. `None` = NULL.
    pub file_size: Option<i64>,
    /// lines of code in the file. `None` = NULL.
    pub lines_of_code: Option<i32>,
    /// why the file exists. `None` = NULL.
    pub purpose: Option<&'a str>,
    /// review state; one of: draft, generated, reviewed, approved. `None` = default ('draft').
    pub status: Option<GeneratedFileStatus>,
    /// specifications implemented (no FK). `None` = default ('{}'::uuid[]).
    pub spec_ids: Option<&'a [SpecificationId]>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewGeneratedFile<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: GeneratedFileId,
        generated_project_id: GeneratedProjectId,
        file_path: &'a str,
        filename: &'a str,
    ) -> Self {
        Self {
            id,
            generated_project_id,
            file_path,
            filename,
            file_type: None,
            content: None,
            file_size: None,
            lines_of_code: None,
            purpose: None,
            status: None,
            spec_ids: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `generated_files` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = generated_files)]
pub struct GeneratedFileChanges<'a> {
    /// generation run the file belongs to
    pub generated_project_id: Option<GeneratedProjectId>,
    /// path inside the generated project
    pub file_path: Option<&'a str>,
    /// base name
    pub filename: Option<&'a str>,
    /// language/extension (free text)
    pub file_type: Option<Option<&'a str>>,
    /// file content
    pub content: Option<Option<&'a str>>,
    /// bytes
    pub file_size: Option<Option<i64>>,
    /// lines of code in the file
    pub lines_of_code: Option<Option<i32>>,
    /// why the file exists
    pub purpose: Option<Option<&'a str>>,
    /// review state; one of: draft, generated, reviewed, approved
    pub status: Option<GeneratedFileStatus>,
    /// specifications implemented (no FK)
    pub spec_ids: Option<&'a [SpecificationId]>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
