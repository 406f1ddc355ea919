//! Reads that tolerate lag, served by streaming replicas when they are close
//! enough behind their primary.
//!
//! A [`Replicated`] pool holds the primary's pool and one pool per replica.
//! [`Replicated::primary`] is for writes and for every read that decides a
//! write (a cross-database reference check, an access decision before a
//! write, the outbox); [`Replicated::read`] is for reads that may see the
//! past: a replica whose replay is at most `max_lag` behind, else the primary.
//!
//! Lag is measured, not assumed ([`lag`]): the primary's current WAL position
//! against the replica's `pg_last_wal_replay_lsn()`. A replica that has
//! replayed that position is not behind at all; one that has not is behind by
//! at most the age of the last transaction it replayed
//! (`pg_last_xact_replay_timestamp()`), an upper bound, so a replica is never
//! taken to be fresher than it is. A pool measures each replica at most once
//! per `recheck` interval, so what it hands out is at most
//! `max_lag + recheck` old.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use crate::DbUrl;
use crate::pool::{PgPool, PgPooled, build_pool};

/// How far a replica is behind its primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lag {
    /// WAL bytes the primary has written that the replica has not replayed.
    pub bytes: i64,
    /// At most this old: zero when nothing is left to replay, else the age of
    /// the last transaction replayed.
    pub behind: Duration,
}

#[derive(QueryableByName)]
struct PrimaryLsn {
    #[diesel(sql_type = Text)]
    lsn: String,
}

#[derive(QueryableByName)]
struct ReplicaState {
    #[diesel(sql_type = Bool)]
    in_recovery: bool,
    #[diesel(sql_type = Nullable<BigInt>)]
    bytes: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    behind_ms: Option<i64>,
}

/// Why a replica was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// It is further behind than allowed.
    Behind(Lag),
    /// It is not in recovery: not a replica (or promoted since).
    NotAReplica,
    /// It could not be reached or measured.
    Unreachable(String),
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Behind(lag) => write!(
                f,
                "up to {} ms behind ({} bytes of WAL to replay)",
                lag.behind.as_millis(),
                lag.bytes
            ),
            Self::NotAReplica => f.write_str("not in recovery, so not a replica"),
            Self::Unreachable(why) => write!(f, "unreachable: {why}"),
        }
    }
}

/// Measures how far `replica` is behind `primary`.
///
/// `Ok(None)`: the server behind `replica` is not in recovery, so not a replica.
pub fn lag(primary: &mut PgConnection, replica: &mut PgConnection) -> QueryResult<Option<Lag>> {
    let at = diesel::sql_query("SELECT pg_current_wal_lsn()::text AS lsn")
        .get_result::<PrimaryLsn>(primary)?
        .lsn;
    let state = diesel::sql_query(
        "SELECT pg_is_in_recovery() AS in_recovery, \
                pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::bigint AS bytes, \
                CASE WHEN pg_last_wal_replay_lsn() >= $1::pg_lsn THEN 0 \
                     ELSE (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::bigint \
                END AS behind_ms",
    )
    .bind::<Text, _>(&at)
    .get_result::<ReplicaState>(replica)?;
    if !state.in_recovery {
        return Ok(None);
    }
    let bytes = state.bytes.unwrap_or(i64::MAX).max(0);
    // No replay timestamp yet (nothing replayed since start): unknown, so as
    // far behind as can be.
    let behind = state.behind_ms.map_or(Duration::MAX, |ms| {
        Duration::from_millis(ms.max(0).unsigned_abs())
    });
    Ok(Some(Lag { bytes, behind }))
}

/// Why [`wait_caught_up`] could not wait.
#[derive(Debug, thiserror::Error)]
pub enum CatchUpError {
    /// The server at the URL is not in recovery.
    #[error("{0} is not a replica (not in recovery)")]
    NotAReplica(String),
    /// Measuring failed on the primary.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Waits until the replica at `replica` is not behind `primary` at all,
/// connecting again until it can (a database just created on the primary
/// reaches the replica a moment later). `Ok(false)`: not within `timeout`.
pub fn wait_caught_up(
    primary: &mut PgConnection,
    replica: &DbUrl,
    timeout: Duration,
) -> Result<bool, CatchUpError> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(mut conn) = crate::pooler::connect(replica) {
            match lag(primary, &mut conn)? {
                None => return Err(CatchUpError::NotAReplica(replica.redacted())),
                Some(lag) if lag.bytes == 0 => return Ok(true),
                Some(_) => {}
            }
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Where a read was served from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    /// The primary (no replica close enough, or none configured).
    Primary,
    /// The replica of this index, as [`Replicated::new`] was given them.
    Replica(usize),
}

/// A connection for a read that tolerates lag.
pub struct Read {
    /// The connection.
    pub conn: PgPooled,
    /// Where it leads.
    pub from: ReadFrom,
}

struct Replica {
    url: DbUrl,
    pool: PgPool,
    /// When it was last measured, and whether it was usable then.
    checked: Mutex<Option<(Instant, Result<Lag, Skipped>)>>,
}

/// A primary and its read replicas; see the module documentation.
pub struct Replicated {
    primary: PgPool,
    replicas: Vec<Replica>,
    max_lag: Duration,
    recheck: Duration,
}

impl std::fmt::Debug for Replicated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replicated")
            .field(
                "replicas",
                &self
                    .replicas
                    .iter()
                    .map(|r| r.url.redacted())
                    .collect::<Vec<_>>(),
            )
            .field("max_lag", &self.max_lag)
            .finish_non_exhaustive()
    }
}

impl Replicated {
    /// Pools of at most `max_size` connections each to `primary` and every
    /// replica; a replica is read only while at most `max_lag` behind.
    pub fn new(primary: &DbUrl, replicas: &[DbUrl], max_size: u32, max_lag: Duration) -> Self {
        Self {
            primary: build_pool(primary, max_size),
            replicas: replicas
                .iter()
                .map(|url| Replica {
                    url: url.clone(),
                    pool: build_pool(url, max_size),
                    checked: Mutex::new(None),
                })
                .collect(),
            max_lag,
            recheck: Duration::from_millis(100),
        }
    }

    /// Measures each replica at most once per `every` (default 100 ms).
    #[must_use]
    pub fn recheck_every(mut self, every: Duration) -> Self {
        self.recheck = every;
        self
    }

    /// A connection to the primary: for writes, and for every read that
    /// decides a write.
    pub fn primary(&self) -> Result<PgPooled, r2d2::Error> {
        self.primary.get()
    }

    /// A connection for a read that tolerates lag: the first replica at most
    /// `max_lag` behind, else the primary.
    pub fn read(&self) -> Result<Read, r2d2::Error> {
        for (index, replica) in self.replicas.iter().enumerate() {
            if self.usable(replica).is_ok()
                && let Ok(conn) = replica.pool.get()
            {
                return Ok(Read {
                    conn,
                    from: ReadFrom::Replica(index),
                });
            }
        }
        Ok(Read {
            conn: self.primary.get()?,
            from: ReadFrom::Primary,
        })
    }

    /// Each replica's URL (redacted) and its state as [`Self::read`] sees
    /// it (the same measurement, at most one per recheck interval): its lag,
    /// or why it is skipped.
    pub fn status(&self) -> Vec<(String, Result<Lag, Skipped>)> {
        self.replicas
            .iter()
            .map(|r| (r.url.redacted(), self.usable(r)))
            .collect()
    }

    fn usable(&self, replica: &Replica) -> Result<Lag, Skipped> {
        let mut checked = replica
            .checked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((at, result)) = &*checked
            && at.elapsed() < self.recheck
        {
            return result.clone();
        }
        let result = self.measure(replica);
        *checked = Some((Instant::now(), result.clone()));
        result
    }

    fn measure(&self, replica: &Replica) -> Result<Lag, Skipped> {
        let unreachable = |e: &dyn std::fmt::Display| Skipped::Unreachable(e.to_string());
        let mut primary = self.primary.get().map_err(|e| unreachable(&e))?;
        let mut conn = replica.pool.get().map_err(|e| unreachable(&e))?;
        match lag(&mut primary, &mut conn) {
            Ok(Some(lag)) if lag.behind <= self.max_lag => Ok(lag),
            Ok(Some(lag)) => Err(Skipped::Behind(lag)),
            Ok(None) => Err(Skipped::NotAReplica),
            Err(e) => Err(unreachable(&e)),
        }
    }
}
