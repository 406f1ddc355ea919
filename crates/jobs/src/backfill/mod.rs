//! The backfills of `socrates-db backfill <job>`.

mod chunks;
mod counters;
mod effectiveness;
mod embeddings;
mod maturity;
mod rollup;
pub mod search_index;

use std::sync::Arc;

use knowledge::embed::Embedder;

use diesel::{PgConnection, QueryResult};

use crate::runner::{self, Dbs, Report};
use crate::{JobError, Options};
use embeddings::Embeddings;

/// A backfill job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Embeddings of documents and chunks that have none.
    Embeddings,
    /// Chunks of documents never chunked.
    Chunks,
    /// The knowledge search's index: codes, lists trained, chunks assigned.
    SearchIndex,
    /// Maturity of every project.
    Maturity,
    /// Cached counters: session message counts, generated file counts and lines, team member and project counts.
    Counters,
    /// Question effectiveness, aggregated from the questions asked.
    QuestionEffectiveness,
    /// Daily analytics series from LLM usage.
    AnalyticsRollup,
}

impl Job {
    /// Every job, in the order `backfill all` runs them.
    pub const ALL: [Self; 7] = [
        Self::Chunks,
        Self::Embeddings,
        Self::SearchIndex,
        Self::Maturity,
        Self::Counters,
        Self::QuestionEffectiveness,
        Self::AnalyticsRollup,
    ];

    /// The name used on the command line and in checkpoints.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Embeddings => "embeddings",
            Self::Chunks => "chunks",
            Self::SearchIndex => "search-index",
            Self::Maturity => "maturity",
            Self::Counters => "counters",
            Self::QuestionEffectiveness => "question-effectiveness",
            Self::AnalyticsRollup => "analytics-rollup",
        }
    }
}

impl std::str::FromStr for Job {
    type Err = JobError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|j| j.name() == s)
            .ok_or_else(|| {
                JobError::Invalid(format!(
                    "unknown job {s:?}; one of: {}",
                    Self::ALL.map(Job::name).join(", ")
                ))
            })
    }
}

/// The `n` of a query returning one `bigint` column named `n` (a phase's total).
pub(crate) fn count(conn: &mut PgConnection, sql: &str) -> QueryResult<i64> {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::RunQueryDsl::get_result::<N>(diesel::sql_query(sql), conn).map(|r| r.n)
}

/// Runs a job (all its phases); `embedder` serves the embeddings job.
///
/// Runs of one job never overlap: a run holds the job's work lock (see
/// [`Dbs::exclusive`]) in both databases, and a second run waits for it (at
/// most `options.lock_timeout`), then starts from what the first committed,
/// so any number of runs started at once end as one run would. Dry runs write
/// nothing and take no lock.
pub fn run_job(
    job: Job,
    dbs: &mut Dbs,
    options: &Options,
    embedder: Arc<dyn Embedder>,
) -> Result<Vec<Report>, JobError> {
    if options.batch_size < 1 {
        return Err(JobError::Invalid("--batch-size must be at least 1".into()));
    }
    if options.dry_run {
        return run_phases(job, dbs, options, embedder);
    }
    let work = format!("backfill:{}", job.name());
    dbs.exclusive(&work, options.lock_timeout, |dbs| {
        run_phases(job, dbs, options, embedder)
    })
}

fn run_phases(
    job: Job,
    dbs: &mut Dbs,
    options: &Options,
    embedder: Arc<dyn Embedder>,
) -> Result<Vec<Report>, JobError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()?;
    let pool = &pool;
    Ok(match job {
        Job::Embeddings => vec![
            runner::run(
                &Embeddings::<embeddings::Documents>::new(Arc::clone(&embedder), options.reembed),
                dbs,
                pool,
                options,
            )?,
            runner::run(
                &Embeddings::<embeddings::Chunks>::new(embedder, options.reembed),
                dbs,
                pool,
                options,
            )?,
        ],
        Job::Chunks => vec![runner::run(&chunks::Chunks::default(), dbs, pool, options)?],
        Job::SearchIndex => {
            let mut reports = vec![runner::run(&search_index::Codes, dbs, pool, options)?];
            let started = std::time::Instant::now();
            let trained =
                pool.install(|| search_index::train(dbs, options.retrain, options.dry_run))?;
            if !options.dry_run {
                // The codes phase and a training may have rewritten the whole
                // table: without fresh statistics the planner reads every
                // unassigned row per batch instead of the next ones in order.
                diesel::RunQueryDsl::execute(
                    diesel::sql_query("ANALYZE document_chunk_codes"),
                    &mut dbs.specs,
                )?;
            }
            let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            reports.extend(trained.into_iter().map(|t| Report {
                phase: format!("backfill:search-index:train:{}", t.model),
                dry_run: options.dry_run,
                rows_read: u64::try_from(t.sample).unwrap_or(0),
                rows_changed: u64::try_from(t.lists).unwrap_or(0),
                batches: 1,
                millis,
                compute_millis: millis,
                ..Report::default()
            }));
            reports.push(runner::run(
                &search_index::Assign::default(),
                dbs,
                pool,
                options,
            )?);
            reports
        }
        Job::Maturity => vec![runner::run(&maturity::Maturity, dbs, pool, options)?],
        Job::Counters => vec![
            runner::run(&counters::Sessions, dbs, pool, options)?,
            runner::run(&counters::Generations, dbs, pool, options)?,
            runner::run(&counters::Teams, dbs, pool, options)?,
        ],
        Job::QuestionEffectiveness => vec![runner::run(
            &effectiveness::Effectiveness,
            dbs,
            pool,
            options,
        )?],
        Job::AnalyticsRollup => vec![runner::run(&rollup::Rollup, dbs, pool, options)?],
    })
}
