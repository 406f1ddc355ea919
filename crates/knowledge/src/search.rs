//! Similarity search: cosine (a dot product of normalised vectors) over a
//! project's chunks and the chunks of approved global documents.
//!
//! The default is fast and approximate, on stock PostgreSQL ([`crate::index`]):
//!
//! 1. the query's `probes` nearest lists (plus list -1, the unassigned chunks);
//! 2. in those lists, the project's and the globally visible chunks of the
//!    embedder's model, ordered by the Hamming distance between sign codes
//!    (`bit_count(code # knowledge_code(query))`, an index-only scan of a narrow
//!    table, which two cores share where PostgreSQL plans it in parallel): the
//!    best candidates, three for every four lists of the model and at least
//!    200 ([`Options::candidates_for`]);
//! 3. their embeddings, ranked by the exact cosine; the best `k`.
//!
//! [`Options::exact`] ranks every visible chunk by the exact cosine instead,
//! the reference and the choice for small projects. Either way, only vectors
//! of the embedder's own model are compared: two models' vectors live in
//! different spaces (re-embed with `backfill embeddings --reembed`).

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float4, Float8, Integer, Nullable, Text, Uuid as SqlUuid};
use specs_db::ids::{DocumentChunkId, KnowledgeDocumentId, ProjectId};

use crate::KnowledgeError;
use crate::embed::Embedder;
use crate::index::UNASSIGNED;

/// One search result.
#[derive(Debug, Clone, PartialEq, QueryableByName, serde::Serialize)]
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

/// How to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many chunks to return.
    pub k: i64,
    /// Rank every visible chunk by the exact cosine (no index).
    pub exact: bool,
    /// Count each returned chunk as searched (`search_count`). Operators'
    /// tries and benchmarks do not.
    pub count: bool,
    /// Lists probed, as a fraction of the model's lists: 1 in `probe_divisor`
    /// (at least [`MIN_PROBES`]).
    pub probe_divisor: usize,
    /// Candidates re-ranked exactly (at least `k`); `None`: three for every
    /// four lists of the model, at least [`MIN_CANDIDATES`] (see
    /// [`Options::candidates_for`]).
    pub candidates: Option<i64>,
}

/// The fewest lists a search probes.
pub const MIN_PROBES: usize = 4;

/// The fewest candidates the default rule re-ranks.
pub const MIN_CANDIDATES: i64 = 200;

impl Options {
    /// The defaults for `k` results: the index, counted, 1 list in 8, and
    /// candidates by [`Options::candidates_for`].
    pub fn new(k: i64) -> Self {
        Self {
            k,
            exact: false,
            count: true,
            probe_divisor: 8,
            candidates: None,
        }
    }

    /// The lists to probe out of `lists`.
    pub fn probes(&self, lists: usize) -> usize {
        lists
            .div_ceil(self.probe_divisor.max(1))
            .max(MIN_PROBES)
            .min(lists)
    }

    /// The candidates to re-rank for a model with `lists` lists: the explicit
    /// count, else three for every four lists and at least [`MIN_CANDIDATES`];
    /// never fewer than `k`.
    ///
    /// The sign codes order the probed lists' chunks only roughly, so the
    /// candidates must grow with the chunks those lists hold: with √n lists,
    /// 1 in 8 probed, they hold about n/8. Measured with the `search`
    /// benchmark (MiniLM vectors, 1 list in 8; README, "Knowledge search"):
    /// at a million chunks, from the same probed lists, 200 candidates found
    /// 0.908 of the true ten, 500 found 0.956, 750 (this rule) 0.973 and 1,000
    /// 0.976; at 100k, 200 found 0.955 and 237 (this rule) 0.960.
    pub fn candidates_for(&self, lists: usize) -> i64 {
        self.candidates
            .unwrap_or_else(|| {
                i64::try_from(lists.saturating_mul(3) / 4)
                    .unwrap_or(i64::MAX)
                    .max(MIN_CANDIDATES)
            })
            .max(self.k)
    }
}

/// The `k` chunks most similar to `query` visible from `project` (its own and approved global ones);
/// counts each returned chunk as searched. The fast path with the default [`Options`].
#[tracing::instrument(level = "debug", skip_all, fields(k))]
pub fn search(
    specs: &mut PgConnection,
    embedder: &dyn Embedder,
    project: Option<ProjectId>,
    query: &str,
    k: i64,
) -> Result<Vec<Hit>, KnowledgeError> {
    search_with(specs, embedder, project, query, &Options::new(k))
}

/// [`search`] with explicit [`Options`].
#[tracing::instrument(level = "debug", skip_all, fields(k = options.k, exact = options.exact))]
pub fn search_with(
    specs: &mut PgConnection,
    embedder: &dyn Embedder,
    project: Option<ProjectId>,
    query: &str,
    options: &Options,
) -> Result<Vec<Hit>, KnowledgeError> {
    crate::check_text("query", query, 10_000)?;
    let vector = embedder.embed(&[query])?.pop().unwrap_or_default();
    search_vector(specs, embedder.model(), project, &vector, options)
}

/// The search for a vector already computed by `model`.
pub fn search_vector(
    specs: &mut PgConnection,
    model: &str,
    project: Option<ProjectId>,
    vector: &[f32],
    options: &Options,
) -> Result<Vec<Hit>, KnowledgeError> {
    if vector.len() != crate::embed::DIMENSIONS {
        return Err(KnowledgeError::Invalid {
            field: "query vector",
            reason: "must have 384 dimensions",
        });
    }
    let k = options.k.max(0);
    specs.transaction(|specs| {
        let hits = if options.exact {
            exact(specs, model, project, vector, k)?
        } else {
            fast(specs, model, project, vector, k, options)?
        };
        if options.count && !hits.is_empty() {
            let ids: Vec<DocumentChunkId> = hits.iter().map(|h| h.chunk_id).collect();
            diesel::sql_query(
                "UPDATE document_chunks SET search_count = search_count + 1 WHERE id = ANY($1)",
            )
            .bind::<Array<SqlUuid>, _>(&ids)
            .execute(specs)?;
        }
        Ok(hits)
    })
}

/// Every visible chunk of `model`, ranked by the exact cosine, in SQL.
fn exact(
    specs: &mut PgConnection,
    model: &str,
    project: Option<ProjectId>,
    vector: &[f32],
    k: i64,
) -> QueryResult<Vec<Hit>> {
    // The products are taken in float8: in real, two small components of a
    // model's vector multiply below its range, which PostgreSQL reports as an
    // "underflow" error instead of rounding to zero.
    diesel::sql_query(
        "SELECT c.id AS chunk_id, c.document_id, c.content, c.source_section AS section, \
                (SELECT sum(a::float8 * b) FROM unnest(c.embedding, $2::real[]) AS t(a, b)) AS score \
         FROM document_chunks c JOIN knowledge_base_documents d ON d.id = c.document_id \
         WHERE c.embedding IS NOT NULL AND c.embedding_model = $4 \
           AND (c.project_id = $1 OR (d.project_id IS NULL AND d.is_approved)) \
         ORDER BY score DESC, c.id LIMIT $3",
    )
    .bind::<Nullable<SqlUuid>, _>(project)
    .bind::<Array<Float4>, _>(vector)
    .bind::<BigInt, _>(k)
    .bind::<Text, _>(model)
    .load(specs)
}

#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = SqlUuid)]
    chunk_id: DocumentChunkId,
    #[diesel(sql_type = SqlUuid)]
    document_id: KnowledgeDocumentId,
    #[diesel(sql_type = Text)]
    content: String,
    #[diesel(sql_type = Nullable<Text>)]
    section: Option<String>,
    #[diesel(sql_type = Array<Float4>)]
    embedding: Vec<f32>,
}

/// Lists, Hamming pre-selection, exact re-rank (see the module documentation).
fn fast(
    specs: &mut PgConnection,
    model: &str,
    project: Option<ProjectId>,
    vector: &[f32],
    k: i64,
    options: &Options,
) -> QueryResult<Vec<Hit>> {
    let centroids = crate::index::centroids(specs, model)?;
    let lists = centroids.nearest_n(vector, options.probes(centroids.vectors.len()));
    // The project's lists are scanned as two branches, the lists taken in turn
    // from nearest to farthest: PostgreSQL's Parallel Append gives each branch
    // to one process, so where a parallel plan pays two cores share the scan.
    let half =
        |parity: usize| -> Vec<i32> { lists.iter().skip(parity).step_by(2).copied().collect() };
    let (mut first, second) = (half(0), half(1));
    first.push(UNASSIGNED);
    let mut all = lists;
    all.push(UNASSIGNED);
    // A parallel worker starts in milliseconds: worth it for the scan of a
    // large index (a million chunks), not for a small one, which the default
    // setup cost (1000) would still plan in parallel (measured at 100k chunks:
    // 13 ms in parallel against 10 ms without). For this transaction only.
    diesel::sql_query("SET LOCAL parallel_setup_cost = 3000").execute(specs)?;
    let candidates: Vec<Candidate> = diesel::sql_query(
        "WITH q AS (SELECT knowledge_code($2::real[]) AS code), \
         near AS ( \
           SELECT chunk_id FROM ( \
             SELECT chunk_id, code FROM document_chunk_codes \
              WHERE embedding_model = $1 AND project_id = $3 AND list_no = ANY($4) \
             UNION ALL \
             SELECT chunk_id, code FROM document_chunk_codes \
              WHERE embedding_model = $1 AND project_id = $3 AND list_no = ANY($6) \
             UNION ALL \
             SELECT chunk_id, code FROM document_chunk_codes \
              WHERE embedding_model = $1 AND project_id IS NULL AND list_no = ANY($7) AND globally_visible \
           ) AS x, q ORDER BY bit_count(x.code # q.code), x.chunk_id LIMIT $5) \
         SELECT c.id AS chunk_id, c.document_id, c.content, c.source_section AS section, c.embedding \
         FROM near JOIN document_chunks c ON c.id = near.chunk_id \
         WHERE c.embedding IS NOT NULL AND c.embedding_model = $1",
    )
    .bind::<Text, _>(model)
    .bind::<Array<Float4>, _>(vector)
    .bind::<Nullable<SqlUuid>, _>(project)
    .bind::<Array<Integer>, _>(&first)
    .bind::<BigInt, _>(options.candidates_for(centroids.vectors.len()))
    .bind::<Array<Integer>, _>(&second)
    .bind::<Array<Integer>, _>(&all)
    .load(specs)?;
    let mut hits: Vec<Hit> = candidates
        .into_iter()
        .map(|c| Hit {
            score: c
                .embedding
                .iter()
                .zip(vector)
                .map(|(a, b)| f64::from(*a) * f64::from(*b))
                .sum(),
            chunk_id: c.chunk_id,
            document_id: c.document_id,
            content: c.content,
            section: c.section,
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.chunk_id.into_uuid().cmp(&b.chunk_id.into_uuid()))
    });
    hits.truncate(usize::try_from(k).unwrap_or(0));
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_grow_with_the_lists_and_never_fall_below_k() {
        let defaults = Options::new(10);
        assert_eq!(defaults.candidates_for(0), MIN_CANDIDATES);
        assert_eq!(defaults.candidates_for(100), MIN_CANDIDATES);
        assert_eq!(defaults.candidates_for(316), 237);
        assert_eq!(defaults.candidates_for(1_000), 750);
        assert_eq!(defaults.candidates_for(1_024), 768);
        let explicit = Options {
            candidates: Some(50),
            ..defaults
        };
        assert_eq!(explicit.candidates_for(1_024), 50);
        let many = Options {
            candidates: Some(50),
            ..Options::new(500)
        };
        assert_eq!(many.candidates_for(1_024), 500);
        assert_eq!(Options::new(5_000).candidates_for(1_024), 5_000);
        assert_eq!(defaults.probes(1_000), 125);
        assert_eq!(defaults.probes(10), 4);
        assert_eq!(defaults.probes(3), 3);
    }
}
