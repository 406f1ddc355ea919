//! Exclusive work: one run of a named job at a time, per database.
//!
//! Jobs and batch commands (`backfill`, `seed`, `keys rewrap`, `check-refs
//! --repair`) take a session-level advisory lock named after the work on every
//! database they write, for as long as they run. A second run of the same work
//! waits for the first (at most its lock timeout) and then starts from what
//! the first committed, so any number of runs started at once end as one run
//! would; a run that times out is refused with one line naming the session
//! that holds the work. A run that dies loses its connection and with it the
//! lock, so a killed run never blocks the next.
//!
//! Behind a transaction pooler a session lock would stay on whichever server
//! connection took it, so there the lock is held in a transaction kept open on
//! a connection of its own instead ([`HeldLock`], chosen by [`LockOn`]); a
//! session lock and a held transaction lock on one key exclude each other, so
//! runs of both kinds still serialize. Work that is one transaction per
//! database takes the lock inside it ([`acquire_xact`]).
//!
//! The keys live in the two-integer advisory lock space (`objsubid = 2`), so
//! they never collide with the migration runner's bigint key. Both kinds share
//! the mechanism below: `lock` with a timeout, `unlock`, and `holder` to
//! name who holds a key.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use sha2::{Digest, Sha256};

/// The first key of every work lock: `"JOBS"` in ASCII.
pub const WORK_LOCK_CLASS: i32 = 0x4A4F_4253;

/// A run could not take its work lock.
#[derive(Debug, thiserror::Error)]
pub enum WorkLockError {
    /// Another session held the work for longer than the timeout.
    #[error(
        "{work} is already running in database {database} ({holder}); waited {}s for it \
         (--lock-timeout), try again when it has finished",
        .waited.as_secs()
    )]
    Busy {
        /// The work's name.
        work: String,
        /// The database the lock was taken in.
        database: String,
        /// Who holds it: server pid, client address, application, since when.
        holder: String,
        /// How long we waited.
        waited: Duration,
    },
    /// The lock query itself failed.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// The lock was not held by the connection's next statement: the
    /// connection goes through a transaction pooler.
    #[error(
        "the {work} lock was not held by this connection's next statement, so the connection \
         goes through a transaction pooler; declare it (pool_mode=transaction) or use a direct URL"
    )]
    NotASession {
        /// The work's name.
        work: String,
    },
    /// The connection that was to hold the lock could not be opened.
    #[error("connecting to hold the {work} lock: {source}")]
    Connect {
        /// The work's name.
        work: String,
        /// Why.
        source: diesel::ConnectionError,
    },
}

/// The second key of the lock for `work`: 32 bits of its SHA-256.
pub fn work_key(work: &str) -> i32 {
    let digest = Sha256::digest(work.as_bytes());
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Takes the lock of `work` on `conn`'s database, waiting at most `timeout`.
///
/// The lock is held until [`release`] or until the connection closes. Taking a
/// lock the session already holds succeeds again (advisory locks stack), and
/// each take needs its own release.
pub fn acquire(
    conn: &mut PgConnection,
    work: &str,
    timeout: Duration,
) -> Result<(), WorkLockError> {
    let key = AdvisoryKey::Pair(WORK_LOCK_CLASS, work_key(work));
    match lock(conn, key, timeout) {
        Ok(()) => Ok(()),
        Err(NotTaken::Lock(err)) => busy_unless_taken(conn, key, work, timeout, Err(err)),
        Err(NotTaken::NotASession) => Err(WorkLockError::NotASession {
            work: work.to_owned(),
        }),
        Err(NotTaken::Check(err)) => Err(err.into()),
    }
}

/// Takes the lock of `work` for the rest of the transaction `conn` is in,
/// waiting at most `timeout` (one run of work that is one transaction).
///
/// The wait is a savepoint of its own, so a timeout leaves the caller's
/// transaction usable, and the error names the holder.
pub fn acquire_xact(
    conn: &mut PgConnection,
    work: &str,
    timeout: Duration,
) -> Result<(), WorkLockError> {
    let key = AdvisoryKey::Pair(WORK_LOCK_CLASS, work_key(work));
    let taken = conn.transaction(|conn| {
        timed(
            conn,
            timeout,
            &format!("SELECT pg_advisory_xact_lock({})", key.args()),
        )
    });
    busy_unless_taken(conn, key, work, timeout, taken)
}

/// Turns a lock statement's timeout into [`WorkLockError::Busy`], naming the holder.
fn busy_unless_taken(
    conn: &mut PgConnection,
    key: AdvisoryKey,
    work: &str,
    timeout: Duration,
    taken: QueryResult<()>,
) -> Result<(), WorkLockError> {
    match taken {
        Ok(()) => Ok(()),
        Err(diesel::result::Error::DatabaseError(_, info))
            if info.message().contains("lock timeout") =>
        {
            let holder = holder(conn, key)?.map_or_else(
                || "held by a session that has since ended".to_owned(),
                |(_, text)| text,
            );
            let database = diesel::sql_query("SELECT current_database()::text AS name")
                .get_result::<Name>(conn)?
                .name;
            Err(WorkLockError::Busy {
                work: work.to_owned(),
                database,
                holder,
                waited: timeout,
            })
        }
        Err(err) => Err(err.into()),
    }
}

/// The lock of a run held in a transaction kept open on a connection of its
/// own, for as long as this value lives.
///
/// This is how a run that spans many transactions holds its work lock behind
/// a transaction pooler: the open transaction pins one server connection, and
/// `pg_advisory_xact_lock` lasts until it ends. The transaction takes no
/// snapshot while it waits and writes nothing, so it holds back neither
/// vacuum nor anyone's rows. Dropping the value (or the process dying) closes
/// the connection, which ends the transaction and frees the lock.
pub struct HeldLock {
    conn: PgConnection,
}

impl std::fmt::Debug for HeldLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldLock").finish_non_exhaustive()
    }
}

impl HeldLock {
    /// Connects to `url` and takes the lock of `work` there, waiting at most `timeout`.
    pub fn acquire(
        url: &crate::DbUrl,
        work: &str,
        timeout: Duration,
    ) -> Result<Self, WorkLockError> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let mut conn = crate::pooler::connect(url).map_err(|source| WorkLockError::Connect {
            work: work.to_owned(),
            source,
        })?;
        AnsiTransactionManager::begin_transaction(&mut conn)?;
        acquire_xact(&mut conn, work, timeout)?;
        Ok(Self { conn })
    }

    /// Ends the transaction, freeing the lock; an error says the lock may
    /// have been lost earlier (the connection broke while it was held).
    pub fn release(mut self) -> QueryResult<()> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        AnsiTransactionManager::commit_transaction(&mut self.conn)
    }
}

/// Where a run that spans many transactions holds its work lock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LockOn {
    /// On the run's own connection, for the session: that connection must be
    /// a server session (direct, or a session pooler).
    #[default]
    Session,
    /// In a transaction kept open on a connection of its own to this URL
    /// ([`HeldLock`]): works behind a transaction pooler too.
    Held(crate::DbUrl),
}

impl LockOn {
    /// What suits a run on `url`: [`Self::Held`] behind a transaction pooler,
    /// the session otherwise.
    pub fn for_url(url: &crate::DbUrl) -> Self {
        match url.pool_mode() {
            crate::dburl::PoolMode::Transaction => Self::Held(url.clone()),
            crate::dburl::PoolMode::Session => Self::Session,
        }
    }
}

/// [`with_work_lock`], holding the lock where `on` says.
pub fn with_work_lock_on<T, E: From<WorkLockError> + From<diesel::result::Error>>(
    conn: &mut PgConnection,
    on: &LockOn,
    work: &str,
    timeout: Duration,
    body: impl FnOnce(&mut PgConnection) -> Result<T, E>,
) -> Result<T, E> {
    match on {
        LockOn::Session => with_work_lock(conn, work, timeout, body),
        LockOn::Held(url) => {
            let held = HeldLock::acquire(url, work, timeout)?;
            let value = body(conn)?;
            held.release()?;
            Ok(value)
        }
    }
}

/// Releases one take of the lock of `work` (see [`acquire`]).
pub fn release(conn: &mut PgConnection, work: &str) -> QueryResult<()> {
    unlock(conn, AdvisoryKey::Pair(WORK_LOCK_CLASS, work_key(work)))
}

/// Runs `body` while holding the lock of `work` on `conn`'s database.
pub fn with_work_lock<T, E: From<WorkLockError> + From<diesel::result::Error>>(
    conn: &mut PgConnection,
    work: &str,
    timeout: Duration,
    body: impl FnOnce(&mut PgConnection) -> Result<T, E>,
) -> Result<T, E> {
    acquire(conn, work, timeout)?;
    let result = body(conn);
    let released = release(conn, work);
    let value = result?;
    released?;
    Ok(value)
}

/// Takes the lock of `work` on both databases of a pair, `first`'s first;
/// when `second`'s cannot be had, `first`'s is released before the error.
pub fn acquire_both(
    first: &mut PgConnection,
    second: &mut PgConnection,
    work: &str,
    timeout: Duration,
) -> Result<(), WorkLockError> {
    acquire(first, work, timeout)?;
    if let Err(err) = acquire(second, work, timeout) {
        let _ = release(first, work);
        return Err(err);
    }
    Ok(())
}

/// Releases what [`acquire_both`] took, `second`'s first (both are tried).
pub fn release_both(
    first: &mut PgConnection,
    second: &mut PgConnection,
    work: &str,
) -> QueryResult<()> {
    release(second, work).and(release(first, work))
}

/// An advisory lock key, in either of PostgreSQL's two key spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AdvisoryKey {
    /// One bigint (`pg_locks.objsubid = 1`): the migration runner's lock.
    Big(i64),
    /// Two integers (`objsubid = 2`): the work locks.
    Pair(i32, i32),
}

impl AdvisoryKey {
    /// The key's SQL arguments, as they follow `pg_advisory_lock(`.
    pub(crate) fn args(self) -> String {
        match self {
            Self::Big(k) => format!("{k}::bigint"),
            Self::Pair(a, b) => format!("{a}, {b}"),
        }
    }

    /// `pg_locks` (classid, objid, objsubid) of the key; oids are unsigned.
    fn catalog(self) -> (i64, i64, i32) {
        match self {
            Self::Big(k) => (k >> 32 & 0xFFFF_FFFF, k & 0xFFFF_FFFF, 1),
            Self::Pair(a, b) => (i64::from(a as u32), i64::from(b as u32), 2),
        }
    }
}

/// Why [`lock`] did not take a session lock.
#[derive(Debug)]
pub(crate) enum NotTaken {
    /// The lock statement failed (`lock timeout` when it waited too long).
    Lock(diesel::result::Error),
    /// It was taken, but the connection's next statement did not hold it: the
    /// connection goes through a transaction pooler. It was released again.
    NotASession,
    /// Checking that failed.
    Check(diesel::result::Error),
}

/// Takes the session-level advisory lock `key`, waiting at most `timeout`
/// (PostgreSQL's `lock_timeout`, for the lock statement alone), then checks
/// that the session holds it.
pub(crate) fn lock(
    conn: &mut PgConnection,
    key: AdvisoryKey,
    timeout: Duration,
) -> Result<(), NotTaken> {
    // The timeout is a SET LOCAL in a transaction of its own, so no setting
    // outlives it (a pooler may hand the session to another client next); the
    // session lock outlives the transaction.
    conn.transaction(|conn| {
        timed(
            conn,
            timeout,
            &format!("SELECT pg_advisory_lock({})", key.args()),
        )
    })
    .map_err(NotTaken::Lock)?;
    // Behind a transaction pooler the session lock stays on whichever server
    // connection took it; a next statement that does not hold it says so.
    match held_here(conn, key) {
        Ok(true) => Ok(()),
        Ok(false) => {
            let _ = unlock(conn, key);
            Err(NotTaken::NotASession)
        }
        Err(err) => Err(NotTaken::Check(err)),
    }
}

/// Runs the lock statement `sql` in the current transaction with
/// `lock_timeout` set to `timeout` for it alone.
fn timed(conn: &mut PgConnection, timeout: Duration, sql: &str) -> QueryResult<()> {
    let millis = timeout.as_millis().clamp(1, i32::MAX as u128);
    diesel::sql_query(format!("SET LOCAL lock_timeout = {millis}")).execute(conn)?;
    diesel::sql_query(sql).execute(conn)?;
    diesel::sql_query("SET LOCAL lock_timeout = DEFAULT").execute(conn)?;
    Ok(())
}

/// Whether this connection's session holds `key` (a statement of its own,
/// after the one that took it: behind a transaction pooler it may run in
/// another server session, which does not).
pub(crate) fn held_here(conn: &mut PgConnection, key: AdvisoryKey) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Held {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        held: bool,
    }
    let (classid, objid, objsubid) = key.catalog();
    Ok(diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted \
           AND pid = pg_backend_pid() AND objsubid = $3 \
           AND classid::bigint = $1 AND objid::bigint = $2) AS held",
    )
    .bind::<BigInt, _>(classid)
    .bind::<BigInt, _>(objid)
    .bind::<Integer, _>(objsubid)
    .get_result::<Held>(conn)?
    .held)
}

/// Releases one take of the session-level advisory lock `key`.
pub(crate) fn unlock(conn: &mut PgConnection, key: AdvisoryKey) -> QueryResult<()> {
    diesel::sql_query(format!("SELECT pg_advisory_unlock({})", key.args()))
        .execute(conn)
        .map(drop)
}

/// The session holding `key` in the connected database: its server pid and a
/// description (client address, application, since when, state), if any.
pub(crate) fn holder(
    conn: &mut PgConnection,
    key: AdvisoryKey,
) -> QueryResult<Option<(i32, String)>> {
    #[derive(QueryableByName)]
    struct Holder {
        #[diesel(sql_type = Integer)]
        pid: i32,
        #[diesel(sql_type = Nullable<Text>)]
        holder: Option<String>,
    }
    let (classid, objid, objsubid) = key.catalog();
    let found: Option<Holder> = diesel::sql_query(
        "SELECT l.pid, format('server pid %s, client %s%s, connected since %s, %s', a.pid, \
                coalesce(host(a.client_addr), 'local socket'), \
                CASE WHEN a.application_name <> '' THEN ', application ' || a.application_name ELSE '' END, \
                to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), a.state) AS holder \
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = $3 \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND l.classid::bigint = $1 AND l.objid::bigint = $2 \
         ORDER BY l.pid LIMIT 1",
    )
    .bind::<BigInt, _>(classid)
    .bind::<BigInt, _>(objid)
    .bind::<Integer, _>(objsubid)
    .get_result(conn)
    .optional()?;
    Ok(found.map(|h| {
        let text = h.holder.unwrap_or_else(|| format!("server pid {}", h.pid));
        (h.pid, text)
    }))
}
