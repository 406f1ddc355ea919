//! Batch jobs over the Socrates databases (the synthetic data they run on is the `seed` crate's).
//!
//! Every backfill reads in keyset batches (never OFFSET), computes on a rayon
//! pool, writes each batch with one statement per table (binary COPY,
//! multi-row or `unnest`) and advances its checkpoint in `job_checkpoints` in
//! the same transaction: a killed run resumes after its last committed batch
//! without doing a row twice, a second run changes nothing, and `dry_run`
//! writes nothing. Reading overlaps writing, and batches that touch disjoint
//! rows are written by several connections at once, committing in order (see
//! [`runner`]).

pub mod backfill;
mod cursor;
pub mod progress;
pub mod runner;

use db_core::DbError;

pub use backfill::{Job, run_job};
pub use runner::{Dbs, Report};

/// How a job runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Items per batch (days per batch for the analytics rollup).
    pub batch_size: i64,
    /// Threads of the rayon pool for the CPU part.
    pub threads: usize,
    /// Batches written at once, each on its own connections, by phases whose
    /// batches touch disjoint rows (commits stay in batch order).
    pub writers: usize,
    /// Report what would change; write nothing.
    pub dry_run: bool,
    /// Stop (status `paused`, resumable) after this many batches per phase.
    pub max_batches: Option<usize>,
    /// Print no progress.
    pub quiet: bool,
    /// How long a run waits for another run of the same job to finish before
    /// it refuses (runs of one job never overlap; see [`db_core::work_lock`]).
    pub lock_timeout: std::time::Duration,
    /// The embeddings job also re-embeds rows whose embedding another model
    /// made (their `embedding_model` is not the embedder's).
    pub reembed: bool,
    /// The search-index job retrains the lists of every model, not only of
    /// the models that have none.
    pub retrain: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            batch_size: 1_000,
            threads: std::thread::available_parallelism().map_or(2, usize::from),
            writers: 2,
            dry_run: false,
            max_batches: None,
            quiet: false,
            lock_timeout: db_core::migrate::DEFAULT_LOCK_TIMEOUT,
            reembed: false,
            retrain: false,
        }
    }
}

/// A job failed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Bad options or a refused precondition.
    #[error("{0}")]
    Invalid(String),
    /// Embedding failed.
    #[error(transparent)]
    Embed(#[from] knowledge::embed::EmbedError),
    /// A knowledge-base write failed.
    #[error(transparent)]
    Knowledge(#[from] knowledge::KnowledgeError),
    /// An analytics write failed.
    #[error(transparent)]
    Usage(#[from] usage::UsageError),
    /// Another run holds the job.
    #[error(transparent)]
    Busy(#[from] db_core::WorkLockError),
    /// A cross-database reference failed.
    #[error(transparent)]
    Xdb(#[from] cross_db::XdbError),
    /// The thread pool could not start.
    #[error("thread pool: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
    /// A database error.
    #[error(transparent)]
    Db(#[from] DbError),
}

db_core::from_diesel_error!(JobError);
