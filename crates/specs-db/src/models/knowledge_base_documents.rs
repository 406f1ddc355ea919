//! `knowledge_base_documents`: RAG source documents: per-project uploads, or global curated articles (project_id NULL).

use crate::enums::DocumentStatus;
use crate::ids::{KnowledgeDocumentId, ProjectId};
use crate::schema::knowledge_base_documents;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `knowledge_base_documents`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = knowledge_base_documents, check_for_backend(diesel::pg::Pg))]
pub struct KnowledgeDocument {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: KnowledgeDocumentId,
    /// owning project; NULL = global KB article
    pub project_id: Option<ProjectId>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. uploader; NULL = system
    pub user_id: Option<UserId>,
    /// display title (filename for uploads)
    pub title: String,
    /// original file name
    pub filename: Option<String>,
    /// storage key/path
    pub file_path: Option<String>,
    /// bytes
    pub file_size: Option<i64>,
    /// MIME type (free text)
    pub content_type: Option<String>,
    /// e.g. guide, spec, reference (free text)
    pub document_type: Option<String>,
    /// free text
    pub category: Option<String>,
    /// free-form labels
    pub tags: Vec<String>,
    /// origin (URL, citation)
    pub source: Option<String>,
    /// extracted text
    pub content: Option<String>,
    /// short summary
    pub content_summary: Option<String>,
    /// ingestion state; one of: uploading, processing, processed, error
    pub status: DocumentStatus,
    /// document version, from 1
    pub version: i32,
    /// curated/approved for retrieval
    pub is_approved: bool,
    /// 0–1
    pub relevance_score: Option<f64>,
    /// retrievals
    pub usage_count: i32,
    /// 384-dim document embedding
    pub embedding: Option<Vec<f32>>,
    /// model that produced it
    pub embedding_model: Option<String>,
    /// when the embedding was computed
    pub embedded_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// upload/creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `knowledge_base_documents`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = knowledge_base_documents)]
pub struct NewKnowledgeDocument<'a> {
    /// Primary key: pass `KnowledgeDocumentId::new()` (a UUIDv7).
    pub id: KnowledgeDocumentId,
    /// owning project; NULL = global KB article. `None` = NULL.
    pub project_id: Option<ProjectId>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. uploader; NULL = system. `None` = NULL.
    pub user_id: Option<UserId>,
    /// display title (filename for uploads)
    pub title: &'a str,
    /// original file name. `None` = NULL.
    pub filename: Option<&'a str>,
    /// storage key/path. `None` = NULL.
    pub file_path: Option<&'a str>,
    /// bytes. `None` = NULL.
    pub file_size: Option<i64>,
    /// MIME type (free text). `None` = NULL.
    pub content_type: Option<&'a str>,
    /// e.g. guide, spec, reference (free text). `None` = NULL.
    pub document_type: Option<&'a str>,
    /// free text. `None` = NULL.
    pub category: Option<&'a str>,
    /// free-form labels. `None` = default ('{}'::text[]).
    pub tags: Option<&'a [String]>,
    /// origin (URL, citation). `None` = NULL.
    pub source: Option<&'a str>,
    /// extracted text. `None` = NULL.
    pub content: Option<&'a str>,
    /// short summary. `None` = NULL.
    pub content_summary: Option<&'a str>,
    /// ingestion state; one of: uploading, processing, processed, error. `None` = default ('processed').
    pub status: Option<DocumentStatus>,
    /// document version, from 1. `None` = default (1).
    pub version: Option<i32>,
    /// curated/approved for retrieval. `None` = default (false).
    pub is_approved: Option<bool>,
    /// 0–1. `None` = NULL.
    pub relevance_score: Option<f64>,
    /// retrievals. `None` = default (0).
    pub usage_count: Option<i32>,
    /// 384-dim document embedding. `None` = NULL.
    pub embedding: Option<&'a [f32]>,
    /// model that produced it. `None` = NULL.
    pub embedding_model: Option<&'a str>,
    /// when the embedding was computed. `None` = NULL.
    pub embedded_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// upload/creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewKnowledgeDocument<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: KnowledgeDocumentId, title: &'a str) -> Self {
        Self {
            id,
            title,
            project_id: None,
            user_id: None,
            filename: None,
            file_path: None,
            file_size: None,
            content_type: None,
            document_type: None,
            category: None,
            tags: None,
            source: None,
            content: None,
            content_summary: None,
            status: None,
            version: None,
            is_approved: None,
            relevance_score: None,
            usage_count: None,
            embedding: None,
            embedding_model: None,
            embedded_at: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `knowledge_base_documents` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = knowledge_base_documents)]
pub struct KnowledgeDocumentChanges<'a> {
    /// owning project; NULL = global KB article
    pub project_id: Option<Option<ProjectId>>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. uploader; NULL = system
    pub user_id: Option<Option<UserId>>,
    /// display title (filename for uploads)
    pub title: Option<&'a str>,
    /// original file name
    pub filename: Option<Option<&'a str>>,
    /// storage key/path
    pub file_path: Option<Option<&'a str>>,
    /// bytes
    pub file_size: Option<Option<i64>>,
    /// MIME type (free text)
    pub content_type: Option<Option<&'a str>>,
    /// e.g. guide, spec, reference (free text)
    pub document_type: Option<Option<&'a str>>,
    /// free text
    pub category: Option<Option<&'a str>>,
    /// free-form labels
    pub tags: Option<&'a [String]>,
    /// origin (URL, citation)
    pub source: Option<Option<&'a str>>,
    /// extracted text
    pub content: Option<Option<&'a str>>,
    /// short summary
    pub content_summary: Option<Option<&'a str>>,
    /// ingestion state; one of: uploading, processing, processed, error
    pub status: Option<DocumentStatus>,
    /// document version, from 1
    pub version: Option<i32>,
    /// curated/approved for retrieval
    pub is_approved: Option<bool>,
    /// 0–1
    pub relevance_score: Option<Option<f64>>,
    /// retrievals
    pub usage_count: Option<i32>,
    /// 384-dim document embedding
    pub embedding: Option<Option<&'a [f32]>>,
    /// model that produced it
    pub embedding_model: Option<Option<&'a str>>,
    /// when the embedding was computed
    pub embedded_at: Option<Option<DateTime<Utc>>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
