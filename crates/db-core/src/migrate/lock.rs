//! The per-database advisory lock that serializes runners.
//!
//! Advisory locks are scoped to the database they are taken in, so one key
//! serves every database: runners on `socrates_auth` never wait for runners on
//! `socrates_specs`. The lock is session-level, not transaction-level, because
//! each migration commits in its own transaction while the lock must span them
//! all; a runner that dies loses its connection and with it the lock.
//!
//! A runner waits for the lock by trying it (`pg_try_advisory_lock`) between
//! short sleeps, never by blocking in `pg_advisory_lock`: a blocked statement
//! holds a snapshot, and a migration that builds an index `CONCURRENTLY` waits
//! for every older snapshot of its database to end, so a runner blocked on the
//! lock and the runner holding it would wait for each other until PostgreSQL
//! broke the deadlock by failing one of them.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::MigrateError;
use crate::work_lock::{AdvisoryKey, held_here, holder, unlock};

/// The longest sleep between two tries of the lock.
const MAX_PAUSE: Duration = Duration::from_millis(200);

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = Bool)]
    taken: bool,
}

/// Tries the lock until it is taken (true) or `timeout` has passed (false).
fn take(conn: &mut PgConnection, key: AdvisoryKey, timeout: Duration) -> QueryResult<bool> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(5);
    loop {
        let taken = diesel::sql_query(format!(
            "SELECT pg_try_advisory_lock({}) AS taken",
            key.args()
        ))
        .get_result::<Taken>(conn)?
        .taken;
        if taken {
            return Ok(true);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(false);
        }
        std::thread::sleep(pause.min(left));
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

/// The advisory lock key runners take (`"SOCRATES"` in ASCII, as a bigint).
pub const LOCK_KEY: i64 = 0x534F_4352_4154_4553;

/// Runs `body` while holding the migration lock of the connected database.
///
/// Waits at most `timeout` for the lock; the lock is released afterwards,
/// whether `body` succeeded or not.
pub(crate) fn with_lock<T>(
    conn: &mut PgConnection,
    timeout: Duration,
    body: impl FnOnce(&mut PgConnection) -> Result<T, MigrateError>,
) -> Result<T, MigrateError> {
    let key = AdvisoryKey::Big(LOCK_KEY);
    if !take(conn, key, timeout)? {
        let holder = holder(conn, key).ok().flatten().map(|(pid, _)| pid);
        let database = super::ledger::current_database(conn).unwrap_or_default();
        return Err(MigrateError::LockTimeout {
            database,
            waited: timeout,
            holder_pid: holder,
        });
    }
    // Behind a transaction pooler the session lock stays on whichever server
    // connection took it; a next statement that does not hold it says so.
    if !held_here(conn, key)? {
        let _ = unlock(conn, key);
        return Err(MigrateError::NotASession {
            database: super::ledger::current_database(conn).unwrap_or_default(),
        });
    }
    let result = body(conn);
    let released = unlock(conn, key);
    match (result, released) {
        (Ok(value), Ok(())) => Ok(value),
        (Err(err), _) => Err(err),
        (Ok(_), Err(err)) => Err(err.into()),
    }
}
