//! The knowledge base on real databases.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use db_core::UserId;
use diesel::prelude::*;
use knowledge::chunking::ChunkOptions;
use knowledge::documents::{self, Upload};
use knowledge::embed::{CommandEmbedder, DIMENSIONS, EmbedError, Embedder, HashingEmbedder, dot};
use knowledge::{KnowledgeError, search};
use specs_db::ids::ProjectId;
use specs_db::schema::document_chunks;
use test_db::World;

fn world() -> World {
    World::new()
}

/// A project of the world's user, to hold documents.
fn project(w: &World) -> ProjectId {
    w.project(w.user, "kb")
}

/// A document ingested, chunked and embedded.
fn document(w: &World, upload: &Upload<'_>) -> specs_db::ids::KnowledgeDocumentId {
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let doc = documents::ingest(&mut a, &mut s, upload).expect("ingest");
    documents::chunk_document(&mut s, doc.id, ChunkOptions { max_tokens: 40 }).expect("chunk");
    documents::embed_document(&mut s, &HashingEmbedder, doc.id).expect("embed");
    doc.id
}

fn reference_embedder() -> CommandEmbedder {
    CommandEmbedder::new(
        env!("CARGO_BIN_EXE_socrates-embed"),
        vec!["--embedder".into(), "hashing".into()],
        "reference",
    )
}

/// Ingest checks the uploader; chunking is stable and happens once; embeddings are stored with their model.
#[test]
fn ingest_chunk_embed() {
    let w = world();
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let p = project(&w);
    let ghost = Upload {
        user: Some(UserId::new()),
        ..Upload::new(Some(p), "t", "text")
    };
    assert!(matches!(
        documents::ingest(&mut a, &mut s, &ghost),
        Err(KnowledgeError::Xdb(_))
    ));
    assert!(matches!(
        documents::ingest(&mut a, &mut s, &Upload::new(Some(p), "t", "  ")),
        Err(KnowledgeError::Invalid { .. })
    ));
    assert!(matches!(
        documents::ingest(
            &mut a,
            &mut s,
            &Upload::new(Some(ProjectId::new()), "t", "x")
        ),
        Err(KnowledgeError::NotFound(_))
    ));
    let text = "# Storage\n\nSpecifications are stored in PostgreSQL.\n\n# Search\n\n".to_owned()
        + &"Chunks are embedded and searched by cosine similarity. ".repeat(12);
    let doc = documents::ingest(
        &mut a,
        &mut s,
        &Upload {
            user: Some(w.user),
            ..Upload::new(Some(p), "design.md", &text)
        },
    )
    .expect("ingest");
    let chunks =
        documents::chunk_document(&mut s, doc.id, ChunkOptions { max_tokens: 40 }).expect("chunk");
    assert!(chunks.len() >= 3);
    assert!(
        chunks
            .iter()
            .enumerate()
            .all(|(i, c)| c.chunk_index == i32::try_from(i).expect("small"))
    );
    assert_eq!(chunks[0].source_section.as_deref(), Some("Storage"));
    assert!(
        chunks
            .iter()
            .all(|c| c.tokens_count.is_some_and(|t| t <= 40) && c.project_id == Some(p))
    );
    assert!(matches!(
        documents::chunk_document(&mut s, doc.id, ChunkOptions::default()),
        Err(KnowledgeError::AlreadyChunked)
    ));
    assert_eq!(
        documents::embed_document(&mut s, &HashingEmbedder, doc.id).expect("embed"),
        chunks.len()
    );
    let stored: Vec<(Option<Vec<f32>>, Option<String>)> = document_chunks::table
        .filter(document_chunks::document_id.eq(doc.id))
        .select((document_chunks::embedding, document_chunks::embedding_model))
        .load(&mut s)
        .expect("chunks");
    for (embedding, model) in stored {
        let v = embedding.expect("embedded");
        assert_eq!(v.len(), DIMENSIONS);
        assert!((dot(&v, &v) - 1.0).abs() < 1e-4);
        assert_eq!(model.as_deref(), Some(HashingEmbedder::MODEL));
    }
    assert_eq!(
        documents::embed_document(&mut s, &HashingEmbedder, doc.id).expect("nothing left"),
        0
    );
}

/// An external program speaking the JSON-lines protocol gives the same vectors
/// as the built-in embedder it wraps; broken programs give typed errors.
#[test]
fn command_embedder() {
    let texts = [
        "PostgreSQL stores the data",
        "and Rust serves it",
        "",
        "ünïcödé works too",
    ];
    let external = reference_embedder();
    for _ in 0..2 {
        let got = external.embed(&texts).expect("embed");
        let want = HashingEmbedder.embed(&texts).expect("embed");
        for (g, w) in got.iter().zip(&want) {
            assert!(g.iter().zip(w).all(|(a, b)| (a - b).abs() < 1e-6));
        }
    }
    let big: Vec<String> = (0..3000)
        .map(|i| format!("text number {i} ").repeat(30))
        .collect();
    let refs: Vec<&str> = big.iter().map(String::as_str).collect();
    assert_eq!(
        external
            .embed(&refs)
            .expect("a batch larger than a pipe buffer")
            .len(),
        3000
    );

    let missing = CommandEmbedder::new("/nonexistent/embedder", Vec::new(), "m");
    assert!(matches!(
        missing.embed(&["x"]),
        Err(EmbedError::Program { .. })
    ));
    let liar = CommandEmbedder::new(
        "sh",
        vec![
            "-c".into(),
            "read line; echo '{\"id\":0,\"embedding\":[1,2,3]}'".into(),
        ],
        "m",
    );
    assert!(matches!(
        liar.embed(&["x"]),
        Err(EmbedError::Protocol { .. })
    ));
    let quitter = CommandEmbedder::new("true", Vec::new(), "m");
    assert!(matches!(
        quitter.embed(&["x"]),
        Err(EmbedError::Program { .. })
    ));
}

/// Search sees the project's chunks and approved global ones, ranks the relevant
/// chunk first, and counts what it returned.
#[test]
fn similarity_search() {
    let w = world();
    let p = project(&w);
    let other = project(&w);
    let replication = document(
        &w,
        &Upload::new(
            Some(p),
            "db",
            "PostgreSQL streaming replication keeps a standby server in sync.",
        ),
    );
    document(
        &w,
        &Upload::new(
            Some(p),
            "ui",
            "The dashboard lists projects with their maturity score.",
        ),
    );
    let global = document(
        &w,
        &Upload {
            approved: true,
            ..Upload::new(
                None,
                "security",
                "Passwords are hashed with Argon2id before storage.",
            )
        },
    );
    let hidden_global = document(
        &w,
        &Upload::new(
            None,
            "draft",
            "PostgreSQL replication notes that are not approved yet.",
        ),
    );
    let foreign = document(
        &w,
        &Upload::new(
            Some(other),
            "theirs",
            "PostgreSQL replication in another project.",
        ),
    );

    let mut s = w.specs.conn();
    let hits = search::search(
        &mut s,
        &HashingEmbedder,
        Some(p),
        "postgresql replication standby",
        10,
    )
    .expect("search");
    assert_eq!(hits[0].document_id, replication);
    assert!(hits.windows(2).all(|h| h[0].score >= h[1].score));
    let docs: Vec<_> = hits.iter().map(|h| h.document_id).collect();
    assert!(
        docs.contains(&global),
        "approved global documents are visible"
    );
    assert!(
        !docs.contains(&hidden_global) && !docs.contains(&foreign),
        "{docs:?}"
    );
    let searched: i32 = document_chunks::table
        .filter(document_chunks::id.eq(hits[0].chunk_id))
        .select(document_chunks::search_count)
        .first(&mut s)
        .expect("chunk");
    assert_eq!(searched, 1);
    let top = search::search(
        &mut s,
        &HashingEmbedder,
        Some(p),
        "passwords hashed with argon2id",
        1,
    )
    .expect("search");
    assert_eq!(
        top.iter().map(|h| h.document_id).collect::<Vec<_>>(),
        vec![global]
    );
    assert!(matches!(
        search::search(&mut s, &HashingEmbedder, Some(p), " ", 3),
        Err(KnowledgeError::Invalid { .. })
    ));

    // A preview finds the same and counts nothing.
    let preview = search::search_with(
        &mut s,
        &HashingEmbedder,
        Some(p),
        "postgresql replication standby",
        &search::Options {
            count: false,
            ..search::Options::new(10)
        },
    )
    .expect("preview");
    assert_eq!(preview, hits);
    let searched_again: i32 = document_chunks::table
        .filter(document_chunks::id.eq(hits[0].chunk_id))
        .select(document_chunks::search_count)
        .first(&mut s)
        .expect("chunk");
    assert_eq!(searched_again, 1, "a preview is not a search");

    // Vectors of another model are never compared: the program below embeds
    // exactly as HashingEmbedder does, but records another model's name.
    let other_model = reference_embedder();
    assert!(
        search::search(
            &mut s,
            &other_model,
            Some(p),
            "postgresql replication standby",
            10
        )
        .expect("search")
        .is_empty(),
        "no chunk was embedded by the other model"
    );
    documents::embed_document(&mut s, &other_model, replication).expect("re-embed");
    let mine = search::search(
        &mut s,
        &other_model,
        Some(p),
        "postgresql replication standby",
        10,
    )
    .expect("search");
    assert!(!mine.is_empty());
    assert!(
        mine.iter().all(|h| h.document_id == replication),
        "{mine:?}"
    );
    let theirs = search::search(
        &mut s,
        &HashingEmbedder,
        Some(p),
        "postgresql replication standby",
        10,
    )
    .expect("search");
    assert!(
        theirs.iter().all(|h| h.document_id != replication),
        "{theirs:?}"
    );
}

/// A model whose vectors have components far below `real`'s smallest product.
struct Tiny;

impl Embedder for Tiny {
    fn model(&self) -> &str {
        "tiny-components"
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut v = vec![1e-25f32; DIMENSIONS];
        v[0] = 1.0;
        Ok(texts.iter().map(|_| v.clone()).collect())
    }
}

/// Real models' vectors hold components whose products underflow `real`;
/// the search computes in float8 and ranks them all the same.
#[test]
fn search_survives_products_below_reals_range() {
    let w = world();
    let p = project(&w);
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let doc = documents::ingest(
        &mut a,
        &mut s,
        &Upload::new(Some(p), "tiny", "Some text to search."),
    )
    .expect("ingest");
    documents::chunk_document(&mut s, doc.id, ChunkOptions { max_tokens: 40 }).expect("chunk");
    documents::embed_document(&mut s, &Tiny, doc.id).expect("embed");
    let hits = search::search(&mut s, &Tiny, Some(p), "anything", 5).expect("no underflow");
    assert_eq!(hits.len(), 1);
    assert!((hits[0].score - 1.0).abs() < 1e-6, "{}", hits[0].score);
}
