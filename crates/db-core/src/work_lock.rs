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
//! they never collide with the migration runner's bigint key.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text};
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
struct Holder {
    #[diesel(sql_type = Nullable<Text>)]
    holder: Option<String>,
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
    let key = work_key(work);
    let millis = timeout.as_millis().clamp(1, i32::MAX as u128);
    diesel::sql_query(format!("SET lock_timeout = {millis}")).execute(conn)?;
    let acquired = diesel::sql_query("SELECT pg_advisory_lock($1, $2)")
        .bind::<Integer, _>(WORK_LOCK_CLASS)
        .bind::<Integer, _>(key)
        .execute(conn);
    diesel::sql_query("SET lock_timeout = DEFAULT").execute(conn)?;
    match acquired {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(_, info))
            if info.message().contains("lock timeout") =>
        {
            let holder = holder(conn, key)?;
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
    diesel::sql_query("SELECT pg_advisory_unlock($1, $2)")
        .bind::<Integer, _>(WORK_LOCK_CLASS)
        .bind::<Integer, _>(work_key(work))
        .execute(conn)
        .map(drop)
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

/// Describes the session holding the lock `key` (or says it is gone).
fn holder(conn: &mut PgConnection, key: i32) -> QueryResult<String> {
    let found: Holder = diesel::sql_query(
        "SELECT format('server pid %s, client %s%s, connected since %s, %s', a.pid, \
                coalesce(host(a.client_addr), 'local socket'), \
                CASE WHEN a.application_name <> '' THEN ', application ' || a.application_name ELSE '' END, \
                to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), a.state) AS holder \
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND l.classid::bigint = ($1::bigint & 4294967295) AND l.objid::bigint = ($2::bigint & 4294967295) \
         LIMIT 1",
    )
    .bind::<Integer, _>(WORK_LOCK_CLASS)
    .bind::<Integer, _>(key)
    .get_result::<Holder>(conn)
    .optional()?
    .unwrap_or(Holder { holder: None });
    Ok(found
        .holder
        .unwrap_or_else(|| "held by a session that has since ended".to_owned()))
}
