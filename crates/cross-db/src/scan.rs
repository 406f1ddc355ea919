//! The orphan scan: every registered column, checked against auth.
//!
//! For each column, distinct ids are read from specs in keyset batches (with how
//! many rows hold each; an index leads with every registered column, so this is
//! an index-only walk), and each batch is sent to auth as one array, where an
//! anti-join returns only the ids that are missing. Missing ids in `cascade` and
//! `set_null` columns are orphans; with `repair` they are enqueued in the
//! outbox (existing entries go back to pending) so the drain applies the
//! policies. Missing ids in `keep` columns are tombstones, kept by design.

use std::collections::BTreeSet;
use std::time::Instant;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use serde::Serialize;
use uuid::Uuid;

use crate::XdbError;
use crate::outbox::{enqueue_again, pending};
use crate::registry::{CrossRef, Policy, REFERENCES, Target};

/// Options of [`scan`].
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Distinct ids per batch.
    pub batch_size: i64,
    /// Missing ids listed per column in the report.
    pub samples: usize,
    /// Enqueue orphaned ids for the drain.
    pub repair: bool,
    /// With `repair`, how long to wait for another repairing scan to finish
    /// (repairs never overlap: see [`db_core::work_lock`]).
    pub lock_timeout: std::time::Duration,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            batch_size: 20_000,
            samples: 5,
            repair: false,
            lock_timeout: db_core::migrate::DEFAULT_LOCK_TIMEOUT,
        }
    }
}

/// The scan of one column.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnReport {
    /// Specs table.
    pub table: &'static str,
    /// Column.
    pub column: &'static str,
    /// Auth table referred to.
    pub target: Target,
    /// Its deletion policy.
    pub policy: Policy,
    /// Rows with a non-NULL id.
    pub references: i64,
    /// Distinct ids.
    pub distinct_ids: i64,
    /// Distinct ids missing from auth.
    pub missing_ids: i64,
    /// Rows holding a missing id.
    pub missing_rows: i64,
    /// Some of the missing ids.
    pub samples: Vec<Uuid>,
}

impl ColumnReport {
    /// Missing ids are orphans here (as opposed to tombstones kept by policy).
    pub fn is_orphaned(&self) -> bool {
        self.missing_ids > 0 && self.policy != Policy::Keep
    }
}

/// The scan of every registered column.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    /// Per column, in registry order.
    pub columns: Vec<ColumnReport>,
    /// Rows checked, over all columns.
    pub references: i64,
    /// Distinct orphaned ids (cascade and set_null columns), per target.
    pub orphan_users: usize,
    /// Distinct orphaned team ids.
    pub orphan_teams: usize,
    /// Rows holding an orphaned id.
    pub orphan_rows: i64,
    /// Rows holding a missing id in a keep column.
    pub tombstone_rows: i64,
    /// Outbox entries written or reset by `repair`.
    pub enqueued: usize,
    /// Orphaned ids that already have a pending outbox entry (a deletion queued
    /// and not yet drained); after `repair`, every orphaned id.
    pub queued: usize,
    /// Wall time.
    pub millis: u64,
}

impl ScanReport {
    /// Whether any cascade or set_null column refers to a missing row.
    pub fn has_orphans(&self) -> bool {
        self.orphan_users + self.orphan_teams > 0
    }
}

#[derive(QueryableByName)]
struct IdCount {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Missing {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// The next batch of distinct ids after `after`, with their row counts.
fn next_batch(
    specs: &mut PgConnection,
    r: &CrossRef,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<IdCount>> {
    let (table, column) = (r.table, r.column);
    match after {
        None => diesel::sql_query(format!(
            "SELECT {column} AS id, count(*) AS n FROM {table} WHERE {column} IS NOT NULL \
             GROUP BY {column} ORDER BY {column} LIMIT $1"
        ))
        .bind::<BigInt, _>(limit)
        .load(specs),
        Some(after) => diesel::sql_query(format!(
            "SELECT {column} AS id, count(*) AS n FROM {table} WHERE {column} > $1 \
             GROUP BY {column} ORDER BY {column} LIMIT $2"
        ))
        .bind::<SqlUuid, _>(after)
        .bind::<BigInt, _>(limit)
        .load(specs),
    }
}

/// The ids of `ids` that `target` does not contain.
#[tracing::instrument(level = "debug", skip_all)]
pub fn missing_in_auth(
    auth: &mut PgConnection,
    target: Target,
    ids: &[Uuid],
) -> QueryResult<Vec<Uuid>> {
    diesel::sql_query(format!(
        "SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM {} t WHERE t.id = x.id)",
        target.table()
    ))
    .bind::<Array<SqlUuid>, _>(ids)
    .load::<Missing>(auth)
    .map(|rows| rows.into_iter().map(|m| m.id).collect())
}

fn scan_column(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    r: &'static CrossRef,
    options: &ScanOptions,
    orphans: &mut BTreeSet<Uuid>,
) -> QueryResult<ColumnReport> {
    let mut report = ColumnReport {
        table: r.table,
        column: r.column,
        target: r.target,
        policy: r.policy,
        references: 0,
        distinct_ids: 0,
        missing_ids: 0,
        missing_rows: 0,
        samples: Vec::new(),
    };
    let mut cursor = None;
    loop {
        let batch = next_batch(specs, r, cursor, options.batch_size.max(1))?;
        let Some(last) = batch.last() else { break };
        cursor = Some(last.id);
        let ids: Vec<Uuid> = batch.iter().map(|b| b.id).collect();
        report.references += batch.iter().map(|b| b.n).sum::<i64>();
        report.distinct_ids += i64::try_from(ids.len()).unwrap_or(i64::MAX);
        let missing: BTreeSet<Uuid> = missing_in_auth(auth, r.target, &ids)?.into_iter().collect();
        if missing.is_empty() {
            continue;
        }
        report.missing_ids += i64::try_from(missing.len()).unwrap_or(i64::MAX);
        report.missing_rows += batch
            .iter()
            .filter(|b| missing.contains(&b.id))
            .map(|b| b.n)
            .sum::<i64>();
        let room = options.samples.saturating_sub(report.samples.len());
        report.samples.extend(missing.iter().take(room));
        if r.policy != Policy::Keep {
            orphans.extend(missing);
        }
    }
    Ok(report)
}

/// The work lock a repairing scan holds in auth.
pub const REPAIR_WORK: &str = "check-refs:repair";

/// Scans every registered column; with `options.repair`, enqueues the orphans.
///
/// A repair enqueues in one transaction of auth that holds the
/// [`REPAIR_WORK`] lock and first checks each orphan again there, so repairs
/// started at once enqueue one after the other (entries are unique per
/// subject, so the outbox ends as after one repair), and the scan itself holds
/// no session state (it works behind a transaction pooler).
#[tracing::instrument(level = "debug", skip_all)]
pub fn scan(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: &ScanOptions,
) -> Result<ScanReport, XdbError> {
    scan_all(auth, specs, None, options)
}

/// [`scan`], reading both databases through `replicas` (auth's, specs') —
/// connections to read replicas, or any that may lag behind the primaries.
///
/// The scan tolerates lag: a reference written after the replica's snapshot
/// is simply not seen, and a user the auth replica has not yet received
/// could look orphaned, so a repair never trusts it: each orphan is checked
/// again on `auth`, the primary, in the transaction that enqueues it.
#[tracing::instrument(level = "debug", skip_all)]
pub fn scan_with_replicas(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    replicas: (&mut PgConnection, &mut PgConnection),
    options: &ScanOptions,
) -> Result<ScanReport, XdbError> {
    scan_all(auth, specs, Some(replicas), options)
}

fn scan_all(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    replicas: Option<(&mut PgConnection, &mut PgConnection)>,
    options: &ScanOptions,
) -> Result<ScanReport, XdbError> {
    let started = Instant::now();
    let mut orphan_users = BTreeSet::new();
    let mut orphan_teams = BTreeSet::new();
    let mut columns = Vec::new();
    let (read_auth, read_specs) = match replicas {
        Some((a, s)) => (a, s),
        None => (&mut *auth, specs),
    };
    for r in REFERENCES {
        let found = match r.target {
            Target::Users => &mut orphan_users,
            Target::Teams => &mut orphan_teams,
        };
        columns.push(scan_column(read_auth, read_specs, r, options, found)?);
    }
    let orphans: [(Target, Vec<Uuid>); 2] = [
        (Target::Users, orphan_users.iter().copied().collect()),
        (Target::Teams, orphan_teams.iter().copied().collect()),
    ];
    let mut enqueued = 0;
    let queued = if options.repair {
        auth.transaction::<_, XdbError, _>(|auth| {
            db_core::work_lock::acquire_xact(auth, REPAIR_WORK, options.lock_timeout)?;
            for (target, ids) in &orphans {
                for chunk in ids.chunks(5_000) {
                    // Decided on the primary, whatever the scan read.
                    let gone = missing_in_auth(auth, *target, chunk)?;
                    enqueued += enqueue_again(auth, target.outbox_kind(), &gone)?;
                }
            }
            Ok(())
        })?;
        orphan_users.len() + orphan_teams.len()
    } else {
        let mut queued = 0;
        for (target, ids) in &orphans {
            queued += pending(auth, target.outbox_kind(), ids)?.len();
        }
        queued
    };
    let sum = |f: fn(&ColumnReport) -> i64| columns.iter().map(f).sum::<i64>();
    let orphan_rows = columns
        .iter()
        .filter(|c| c.policy != Policy::Keep)
        .map(|c| c.missing_rows)
        .sum();
    let tombstone_rows = columns
        .iter()
        .filter(|c| c.policy == Policy::Keep)
        .map(|c| c.missing_rows)
        .sum();
    Ok(ScanReport {
        references: sum(|c| c.references),
        orphan_users: orphan_users.len(),
        orphan_teams: orphan_teams.len(),
        orphan_rows,
        tombstone_rows,
        enqueued,
        queued,
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        columns,
    })
}
