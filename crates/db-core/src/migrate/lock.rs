//! The per-database advisory lock that serializes runners.
//!
//! Advisory locks are scoped to the database they are taken in, so one key
//! serves every database: runners on `socrates_auth` never wait for runners on
//! `socrates_specs`. The lock is session-level, not transaction-level, because
//! each migration commits in its own transaction while the lock must span them
//! all; a runner that dies loses its connection and with it the lock.

use std::time::Duration;

use diesel::prelude::*;

use super::MigrateError;
use crate::work_lock::{AdvisoryKey, NotTaken, holder, lock, unlock};

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
    match lock(conn, key, timeout) {
        Ok(()) => {}
        Err(NotTaken::Lock(err)) => {
            let holder = holder(conn, key).ok().flatten().map(|(pid, _)| pid);
            let database = super::ledger::current_database(conn).unwrap_or_default();
            return Err(MigrateError::LockTimeout {
                database,
                waited: timeout,
                holder_pid: holder,
                source: err,
            });
        }
        Err(NotTaken::NotASession) => {
            return Err(MigrateError::NotASession {
                database: super::ledger::current_database(conn).unwrap_or_default(),
            });
        }
        Err(NotTaken::Check(err)) => return Err(err.into()),
    }
    let result = body(conn);
    let released = unlock(conn, key);
    match (result, released) {
        (Ok(value), Ok(())) => Ok(value),
        (Err(err), _) => Err(err),
        (Ok(_), Err(err)) => Err(err.into()),
    }
}
