//! Round trips of knowledge documents and chunks.

use super::*;
use specs_db::enums::*;
use specs_db::ids::*;
use specs_db::models::*;
use specs_db::schema::*;

/// `knowledge_base_documents`: inserted with every column set, read back equal, and updated.
#[test]
fn knowledge_base_documents() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = KnowledgeDocumentId::new();
    let v_user_id = UserId::new();
    let v_tags = vec!["alpha".to_owned(), "beta".to_owned()];
    let v_embedding: Vec<f32> = (0..384).map(|i| i as f32 / 384.0).collect();
    let v_metadata = json!({"sample": "knowledge_base_documents.metadata"});
    diesel::insert_into(knowledge_base_documents::table)
        .values(NewKnowledgeDocument {
            id,
            project_id: Some(projects_id),
            user_id: Some(v_user_id),
            title: "knowledge_base_documents.title",
            filename: Some("knowledge_base_documents.filename"),
            file_path: Some("knowledge_base_documents.file_path"),
            file_size: Some(7),
            content_type: Some("knowledge_base_documents.content_type"),
            document_type: Some("knowledge_base_documents.document_type"),
            category: Some("knowledge_base_documents.category"),
            tags: Some(&v_tags),
            source: Some("knowledge_base_documents.source"),
            content: Some("knowledge_base_documents.content"),
            content_summary: Some("knowledge_base_documents.content_summary"),
            status: Some(DocumentStatus::Processing),
            version: Some(7),
            is_approved: Some(true),
            relevance_score: Some(0.5),
            usage_count: Some(7),
            embedding: Some(&v_embedding),
            embedding_model: Some("knowledge_base_documents.embedding_model"),
            embedded_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert knowledge_base_documents");
    let row: KnowledgeDocument = knowledge_base_documents::table
        .find(id)
        .select(KnowledgeDocument::as_select())
        .first(conn)
        .expect("read knowledge_base_documents");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.title, "knowledge_base_documents.title");
    assert_eq!(
        row.filename.as_deref(),
        Some("knowledge_base_documents.filename")
    );
    assert_eq!(
        row.file_path.as_deref(),
        Some("knowledge_base_documents.file_path")
    );
    assert_eq!(row.file_size, Some(7));
    assert_eq!(
        row.content_type.as_deref(),
        Some("knowledge_base_documents.content_type")
    );
    assert_eq!(
        row.document_type.as_deref(),
        Some("knowledge_base_documents.document_type")
    );
    assert_eq!(
        row.category.as_deref(),
        Some("knowledge_base_documents.category")
    );
    assert_eq!(row.tags, v_tags);
    assert_eq!(
        row.source.as_deref(),
        Some("knowledge_base_documents.source")
    );
    assert_eq!(
        row.content.as_deref(),
        Some("knowledge_base_documents.content")
    );
    assert_eq!(
        row.content_summary.as_deref(),
        Some("knowledge_base_documents.content_summary")
    );
    assert_eq!(row.status, DocumentStatus::Processing);
    assert_eq!(row.version, 7);
    assert!(row.is_approved);
    assert_eq!(row.relevance_score, Some(0.5));
    assert_eq!(row.usage_count, 7);
    assert_eq!(row.embedding, Some(v_embedding));
    assert_eq!(
        row.embedding_model.as_deref(),
        Some("knowledge_base_documents.embedding_model")
    );
    assert_eq!(row.embedded_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: KnowledgeDocument = diesel::update(knowledge_base_documents::table.find(id))
        .set(KnowledgeDocumentChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(KnowledgeDocument::as_returning())
        .get_result(conn)
        .expect("update knowledge_base_documents");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `document_chunks`: inserted with every column set, read back equal, and updated.
#[test]
fn document_chunks() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let knowledge_base_documents_id = parents::knowledge_document(conn, projects_id);
    let id = DocumentChunkId::new();
    let v_embedding: Vec<f32> = (0..384).map(|i| i as f32 / 384.0).collect();
    let v_metadata = json!({"sample": "document_chunks.metadata"});
    diesel::insert_into(document_chunks::table)
        .values(NewDocumentChunk {
            id,
            document_id: knowledge_base_documents_id,
            project_id: Some(projects_id),
            chunk_index: 7,
            content: "document_chunks.content",
            chunk_type: Some("document_chunks.chunk_type"),
            source_section: Some("document_chunks.source_section"),
            tokens_count: Some(7),
            embedding: Some(&v_embedding),
            embedding_model: Some("document_chunks.embedding_model"),
            embedded_at: Some(t0()),
            relevance_score: Some(0.5),
            search_count: Some(7),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert document_chunks");
    let row: DocumentChunk = document_chunks::table
        .find(id)
        .select(DocumentChunk::as_select())
        .first(conn)
        .expect("read document_chunks");
    assert_eq!(row.id, id);
    assert_eq!(row.document_id, knowledge_base_documents_id);
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.chunk_index, 7);
    assert_eq!(row.content, "document_chunks.content");
    assert_eq!(
        row.chunk_type.as_deref(),
        Some("document_chunks.chunk_type")
    );
    assert_eq!(
        row.source_section.as_deref(),
        Some("document_chunks.source_section")
    );
    assert_eq!(row.tokens_count, Some(7));
    assert_eq!(row.embedding, Some(v_embedding));
    assert_eq!(
        row.embedding_model.as_deref(),
        Some("document_chunks.embedding_model")
    );
    assert_eq!(row.embedded_at, Some(t0()));
    assert_eq!(row.relevance_score, Some(0.5));
    assert_eq!(row.search_count, 7);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: DocumentChunk = diesel::update(document_chunks::table.find(id))
        .set(DocumentChunkChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(DocumentChunk::as_returning())
        .get_result(conn)
        .expect("update document_chunks");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}
