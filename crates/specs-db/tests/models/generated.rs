//! Round trips of generated projects and files.

use super::*;
use specs_db::enums::*;
use specs_db::ids::*;
use specs_db::models::*;
use specs_db::schema::*;

/// `generated_projects`: inserted with every column set, read back equal, and updated.
#[test]
fn generated_projects() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = GeneratedProjectId::new();
    let v_structure = json!({"sample": "generated_projects.structure"});
    let v_configuration = json!({"sample": "generated_projects.configuration"});
    let v_metadata = json!({"sample": "generated_projects.metadata"});
    diesel::insert_into(generated_projects::table)
        .values(NewGeneratedProject {
            id,
            project_id: projects_id,
            generation_version: Some(7),
            name: "generated_projects.name",
            description: Some("generated_projects.description"),
            language: Some("generated_projects.language"),
            framework: Some("generated_projects.framework"),
            version: Some("ted_projects.version"),
            status: Some(GenerationStatus::InProgress),
            file_count: Some(7),
            total_lines_of_code: Some(7),
            test_coverage: Some(0.5),
            quality_score: Some(0.5),
            traceability_score: Some(0.5),
            download_url: Some("generated_projects.download_url"),
            structure: Some(&v_structure),
            configuration: Some(&v_configuration),
            metadata: Some(&v_metadata),
            generation_started_at: Some(t0()),
            generation_completed_at: Some(t0()),
            error_message: Some("generated_projects.error_message"),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert generated_projects");
    let row: GeneratedProject = generated_projects::table
        .find(id)
        .select(GeneratedProject::as_select())
        .first(conn)
        .expect("read generated_projects");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.generation_version, 7);
    assert_eq!(row.name, "generated_projects.name");
    assert_eq!(
        row.description.as_deref(),
        Some("generated_projects.description")
    );
    assert_eq!(row.language.as_deref(), Some("generated_projects.language"));
    assert_eq!(
        row.framework.as_deref(),
        Some("generated_projects.framework")
    );
    assert_eq!(row.version.as_deref(), Some("ted_projects.version"));
    assert_eq!(row.status, GenerationStatus::InProgress);
    assert_eq!(row.file_count, 7);
    assert_eq!(row.total_lines_of_code, 7);
    assert_eq!(row.test_coverage, Some(0.5));
    assert_eq!(row.quality_score, Some(0.5));
    assert_eq!(row.traceability_score, Some(0.5));
    assert_eq!(
        row.download_url.as_deref(),
        Some("generated_projects.download_url")
    );
    assert_eq!(row.structure, v_structure);
    assert_eq!(row.configuration, v_configuration);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.generation_started_at, Some(t0()));
    assert_eq!(row.generation_completed_at, Some(t0()));
    assert_eq!(
        row.error_message.as_deref(),
        Some("generated_projects.error_message")
    );
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: GeneratedProject = diesel::update(generated_projects::table.find(id))
        .set(GeneratedProjectChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(GeneratedProject::as_returning())
        .get_result(conn)
        .expect("update generated_projects");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `generated_files`: inserted with every column set, read back equal, and updated.
#[test]
fn generated_files() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let sessions_id = parents::session(conn, projects_id);
    let specifications_id = parents::specification(conn, projects_id, sessions_id);
    let generated_projects_id = parents::generated_project(conn, projects_id);
    let id = GeneratedFileId::new();
    let v_spec_ids = vec![specifications_id];
    let v_metadata = json!({"sample": "generated_files.metadata"});
    diesel::insert_into(generated_files::table)
        .values(NewGeneratedFile {
            id,
            generated_project_id: generated_projects_id,
            file_path: "generated_files.file_path",
            filename: "generated_files.filename",
            file_type: Some("generated_files.file_type"),
            content: Some("generated_files.content"),
            file_size: Some(7),
            lines_of_code: Some(7),
            purpose: Some("generated_files.purpose"),
            status: Some(GeneratedFileStatus::Generated),
            spec_ids: Some(&v_spec_ids),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert generated_files");
    let row: GeneratedFile = generated_files::table
        .find(id)
        .select(GeneratedFile::as_select())
        .first(conn)
        .expect("read generated_files");
    assert_eq!(row.id, id);
    assert_eq!(row.generated_project_id, generated_projects_id);
    assert_eq!(row.file_path, "generated_files.file_path");
    assert_eq!(row.filename, "generated_files.filename");
    assert_eq!(row.file_type.as_deref(), Some("generated_files.file_type"));
    assert_eq!(row.content.as_deref(), Some("generated_files.content"));
    assert_eq!(row.file_size, Some(7));
    assert_eq!(row.lines_of_code, Some(7));
    assert_eq!(row.purpose.as_deref(), Some("generated_files.purpose"));
    assert_eq!(row.status, GeneratedFileStatus::Generated);
    assert_eq!(row.spec_ids, v_spec_ids);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: GeneratedFile = diesel::update(generated_files::table.find(id))
        .set(GeneratedFileChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(GeneratedFile::as_returning())
        .get_result(conn)
        .expect("update generated_files");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}
