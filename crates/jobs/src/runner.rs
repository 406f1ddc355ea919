//! The batch loop every job shares.
//!
//! Read a batch by keyset (never OFFSET) after the checkpointed cursor; compute
//! on the rayon pool; write the batch with as few statements as possible and
//! advance the checkpoint *in the same transaction*, so a run killed at any
//! point resumes after the last committed batch and never does a row twice. A
//! dry run reads and computes the same way, counts what it would change, and
//! writes nothing, not even its checkpoint.
//!
//! When the connections can be opened again ([`Dbs::connect`]), reading and
//! writing overlap: this thread reads and computes batch k+1 while writer
//! threads, on their own connections, write batch k. A phase whose batches
//! touch disjoint rows ([`Phase::disjoint_batches`]) gets `Options::writers`
//! writers at once. Whatever the number of writers, batches *commit in order*:
//! a writer finishes its statements, then waits for the batch before it to
//! commit before it advances the checkpoint and commits. The committed batches
//! are therefore always a prefix, and the checkpoint always names its end.

use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use cross_db::{Present, Refs};
use db_core::DbUrl;
use diesel::{Connection, PgConnection, QueryResult};
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
    urls: Option<(DbUrl, DbUrl)>,
    /// Writer connections of earlier phases, kept for the next.
    spare: Vec<Dbs>,
}

impl Dbs {
    /// Connects to both databases; the runner may open more connections to
    /// the same URLs to overlap reading and writing.
    pub fn connect(auth: &DbUrl, specs: &DbUrl) -> Result<Self, JobError> {
        let connect = |url: &DbUrl| db_core::connect(url).map_err(|e| JobError::Db(e.into()));
        Ok(Self {
            auth: connect(auth)?,
            specs: connect(specs)?,
            urls: Some((auth.clone(), specs.clone())),
            spare: Vec::new(),
        })
    }

    /// Uses two open connections; the job then runs on them alone, reading
    /// and writing in turn.
    pub fn new(auth: PgConnection, specs: PgConnection) -> Self {
        Self {
            auth,
            specs,
            urls: None,
            spare: Vec::new(),
        }
    }

    /// Another pair of connections to the same databases (a spare one, or a
    /// new one), when the URLs are known.
    fn fork(&mut self) -> Result<Option<Self>, JobError> {
        if let Some(spare) = self.spare.pop() {
            return Ok(Some(spare));
        }
        self.urls
            .as_ref()
            .map(|(auth, specs)| Self::connect(auth, specs))
            .transpose()
    }

    /// Runs `body` holding the work lock named `work` in both databases (auth
    /// first), so no other run of the same work overlaps it; waits at most
    /// `timeout` for a run that holds it (see [`db_core::work_lock`]).
    ///
    /// When either URL reaches a transaction pooler, the locks are held in
    /// transactions kept open on connections of their own
    /// ([`db_core::HeldLock`]); otherwise on the job's two sessions.
    pub fn exclusive<T>(
        &mut self,
        work: &str,
        timeout: Duration,
        body: impl FnOnce(&mut Self) -> Result<T, JobError>,
    ) -> Result<T, JobError> {
        use db_core::work_lock::{acquire_both, release_both};
        use db_core::{HeldLock, PoolMode};
        if let Some((auth, specs)) = &self.urls
            && (auth.pool_mode() == PoolMode::Transaction
                || specs.pool_mode() == PoolMode::Transaction)
        {
            // Dropping a lock (an error below) closes its connection, which
            // frees it.
            let auth_lock = HeldLock::acquire(auth, work, timeout)?;
            let specs_lock = HeldLock::acquire(specs, work, timeout)?;
            let value = body(self)?;
            specs_lock.release()?;
            auth_lock.release()?;
            return Ok(value);
        }
        acquire_both(&mut self.auth, &mut self.specs, work, timeout)?;
        let result = body(self);
        let released = release_both(&mut self.auth, &mut self.specs, work);
        let value = result?;
        released?;
        Ok(value)
    }

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

    /// The status and cursor of the checkpoint `name` on `side`, if it ever ran.
    fn find(
        dbs: &mut Dbs,
        side: Side,
        name: &str,
    ) -> QueryResult<Option<(db_core::JobStatus, Option<String>)>> {
        Ok(match side {
            Side::Auth => auth_db::models::JobCheckpoint::find(&mut dbs.auth, name)?
                .map(|c| (c.status, c.cursor)),
            Side::Specs => specs_db::models::JobCheckpoint::find(&mut dbs.specs, name)?
                .map(|c| (c.status, c.cursor)),
        })
    }

    /// Where a run of `name` would resume: nowhere once it completed.
    fn cursor_of(dbs: &mut Dbs, side: Side, name: &str) -> QueryResult<Option<String>> {
        Ok(Self::find(dbs, side, name)?
            .filter(|(status, _)| *status != db_core::JobStatus::Completed)
            .and_then(|(_, cursor)| cursor))
    }

    /// True when the phase's last run completed (or it never ran) and its
    /// first batch is empty.
    fn nothing_to_do<P: Phase>(phase: &P, dbs: &mut Dbs) -> Result<bool, JobError> {
        let unfinished = Self::find(dbs, phase.side(), &phase.name())?
            .is_some_and(|(status, _)| status != db_core::JobStatus::Completed);
        Ok(!unfinished && phase.fetch(dbs, None, 1)?.is_empty())
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
///
/// A phase reads, computes and writes; the runner owns everything around
/// that: it opens each batch's transaction (through [`cross_db::write_present`]
/// when the batch refers to auth rows), advances the checkpoint in it, orders
/// the commits, and rolls a dry run back.
///
/// `fetch` runs while earlier batches are still being written (on other
/// connections): it must depend on earlier batches only through the cursor.
pub trait Phase: Sync {
    /// A row (or unit of work) read from the database.
    type Item: Send;
    /// What the CPU part makes of a batch.
    type Out: Send;

    /// Checkpoint name, e.g. `backfill:maturity`.
    fn name(&self) -> String;
    /// Where the checkpoint (and the writes) live.
    fn side(&self) -> Side;
    /// Batches write disjoint rows, so several may be written at once (their
    /// commits stay in order). False unless a phase says so.
    fn disjoint_batches(&self) -> bool {
        false
    }
    /// Items expected, for the progress report.
    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError>;
    /// The next batch after `after` (a keyset cursor), at most `limit` items.
    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError>;
    /// The keyset position of an item, as stored in the checkpoint.
    fn cursor(&self, item: &Self::Item) -> String;
    /// The CPU part, run on the job's rayon pool.
    fn compute(&self, items: Vec<Self::Item>) -> Result<Self::Out, JobError>;
    /// The auth rows the batch's specs rows refer to. When there are any, the
    /// runner writes the batch through [`cross_db::write_present`], which locks
    /// them until the batch commits and tells [`Phase::write`] which exist.
    fn references(&self, _out: &Self::Out) -> Refs {
        Refs::new()
    }
    /// Writes the batch on `conn`, the connection of [`Phase::side`], inside
    /// the transaction the runner opened for it (and, in a dry run, rolls
    /// back); `present` holds the referenced auth rows that may be referenced.
    /// Returns the rows changed.
    fn write(
        &self,
        conn: &mut PgConnection,
        out: &Self::Out,
        present: &Present,
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
    /// Of which reading batches.
    pub read_millis: u64,
    /// Of which the CPU part.
    pub compute_millis: u64,
    /// Of which writing batches (or, in a dry run, comparing them).
    pub write_millis: u64,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A read and computed batch, on its way to be written.
struct Batch<O> {
    seq: u64,
    out: O,
    count: u64,
    next: String,
    /// Reading and computing it took.
    read: Duration,
    compute: Duration,
}

/// What writing a batch gave.
struct Written {
    count: u64,
    changed: u64,
    spent: Duration,
}

/// Commit order: batch `seq` commits only once `committed == seq`.
#[derive(Default)]
struct Turns {
    state: Mutex<(u64, bool)>,
    turn: Condvar,
}

impl Turns {
    /// Waits until every earlier batch has committed; false if the run failed.
    fn wait(&self, seq: u64) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.0 != seq && !state.1 {
            state = self
                .turn
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !state.1
    }

    fn committed(&self, seq: u64) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 = seq + 1;
        self.turn.notify_all();
    }

    fn fail(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.turn.notify_all();
    }

    fn failed(&self) -> bool {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1
    }
}

/// Runs a batch's statements in a transaction of the phase's side (with the
/// referenced auth rows locked when there are any), then `end` with the rows
/// changed, as the transaction's last step; `end` failing rolls it all back.
fn transact<P: Phase>(
    phase: &P,
    dbs: &mut Dbs,
    out: &P::Out,
    end: impl FnOnce(&mut PgConnection, u64) -> Result<(), JobError>,
) -> Result<u64, JobError> {
    let refs = phase.references(out);
    let body = |conn: &mut PgConnection, present: &Present| {
        let changed = phase.write(conn, out, present)?;
        end(conn, changed)?;
        Ok(changed)
    };
    match phase.side() {
        Side::Specs if !refs.is_empty() => {
            cross_db::write_present(&mut dbs.auth, &mut dbs.specs, &refs, |w, present| {
                body(w.specs, present)
            })
        }
        side => dbs
            .side(side)
            .transaction(|conn| body(conn, &Present::default())),
    }
}

/// Rows a batch would change: its statements run exactly as a real write
/// would, and the transaction is rolled back (for dry runs).
fn plan_batch<P: Phase>(phase: &P, dbs: &mut Dbs, out: &P::Out) -> Result<u64, JobError> {
    let mut planned = 0;
    let outcome = transact(phase, dbs, out, |_, changed| {
        planned = changed;
        Err(diesel::result::Error::RollbackTransaction.into())
    });
    match outcome {
        Err(JobError::Db(db_core::DbError::Query(diesel::result::Error::RollbackTransaction))) => {
            Ok(planned)
        }
        other => other,
    }
}

/// Writes one batch on `dbs`: the phase's statements, then (in turn) the
/// checkpoint, then the commit.
fn write_batch<P: Phase>(
    phase: &P,
    dbs: &mut Dbs,
    batch: &Batch<P::Out>,
    checkpoint: &Mutex<Checkpoint>,
    turns: &Turns,
) -> Result<Written, JobError> {
    let started = Instant::now();
    let span = tracing::info_span!(
        "job_batch",
        phase = %phase.name(),
        seq = batch.seq,
        rows_read = batch.count,
        rows_changed = tracing::field::Empty,
        read_ms = millis(batch.read),
        compute_ms = millis(batch.compute),
        write_ms = tracing::field::Empty,
    );
    let _entered = span.enter();
    let processed = i64::try_from(batch.count).unwrap_or(i64::MAX);
    let changed = transact(phase, dbs, &batch.out, |conn, _| {
        if !turns.wait(batch.seq) {
            return Err(diesel::result::Error::RollbackTransaction.into());
        }
        Ok(checkpoint
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .advance(conn, &batch.next, processed)?)
    })?;
    turns.committed(batch.seq);
    span.record("rows_changed", changed);
    span.record("write_ms", millis(started.elapsed()));
    Ok(Written {
        count: batch.count,
        changed,
        spent: started.elapsed(),
    })
}

/// Runs one phase to the end (or to `max_batches`).
pub fn run<P: Phase>(
    phase: &P,
    dbs: &mut Dbs,
    pool: &rayon::ThreadPool,
    options: &Options,
) -> Result<Report, JobError> {
    let started = Instant::now();
    let name = phase.name();
    let side = phase.side();
    if !options.dry_run && Checkpoint::nothing_to_do(phase, dbs)? {
        // No run to resume and no row to do: a no-op writes nothing, not even
        // its checkpoint, so a run after another (or beside it, waiting on the
        // job's lock) leaves the databases as the first left them.
        return Ok(Report {
            phase: name,
            millis: millis(started.elapsed()),
            ..Report::default()
        });
    }
    let total = phase.total(dbs)?;
    let checkpoint = if options.dry_run {
        None
    } else {
        Some(Checkpoint::begin(dbs, side, &name, total)?)
    };
    let cursor = match &checkpoint {
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
    let checkpoint = checkpoint.map(Mutex::new);
    let writers = if phase.disjoint_batches() {
        options.writers.max(1)
    } else {
        1
    };
    let mut forks = Vec::new();
    if checkpoint.is_some() {
        while forks.len() < writers {
            match dbs.fork()? {
                Some(fork) => forks.push(fork),
                None => break,
            }
        }
    }
    // Reading and computing (this thread), and writing (summed over writers).
    let mut read = [Duration::ZERO; 2];
    let mut writing = Duration::ZERO;
    let mut account = |report: &mut Report, w: &Written| {
        writing += w.spent;
        report.rows_read += w.count;
        report.rows_changed += w.changed;
        report.batches += 1;
        progress.advance(w.count);
    };
    match (&checkpoint, forks.is_empty()) {
        // A dry run: compare each batch with the database, on this connection.
        (None, _) => {
            report.paused = produce(phase, dbs, pool, cursor, options, &mut read, |dbs, b| {
                let t = Instant::now();
                let changed = plan_batch(phase, dbs, &b.out)?;
                account(
                    &mut report,
                    &Written {
                        count: b.count,
                        changed,
                        spent: t.elapsed(),
                    },
                );
                Ok(())
            })?;
        }
        // Connections given, not URLs: read and write in turn.
        (Some(cp), true) => {
            let turns = Turns::default();
            report.paused = produce(phase, dbs, pool, cursor, options, &mut read, |dbs, b| {
                let written = write_batch(phase, dbs, &b, cp, &turns)?;
                account(&mut report, &written);
                Ok(())
            })?;
        }
        // Writer threads on their own connections; this thread reads.
        (Some(cp), false) => {
            let turns = Turns::default();
            let (queue, jobs) = sync_channel::<Batch<P::Out>>(forks.len());
            let jobs = Mutex::new(jobs);
            let (done, results) = std::sync::mpsc::channel::<Result<Written, JobError>>();
            std::thread::scope(|scope| -> Result<(), JobError> {
                let writers: Vec<_> = forks
                    .into_iter()
                    .map(|mut fork| {
                        let (jobs, done, turns) = (&jobs, done.clone(), &turns);
                        scope.spawn(move || {
                            writer(phase, &mut fork, jobs, &done, cp, turns);
                            fork
                        })
                    })
                    .collect();
                drop(done);
                let produced = produce(phase, dbs, pool, cursor, options, &mut read, |_, b| {
                    drain(&results, false, |w| {
                        account(&mut report, &w);
                    })?;
                    queue
                        .send(b)
                        .map_err(|_| JobError::Invalid("every writer stopped".into()))
                });
                drop(queue);
                if produced.is_err() {
                    turns.fail();
                }
                let drained = drain(&results, true, |w| account(&mut report, &w));
                let outcome = produced.and_then(|paused| drained.map(|()| paused));
                if outcome.is_ok() {
                    // Healthy writers serve the next phase.
                    for writer in writers {
                        if let Ok(fork) = writer.join() {
                            dbs.spare.push(fork);
                        }
                    }
                }
                report.paused = outcome?;
                Ok(())
            })?;
        }
    }
    progress.finish(!report.paused);
    if let Some(cp) = checkpoint {
        let status = if report.paused {
            db_core::JobStatus::Paused
        } else {
            db_core::JobStatus::Completed
        };
        cp.into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .finish(dbs, status)?;
    }
    report.millis = millis(started.elapsed());
    [report.read_millis, report.compute_millis] = read.map(millis);
    report.write_millis = millis(writing);
    Ok(report)
}

/// Reads and computes batches after `cursor`, handing each to `sink`; returns
/// whether it stopped at `max_batches` (paused) rather than at the end.
fn produce<P: Phase>(
    phase: &P,
    dbs: &mut Dbs,
    pool: &rayon::ThreadPool,
    mut cursor: Option<String>,
    options: &Options,
    spent: &mut [Duration; 2],
    mut sink: impl FnMut(&mut Dbs, Batch<P::Out>) -> Result<(), JobError>,
) -> Result<bool, JobError> {
    let mut seq = 0u64;
    loop {
        if options.max_batches.is_some_and(|max| seq >= max as u64) {
            return Ok(true);
        }
        let t0 = Instant::now();
        let items = phase.fetch(dbs, cursor.as_deref(), options.batch_size.max(1))?;
        let Some(last) = items.last() else {
            return Ok(false);
        };
        let next = phase.cursor(last);
        let count = items.len() as u64;
        let t1 = Instant::now();
        let out = pool.install(|| phase.compute(items))?;
        spent[0] += t1 - t0;
        spent[1] += t1.elapsed();
        sink(
            dbs,
            Batch {
                seq,
                out,
                count,
                next: next.clone(),
                read: t1 - t0,
                compute: t1.elapsed(),
            },
        )?;
        seq += 1;
        cursor = Some(next);
    }
}

/// A writer thread: takes batches in order and writes them until the queue
/// closes or the run fails.
fn writer<P: Phase>(
    phase: &P,
    dbs: &mut Dbs,
    jobs: &Mutex<Receiver<Batch<P::Out>>>,
    done: &std::sync::mpsc::Sender<Result<Written, JobError>>,
    checkpoint: &Mutex<Checkpoint>,
    turns: &Turns,
) {
    loop {
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(batch) = next else { return };
        if turns.failed() {
            return;
        }
        let result = write_batch(phase, dbs, &batch, checkpoint, turns);
        if result.is_err() {
            if turns.failed() {
                // Stopped by another writer's failure: that one reports.
                return;
            }
            turns.fail();
        }
        if done.send(result).is_err() {
            return;
        }
    }
}

/// Takes the writers' results (all of them, when `all`), keeping the first error.
fn drain(
    results: &Receiver<Result<Written, JobError>>,
    all: bool,
    mut account: impl FnMut(Written),
) -> Result<(), JobError> {
    let mut first = None;
    loop {
        let result = if all {
            match results.recv() {
                Ok(r) => r,
                Err(_) => break,
            }
        } else {
            match results.try_recv() {
                Ok(r) => r,
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        };
        match result {
            Ok(w) => account(w),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    first.map_or(Ok(()), Err)
}
