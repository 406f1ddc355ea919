//! The search-index job: codes for every embedded chunk, lists trained, every
//! chunk in its nearest list, and the fast search then agrees with the exact one.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::sync::Arc;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, Float4, Integer, Uuid as SqlUuid};
use jobs::{Dbs, Job, Options, run_job};
use knowledge::embed::HashingEmbedder;
use knowledge::search::{self, Options as SearchOptions};
use specs_db::ids::ProjectId;
use test_db::{Pair, count};

const MODEL: &str = "synthetic-model";

/// `n` chunks of one project (and `global` of an approved global document),
/// embedded with clustered pseudo-random unit vectors by `MODEL`, with no codes.
fn fixture(n: usize, global: usize) -> (Pair, ProjectId) {
    let pair = Pair::seeded(1, 3);
    let mut specs = pair.specs.connect();
    let project: uuid::Uuid = diesel::select(diesel::dsl::sql::<SqlUuid>(
        "(SELECT id FROM projects ORDER BY id LIMIT 1)",
    ))
    .get_result(&mut specs)
    .unwrap();
    // 24 cluster centres; each vector is a centre plus noise, normalised.
    specs
        .batch_execute(&format!(
            "CREATE TEMP TABLE centres AS SELECT c, array(SELECT random() - 0.5 FROM generate_series(1, 384) WHERE c >= 0) AS v \
               FROM generate_series(0, 23) c;
             INSERT INTO knowledge_base_documents (id, project_id, title, content, is_approved) VALUES
               ('00000000-0000-7000-8000-00000000d001', '{project}', 'mine', 'x', false),
               ('00000000-0000-7000-8000-00000000d002', NULL, 'global', 'x', true),
               ('00000000-0000-7000-8000-00000000d003', NULL, 'pending', 'x', false);
             INSERT INTO document_chunks (document_id, project_id, chunk_index, content, embedding, embedding_model, embedded_at)
             SELECT d, p, i, 'chunk ' || i, (SELECT array_agg(x / sqrt(s)) FROM (SELECT x, sum(x * x) OVER () AS s FROM unnest(w) x) t), '{MODEL}', now()
             FROM (
               SELECT i, CASE WHEN i < {n} THEN '00000000-0000-7000-8000-00000000d001'::uuid
                              WHEN i < {n} + {global} THEN '00000000-0000-7000-8000-00000000d002'::uuid
                              ELSE '00000000-0000-7000-8000-00000000d003'::uuid END AS d,
                      CASE WHEN i < {n} THEN '{project}'::uuid END AS p,
                      (SELECT array_agg(c.v[j] + (random() - 0.5) * 0.6) FROM generate_series(1, 384) j) AS w
               FROM generate_series(0, {n} + 2 * {global} - 1) i
               JOIN centres c ON c.c = i % 24) g;
             DELETE FROM document_chunk_codes;"
        ))
        .expect("fixture");
    drop(specs);
    (pair, ProjectId(project))
}

/// The lists of all models, and the chunks in no list.
fn lists_and_unassigned(specs: &mut PgConnection) -> (i64, i64) {
    (
        count(specs, "SELECT count(*) AS n FROM knowledge_search_lists"),
        count(
            specs,
            "SELECT count(*) AS n FROM document_chunk_codes WHERE list_no = -1",
        ),
    )
}

fn run(pair: &Pair, options: &Options) -> Vec<jobs::Report> {
    let mut dbs = Dbs::connect(pair.auth.url(), pair.specs.url()).expect("connect");
    run_job(
        Job::SearchIndex,
        &mut dbs,
        options,
        Arc::new(HashingEmbedder),
    )
    .expect("job")
}

#[derive(QueryableByName)]
struct Vector {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = Array<Float4>)]
    embedding: Vec<f32>,
    #[diesel(sql_type = Integer)]
    list_no: i32,
}

#[test]
fn the_job_builds_the_index_and_the_fast_search_finds_what_the_exact_one_does() {
    let (pair, project) = fixture(1_500, 200);
    let options = Options {
        batch_size: 400,
        threads: 2,
        quiet: true,
        ..Options::default()
    };
    let reports = run(&pair, &options);
    let phases: Vec<&str> = reports.iter().map(|r| r.phase.as_str()).collect();
    assert_eq!(
        phases,
        [
            "backfill:search-index:codes",
            "backfill:search-index:train:synthetic-model",
            "backfill:search-index:assign"
        ],
        "{reports:?}"
    );
    let mut specs = pair.specs.connect();
    assert_eq!(
        count(&mut specs, "SELECT count(*) AS n FROM document_chunk_codes"),
        1_900
    );
    // √1900 lists, members summing to the sample.
    assert_eq!(reports[1].rows_changed, 44);
    assert_eq!(lists_and_unassigned(&mut specs), (44, 0));
    // Every chunk is in its nearest list.
    let centroids = knowledge::index::centroids(&mut specs, MODEL).unwrap();
    assert_eq!(centroids.vectors.len(), 44);
    let rows: Vec<Vector> = diesel::sql_query(
        "SELECT c.id, c.embedding, k.list_no FROM document_chunks c JOIN document_chunk_codes k ON k.chunk_id = c.id",
    )
    .load(&mut specs)
    .unwrap();
    for r in &rows {
        assert_eq!(r.list_no, centroids.nearest(&r.embedding), "{}", r.id);
    }
    // A second run changes nothing.
    assert!(run(&pair, &options).iter().all(|r| r.rows_changed == 0));

    // Probing every list, the fast search returns exactly the exact ranking;
    // with the defaults it finds nearly all of it.
    let (mut same, mut total) = (0, 0);
    for r in rows.iter().step_by(97) {
        let exact = search::search_vector(
            &mut specs,
            MODEL,
            Some(project),
            &r.embedding,
            &SearchOptions {
                exact: true,
                count: false,
                ..SearchOptions::new(10)
            },
        )
        .unwrap();
        let all_lists = search::search_vector(
            &mut specs,
            MODEL,
            Some(project),
            &r.embedding,
            &SearchOptions {
                probe_divisor: 1,
                candidates: Some(2_000),
                count: false,
                ..SearchOptions::new(10)
            },
        )
        .unwrap();
        let ids = |h: &[search::Hit]| h.iter().map(|h| h.chunk_id).collect::<Vec<_>>();
        assert_eq!(ids(&all_lists), ids(&exact));
        for (a, b) in all_lists.iter().zip(&exact) {
            assert!((a.score - b.score).abs() < 1e-5);
        }
        let fast = search::search_vector(
            &mut specs,
            MODEL,
            Some(project),
            &r.embedding,
            &SearchOptions {
                count: false,
                ..SearchOptions::new(10)
            },
        )
        .unwrap();
        total += exact.len();
        same += ids(&fast)
            .iter()
            .filter(|id| ids(&exact).contains(id))
            .count();
        // The pending global document is never visible.
        assert!(fast.iter().all(
            |h| h.document_id.into_uuid().to_string() != "00000000-0000-7000-8000-00000000d003"
        ));
    }
    assert!(same * 100 >= total * 90, "recall@10 {same}/{total}");

    // Approval moves a document's chunks in and out of every project's search.
    let pending: Vec<Vector> = diesel::sql_query(
        "SELECT c.id, c.embedding, k.list_no FROM document_chunks c JOIN document_chunk_codes k ON k.chunk_id = c.id \
         WHERE c.document_id = '00000000-0000-7000-8000-00000000d003' LIMIT 1",
    )
    .load(&mut specs)
    .unwrap();
    let probe = |specs: &mut PgConnection| {
        search::search_vector(
            specs,
            MODEL,
            Some(project),
            &pending[0].embedding,
            &SearchOptions {
                count: false,
                ..SearchOptions::new(1)
            },
        )
        .unwrap()[0]
            .chunk_id
            .into_uuid()
    };
    assert_ne!(probe(&mut specs), pending[0].id);
    specs
        .batch_execute("UPDATE knowledge_base_documents SET is_approved = true WHERE id = '00000000-0000-7000-8000-00000000d003'")
        .unwrap();
    assert_eq!(probe(&mut specs), pending[0].id);
    specs
        .batch_execute("UPDATE knowledge_base_documents SET is_approved = false WHERE id = '00000000-0000-7000-8000-00000000d003'")
        .unwrap();
    assert_ne!(probe(&mut specs), pending[0].id);

    // A chunk embedded now gets its code and its list in the same transaction.
    let fresh: uuid::Uuid = diesel::select(diesel::dsl::sql::<SqlUuid>(
        "(SELECT id FROM document_chunks WHERE embedding IS NOT NULL ORDER BY id LIMIT 1)",
    ))
    .get_result(&mut specs)
    .unwrap();
    let v = rows
        .iter()
        .find(|r| r.id == fresh)
        .unwrap()
        .embedding
        .clone();
    specs
        .batch_execute("DELETE FROM document_chunk_codes")
        .unwrap();
    knowledge::documents::store_chunk_embeddings(&mut specs, MODEL, &[(fresh.into(), v.clone())])
        .unwrap();
    let list: i32 = diesel::select(diesel::dsl::sql::<Integer>(&format!(
        "(SELECT list_no FROM document_chunk_codes WHERE chunk_id = '{fresh}')"
    )))
    .get_result(&mut specs)
    .unwrap();
    assert_eq!(list, centroids.nearest(&v));
}

#[test]
fn retrain_replaces_the_lists_and_a_model_below_the_minimum_is_not_trained() {
    let (pair, _) = fixture(600, 100);
    let options = Options {
        batch_size: 500,
        threads: 2,
        quiet: true,
        ..Options::default()
    };
    let reports = run(&pair, &options);
    assert!(
        reports.iter().all(|r| !r.phase.contains(":train:")),
        "{reports:?}"
    );
    let mut specs = pair.specs.connect();
    assert_eq!(
        count(
            &mut specs,
            "SELECT count(*) AS n FROM knowledge_search_lists"
        ),
        0
    );
    assert_eq!(
        count(&mut specs, "SELECT count(*) AS n FROM document_chunk_codes"),
        800
    );

    let (pair, _) = fixture(1_200, 0);
    run(&pair, &options);
    let mut specs = pair.specs.connect();
    let first = knowledge::index::centroids(&mut specs, MODEL)
        .unwrap()
        .training;
    assert!(
        run(&pair, &options)
            .iter()
            .all(|r| !r.phase.contains(":train:"))
    );
    let reports = run(
        &pair,
        &Options {
            retrain: true,
            ..options.clone()
        },
    );
    assert!(
        reports.iter().any(|r| r.phase.contains(":train:")),
        "{reports:?}"
    );
    let second = knowledge::index::centroids(&mut specs, MODEL)
        .unwrap()
        .training;
    assert_ne!(first, second, "a new training run");
    assert_eq!(lists_and_unassigned(&mut specs), (35, 0));
}
