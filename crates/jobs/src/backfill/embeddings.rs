//! `embeddings`: documents, then chunks, that have no embedding yet.
//!
//! Keyset on `(created_at, id)` over `embedding IS NULL`, which the partial
//! indexes `idx_*_created_at_unembedded` serve; the vectors are computed on the
//! rayon pool in slices and stored with one UPDATE per batch.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use knowledge::documents::{store_chunk_embeddings, store_document_embeddings};
use knowledge::embed::Embedder;
use rayon::prelude::*;
use specs_db::ids::{DocumentChunkId, KnowledgeDocumentId};
use specs_db::schema::{document_chunks, knowledge_base_documents};

use crate::JobError;
use crate::runner::{Dbs, Phase, Side};

/// Longest text sent to the embedder for a whole document.
const DOCUMENT_CHARS: usize = 8_000;

/// Parses a `(created_at, id)` cursor written as `<rfc3339>|<uuid>`.
pub(super) fn parse_time_id(
    after: Option<&str>,
) -> Result<Option<(DateTime<Utc>, uuid::Uuid)>, JobError> {
    let Some(after) = after else { return Ok(None) };
    let bad = || JobError::Invalid(format!("bad cursor {after:?}"));
    let (at, id) = after.split_once('|').ok_or_else(bad)?;
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| bad())?
        .with_timezone(&Utc);
    Ok(Some((at, id.parse().map_err(|_| bad())?)))
}

/// Formats a `(created_at, id)` cursor.
pub(super) fn time_id(at: DateTime<Utc>, id: uuid::Uuid) -> String {
    format!(
        "{}|{id}",
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    )
}

fn embed_all(embedder: &dyn Embedder, texts: &[String]) -> Result<Vec<Vec<f32>>, JobError> {
    let slices: Vec<Result<Vec<Vec<f32>>, JobError>> = texts
        .par_chunks(64)
        .map(|slice| {
            let refs: Vec<&str> = slice.iter().map(String::as_str).collect();
            Ok(embedder.embed(&refs)?)
        })
        .collect();
    let mut out = Vec::with_capacity(texts.len());
    for slice in slices {
        out.extend(slice?);
    }
    Ok(out)
}

/// Embeds keyset items `(id, created_at, text)`, keeping each id with its vector.
fn embed_items<K>(
    embedder: &dyn Embedder,
    items: Vec<(K, DateTime<Utc>, String)>,
) -> Result<Vec<(K, Vec<f32>)>, JobError> {
    let (ids, texts): (Vec<K>, Vec<String>) = items.into_iter().map(|(k, _, t)| (k, t)).unzip();
    Ok(ids.into_iter().zip(embed_all(embedder, &texts)?).collect())
}

/// Document embeddings (title and text).
pub(super) struct Documents {
    embedder: Arc<dyn Embedder>,
}

impl Documents {
    pub(super) fn new(embedder: Arc<dyn Embedder>) -> Self {
        Self { embedder }
    }
}

impl Phase for Documents {
    type Item = (KnowledgeDocumentId, DateTime<Utc>, String);
    type Out = Vec<(KnowledgeDocumentId, Vec<f32>)>;

    fn name(&self) -> String {
        "backfill:embeddings:documents".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(
            knowledge_base_documents::table
                .filter(knowledge_base_documents::embedding.is_null())
                .count()
                .get_result(&mut dbs.specs)?,
        ))
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError> {
        use knowledge_base_documents::dsl as d;
        let mut query = d::knowledge_base_documents
            .filter(d::embedding.is_null())
            .into_boxed();
        if let Some((at, id)) = parse_time_id(after)? {
            query = query.filter(
                d::created_at
                    .gt(at)
                    .or(d::created_at.eq(at).and(d::id.gt(KnowledgeDocumentId(id)))),
            );
        }
        let rows: Vec<(KnowledgeDocumentId, DateTime<Utc>, String, Option<String>)> = query
            .order((d::created_at, d::id))
            .limit(limit)
            .select((d::id, d::created_at, d::title, d::content))
            .load(&mut dbs.specs)?;
        Ok(rows
            .into_iter()
            .map(|(id, at, title, content)| {
                let mut text = format!("{title}\n\n{}", content.unwrap_or_default());
                if text.len() > DOCUMENT_CHARS {
                    let cut = (0..=DOCUMENT_CHARS)
                        .rev()
                        .find(|i| text.is_char_boundary(*i))
                        .unwrap_or(0);
                    text.truncate(cut);
                }
                (id, at, text)
            })
            .collect())
    }

    fn cursor(&self, item: &Self::Item) -> String {
        time_id(item.1, item.0.into_uuid())
    }

    fn compute(&self, items: Vec<Self::Item>) -> Result<Self::Out, JobError> {
        embed_items(self.embedder.as_ref(), items)
    }

    fn plan(&self, _: &mut Dbs, out: &Self::Out) -> Result<u64, JobError> {
        Ok(out.len() as u64)
    }

    fn write(
        &self,
        dbs: &mut Dbs,
        out: &Self::Out,
        checkpoint: &mut dyn FnMut(&mut PgConnection) -> QueryResult<()>,
    ) -> Result<u64, JobError> {
        let model = self.embedder.model().to_owned();
        dbs.specs.transaction::<_, JobError, _>(|conn| {
            let n = store_document_embeddings(conn, &model, out)?;
            checkpoint(conn)?;
            Ok(n as u64)
        })
    }
}

/// Chunk embeddings.
pub(super) struct Chunks {
    embedder: Arc<dyn Embedder>,
}

impl Chunks {
    pub(super) fn new(embedder: Arc<dyn Embedder>) -> Self {
        Self { embedder }
    }
}

impl Phase for Chunks {
    type Item = (DocumentChunkId, DateTime<Utc>, String);
    type Out = Vec<(DocumentChunkId, Vec<f32>)>;

    fn name(&self) -> String {
        "backfill:embeddings:chunks".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(
            document_chunks::table
                .filter(document_chunks::embedding.is_null())
                .count()
                .get_result(&mut dbs.specs)?,
        ))
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError> {
        use document_chunks::dsl as c;
        let mut query = c::document_chunks
            .filter(c::embedding.is_null())
            .into_boxed();
        if let Some((at, id)) = parse_time_id(after)? {
            query = query.filter(
                c::created_at
                    .gt(at)
                    .or(c::created_at.eq(at).and(c::id.gt(DocumentChunkId(id)))),
            );
        }
        Ok(query
            .order((c::created_at, c::id))
            .limit(limit)
            .select((c::id, c::created_at, c::content))
            .load(&mut dbs.specs)?)
    }

    fn cursor(&self, item: &Self::Item) -> String {
        time_id(item.1, item.0.into_uuid())
    }

    fn compute(&self, items: Vec<Self::Item>) -> Result<Self::Out, JobError> {
        embed_items(self.embedder.as_ref(), items)
    }

    fn plan(&self, _: &mut Dbs, out: &Self::Out) -> Result<u64, JobError> {
        Ok(out.len() as u64)
    }

    fn write(
        &self,
        dbs: &mut Dbs,
        out: &Self::Out,
        checkpoint: &mut dyn FnMut(&mut PgConnection) -> QueryResult<()>,
    ) -> Result<u64, JobError> {
        let model = self.embedder.model().to_owned();
        dbs.specs.transaction::<_, JobError, _>(|conn| {
            let n = store_chunk_embeddings(conn, &model, out)?;
            checkpoint(conn)?;
            Ok(n as u64)
        })
    }
}
