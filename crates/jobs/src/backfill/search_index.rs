//! `search-index`: the knowledge search's index rebuilt for existing rows
//! (see `knowledge::index`).
//!
//! 1. **codes**: every embedded chunk without a code of its embedding's model
//!    gets one (sign bits in SQL, list -1), in id order;
//! 2. **train**: every model with at least [`MIN_TRAINING`] chunks and no
//!    centroids (all models, with `--retrain`) gets √n lists (16 to 1,024),
//!    trained by spherical k-means on a sample (every n-th chunk by id); training returns the
//!    model's chunks to list -1, where searches still find them;
//! 3. **assign**: every chunk in list -1 whose model has centroids moves to its
//!    nearest list, keyset over `(embedding_model, chunk_id)`.
//!
//! The embedding writers keep all of it current afterwards (a new chunk gets its
//! code and list in the transaction of its embedding), so the job is for rows
//! written before the index existed, for a first training, and for retraining.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cross_db::Present;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float4, Text, Uuid as SqlUuid};
use knowledge::index::{self, Centroids};
use rayon::prelude::*;

use crate::runner::{Dbs, Phase, Side};
use crate::{JobError, cursor};

/// Fewest embedded chunks of a model worth training lists for.
pub const MIN_TRAINING: i64 = 1_000;

/// Training vectors per list (and at most this many in all).
const SAMPLE_PER_LIST: i64 = 40;
const SAMPLE_MAX: i64 = 50_000;
/// k-means rounds.
const ITERATIONS: usize = 12;

/// Phase 1: codes for embedded chunks that have none (or another model's).
pub(super) struct Codes;

impl Phase for Codes {
    type Item = uuid::Uuid;
    type Out = Vec<uuid::Uuid>;

    fn name(&self) -> String {
        "backfill:search-index:codes".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, _: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(None)
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<uuid::Uuid>, JobError> {
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = SqlUuid)]
            id: uuid::Uuid,
        }
        let after: uuid::Uuid = cursor::id(after)?;
        let ids: Vec<Id> = diesel::sql_query(
            "SELECT c.id FROM document_chunks c \
             LEFT JOIN document_chunk_codes k ON k.chunk_id = c.id \
             WHERE c.id > $1 AND c.embedding IS NOT NULL \
               AND (k.chunk_id IS NULL OR k.embedding_model IS DISTINCT FROM c.embedding_model) \
             ORDER BY c.id LIMIT $2",
        )
        .bind::<SqlUuid, _>(after)
        .bind::<BigInt, _>(limit)
        .load(&mut dbs.specs)?;
        Ok(ids.into_iter().map(|r| r.id).collect())
    }

    fn cursor(&self, item: &uuid::Uuid) -> String {
        item.to_string()
    }

    fn compute(&self, items: Vec<uuid::Uuid>) -> Result<Vec<uuid::Uuid>, JobError> {
        Ok(items)
    }

    fn write(
        &self,
        conn: &mut PgConnection,
        ids: &Vec<uuid::Uuid>,
        _: &Present,
    ) -> Result<u64, JobError> {
        let written = diesel::sql_query(
            "INSERT INTO document_chunk_codes \
                    (chunk_id, document_id, project_id, embedding_model, globally_visible, code) \
             SELECT c.id, c.document_id, c.project_id, c.embedding_model, \
                    d.project_id IS NULL AND d.is_approved, knowledge_code(c.embedding) \
             FROM document_chunks c JOIN knowledge_base_documents d ON d.id = c.document_id \
             WHERE c.id = ANY($1) AND c.embedding IS NOT NULL \
             ON CONFLICT (chunk_id) DO UPDATE SET embedding_model = EXCLUDED.embedding_model, \
                 globally_visible = EXCLUDED.globally_visible, list_no = -1, code = EXCLUDED.code \
             WHERE document_chunk_codes.embedding_model IS DISTINCT FROM EXCLUDED.embedding_model",
        )
        .bind::<Array<SqlUuid>, _>(ids)
        .execute(conn)?;
        Ok(written as u64)
    }
}

/// What training did (or, in a dry run, would do) for one model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Trained {
    /// The model.
    pub model: String,
    /// Its embedded chunks.
    pub chunks: i64,
    /// Lists trained.
    pub lists: usize,
    /// Training vectors.
    pub sample: usize,
}

/// The lists for `n` chunks: √n, 16 to 1,024.
pub fn lists_for(n: i64) -> usize {
    let root = (n.max(0) as f64).sqrt().round() as usize;
    root.clamp(16, 1_024)
}

/// Phase 2: trains the models that need lists; returns what it trained.
pub(super) fn train(dbs: &mut Dbs, retrain: bool, dry_run: bool) -> Result<Vec<Trained>, JobError> {
    #[derive(QueryableByName)]
    struct Model {
        #[diesel(sql_type = Text)]
        model: String,
        #[diesel(sql_type = BigInt)]
        chunks: i64,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        trained: bool,
    }
    #[derive(QueryableByName)]
    struct Vector {
        #[diesel(sql_type = Array<Float4>)]
        embedding: Vec<f32>,
    }
    let models: Vec<Model> = diesel::sql_query(
        "SELECT k.embedding_model AS model, count(*) AS chunks, \
                EXISTS (SELECT FROM knowledge_search_lists l WHERE l.embedding_model = k.embedding_model) AS trained \
         FROM document_chunk_codes k GROUP BY k.embedding_model ORDER BY k.embedding_model",
    )
    .load(&mut dbs.specs)?;
    let mut done = Vec::new();
    for m in models {
        if m.chunks < MIN_TRAINING || (m.trained && !retrain) {
            continue;
        }
        let lists = lists_for(m.chunks);
        let want = (lists as i64 * SAMPLE_PER_LIST).min(SAMPLE_MAX);
        let mut report = Trained {
            model: m.model.clone(),
            chunks: m.chunks,
            lists,
            sample: usize::try_from(want.min(m.chunks)).unwrap_or(0),
        };
        if !dry_run {
            // Every step-th chunk in id order: spread over the table (and, with
            // time-ordered ids, over time), and the same sample in every run.
            let step = (m.chunks / want.max(1)).max(1);
            let sample: Vec<Vector> = diesel::sql_query(
                "SELECT c.embedding FROM document_chunks c JOIN ( \
                   SELECT chunk_id FROM ( \
                     SELECT chunk_id, row_number() OVER (ORDER BY chunk_id) AS n \
                     FROM document_chunk_codes WHERE embedding_model = $1) s \
                   WHERE n % $2 = 0 LIMIT $3) p ON p.chunk_id = c.id \
                 WHERE c.embedding_model = $1 ORDER BY c.id",
            )
            .bind::<Text, _>(&m.model)
            .bind::<BigInt, _>(step)
            .bind::<BigInt, _>(want)
            .load(&mut dbs.specs)?;
            let sample: Vec<Vec<f32>> = sample.into_iter().map(|v| v.embedding).collect();
            let trained = index::train(&sample, lists, ITERATIONS);
            report.lists = trained.0.len();
            report.sample = sample.len();
            index::store_centroids(&mut dbs.specs, &m.model, &trained)?;
        }
        done.push(report);
    }
    Ok(done)
}

/// Phase 3: chunks in list -1 whose model has centroids, to their nearest list.
#[derive(Default)]
pub(super) struct Assign {
    centroids: Mutex<HashMap<String, Arc<Centroids>>>,
}

/// A chunk waiting for its list: model, id, embedding (none when it changed
/// model since its code was written).
type Unassigned = (String, uuid::Uuid, Option<Vec<f32>>);

impl Phase for Assign {
    type Item = Unassigned;
    type Out = Vec<(String, uuid::Uuid, i32)>;

    fn name(&self) -> String {
        "backfill:search-index:assign".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn disjoint_batches(&self) -> bool {
        true
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(super::count(
            &mut dbs.specs,
            "SELECT count(*) AS n FROM document_chunk_codes k WHERE k.list_no = -1 \
             AND EXISTS (SELECT FROM knowledge_search_lists l WHERE l.embedding_model = k.embedding_model)",
        )?))
    }

    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Unassigned>, JobError> {
        struct Row {
            model: String,
            chunk_id: uuid::Uuid,
            embedding: Option<Vec<f32>>,
        }
        // The cursor is "<chunk id> <model>": the id has a fixed length.
        let (after_id, after_model) = match after {
            None => (uuid::Uuid::nil(), String::new()),
            Some(c) => {
                let (id, model) = c
                    .split_once(' ')
                    .ok_or_else(|| JobError::Invalid(format!("bad cursor {c:?}")))?;
                (cursor::id(Some(id))?, model.to_owned())
            }
        };
        // Two steps, so neither depends on the planner's estimates of a table
        // the job itself just filled: the next ids from the partial index of
        // unassigned codes, then their embeddings by primary key.
        #[derive(QueryableByName)]
        struct Next {
            #[diesel(sql_type = Text)]
            model: String,
            #[diesel(sql_type = SqlUuid)]
            chunk_id: uuid::Uuid,
        }
        let next: Vec<Next> = diesel::sql_query(
            "SELECT k.embedding_model AS model, k.chunk_id FROM document_chunk_codes k \
             WHERE k.list_no = -1 AND (k.embedding_model, k.chunk_id) > ($1, $2) \
               AND EXISTS (SELECT FROM knowledge_search_lists l WHERE l.embedding_model = k.embedding_model) \
             ORDER BY k.embedding_model, k.chunk_id LIMIT $3",
        )
        .bind::<Text, _>(&after_model)
        .bind::<SqlUuid, _>(after_id)
        .bind::<BigInt, _>(limit)
        .load(&mut dbs.specs)?;
        let ids: Vec<uuid::Uuid> = next.iter().map(|n| n.chunk_id).collect();
        #[derive(QueryableByName)]
        struct Embedding {
            #[diesel(sql_type = SqlUuid)]
            id: uuid::Uuid,
            #[diesel(sql_type = Text)]
            model: String,
            #[diesel(sql_type = Array<Float4>)]
            embedding: Vec<f32>,
        }
        let mut embeddings: HashMap<uuid::Uuid, Embedding> = diesel::sql_query(
            "SELECT id, embedding_model AS model, embedding FROM document_chunks \
             WHERE id = ANY($1) AND embedding IS NOT NULL",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .load::<Embedding>(&mut dbs.specs)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
        // A chunk whose embedding changed model since its code was written is
        // left to the writer that changed it (it rewrites the code): it stays
        // in the batch, so the keyset moves past it, with no vector.
        let rows: Vec<Row> = next
            .into_iter()
            .map(|n| {
                let embedding = embeddings
                    .remove(&n.chunk_id)
                    .filter(|e| e.model == n.model)
                    .map(|e| e.embedding);
                Row {
                    model: n.model,
                    chunk_id: n.chunk_id,
                    embedding,
                }
            })
            .collect();
        let mut known = self
            .centroids
            .lock()
            .map_err(|_| JobError::Invalid("poisoned".into()))?;
        for r in &rows {
            if !known.contains_key(&r.model) {
                known.insert(r.model.clone(), index::centroids(&mut dbs.specs, &r.model)?);
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| (r.model, r.chunk_id, r.embedding))
            .collect())
    }

    fn cursor(&self, item: &Unassigned) -> String {
        format!("{} {}", item.1, item.0)
    }

    fn compute(&self, items: Vec<Unassigned>) -> Result<Self::Out, JobError> {
        let known = self
            .centroids
            .lock()
            .map_err(|_| JobError::Invalid("poisoned".into()))?
            .clone();
        Ok(items
            .into_par_iter()
            .map(|(model, id, v)| {
                let list = match (known.get(&model), v) {
                    (Some(c), Some(v)) => c.nearest(&v),
                    _ => index::UNASSIGNED,
                };
                (model, id, list)
            })
            .collect())
    }

    fn write(
        &self,
        conn: &mut PgConnection,
        out: &Self::Out,
        _: &Present,
    ) -> Result<u64, JobError> {
        let mut by_model: HashMap<&str, Vec<(uuid::Uuid, i32)>> = HashMap::new();
        for (model, id, list) in out {
            by_model.entry(model).or_default().push((*id, *list));
        }
        let mut written = 0;
        for (model, rows) in by_model {
            written += index::store_assignments(conn, model, &rows)?;
        }
        Ok(written as u64)
    }
}
