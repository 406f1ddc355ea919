//! The batch loop every job shares.
//!
//! Read a batch by keyset (never OFFSET) after the checkpointed cursor; compute
//! on the rayon pool; write the batch with as few statements as possible and
//! advance the checkpoint *in the same transaction*, so a run killed at any
//! point resumes after the last committed batch and never does a row twice. A
//! dry run reads and computes the same way, counts what it would change, and
//! writes nothing, not even its checkpoint.

use std::time::Instant;

use diesel::PgConnection;
use diesel::QueryResult;
use serde::Serialize;

use crate::progress::Progress;
use crate::{JobError, Options};

/// Where a phase keeps its checkpoint (the database its writes go to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `socrates_auth.job_checkpoints`
    Auth,
    /// `socrates_specs.job_checkpoints`
    Specs,
}

/// Both connections of a job.
pub struct Dbs {
    /// socrates_auth.
    pub auth: PgConnection,
    /// socrates_specs.
    pub specs: PgConnection,
}

impl Dbs {
    /// The connection of one side.
    pub fn side(&mut self, side: Side) -> &mut PgConnection {
        match side {
            Side::Auth => &mut self.auth,
            Side::Specs => &mut self.specs,
        }
    }
}

/// The checkpoint of a phase, in whichever database it lives.
pub enum Checkpoint {
    /// In auth.
    Auth(auth_db::models::JobCheckpoint),
    /// In specs.
    Specs(specs_db::models::JobCheckpoint),
}

impl Checkpoint {
    fn begin(dbs: &mut Dbs, side: Side, name: &str, total: Option<i64>) -> QueryResult<Self> {
        Ok(match side {
            Side::Auth => Self::Auth(auth_db::models::JobCheckpoint::begin(
                &mut dbs.auth,
                name,
                total,
            )?),
            Side::Specs => Self::Specs(specs_db::models::JobCheckpoint::begin(
                &mut dbs.specs,
                name,
                total,
            )?),
        })
    }

    fn cursor_of(dbs: &mut Dbs, side: Side, name: &str) -> QueryResult<Option<String>> {
        use db_core::JobStatus;
        let found = match side {
            Side::Auth => auth_db::models::JobCheckpoint::find(&mut dbs.auth, name)?
                .map(|c| (c.status, c.cursor)),
            Side::Specs => specs_db::models::JobCheckpoint::find(&mut dbs.specs, name)?
                .map(|c| (c.status, c.cursor)),
        };
        Ok(found.and_then(|(status, cursor)| {
            if status == JobStatus::Completed {
                None
            } else {
                cursor
            }
        }))
    }

    fn cursor(&self) -> Option<String> {
        match self {
            Self::Auth(c) => c.cursor.clone(),
            Self::Specs(c) => c.cursor.clone(),
        }
    }

    /// Records a batch; call inside the transaction that wrote it.
    pub fn advance(
        &mut self,
        conn: &mut PgConnection,
        cursor: &str,
        processed: i64,
    ) -> QueryResult<()> {
        match self {
            Self::Auth(c) => c.advance(conn, Some(cursor), processed, 0, None),
            Self::Specs(c) => c.advance(conn, Some(cursor), processed, 0, None),
        }
    }

    fn finish(&mut self, dbs: &mut Dbs, status: db_core::JobStatus) -> QueryResult<()> {
        match self {
            Self::Auth(c) => c.finish(&mut dbs.auth, status, None),
            Self::Specs(c) => c.finish(&mut dbs.specs, status, None),
        }
    }
}

/// One phase of a job, as the runner drives it.
pub trait Phase {
    /// A row (or unit of work) read from the database.
    type Item: Send;
    /// What the CPU part makes of a batch.
    type Out: Send;

    /// Checkpoint name, e.g. `backfill:maturity`.
    fn name(&self) -> String;
    /// Where the checkpoint (and the writes) live.
    fn side(&self) -> Side;
    /// Items expected, for the progress report.
    fn total(&mut self, dbs: &mut Dbs) -> Result<Option<i64>, JobError>;
    /// The next batch after `after` (keyset), at most `limit` items.
    fn fetch(
        &mut self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError>;
    /// The keyset position of an item, as stored in the checkpoint.
    fn cursor(&self, item: &Self::Item) -> String;
    /// The CPU part, run on the job's rayon pool.
    fn compute(&self, items: Vec<Self::Item>) -> Result<Self::Out, JobError>;
    /// Rows the batch would change (compared with the database); writes nothing.
    fn plan(&mut self, dbs: &mut Dbs, out: &Self::Out) -> Result<u64, JobError>;
    /// Writes the batch and calls `checkpoint` inside the same transaction;
    /// returns rows changed.
    fn write(
        &mut self,
        dbs: &mut Dbs,
        out: &Self::Out,
        checkpoint: &mut dyn FnMut(&mut PgConnection) -> QueryResult<()>,
    ) -> Result<u64, JobError>;
}

/// What one phase did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Checkpoint name.
    pub phase: String,
    /// Nothing was written.
    pub dry_run: bool,
    /// Items read.
    pub rows_read: u64,
    /// Rows written (or that would be).
    pub rows_changed: u64,
    /// Batches done.
    pub batches: u64,
    /// The run continued an interrupted one.
    pub resumed: bool,
    /// The run stopped at `max_batches`; run again to continue.
    pub paused: bool,
    /// Wall time.
    pub millis: u64,
}

/// Runs one phase to the end (or to `max_batches`).
pub fn run<P: Phase + Sync>(
    phase: &mut P,
    dbs: &mut Dbs,
    pool: &rayon::ThreadPool,
    options: &Options,
) -> Result<Report, JobError> {
    let started = Instant::now();
    let name = phase.name();
    let side = phase.side();
    let total = phase.total(dbs)?;
    let mut checkpoint = if options.dry_run {
        None
    } else {
        Some(Checkpoint::begin(dbs, side, &name, total)?)
    };
    let mut cursor = match &checkpoint {
        Some(c) => c.cursor(),
        None => Checkpoint::cursor_of(dbs, side, &name)?,
    };
    let mut report = Report {
        phase: name.clone(),
        dry_run: options.dry_run,
        resumed: cursor.is_some(),
        ..Report::default()
    };
    let mut progress = Progress::new(
        name,
        total.and_then(|t| u64::try_from(t).ok()),
        options.quiet,
    );
    loop {
        if options
            .max_batches
            .is_some_and(|max| report.batches >= max as u64)
        {
            report.paused = true;
            break;
        }
        let items = phase.fetch(dbs, cursor.as_deref(), options.batch_size.max(1))?;
        let Some(last) = items.last() else { break };
        let next = phase.cursor(last);
        let count = items.len() as u64;
        let out = pool.install(|| phase.compute(items))?;
        let changed = match checkpoint.as_mut() {
            None => phase.plan(dbs, &out)?,
            Some(cp) => {
                let processed = i64::try_from(count).unwrap_or(i64::MAX);
                phase.write(dbs, &out, &mut |conn| cp.advance(conn, &next, processed))?
            }
        };
        report.rows_read += count;
        report.rows_changed += changed;
        report.batches += 1;
        progress.advance(count);
        cursor = Some(next);
    }
    progress.finish();
    if let Some(cp) = checkpoint.as_mut() {
        let status = if report.paused {
            db_core::JobStatus::Paused
        } else {
            db_core::JobStatus::Completed
        };
        cp.finish(dbs, status)?;
    }
    report.millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}
