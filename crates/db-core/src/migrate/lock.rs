//! The per-database advisory lock that serializes runners.
//!
//! Advisory locks are scoped to the database they are taken in, so one key
//! serves every database: runners on `socrates_auth` never wait for runners on
//! `socrates_specs`. The lock is session-level, not transaction-level, because
//! each migration commits in its own transaction while the lock must span them
//! all; a runner that dies loses its connection and with it the lock.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable};

use super::MigrateError;

/// The advisory lock key runners take (`"SOCRATES"` in ASCII, as a bigint).
pub const LOCK_KEY: i64 = 0x534F_4352_4154_4553;

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = Nullable<Integer>)]
    pid: Option<i32>,
}

/// Runs `body` while holding the migration lock of the connected database.
///
/// Waits at most `timeout` for the lock; the lock is released afterwards,
/// whether `body` succeeded or not.
pub(crate) fn with_lock<T>(
    conn: &mut PgConnection,
    timeout: Duration,
    body: impl FnOnce(&mut PgConnection) -> Result<T, MigrateError>,
) -> Result<T, MigrateError> {
    let millis = timeout.as_millis().clamp(1, i32::MAX as u128);
    diesel::sql_query(format!("SET lock_timeout = {millis}")).execute(conn)?;
    let acquired = diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(LOCK_KEY)
        .execute(conn);
    diesel::sql_query("SET lock_timeout = DEFAULT").execute(conn)?;
    if let Err(err) = acquired {
        let holder = diesel::sql_query(
            "SELECT min(pid) AS pid FROM pg_locks \
             WHERE locktype = 'advisory' AND granted AND objsubid = 1 \
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
               AND classid::bigint = ($1 >> 32) AND objid::bigint = ($1 & 4294967295)",
        )
        .bind::<BigInt, _>(LOCK_KEY)
        .get_result::<Holder>(conn)
        .ok()
        .and_then(|h| h.pid);
        let database = super::ledger::current_database(conn).unwrap_or_default();
        return Err(MigrateError::LockTimeout {
            database,
            waited: timeout,
            holder_pid: holder,
            source: err,
        });
    }
    let result = body(conn);
    let released = diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(LOCK_KEY)
        .execute(conn);
    match (result, released) {
        (Ok(value), Ok(_)) => Ok(value),
        (Err(err), _) => Err(err),
        (Ok(_), Err(err)) => Err(err.into()),
    }
}
