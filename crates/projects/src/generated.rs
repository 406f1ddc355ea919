//! Generated code: numbered generations of a project, and their files, traced
//! to the specifications they implement. `file_count` and `total_lines_of_code`
//! change with every file added, in the same transaction.

use chrono::Utc;
use diesel::prelude::*;
use specs_db::enums::{GeneratedFileStatus, GenerationStatus};
use specs_db::ids::{GeneratedFileId, GeneratedProjectId, ProjectId, SpecificationId};
use specs_db::models::{GeneratedFile, GeneratedProject, NewGeneratedFile, NewGeneratedProject};
use specs_db::schema::{generated_files, generated_projects, projects, specifications};

use crate::{ProjectError, check_text};

/// Starts the next generation of a project (numbered from 1, `in_progress`).
#[tracing::instrument(level = "debug", skip_all, fields(project = %project))]
pub fn start(
    specs: &mut PgConnection,
    project: ProjectId,
    name: &str,
    language: Option<&str>,
    framework: Option<&str>,
) -> Result<GeneratedProject, ProjectError> {
    check_text("name", name, 255)?;
    specs.transaction(|specs| {
        // Lock the project so concurrent starts number their generations in turn.
        projects::table
            .find(project)
            .select(projects::id)
            .for_update()
            .first::<ProjectId>(specs)
            .optional()?
            .ok_or(ProjectError::NotFound("project"))?;
        let last: Option<i32> = generated_projects::table
            .filter(generated_projects::project_id.eq(project))
            .select(diesel::dsl::max(generated_projects::generation_version))
            .first(specs)?;
        Ok(diesel::insert_into(generated_projects::table)
            .values(NewGeneratedProject {
                generation_version: Some(last.unwrap_or(0) + 1),
                language,
                framework,
                status: Some(GenerationStatus::InProgress),
                generation_started_at: Some(Utc::now()),
                ..NewGeneratedProject::new(GeneratedProjectId::new(), project, name)
            })
            .returning(GeneratedProject::as_returning())
            .get_result(specs)?)
    })
}

/// A file to add to a generation.
#[derive(Debug, Clone, Copy)]
pub struct FileInput<'a> {
    /// Path inside the generated project.
    pub path: &'a str,
    /// Content.
    pub content: &'a str,
    /// Language or extension.
    pub file_type: Option<&'a str>,
    /// Why the file exists.
    pub purpose: Option<&'a str>,
    /// The specifications it implements (of the same project).
    pub spec_ids: &'a [SpecificationId],
}

/// Lines of code: non-blank lines.
pub fn lines_of_code(content: &str) -> i32 {
    i32::try_from(content.lines().filter(|l| !l.trim().is_empty()).count()).unwrap_or(i32::MAX)
}

/// Adds a file to an in-progress generation, keeping its counters right.
#[tracing::instrument(level = "debug", skip_all, fields(generation = %generation))]
pub fn add_file(
    specs: &mut PgConnection,
    generation: GeneratedProjectId,
    file: &FileInput<'_>,
) -> Result<GeneratedFile, ProjectError> {
    check_text("path", file.path, 500)?;
    let filename = file.path.rsplit('/').next().unwrap_or(file.path);
    check_text("filename", filename, 255)?;
    specs.transaction(|specs| {
        let (project, status): (ProjectId, GenerationStatus) = generated_projects::table
            .find(generation)
            .select((generated_projects::project_id, generated_projects::status))
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(ProjectError::NotFound("generation"))?;
        if status != GenerationStatus::InProgress {
            return Err(ProjectError::State(format!("the generation is {status}")));
        }
        let traced: i64 = specifications::table
            .filter(specifications::id.eq_any(file.spec_ids))
            .filter(specifications::project_id.eq(project))
            .count()
            .get_result(specs)?;
        let distinct: std::collections::BTreeSet<_> = file.spec_ids.iter().collect();
        if usize::try_from(traced).unwrap_or(0) != distinct.len() {
            return Err(ProjectError::Invalid {
                field: "spec_ids",
                reason: "every id must be a specification of this project".into(),
            });
        }
        let lines = lines_of_code(file.content);
        let size = i64::try_from(file.content.len()).unwrap_or(i64::MAX);
        let row: GeneratedFile = diesel::insert_into(generated_files::table)
            .values(NewGeneratedFile {
                file_type: file.file_type,
                content: Some(file.content),
                file_size: Some(size),
                lines_of_code: Some(lines),
                purpose: file.purpose,
                status: Some(GeneratedFileStatus::Generated),
                spec_ids: Some(file.spec_ids),
                ..NewGeneratedFile::new(GeneratedFileId::new(), generation, file.path, filename)
            })
            .returning(GeneratedFile::as_returning())
            .get_result(specs)
            .map_err(|e| match db_core::DbError::from(e) {
                db_core::DbError::UniqueViolation { .. } => {
                    ProjectError::State(format!("{} is already in this generation", file.path))
                }
                other => ProjectError::Db(other),
            })?;
        diesel::update(generated_projects::table.find(generation))
            .set((
                generated_projects::file_count.eq(generated_projects::file_count + 1),
                generated_projects::total_lines_of_code
                    .eq(generated_projects::total_lines_of_code + lines),
            ))
            .execute(specs)?;
        Ok(row)
    })
}

/// Ends a generation as completed, or failed with a reason.
#[tracing::instrument(level = "debug", skip_all, fields(generation = %generation))]
pub fn finish(
    specs: &mut PgConnection,
    generation: GeneratedProjectId,
    failure: Option<&str>,
) -> Result<GeneratedProject, ProjectError> {
    let status = if failure.is_some() {
        GenerationStatus::Failed
    } else {
        GenerationStatus::Completed
    };
    specs.transaction(|specs| {
        let current: GenerationStatus = generated_projects::table
            .find(generation)
            .select(generated_projects::status)
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(ProjectError::NotFound("generation"))?;
        if current != GenerationStatus::InProgress {
            return Err(ProjectError::State(format!(
                "the generation is already {current}"
            )));
        }
        Ok(diesel::update(generated_projects::table.find(generation))
            .set((
                generated_projects::status.eq(status),
                generated_projects::generation_completed_at.eq(Utc::now()),
                generated_projects::error_message.eq(failure),
            ))
            .returning(GeneratedProject::as_returning())
            .get_result(specs)?)
    })
}

/// The generated files that implement a specification (`idx_generated_files_spec_ids`, GIN).
#[tracing::instrument(level = "debug", skip_all, fields(spec = %spec))]
pub fn files_for(
    specs: &mut PgConnection,
    spec: SpecificationId,
) -> QueryResult<Vec<GeneratedFile>> {
    generated_files::table
        .filter(generated_files::spec_ids.contains(vec![spec]))
        .select(GeneratedFile::as_select())
        .load(specs)
}

/// Removes a deleted specification's id from every generated file that traces it.
pub(crate) fn forget_spec(specs: &mut PgConnection, spec: SpecificationId) -> QueryResult<usize> {
    diesel::sql_query("UPDATE generated_files SET spec_ids = array_remove(spec_ids, $1) WHERE spec_ids @> ARRAY[$1]")
        .bind::<diesel::sql_types::Uuid, _>(spec)
        .execute(specs)
}
