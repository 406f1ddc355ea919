//! The search index: inverted lists over k-means centroids, per model.
//!
//! Each embedded chunk has a row in `document_chunk_codes` with the sign bits of
//! its embedding and its nearest centroid (`list_no`, -1 while the model has no
//! centroids or the chunk is not assigned yet). The centroids of a model live in
//! `knowledge_search_lists`, trained by [`train`] on a sample of its vectors
//! (spherical k-means: centroids are kept at unit length, assignment is by dot
//! product). The search probes the lists nearest to the query, list -1 always
//! included, so a chunk is never out of reach of the index.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{Array, Float4, Integer, Text, Uuid as SqlUuid};
use rayon::prelude::*;

use crate::embed::{DIMENSIONS, dot, normalize};

/// The list of chunks not assigned to a centroid.
pub const UNASSIGNED: i32 = -1;

/// A model's centroids, list `i` at index `i`.
#[derive(Debug, Clone, Default)]
pub struct Centroids {
    /// The training run they come from (`None`: the model has none).
    pub training: Option<uuid::Uuid>,
    /// Unit-length centroids.
    pub vectors: Vec<Vec<f32>>,
}

impl Centroids {
    /// The list nearest to `v` ([`UNASSIGNED`] without centroids).
    pub fn nearest(&self, v: &[f32]) -> i32 {
        self.vectors
            .iter()
            .enumerate()
            .map(|(i, c)| (dot(c, v), i))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .and_then(|(_, i)| i32::try_from(i).ok())
            .unwrap_or(UNASSIGNED)
    }

    /// The `n` lists nearest to `v`, nearest first.
    pub fn nearest_n(&self, v: &[f32], n: usize) -> Vec<i32> {
        let mut scored: Vec<(f32, usize)> = self
            .vectors
            .iter()
            .enumerate()
            .map(|(i, c)| (dot(c, v), i))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .take(n)
            .filter_map(|(_, i)| i32::try_from(i).ok())
            .collect()
    }
}

#[derive(QueryableByName)]
struct Training {
    #[diesel(sql_type = SqlUuid)]
    training_id: uuid::Uuid,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Array<Float4>)]
    centroid: Vec<f32>,
}

/// Centroids already read, by training run (a run's centroids never change).
fn cache() -> &'static Mutex<HashMap<uuid::Uuid, Arc<Centroids>>> {
    static CACHE: std::sync::OnceLock<Mutex<HashMap<uuid::Uuid, Arc<Centroids>>>> =
        std::sync::OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The centroids of `model` (none when it has not been trained). They are read
/// once per training run and process: later calls cost one indexed lookup.
pub fn centroids(specs: &mut PgConnection, model: &str) -> QueryResult<Arc<Centroids>> {
    let training: Option<Training> = diesel::sql_query(
        "SELECT training_id FROM knowledge_search_lists WHERE embedding_model = $1 AND list_no = 0",
    )
    .bind::<Text, _>(model)
    .get_result(specs)
    .optional()?;
    let Some(Training { training_id }) = training else {
        return Ok(Arc::new(Centroids::default()));
    };
    if let Some(hit) = cache()
        .lock()
        .ok()
        .and_then(|c| c.get(&training_id).cloned())
    {
        return Ok(hit);
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT centroid FROM knowledge_search_lists \
         WHERE embedding_model = $1 AND training_id = $2 ORDER BY list_no",
    )
    .bind::<Text, _>(model)
    .bind::<SqlUuid, _>(training_id)
    .load(specs)?;
    let loaded = Arc::new(Centroids {
        training: Some(training_id),
        vectors: rows.into_iter().map(|r| r.centroid).collect(),
    });
    if let Ok(mut c) = cache().lock() {
        c.insert(training_id, Arc::clone(&loaded));
    }
    Ok(loaded)
}

/// Spherical k-means: `lists` unit-length centroids of `sample` (unit vectors),
/// `iterations` rounds of assignment and re-centring, and how many sample
/// vectors each centroid holds. Deterministic: the first centroids are sample
/// vectors at an even stride; an emptied list takes the vector farthest from
/// its centroid.
pub fn train(sample: &[Vec<f32>], lists: usize, iterations: usize) -> (Vec<Vec<f32>>, Vec<i32>) {
    let lists = lists.min(sample.len()).max(1);
    if sample.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let stride = sample.len() / lists;
    let mut centroids: Vec<Vec<f32>> = (0..lists).map(|i| sample[i * stride].clone()).collect();
    let mut assignment = vec![0usize; sample.len()];
    for _ in 0..iterations.max(1) {
        let current = Centroids {
            training: None,
            vectors: centroids.clone(),
        };
        let scored: Vec<(usize, f32)> = sample
            .par_iter()
            .map(|v| {
                let best = usize::try_from(current.nearest(v)).unwrap_or(0);
                (best, dot(&current.vectors[best], v))
            })
            .collect();
        let mut sums = vec![vec![0.0f32; DIMENSIONS]; lists];
        let mut counts = vec![0usize; lists];
        for (i, (list, _)) in scored.iter().enumerate() {
            assignment[i] = *list;
            counts[*list] += 1;
            for (s, x) in sums[*list].iter_mut().zip(&sample[i]) {
                *s += x;
            }
        }
        // Refill empty lists with the worst-placed vectors, one each.
        let mut worst: Vec<usize> = (0..sample.len()).collect();
        worst.sort_by(|a, b| scored[*a].1.total_cmp(&scored[*b].1));
        let mut spare = worst.into_iter();
        for (list, sum) in sums.iter_mut().enumerate() {
            if counts[list] == 0
                && let Some(v) = spare.next()
            {
                sum.clone_from(&sample[v]);
            }
            normalize(sum);
        }
        centroids = sums;
    }
    let mut members = vec![0i32; lists];
    for list in assignment {
        members[list] += 1;
    }
    (centroids, members)
}

/// Replaces the centroids of `model` with `trained` (one training run) and
/// returns every chunk of the model to list -1, where the search still finds
/// it, until [`store_assignments`] places it (the search-index backfill). One
/// transaction.
pub fn store_centroids(
    specs: &mut PgConnection,
    model: &str,
    trained: &(Vec<Vec<f32>>, Vec<i32>),
) -> QueryResult<uuid::Uuid> {
    let training = uuid::Uuid::now_v7();
    let lists: Vec<i32> = (0..trained.0.len())
        .filter_map(|i| i32::try_from(i).ok())
        .collect();
    let flat: Vec<f32> = trained.0.iter().flatten().copied().collect();
    specs.transaction(|specs| {
        diesel::sql_query("DELETE FROM knowledge_search_lists WHERE embedding_model = $1")
            .bind::<Text, _>(model)
            .execute(specs)?;
        diesel::sql_query(
            "INSERT INTO knowledge_search_lists (embedding_model, list_no, training_id, centroid, members, trained_at) \
             SELECT $1, l, $2, $3[l * 384 + 1 : l * 384 + 384], m, $5 \
             FROM unnest($4::int[], $6::int[]) AS t(l, m)",
        )
        .bind::<Text, _>(model)
        .bind::<SqlUuid, _>(training)
        .bind::<Array<Float4>, _>(&flat)
        .bind::<Array<Integer>, _>(&lists)
        .bind::<diesel::sql_types::Timestamptz, _>(Utc::now())
        .bind::<Array<Integer>, _>(&trained.1)
        .execute(specs)?;
        diesel::sql_query(
            "UPDATE document_chunk_codes SET list_no = -1 WHERE embedding_model = $1 AND list_no <> -1",
        )
        .bind::<Text, _>(model)
        .execute(specs)?;
        Ok(training)
    })
}

/// Writes the lists of chunks (`chunk id`, list) of one model.
pub fn store_assignments(
    specs: &mut PgConnection,
    model: &str,
    rows: &[(uuid::Uuid, i32)],
) -> QueryResult<usize> {
    let (ids, lists): (Vec<uuid::Uuid>, Vec<i32>) = rows.iter().copied().unzip();
    diesel::sql_query(
        "UPDATE document_chunk_codes c SET list_no = t.list_no \
         FROM unnest($1::uuid[], $2::int[]) AS t(chunk_id, list_no) \
         WHERE c.chunk_id = t.chunk_id AND c.embedding_model = $3 AND c.list_no IS DISTINCT FROM t.list_no",
    )
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<Integer>, _>(&lists)
    .bind::<Text, _>(model)
    .execute(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pseudo-random unit vector (splitmix64).
    fn unit(seed: u64) -> Vec<f32> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut v: Vec<f32> = (0..DIMENSIONS)
            .map(|_| {
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                (z >> 40) as f32 / (1u64 << 24) as f32 - 0.5
            })
            .collect();
        normalize(&mut v);
        v
    }

    #[test]
    fn k_means_separates_clusters_and_nearest_agrees() {
        // Three tight clusters around three directions.
        let centres = [unit(1), unit(2), unit(3)];
        let sample: Vec<Vec<f32>> = (0..300)
            .map(|i| {
                let mut v = centres[i % 3].clone();
                let noise = unit(100 + i as u64);
                for (x, n) in v.iter_mut().zip(noise) {
                    *x += 0.05 * n;
                }
                normalize(&mut v);
                v
            })
            .collect();
        let (vectors, members) = train(&sample, 3, 10);
        assert_eq!(members.iter().sum::<i32>(), 300);
        assert!(members.iter().all(|m| *m == 100), "{members:?}");
        let c = Centroids {
            training: None,
            vectors,
        };
        for (i, v) in sample.iter().enumerate() {
            assert_eq!(c.nearest(v), c.nearest(&sample[i % 3]), "vector {i}");
        }
        let order = c.nearest_n(&sample[0], 3);
        assert_eq!(order.len(), 3);
        assert_eq!(order[0], c.nearest(&sample[0]));
        assert_eq!(Centroids::default().nearest(&sample[0]), UNASSIGNED);
        assert!(train(&[], 4, 3).0.is_empty());
    }
}
