//! `document_chunks`: retrieval chunks of a knowledge-base document, with embeddings.

use crate::ids::{DocumentChunkId, KnowledgeDocumentId, ProjectId};
use crate::schema::document_chunks;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `document_chunks`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = document_chunks, check_for_backend(diesel::pg::Pg))]
pub struct DocumentChunk {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: DocumentChunkId,
    /// parent document
    pub document_id: KnowledgeDocumentId,
    /// copy of the document's project_id, for filtering
    pub project_id: Option<ProjectId>,
    /// 0-based position in the document
    pub chunk_index: i32,
    /// chunk text
    pub content: String,
    /// e.g. paragraph, code, table (free text)
    pub chunk_type: Option<String>,
    /// heading/section of origin
    pub source_section: Option<String>,
    /// tokens in chunk
    pub tokens_count: Option<i32>,
    /// 384-dim chunk embedding
    pub embedding: Option<Vec<f32>>,
    /// model that produced the embedding
    pub embedding_model: Option<String>,
    /// when the embedding was computed
    pub embedded_at: Option<DateTime<Utc>>,
    /// 0–1
    pub relevance_score: Option<f64>,
    /// times returned by search
    pub search_count: i32,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `document_chunks`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = document_chunks)]
pub struct NewDocumentChunk<'a> {
    /// Primary key: pass `DocumentChunkId::new()` (a UUIDv7).
    pub id: DocumentChunkId,
    /// parent document
    pub document_id: KnowledgeDocumentId,
    /// copy of the document's project_id, for filtering. `None` = NULL.
    pub project_id: Option<ProjectId>,
    /// 0-based position in the document
    pub chunk_index: i32,
    /// chunk text
    pub content: &'a str,
    /// e.g. paragraph, code, table (free text). `None` = NULL.
    pub chunk_type: Option<&'a str>,
    /// heading/section of origin. `None` = NULL.
    pub source_section: Option<&'a str>,
    /// tokens in chunk. `None` = NULL.
    pub tokens_count: Option<i32>,
    /// 384-dim chunk embedding. `None` = NULL.
    pub embedding: Option<&'a [f32]>,
    /// model that produced the embedding. `None` = NULL.
    pub embedding_model: Option<&'a str>,
    /// when the embedding was computed. `None` = NULL.
    pub embedded_at: Option<DateTime<Utc>>,
    /// 0–1. `None` = NULL.
    pub relevance_score: Option<f64>,
    /// times returned by search. `None` = default (0).
    pub search_count: Option<i32>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewDocumentChunk<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: DocumentChunkId,
        document_id: KnowledgeDocumentId,
        chunk_index: i32,
        content: &'a str,
    ) -> Self {
        Self {
            id,
            document_id,
            chunk_index,
            content,
            project_id: None,
            chunk_type: None,
            source_section: None,
            tokens_count: None,
            embedding: None,
            embedding_model: None,
            embedded_at: None,
            relevance_score: None,
            search_count: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `document_chunks` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = document_chunks)]
pub struct DocumentChunkChanges<'a> {
    /// parent document
    pub document_id: Option<KnowledgeDocumentId>,
    /// copy of the document's project_id, for filtering
    pub project_id: Option<Option<ProjectId>>,
    /// 0-based position in the document
    pub chunk_index: Option<i32>,
    /// chunk text
    pub content: Option<&'a str>,
    /// e.g. paragraph, code, table (free text)
    pub chunk_type: Option<Option<&'a str>>,
    /// heading/section of origin
    pub source_section: Option<Option<&'a str>>,
    /// tokens in chunk
    pub tokens_count: Option<Option<i32>>,
    /// 384-dim chunk embedding
    pub embedding: Option<Option<&'a [f32]>>,
    /// model that produced the embedding
    pub embedding_model: Option<Option<&'a str>>,
    /// when the embedding was computed
    pub embedded_at: Option<Option<DateTime<Utc>>>,
    /// 0–1
    pub relevance_score: Option<Option<f64>>,
    /// times returned by search
    pub search_count: Option<i32>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
