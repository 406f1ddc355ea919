//! Knowledge-base documents: ingest, chunk, embed.

use chrono::Utc;
use db_core::UserId;
use diesel::prelude::*;
use diesel::sql_types::Text;
use specs_db::enums::DocumentStatus;
use specs_db::ids::{DocumentChunkId, KnowledgeDocumentId, ProjectId};
use specs_db::models::{DocumentChunk, KnowledgeDocument, NewDocumentChunk, NewKnowledgeDocument};
use specs_db::schema::{document_chunks, knowledge_base_documents};

use crate::KnowledgeError;
use crate::chunking::{ChunkOptions, chunk};
use crate::embed::{DIMENSIONS, Embedder};

/// A document to ingest.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// Owning project; `None` for a global article.
    pub project: Option<ProjectId>,
    /// Uploader; `None` for the system.
    pub user: Option<UserId>,
    /// Display title.
    pub title: &'a str,
    /// Extracted text.
    pub content: &'a str,
    /// Original file name.
    pub filename: Option<&'a str>,
    /// MIME type.
    pub content_type: Option<&'a str>,
    /// Kind (guide, spec, reference ...).
    pub document_type: Option<&'a str>,
    /// Approved for retrieval by everyone (global articles).
    pub approved: bool,
}

impl<'a> Upload<'a> {
    /// A project document with a title and text.
    pub fn new(project: Option<ProjectId>, title: &'a str, content: &'a str) -> Self {
        Self {
            project,
            user: None,
            title,
            content,
            filename: None,
            content_type: None,
            document_type: None,
            approved: false,
        }
    }
}

/// The row an upload becomes.
fn row<'a>(upload: &Upload<'a>) -> NewKnowledgeDocument<'a> {
    NewKnowledgeDocument {
        project_id: upload.project,
        user_id: upload.user,
        filename: upload.filename,
        content_type: upload.content_type,
        document_type: upload.document_type,
        content: Some(upload.content),
        file_size: Some(i64::try_from(upload.content.len()).unwrap_or(i64::MAX)),
        is_approved: Some(upload.approved),
        status: Some(DocumentStatus::Processed),
        ..NewKnowledgeDocument::new(KnowledgeDocumentId::new(), upload.title)
    }
}

fn insert(
    specs: &mut PgConnection,
    row: &NewKnowledgeDocument<'_>,
) -> Result<KnowledgeDocument, KnowledgeError> {
    diesel::insert_into(knowledge_base_documents::table)
        .values(row)
        .returning(KnowledgeDocument::as_returning())
        .get_result(specs)
        .map_err(|e| match db_core::DbError::from(e) {
            db_core::DbError::ForeignKeyViolation { .. } => KnowledgeError::NotFound("project"),
            other => KnowledgeError::Db(other),
        })
}

/// Stores a document (its uploader checked in auth when given); chunking is separate.
#[tracing::instrument(level = "debug", skip_all)]
pub fn ingest(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    upload: &Upload<'_>,
) -> Result<KnowledgeDocument, KnowledgeError> {
    crate::check_text("title", upload.title, 255)?;
    if upload.content.trim().is_empty() {
        return Err(KnowledgeError::Invalid {
            field: "content",
            reason: "must not be empty",
        });
    }
    cross_db::write_row(auth, specs, &row(upload), insert)
}

/// The chunk rows for a document's text (not yet stored).
pub fn chunk_rows<'a>(
    document: KnowledgeDocumentId,
    project: Option<ProjectId>,
    chunks: &'a [crate::chunking::Chunk],
) -> Vec<NewDocumentChunk<'a>> {
    chunks
        .iter()
        .map(|c| NewDocumentChunk {
            project_id: project,
            chunk_type: Some(c.kind),
            source_section: c.section.as_deref(),
            tokens_count: Some(i32::try_from(c.tokens).unwrap_or(i32::MAX)),
            ..NewDocumentChunk::new(
                DocumentChunkId::new(),
                document,
                i32::try_from(c.index).unwrap_or(i32::MAX),
                &c.content,
            )
        })
        .collect()
}

/// Splits a document into chunks; a document already chunked is refused
/// (its chunk indexes are stable and others may refer to them).
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn chunk_document(
    specs: &mut PgConnection,
    id: KnowledgeDocumentId,
    options: ChunkOptions,
) -> Result<Vec<DocumentChunk>, KnowledgeError> {
    specs.transaction(|specs| {
        let (project, content): (Option<ProjectId>, Option<String>) =
            knowledge_base_documents::table
                .find(id)
                .select((
                    knowledge_base_documents::project_id,
                    knowledge_base_documents::content,
                ))
                .for_update()
                .first(specs)
                .optional()?
                .ok_or(KnowledgeError::NotFound("document"))?;
        let existing: i64 = document_chunks::table
            .filter(document_chunks::document_id.eq(id))
            .count()
            .get_result(specs)?;
        if existing > 0 {
            return Err(KnowledgeError::AlreadyChunked);
        }
        let chunks = chunk(content.as_deref().unwrap_or_default(), options);
        let rows = chunk_rows(id, project, &chunks);
        Ok(diesel::insert_into(document_chunks::table)
            .values(&rows)
            .returning(DocumentChunk::as_returning())
            .get_results(specs)?)
    })
}

/// Stores embeddings for chunks in one statement (ids and a flat array of floats).
#[tracing::instrument(level = "debug", skip_all)]
pub fn store_chunk_embeddings(
    specs: &mut PgConnection,
    model: &str,
    rows: &[(DocumentChunkId, Vec<f32>)],
) -> Result<usize, KnowledgeError> {
    store_embeddings(
        specs,
        "document_chunks",
        model,
        rows.iter().map(|(id, v)| (id.into_uuid(), v.as_slice())),
    )
}

/// Stores embeddings for documents in one statement.
#[tracing::instrument(level = "debug", skip_all)]
pub fn store_document_embeddings(
    specs: &mut PgConnection,
    model: &str,
    rows: &[(KnowledgeDocumentId, Vec<f32>)],
) -> Result<usize, KnowledgeError> {
    store_embeddings(
        specs,
        "knowledge_base_documents",
        model,
        rows.iter().map(|(id, v)| (id.into_uuid(), v.as_slice())),
    )
}

diesel::table! {
    /// A session-private staging table for one batch of embeddings.
    pg_temp.staged_embeddings (id) {
        /// The chunk or document.
        id -> Uuid,
        /// Its new embedding.
        embedding -> Array<Float4>,
    }
}

#[derive(Insertable)]
#[diesel(table_name = staged_embeddings, treat_none_as_default_value = false)]
struct Staged<'v> {
    id: uuid::Uuid,
    embedding: &'v [f32],
}

/// Stores a batch of embeddings: binary COPY into a temporary table, then one
/// UPDATE joining it (no per-row statement, no text parsing of floats).
fn store_embeddings<'v>(
    specs: &mut PgConnection,
    table: &str,
    model: &str,
    rows: impl Iterator<Item = (uuid::Uuid, &'v [f32])>,
) -> Result<usize, KnowledgeError> {
    let staged: Vec<Staged<'v>> = rows
        .map(|(id, embedding)| Staged { id, embedding })
        .collect();
    if staged.iter().any(|s| s.embedding.len() != DIMENSIONS) {
        return Err(KnowledgeError::Invalid {
            field: "embedding",
            reason: "must have 384 dimensions",
        });
    }
    if staged.is_empty() {
        return Ok(0);
    }
    specs.transaction(|specs| {
        use diesel::connection::SimpleConnection;
        specs.batch_execute(
            "CREATE TEMP TABLE IF NOT EXISTS staged_embeddings (id uuid PRIMARY KEY, embedding real[] NOT NULL) \
             ON COMMIT DELETE ROWS",
        )?;
        diesel::copy_from(staged_embeddings::table).from_insertable(&staged).execute(specs)?;
        // The temporary table has no statistics: without the id list the
        // planner guesses thousands of rows and scans the whole target table.
        let ids: Vec<uuid::Uuid> = staged.iter().map(|s| s.id).collect();
        let written = diesel::sql_query(format!(
            "UPDATE {table} t SET embedding = s.embedding, embedding_model = $1, embedded_at = $2 \
             FROM staged_embeddings s WHERE t.id = s.id AND t.id = ANY($3)"
        ))
        .bind::<Text, _>(model)
        .bind::<diesel::sql_types::Timestamptz, _>(Utc::now())
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&ids)
        .execute(specs)?;
        if table == "document_chunks" {
            store_codes(specs, model, &staged)?;
        }
        Ok(written)
    })
}

/// Writes the search codes of freshly embedded chunks (their sign bits and
/// nearest list), in the caller's transaction; see [`crate::index`].
fn store_codes(specs: &mut PgConnection, model: &str, staged: &[Staged<'_>]) -> QueryResult<()> {
    let centroids = crate::index::centroids(specs, model)?;
    let lists: Vec<i32> = staged
        .iter()
        .map(|s| centroids.nearest(s.embedding))
        .collect();
    let ids: Vec<uuid::Uuid> = staged.iter().map(|s| s.id).collect();
    diesel::sql_query(
        "INSERT INTO document_chunk_codes AS k \
                (chunk_id, document_id, project_id, embedding_model, globally_visible, list_no, code) \
         SELECT c.id, c.document_id, c.project_id, $1, d.project_id IS NULL AND d.is_approved, l.list_no, \
                knowledge_code(s.embedding) \
         FROM unnest($2::uuid[], $3::int[]) AS l(id, list_no) \
         JOIN staged_embeddings s ON s.id = l.id \
         JOIN document_chunks c ON c.id = l.id \
         JOIN knowledge_base_documents d ON d.id = c.document_id \
         ON CONFLICT (chunk_id) DO UPDATE SET embedding_model = EXCLUDED.embedding_model, \
             globally_visible = EXCLUDED.globally_visible, list_no = EXCLUDED.list_no, code = EXCLUDED.code",
    )
    .bind::<Text, _>(model)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&ids)
    .bind::<diesel::sql_types::Array<diesel::sql_types::Integer>, _>(&lists)
    .execute(specs)?;
    Ok(())
}

/// Embeds every chunk of a document that has no embedding of the embedder's
/// model yet (none at all, or one another model made).
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn embed_document(
    specs: &mut PgConnection,
    embedder: &dyn Embedder,
    id: KnowledgeDocumentId,
) -> Result<usize, KnowledgeError> {
    let pending: Vec<(DocumentChunkId, String)> = document_chunks::table
        .filter(
            document_chunks::document_id.eq(id).and(
                document_chunks::embedding
                    .is_null()
                    .or(document_chunks::embedding_model.is_distinct_from(embedder.model())),
            ),
        )
        .order(document_chunks::chunk_index)
        .select((document_chunks::id, document_chunks::content))
        .load(specs)?;
    let texts: Vec<&str> = pending.iter().map(|(_, t)| t.as_str()).collect();
    let vectors = embedder.embed(&texts)?;
    let rows: Vec<(DocumentChunkId, Vec<f32>)> =
        pending.iter().map(|(id, _)| *id).zip(vectors).collect();
    store_chunk_embeddings(specs, embedder.model(), &rows)
}
