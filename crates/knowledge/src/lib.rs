//! The knowledge base: documents split into chunks, embedded, and searched by similarity.
//!
//! Embeddings are `real[384]` columns (pgvector is not available on the target
//! machines), L2-normalised, so cosine similarity is a dot product. The
//! [`embed::Embedder`] trait has a built-in, offline, lexical implementation,
//! all-MiniLM-L6-v2 in process, and one that talks to any external program.
//! [`search`] finds the nearest chunks through [`index`] (inverted lists and
//! sign codes, re-ranked exactly) or, when asked, by an exact scan.

pub mod chunking;
pub mod documents;
pub mod embed;
pub mod index;
pub mod search;

use db_core::DbError;

/// A knowledge-base operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    /// No such row.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A value is out of bounds.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which input.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The document has chunks already.
    #[error("the document is already chunked")]
    AlreadyChunked,
    /// Embedding failed.
    #[error(transparent)]
    Embed(#[from] embed::EmbedError),
    /// A cross-database reference was refused.
    #[error(transparent)]
    Xdb(#[from] cross_db::XdbError),
    /// A database error.
    #[error(transparent)]
    Db(#[from] DbError),
}

db_core::from_diesel_error!(KnowledgeError);

/// Refuses empty or overlong text.
pub(crate) fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<(), KnowledgeError> {
    db_core::validate::text(value, max).map_err(|problem| KnowledgeError::Invalid {
        field,
        reason: match problem {
            db_core::validate::TextProblem::Empty => "must not be empty",
            db_core::validate::TextProblem::TooLong { .. } => "too long",
        },
    })
}
