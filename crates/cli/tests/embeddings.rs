//! Choosing the embedder: `backfill embeddings` with MiniLM in process and
//! through `socrates-embed`, `--reembed`, and `search`.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::path::PathBuf;

use common::{Pair, one_line, text};
use diesel::prelude::*;
use diesel::sql_types::{Array, Float4, Text, Uuid as SqlUuid};

/// `socrates-embed`, built beside `socrates-db` (by `cargo test --workspace`,
/// or here when only this crate's tests were built).
fn socrates_embed() -> String {
    let path = PathBuf::from(env!("CARGO_BIN_EXE_socrates-db")).with_file_name("socrates-embed");
    if !path.is_file() {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "-p", "knowledge", "--bin", "socrates-embed"])
            .status()
            .expect("cargo build");
        assert!(status.success());
    }
    path.display().to_string()
}

fn model_dir() -> String {
    std::env::var("SOCRATES_EMBEDDER_MODEL_DIR").expect(
        "SOCRATES_EMBEDDER_MODEL_DIR names the all-MiniLM-L6-v2 model directory (see README)",
    )
}

#[derive(QueryableByName, Debug)]
struct Embedded {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    model: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Array<Float4>>)]
    embedding: Option<Vec<f32>>,
}

/// Every document's and chunk's embedding, by id.
fn embeddings(pair: &Pair) -> Vec<Embedded> {
    diesel::sql_query(
        "SELECT id, embedding_model AS model, embedding FROM knowledge_base_documents \
         UNION ALL SELECT id, embedding_model, embedding FROM document_chunks ORDER BY id",
    )
    .load(&mut pair.specs.connect())
    .expect("embeddings")
}

fn models(pair: &Pair) -> Vec<Option<String>> {
    let mut m: Vec<_> = embeddings(pair).into_iter().map(|e| e.model).collect();
    m.dedup();
    m
}

/// A seeded pair whose documents are chunked, nothing embedded yet.
fn chunked() -> Pair {
    let pair = Pair::seeded(1, 11);
    pair.run_expecting(&["backfill", "chunks"], 0, "chunks");
    let rows = embeddings(&pair);
    assert!(rows.len() > 20, "{} documents and chunks", rows.len());
    assert!(rows.iter().all(|r| r.embedding.is_none()));
    pair
}

fn changed(out: &std::process::Output) -> u64 {
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .filter_map(|l| l.split(", changed ").nth(1))
        .map(|rest| {
            rest.split(',')
                .next()
                .unwrap()
                .trim()
                .parse::<u64>()
                .unwrap()
        })
        .sum()
}

#[test]
#[ignore = "needs the all-MiniLM-L6-v2 model: see README"]
fn minilm_in_process_and_through_socrates_embed_give_the_same_vectors() {
    let mut a = chunked();
    let b = a.copy();
    let dir = model_dir();
    let out = a.run_expecting(
        &[
            "backfill",
            "embeddings",
            "--embedder",
            "minilm",
            "--model-dir",
            &dir,
            "--threads",
            "2",
        ],
        0,
        "in process",
    );
    assert!(changed(&out) > 20, "{}", text(&out));
    let embed = socrates_embed();
    let args = [
        "backfill",
        "embeddings",
        "--embedder-command",
        &embed,
        "--embedder-arg=--embedder",
        "--embedder-arg=minilm",
        "--embedder-arg=--model-dir",
        &format!("--embedder-arg={dir}"),
        "--embedder-model",
        "all-MiniLM-L6-v2",
    ];
    b.run_expecting(&args, 0, "through socrates-embed");
    let (ours, theirs) = (embeddings(&a), embeddings(&b));
    assert_eq!(ours.len(), theirs.len());
    for (x, y) in ours.iter().zip(&theirs) {
        assert_eq!(x.id, y.id);
        assert_eq!(x.model.as_deref(), Some("all-MiniLM-L6-v2"));
        assert_eq!(x.model, y.model);
        let (u, v) = (x.embedding.as_ref().unwrap(), y.embedding.as_ref().unwrap());
        let worst = u
            .iter()
            .zip(v)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-5, "{}: differs by {worst}", x.id);
    }
    // Done is done: a second run, in process or through the server, changes nothing.
    assert_eq!(
        changed(&a.run_expecting(
            &[
                "backfill",
                "embeddings",
                "--embedder",
                "minilm",
                "--model-dir",
                &dir
            ],
            0,
            "again"
        )),
        0
    );

    // Search with the model finds chunks; with the hashing embedder, none are
    // comparable until they are re-embedded.
    let project: uuid::Uuid = diesel::sql_query(
        "SELECT project_id AS id, NULL::text AS model, NULL::real[] AS embedding FROM document_chunks \
         WHERE project_id IS NOT NULL GROUP BY project_id ORDER BY count(*) DESC, project_id LIMIT 1",
    )
    .get_result::<Embedded>(&mut a.specs.connect())
    .expect("a project with chunks")
    .id;
    let p = project.to_string();
    let out = a.run_expecting(
        &[
            "search",
            "--project",
            &p,
            "--embedder",
            "minilm",
            "--model-dir",
            &dir,
            "--json",
            "--k",
            "5",
            "how are users authenticated",
        ],
        0,
        "search",
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(hits.len(), 5, "{}", text(&out));
    let out = a.run_expecting(
        &["search", "--project", &p, "anything"],
        0,
        "hashing search",
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("no chunk embedded by socrates-hashing-v1-384"),
        "{}",
        text(&out)
    );
}

#[test]
fn reembed_replaces_another_models_vectors_and_resumes_per_model() {
    let pair = chunked();
    let embed = socrates_embed();
    let other = [
        "backfill",
        "embeddings",
        "--embedder-command",
        &embed,
        "--embedder-arg=--embedder",
        "--embedder-arg=hashing",
        "--embedder-model",
        "other-model",
    ];
    let total = embeddings(&pair).len() as u64;
    assert_eq!(
        changed(&pair.run_expecting(&["backfill", "embeddings"], 0, "hashing")),
        total
    );
    assert_eq!(
        models(&pair),
        vec![Some("socrates-hashing-v1-384".to_owned())]
    );
    // Without --reembed, rows of another model are left alone.
    assert_eq!(
        changed(&pair.run_expecting(&other, 0, "other, no reembed")),
        0
    );
    // With it, in two sittings (paused after one batch), every row moves over.
    let mut first = other.to_vec();
    first.extend(["--reembed", "--batch-size", "7", "--max-batches", "1"]);
    let out = pair.run_expecting(&first, 0, "first sitting");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("paused"),
        "{}",
        text(&out)
    );
    let mut rest = other.to_vec();
    rest.push("--reembed");
    let out = pair.run_expecting(&rest, 0, "second sitting");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(resumed)"),
        "{}",
        text(&out)
    );
    assert_eq!(models(&pair), vec![Some("other-model".to_owned())]);
    assert_eq!(changed(&pair.run_expecting(&rest, 0, "nothing left")), 0);
    // And back, in one go: the hashing vectors are the same as before.
    let before: Vec<_> = embeddings(&pair).into_iter().map(|e| e.embedding).collect();
    assert_eq!(
        changed(&pair.run_expecting(&["backfill", "embeddings", "--reembed"], 0, "back")),
        total
    );
    let after: Vec<_> = embeddings(&pair).into_iter().map(|e| e.embedding).collect();
    assert_eq!(before.len(), after.len());
    for (x, y) in before.iter().zip(&after) {
        let (x, y) = (x.as_ref().unwrap(), y.as_ref().unwrap());
        // The program's vectors crossed JSON and were normalised once more.
        let worst = x
            .iter()
            .zip(y)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f32::max);
        assert!(
            worst < 1e-6,
            "the program and the built-in embedder differ by {worst}"
        );
    }
    assert_eq!(
        models(&pair),
        vec![Some("socrates-hashing-v1-384".to_owned())]
    );
    one_line(
        &pair.run(&["backfill", "maturity", "--reembed"]),
        1,
        "--reembed goes with the embeddings job",
    );
}

#[test]
fn search_finds_what_the_embedder_made_and_refuses_bad_input_with_one_line() {
    let pair = chunked();
    pair.run_expecting(&["backfill", "embeddings"], 0, "embed");
    let out = pair.run_expecting(
        &["search", "--global-only", "--k", "3", "requirements"],
        0,
        "global",
    );
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    assert!((1..=3).contains(&lines), "{}", text(&out));
    let out = pair.run_expecting(
        &["search", "--global-only", "--json", "requirements"],
        0,
        "json",
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        hits.windows(2)
            .all(|h| h[0]["score"].as_f64() >= h[1]["score"].as_f64())
    );
    let before = embeddings(&pair).len();

    one_line(
        &pair.run(&["search", "requirements"]),
        2,
        "required arguments",
    );
    one_line(
        &pair.run(&[
            "search",
            "--project",
            &uuid::Uuid::now_v7().to_string(),
            "x",
        ]),
        1,
        "no project",
    );
    one_line(&pair.run(&["search", "--global-only", " "]), 1, "query");
    let mut cmd = pair.command(&["search", "--global-only", "--embedder", "minilm", "x"]);
    cmd.env_remove("SOCRATES_EMBEDDER_MODEL_DIR");
    one_line(&cmd.output().unwrap(), 1, "needs --model-dir");
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().display().to_string();
    one_line(
        &pair.run(&[
            "search",
            "--global-only",
            "--embedder",
            "minilm",
            "--model-dir",
            &dir,
            "x",
        ]),
        1,
        "missing config.json",
    );
    one_line(
        &pair.run(&[
            "backfill",
            "embeddings",
            "--embedder",
            "minilm",
            "--model-dir",
            &dir,
        ]),
        1,
        "model directory",
    );
    one_line(
        &pair.run(&[
            "backfill",
            "embeddings",
            "--embedder",
            "hashing",
            "--embedder-command",
            "x",
            "--embedder-model",
            "m",
        ]),
        1,
        "not hashing",
    );
    assert_eq!(embeddings(&pair).len(), before);
    // No search was counted: an operator's tries are not use.
    let counted: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT coalesce(sum(search_count), 0)::bigint FROM document_chunks)",
    ))
    .get_result(&mut pair.specs.connect())
    .unwrap();
    assert_eq!(counted, 0);
}
