//! `embeddings`: documents, then chunks, that have no embedding yet.
//!
//! One phase, generic over what is embedded ([`Documents`], [`Chunks`]):
//! keyset on `(created_at, id)` over `embedding IS NULL`, which the partial
//! indexes `idx_*_created_at_unembedded` serve; the vectors are computed on the
//! rayon pool in slices and stored with one UPDATE per batch.

use std::marker::PhantomData;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use cross_db::Present;
use diesel::prelude::*;
use knowledge::documents::{store_chunk_embeddings, store_document_embeddings};
use knowledge::embed::Embedder;
use rayon::prelude::*;
use specs_db::ids::{DocumentChunkId, KnowledgeDocumentId};
use specs_db::schema::{document_chunks, knowledge_base_documents};

use crate::cursor::after_time_id;
use crate::runner::{Dbs, Phase, Side};
use crate::{JobError, cursor};

/// Longest text sent to the embedder for a whole document.
const DOCUMENT_CHARS: usize = 8_000;

/// A row waiting for its embedding: id, creation time (the keyset), text.
type Pending<Id> = (Id, DateTime<Utc>, String);

/// What an embeddings phase embeds: a table with an `embedding` column.
pub(super) trait Embeddable: Sync {
    /// Its id.
    type Id: Copy + Send + Sync + Into<uuid::Uuid>;
    /// The phase's checkpoint name.
    const NAME: &'static str;
    /// Rows without an embedding.
    fn unembedded(conn: &mut PgConnection) -> QueryResult<i64>;
    /// The next rows without an embedding after `after`: id, creation time, text.
    fn fetch(
        conn: &mut PgConnection,
        after: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<Pending<Self::Id>>>;
    /// Stores the vectors computed by `model`; returns rows written.
    fn store(
        conn: &mut PgConnection,
        model: &str,
        vectors: &[(Self::Id, Vec<f32>)],
    ) -> Result<usize, JobError>;
}

/// Embeds the rows of `T` that have no embedding.
pub(super) struct Embeddings<T> {
    embedder: Arc<dyn Embedder>,
    target: PhantomData<T>,
}

impl<T> Embeddings<T> {
    pub(super) fn new(embedder: Arc<dyn Embedder>) -> Self {
        Self {
            embedder,
            target: PhantomData,
        }
    }
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

impl<T: Embeddable> Phase for Embeddings<T> {
    type Item = Pending<T::Id>;
    type Out = Vec<(T::Id, Vec<f32>)>;

    fn name(&self) -> String {
        T::NAME.into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(T::unembedded(&mut dbs.specs)?))
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError> {
        Ok(T::fetch(&mut dbs.specs, cursor::time_id(after)?, limit)?)
    }

    fn cursor(&self, item: &Self::Item) -> String {
        cursor::format_time_id(item.1, item.0.into())
    }

    fn compute(&self, items: Vec<Self::Item>) -> Result<Self::Out, JobError> {
        let (ids, texts): (Vec<T::Id>, Vec<String>) =
            items.into_iter().map(|(id, _, text)| (id, text)).unzip();
        let vectors = embed_all(self.embedder.as_ref(), &texts)?;
        Ok(ids.into_iter().zip(vectors).collect())
    }

    fn write(
        &self,
        conn: &mut PgConnection,
        out: &Self::Out,
        _: &Present,
    ) -> Result<u64, JobError> {
        Ok(T::store(conn, self.embedder.model(), out)? as u64)
    }
}

/// Whole documents (title and text, cut at [`DOCUMENT_CHARS`]).
pub(super) struct Documents;

impl Embeddable for Documents {
    type Id = KnowledgeDocumentId;
    const NAME: &'static str = "backfill:embeddings:documents";

    fn unembedded(conn: &mut PgConnection) -> QueryResult<i64> {
        knowledge_base_documents::table
            .filter(knowledge_base_documents::embedding.is_null())
            .count()
            .get_result(conn)
    }

    fn fetch(
        conn: &mut PgConnection,
        after: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<Pending<Self::Id>>> {
        use knowledge_base_documents::dsl as d;
        let query = d::knowledge_base_documents
            .filter(d::embedding.is_null())
            .into_boxed();
        let query = after_time_id!(query, after, d::created_at, d::id, KnowledgeDocumentId);
        let rows: Vec<(KnowledgeDocumentId, DateTime<Utc>, String, Option<String>)> = query
            .order((d::created_at, d::id))
            .limit(limit)
            .select((d::id, d::created_at, d::title, d::content))
            .load(conn)?;
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

    fn store(
        conn: &mut PgConnection,
        model: &str,
        vectors: &[(Self::Id, Vec<f32>)],
    ) -> Result<usize, JobError> {
        Ok(store_document_embeddings(conn, model, vectors)?)
    }
}

/// Chunks of documents.
pub(super) struct Chunks;

impl Embeddable for Chunks {
    type Id = DocumentChunkId;
    const NAME: &'static str = "backfill:embeddings:chunks";

    fn unembedded(conn: &mut PgConnection) -> QueryResult<i64> {
        document_chunks::table
            .filter(document_chunks::embedding.is_null())
            .count()
            .get_result(conn)
    }

    fn fetch(
        conn: &mut PgConnection,
        after: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<Pending<Self::Id>>> {
        use document_chunks::dsl as c;
        let query = c::document_chunks
            .filter(c::embedding.is_null())
            .into_boxed();
        after_time_id!(query, after, c::created_at, c::id, DocumentChunkId)
            .order((c::created_at, c::id))
            .limit(limit)
            .select((c::id, c::created_at, c::content))
            .load(conn)
    }

    fn store(
        conn: &mut PgConnection,
        model: &str,
        vectors: &[(Self::Id, Vec<f32>)],
    ) -> Result<usize, JobError> {
        Ok(store_chunk_embeddings(conn, model, vectors)?)
    }
}
