//! `embeddings`: documents, then chunks, that have no embedding yet.
//!
//! One phase, generic over what is embedded ([`Documents`], [`Chunks`]):
//! keyset on `(created_at, id)` over `embedding IS NULL`, which the partial
//! indexes `idx_*_created_at_unembedded` serve; the vectors are computed on the
//! rayon pool in slices and stored with one UPDATE per batch.
//!
//! With `--reembed` ([`Options::reembed`](crate::Options)) the phase also takes
//! the rows whose embedding another model made (`embedding_model` is not the
//! embedder's), under its own checkpoint per model, so vectors of two models
//! never stay side by side once it completes. No index serves that filter: each
//! batch scans the table, which the model's own time dwarfs.

use std::marker::PhantomData;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use cross_db::Present;
use diesel::prelude::*;
use knowledge::documents::{store_chunk_embeddings, store_document_embeddings};
use knowledge::embed::Embedder;
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
    /// Rows without an embedding (or, with `reembed`, with one of another model).
    fn unembedded(conn: &mut PgConnection, reembed: Option<&str>) -> QueryResult<i64>;
    /// The next rows without an embedding (or, with `reembed`, with one of
    /// another model) after `after`: id, creation time, text.
    fn fetch(
        conn: &mut PgConnection,
        reembed: Option<&str>,
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
    reembed: bool,
    target: PhantomData<T>,
}

impl<T> Embeddings<T> {
    /// `reembed`: also the rows embedded by another model than `embedder`'s.
    pub(super) fn new(embedder: Arc<dyn Embedder>, reembed: bool) -> Self {
        Self {
            embedder,
            reembed,
            target: PhantomData,
        }
    }

    /// The model whose rows are kept, when re-embedding.
    fn keep(&self) -> Option<&str> {
        self.reembed.then(|| self.embedder.model())
    }
}

/// Restricts a boxed query to the rows still to embed: those without an
/// embedding, and with `reembed` (the embedder's model) those another model made.
macro_rules! to_embed {
    ($query:expr, $reembed:expr, $embedding:expr, $model:expr) => {
        match $reembed {
            Some(model) => $query.filter($embedding.is_null().or($model.is_distinct_from(model))),
            None => $query.filter($embedding.is_null()),
        }
    };
}

/// A checkpoint name of at most 100 characters (`job_checkpoints.job_name`).
fn checkpoint_name(base: &str, model: &str) -> String {
    let mut name = format!("{base}:reembed:{model}");
    if name.len() > 100 {
        let cut = (0..=100)
            .rev()
            .find(|i| name.is_char_boundary(*i))
            .unwrap_or(0);
        name.truncate(cut);
    }
    name
}

impl<T: Embeddable> Phase for Embeddings<T> {
    type Item = Pending<T::Id>;
    type Out = Vec<(T::Id, Vec<f32>)>;

    fn name(&self) -> String {
        match self.keep() {
            Some(model) => checkpoint_name(T::NAME, model),
            None => T::NAME.into(),
        }
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(T::unembedded(&mut dbs.specs, self.keep())?))
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError> {
        Ok(T::fetch(
            &mut dbs.specs,
            self.keep(),
            cursor::time_id(after)?,
            limit,
        )?)
    }

    fn cursor(&self, item: &Self::Item) -> String {
        cursor::format_time_id(item.1, item.0.into())
    }

    fn compute(&self, items: Vec<Self::Item>) -> Result<Self::Out, JobError> {
        let (ids, texts): (Vec<T::Id>, Vec<String>) =
            items.into_iter().map(|(id, _, text)| (id, text)).unzip();
        let vectors = knowledge::embed::embed_in_slices(self.embedder.as_ref(), &texts)?;
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

    fn unembedded(conn: &mut PgConnection, reembed: Option<&str>) -> QueryResult<i64> {
        use knowledge_base_documents::dsl as d;
        let query = d::knowledge_base_documents.into_boxed();
        to_embed!(query, reembed, d::embedding, d::embedding_model)
            .count()
            .get_result(conn)
    }

    fn fetch(
        conn: &mut PgConnection,
        reembed: Option<&str>,
        after: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<Pending<Self::Id>>> {
        use knowledge_base_documents::dsl as d;
        let query = d::knowledge_base_documents.into_boxed();
        let query = to_embed!(query, reembed, d::embedding, d::embedding_model);
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

    fn unembedded(conn: &mut PgConnection, reembed: Option<&str>) -> QueryResult<i64> {
        use document_chunks::dsl as c;
        let query = c::document_chunks.into_boxed();
        to_embed!(query, reembed, c::embedding, c::embedding_model)
            .count()
            .get_result(conn)
    }

    fn fetch(
        conn: &mut PgConnection,
        reembed: Option<&str>,
        after: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: i64,
    ) -> QueryResult<Vec<Pending<Self::Id>>> {
        use document_chunks::dsl as c;
        let query = c::document_chunks.into_boxed();
        let query = to_embed!(query, reembed, c::embedding, c::embedding_model);
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
