//! Similarity search: cosine (a dot product of normalised vectors) over a
//! project's chunks and the chunks of approved global documents.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float4, Float8, Nullable, Text, Uuid as SqlUuid};
use specs_db::ids::{DocumentChunkId, KnowledgeDocumentId, ProjectId};

use crate::KnowledgeError;
use crate::embed::Embedder;

/// One search result.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct Hit {
    /// The chunk.
    #[diesel(sql_type = SqlUuid)]
    pub chunk_id: DocumentChunkId,
    /// Its document.
    #[diesel(sql_type = SqlUuid)]
    pub document_id: KnowledgeDocumentId,
    /// The chunk's text.
    #[diesel(sql_type = Text)]
    pub content: String,
    /// Its heading, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub section: Option<String>,
    /// Cosine similarity to the query, -1..1.
    #[diesel(sql_type = Float8)]
    pub score: f64,
}

/// The `k` chunks most similar to `query` visible from `project` (its own and approved global ones);
/// counts each returned chunk as searched.
#[tracing::instrument(level = "debug", skip_all, fields(k))]
pub fn search(
    specs: &mut PgConnection,
    embedder: &dyn Embedder,
    project: Option<ProjectId>,
    query: &str,
    k: i64,
) -> Result<Vec<Hit>, KnowledgeError> {
    crate::check_text("query", query, 10_000)?;
    let vector = embedder.embed(&[query])?.pop().unwrap_or_default();
    specs.transaction(|specs| {
        let hits: Vec<Hit> = diesel::sql_query(
            "SELECT c.id AS chunk_id, c.document_id, c.content, c.source_section AS section, \
                    (SELECT sum(a * b) FROM unnest(c.embedding, $2::real[]) AS t(a, b))::float8 AS score \
             FROM document_chunks c JOIN knowledge_base_documents d ON d.id = c.document_id \
             WHERE c.embedding IS NOT NULL \
               AND (c.project_id = $1 OR (d.project_id IS NULL AND d.is_approved)) \
             ORDER BY score DESC, c.id LIMIT $3",
        )
        .bind::<Nullable<SqlUuid>, _>(project)
        .bind::<Array<Float4>, _>(&vector)
        .bind::<BigInt, _>(k.max(0))
        .load(specs)?;
        let ids: Vec<DocumentChunkId> = hits.iter().map(|h| h.chunk_id).collect();
        diesel::sql_query("UPDATE document_chunks SET search_count = search_count + 1 WHERE id = ANY($1)")
            .bind::<Array<SqlUuid>, _>(&ids)
            .execute(specs)?;
        Ok(hits)
    })
}
