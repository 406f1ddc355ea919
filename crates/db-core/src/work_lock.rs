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

/// Runs `body` while holding the lock of `work` on both databases of a pair
/// (see [`acquire_both`]), so no other run of the same work overlaps it on either.
pub fn with_work_locks<T, E: From<WorkLockError> + From<diesel::result::Error>>(
    first: &mut PgConnection,
    second: &mut PgConnection,
    work: &str,
    timeout: Duration,
    body: impl FnOnce(&mut PgConnection, &mut PgConnection) -> Result<T, E>,
) -> Result<T, E> {
    acquire_both(first, second, work, timeout)?;
    let result = body(first, second);
    let released = release_both(first, second, work);
    let value = result?;
    released?;
    Ok(value)
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
    fn args(self) -> String {
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

/// Takes the session-level advisory lock `key`, waiting at most `timeout`
/// (PostgreSQL's `lock_timeout`, reset afterwards). The error is the lock
/// statement's own (`lock timeout` when it waited too long).
pub(crate) fn lock(
    conn: &mut PgConnection,
    key: AdvisoryKey,
    timeout: Duration,
) -> QueryResult<()> {
    let millis = timeout.as_millis().clamp(1, i32::MAX as u128);
    diesel::sql_query(format!("SET lock_timeout = {millis}")).execute(conn)?;
    let acquired =
        diesel::sql_query(format!("SELECT pg_advisory_lock({})", key.args())).execute(conn);
    diesel::sql_query("SET lock_timeout = DEFAULT").execute(conn)?;
    acquired.map(drop)
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
