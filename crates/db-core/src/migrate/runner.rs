//! The runner: guards first, then each migration in its own transaction.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_migrations::MigrationHarness;

use super::ledger::{self, DbState};
use super::loss::measure_loss;
use super::{
    ChecksumState, DataLoss, DatabaseStatus, Direction, MigrateError, MigrationSet,
    MigrationStatus, RunReport, SqlMigration, Step, lock, sql,
};

/// What a rollback or redo reverts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollbackTarget {
    /// The last `n` applied migrations.
    Steps(usize),
    /// Every migration applied after this one (it stays applied).
    To(String),
    /// Everything, down to an empty schema.
    All,
}

/// Options of [`Runner::migrate`].
#[derive(Debug, Clone, Default)]
pub struct MigrateOptions {
    /// Report the SQL that would run, without running it.
    pub dry_run: bool,
    /// Stop after this migration (default: apply everything pending).
    pub target: Option<String>,
}

/// Options of [`Runner::rollback`] and [`Runner::redo`].
#[derive(Debug, Clone)]
pub struct RollbackOptions {
    /// What to revert.
    pub target: RollbackTarget,
    /// Revert even SQL that destroys rows.
    pub allow_data_loss: bool,
    /// Report the SQL that would run, without running it.
    pub dry_run: bool,
}

/// Runs one [`MigrationSet`] against databases.
#[derive(Debug, Clone, Copy)]
pub struct Runner {
    set: &'static MigrationSet,
    lock_timeout: Duration,
}

/// How long a runner waits for another runner by default.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(300);

impl Runner {
    /// A runner for `set`.
    pub fn new(set: &'static MigrationSet) -> Self {
        Self {
            set,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
        }
    }

    /// Waits at most `timeout` for the migration lock.
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// The set this runner applies.
    pub fn set(&self) -> &'static MigrationSet {
        self.set
    }

    /// Reads the state of the connected database; writes nothing.
    pub fn status(&self, conn: &mut PgConnection) -> Result<DatabaseStatus, MigrateError> {
        let state = ledger::read_state(conn)?;
        Ok(self.describe(&state))
    }

    fn describe(&self, state: &DbState) -> DatabaseStatus {
        let migrations: Vec<MigrationStatus> = self
            .set
            .migrations
            .iter()
            .map(|m| MigrationStatus {
                version: m.version.to_owned(),
                name: m.name.to_owned(),
                applied: state.applied.contains_key(m.version),
                applied_at: state.applied.get(m.version).copied(),
                checksum: m.checksum_hex(),
                recorded_checksum: state
                    .ledger
                    .get(m.version)
                    .map(|l| hex::encode(&l.checksum)),
                recorded_by: state.ledger.get(m.version).map(|l| l.recorded_by.clone()),
                checksum_state: checksum_state(state, m),
            })
            .collect();
        let count = |s: ChecksumState| migrations.iter().filter(|m| m.checksum_state == s).count();
        DatabaseStatus {
            set: self.set.name,
            database: state.database.clone(),
            marker: state.marker.clone(),
            identity_problem: self.identity_problem(state),
            unknown_applied: self.unknown_applied(state),
            applied: migrations.iter().filter(|m| m.applied).count(),
            pending: count(ChecksumState::Pending),
            modified: count(ChecksumState::Modified),
            migrations,
        }
    }

    fn unknown_applied(&self, state: &DbState) -> Vec<String> {
        state
            .applied
            .keys()
            .filter(|v| self.set.by_version(v).is_none())
            .cloned()
            .collect()
    }

    /// Why this database is not one this set may touch, if it is not.
    fn identity_problem(&self, state: &DbState) -> Option<String> {
        if let Some(marker) = &state.marker
            && marker != self.set.name
        {
            return Some(format!(
                "it is marked as {} {marker} database",
                article(marker)
            ));
        }
        let unknown = self.unknown_applied(state);
        if !unknown.is_empty() {
            return Some(format!(
                "it has applied migrations the {} set does not contain ({}); it belongs to another set or to a newer build",
                self.set.name,
                unknown.join(", ")
            ));
        }
        let ours_applied = state
            .applied
            .keys()
            .filter_map(|v| self.set.by_version(v))
            .any(|m| !m.created_tables().is_empty());
        if state.marker.is_none() && !ours_applied {
            // Not ours yet: the database must hold nothing but what the applied
            // part of this set (at most Diesel's initial setup) created. A
            // table whose name collides with ours is someone else's table.
            let allowed: BTreeSet<String> = state
                .applied
                .keys()
                .filter_map(|v| self.set.by_version(v))
                .flat_map(|m| sql::created_functions(m.up))
                .map(|f| format!("function {f}"))
                .collect();
            let foreign: Vec<&str> = state.tables.iter().map(String::as_str).collect();
            let others: Vec<&str> = state
                .objects
                .iter()
                .filter(|o| !allowed.contains(*o))
                .map(String::as_str)
                .collect();
            let listed = |names: &[&str]| {
                let mut shown = names
                    .iter()
                    .take(10)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                if names.len() > 10 {
                    shown.push_str(&format!(" and {} more", names.len() - 10));
                }
                shown
            };
            let mut parts = Vec::new();
            if !foreign.is_empty() {
                parts.push(format!(
                    "it already holds tables the {} set does not create ({})",
                    self.set.name,
                    listed(&foreign)
                ));
            }
            if !others.is_empty() {
                parts.push(format!(
                    "it already holds objects the {} set does not create ({})",
                    self.set.name,
                    listed(&others)
                ));
            }
            if !parts.is_empty() {
                return Some(format!(
                    "{}; it is not marked as a Socrates database, so it belongs to something else",
                    parts.join("; ")
                ));
            }
        }
        None
    }

    fn check_identity(&self, state: &DbState) -> Result<(), MigrateError> {
        match self.identity_problem(state) {
            Some(reason) => Err(MigrateError::WrongDatabase {
                set: self.set.name,
                database: state.database.clone(),
                reason,
            }),
            None => Ok(()),
        }
    }

    fn check_checksums(&self, state: &DbState) -> Result<(), MigrateError> {
        let modified: Vec<String> = self
            .set
            .migrations
            .iter()
            .filter(|m| checksum_state(state, m) == ChecksumState::Modified)
            .map(|m| {
                let recorded = state
                    .ledger
                    .get(m.version)
                    .map(|l| hex::encode(&l.checksum))
                    .unwrap_or_default();
                format!(
                    "{} (recorded {}, now {})",
                    m.name,
                    short(&recorded),
                    short(&m.checksum_hex())
                )
            })
            .collect();
        if modified.is_empty() {
            Ok(())
        } else {
            Err(MigrateError::ChecksumMismatch {
                database: state.database.clone(),
                migrations: modified,
            })
        }
    }

    /// Reads state and runs both guards: what every write path starts with.
    fn guarded_state(&self, conn: &mut PgConnection) -> Result<DbState, MigrateError> {
        let state = ledger::read_state(conn)?;
        self.check_identity(&state)?;
        self.check_checksums(&state)?;
        Ok(state)
    }

    /// Records migrations applied by other tools (creating the bookkeeping
    /// tables if need be), in one transaction; writes nothing when there is
    /// nothing to record.
    fn prepare(
        &self,
        conn: &mut PgConnection,
        state: &DbState,
    ) -> Result<Vec<String>, MigrateError> {
        let unrecorded: Vec<&'static SqlMigration> = self
            .set
            .migrations
            .iter()
            .filter(|m| checksum_state(state, m) == ChecksumState::Unrecorded)
            .collect();
        let stale = state.ledger.keys().any(|v| !state.applied.contains_key(v));
        let ours_applied = state
            .applied
            .keys()
            .any(|v| self.set.by_version(v).is_some());
        let unmarked = state.marker.is_none() && ours_applied;
        if unrecorded.is_empty() && !stale && !unmarked {
            return Ok(Vec::new());
        }
        conn.transaction::<_, MigrateError, _>(|conn| {
            ledger::ensure_tables(conn)?;
            ledger::forget_unapplied(conn)?;
            for m in &unrecorded {
                ledger::record(conn, self.set.name, m, ledger::BY_ADOPTION)?;
            }
            if ours_applied {
                ledger::mark(conn, self.set.name)?;
            }
            Ok(())
        })?;
        Ok(unrecorded.iter().map(|m| m.name.to_owned()).collect())
    }

    fn pending<'s>(&self, state: &'s DbState) -> impl Iterator<Item = &'static SqlMigration> + 's {
        self.set
            .migrations
            .iter()
            .filter(move |m| !state.applied.contains_key(m.version))
    }

    /// Applies pending migrations (up to `options.target`), each in its own transaction.
    pub fn migrate(
        &self,
        conn: &mut PgConnection,
        options: &MigrateOptions,
    ) -> Result<RunReport, MigrateError> {
        let limit = match &options.target {
            Some(key) => Some(self.find(key)?.version),
            None => None,
        };
        let within = move |m: &&SqlMigration| limit.is_none_or(|l| m.version <= l);
        if options.dry_run {
            let state = self.guarded_state(conn)?;
            let steps = self
                .pending(&state)
                .filter(within)
                .map(|m| planned(m, Direction::Up))
                .collect();
            return Ok(self.report(&state, true, steps, Vec::new(), Vec::new()));
        }
        lock::with_lock(conn, self.lock_timeout, |conn| {
            let state = self.guarded_state(conn)?;
            let pending: Vec<&'static SqlMigration> = self.pending(&state).filter(within).collect();
            if state.applied.is_empty() {
                // A database that holds nothing of ours yet gets everything, and
                // its bookkeeping, in one transaction: a migration that fails (or
                // a runner killed half-way) leaves it exactly as it was. Only a
                // migration that must run outside a transaction ends that
                // transaction: it, and what follows, run one by one after it.
                let atomic = pending
                    .iter()
                    .position(|m| !m.run_in_transaction)
                    .unwrap_or(pending.len());
                let (together, after) = pending.split_at(atomic);
                let mut steps = if pending.is_empty() {
                    Vec::new()
                } else {
                    conn.transaction::<_, MigrateError, _>(|conn| {
                        ledger::ensure_tables(conn)?;
                        together.iter().map(|m| self.run_up(conn, m)).collect()
                    })?
                };
                for m in after {
                    steps.push(self.apply(conn, m)?);
                }
                return Ok(self.report(&state, false, steps, Vec::new(), Vec::new()));
            }
            let adopted = self.prepare(conn, &state)?;
            let mut steps = Vec::new();
            for m in pending {
                steps.push(self.apply(conn, m)?);
            }
            Ok(self.report(&state, false, steps, adopted, Vec::new()))
        })
    }

    /// Reverts applied migrations, newest first, refusing to destroy rows unless allowed.
    pub fn rollback(
        &self,
        conn: &mut PgConnection,
        options: &RollbackOptions,
    ) -> Result<RunReport, MigrateError> {
        self.revert_then(conn, options, false)
    }

    /// Reverts then re-applies migrations (default: the last one), under the same guards.
    pub fn redo(
        &self,
        conn: &mut PgConnection,
        options: &RollbackOptions,
    ) -> Result<RunReport, MigrateError> {
        self.revert_then(conn, options, true)
    }

    fn revert_then(
        &self,
        conn: &mut PgConnection,
        options: &RollbackOptions,
        reapply: bool,
    ) -> Result<RunReport, MigrateError> {
        let plan = |conn: &mut PgConnection| -> Result<
            (DbState, Vec<&'static SqlMigration>, Vec<DataLoss>),
            MigrateError,
        > {
            let state = self.guarded_state(conn)?;
            let targets = self.rollback_targets(&state, &options.target)?;
            let mut losses = Vec::new();
            for m in &targets {
                losses.extend(measure_loss(conn, m, false)?);
            }
            Ok((state, targets, losses))
        };
        if options.dry_run {
            let (state, targets, losses) = plan(conn)?;
            let mut steps: Vec<Step> = targets
                .iter()
                .map(|m| planned(m, Direction::Down))
                .collect();
            if reapply {
                steps.extend(targets.iter().rev().map(|m| planned(m, Direction::Up)));
            }
            return Ok(self.report(&state, true, steps, Vec::new(), losses));
        }
        lock::with_lock(conn, self.lock_timeout, |conn| {
            let (state, targets, losses) = plan(conn)?;
            if !losses.is_empty() && !options.allow_data_loss {
                return Err(MigrateError::DataLoss {
                    database: state.database.clone(),
                    losses,
                });
            }
            if targets.is_empty() {
                // Nothing to revert: nothing is written, not even bookkeeping.
                return Ok(self.report(&state, false, Vec::new(), Vec::new(), losses));
            }
            let adopted = self.prepare(conn, &state)?;
            let mut steps = Vec::new();
            for m in &targets {
                steps.push(self.revert(conn, m, options.allow_data_loss, &state.database)?);
            }
            if reapply {
                for m in targets.iter().rev() {
                    steps.push(self.apply(conn, m)?);
                }
            }
            Ok(self.report(&state, false, steps, adopted, losses))
        })
    }

    /// Accepts the current SQL of edited migrations (all of them, or those named).
    ///
    /// Returns the names of the migrations whose recorded checksum changed.
    pub fn acknowledge(
        &self,
        conn: &mut PgConnection,
        only: &[String],
    ) -> Result<Vec<String>, MigrateError> {
        let wanted: Vec<&'static SqlMigration> = only
            .iter()
            .map(|k| self.find(k))
            .collect::<Result<_, _>>()?;
        lock::with_lock(conn, self.lock_timeout, |conn| {
            let state = ledger::read_state(conn)?;
            self.check_identity(&state)?;
            let mut done = Vec::new();
            conn.transaction::<_, MigrateError, _>(|conn| {
                for m in self.set.migrations {
                    let chosen = wanted.is_empty() || wanted.iter().any(|w| w.version == m.version);
                    if chosen && checksum_state(&state, m) == ChecksumState::Modified {
                        ledger::record(conn, self.set.name, m, ledger::BY_ACKNOWLEDGEMENT)?;
                        done.push(m.name.to_owned());
                    }
                }
                Ok(())
            })?;
            Ok(done)
        })
    }

    fn find(&self, key: &str) -> Result<&'static SqlMigration, MigrateError> {
        self.set
            .find(key)
            .ok_or_else(|| MigrateError::UnknownMigration {
                set: self.set.name,
                key: key.to_owned(),
            })
    }

    fn rollback_targets(
        &self,
        state: &DbState,
        target: &RollbackTarget,
    ) -> Result<Vec<&'static SqlMigration>, MigrateError> {
        let mut applied: Vec<&'static SqlMigration> = self
            .set
            .migrations
            .iter()
            .filter(|m| state.applied.contains_key(m.version))
            .collect();
        applied.reverse();
        Ok(match target {
            RollbackTarget::Steps(n) => applied.into_iter().take(*n).collect(),
            RollbackTarget::All => applied,
            RollbackTarget::To(key) => {
                let keep = self.find(key)?;
                if !state.applied.contains_key(keep.version) {
                    return Err(MigrateError::NotApplied {
                        database: state.database.clone(),
                        name: keep.name.to_owned(),
                    });
                }
                applied
                    .into_iter()
                    .filter(|m| m.version > keep.version)
                    .collect()
            }
        })
    }

    /// The span of applying or reverting one migration.
    fn span(&self, m: &SqlMigration, direction: Direction) -> tracing::Span {
        tracing::info_span!(
            "migration",
            set = self.set.name,
            version = m.version,
            name = m.name,
            direction = ?direction
        )
    }

    /// Applies one migration: `up.sql` and its bookkeeping in one transaction,
    /// or, for a migration that runs outside a transaction, `up.sql` on its own
    /// (Diesel records its version with it) and then the ledger.
    fn apply(
        &self,
        conn: &mut PgConnection,
        m: &'static SqlMigration,
    ) -> Result<Step, MigrateError> {
        let _span = self.span(m, Direction::Up).entered();
        if m.run_in_transaction {
            return conn.transaction::<_, MigrateError, _>(|conn| self.run_up(conn, m));
        }
        let started = Instant::now();
        Self::run_sql(conn, m, Direction::Up)?;
        conn.transaction::<_, MigrateError, _>(|conn| self.record_up(conn, m))?;
        Ok(ran(m, Direction::Up, started))
    }

    /// Runs `up.sql` with its bookkeeping, inside the caller's transaction.
    fn run_up(
        &self,
        conn: &mut PgConnection,
        m: &'static SqlMigration,
    ) -> Result<Step, MigrateError> {
        let started = Instant::now();
        Self::run_sql(conn, m, Direction::Up)?;
        self.record_up(conn, m)?;
        Ok(ran(m, Direction::Up, started))
    }

    /// Runs one direction of a migration through Diesel's harness, which also
    /// writes (or deletes) its version in `__diesel_schema_migrations`.
    fn run_sql(
        conn: &mut PgConnection,
        m: &'static SqlMigration,
        direction: Direction,
    ) -> Result<(), MigrateError> {
        let ran = match direction {
            Direction::Up => conn.run_migration(m).map(drop),
            Direction::Down => conn.revert_migration(m).map(drop),
        };
        ran.map_err(|source| MigrateError::Failed {
            name: m.name.to_owned(),
            direction,
            source,
        })
    }

    /// The runner's bookkeeping of an applied migration.
    fn record_up(
        &self,
        conn: &mut PgConnection,
        m: &'static SqlMigration,
    ) -> Result<(), MigrateError> {
        ledger::record(conn, self.set.name, m, ledger::BY_RUNNER)?;
        ledger::mark(conn, self.set.name)?;
        Ok(())
    }

    fn revert(
        &self,
        conn: &mut PgConnection,
        m: &'static SqlMigration,
        allow_data_loss: bool,
        database: &str,
    ) -> Result<Step, MigrateError> {
        let _span = self.span(m, Direction::Down).entered();
        let started = Instant::now();
        // Re-measure under ACCESS EXCLUSIVE locks: rows written since the plan
        // was made are counted, and none can be written before the DROP.
        let guard = |conn: &mut PgConnection| -> Result<(), MigrateError> {
            let losses = measure_loss(conn, m, true)?;
            if !losses.is_empty() && !allow_data_loss {
                return Err(MigrateError::DataLoss {
                    database: database.to_owned(),
                    losses,
                });
            }
            Ok(())
        };
        if m.run_in_transaction {
            conn.transaction::<_, MigrateError, _>(|conn| {
                guard(conn)?;
                Self::run_sql(conn, m, Direction::Down)?;
                Ok(ledger::forget(conn, m.version)?)
            })?;
        } else {
            // `down.sql` must run on its own (`DROP INDEX CONCURRENTLY`): the
            // guard measures in a transaction of its own first, the ledger
            // forgets the migration once it is reverted.
            conn.transaction::<_, MigrateError, _>(guard)?;
            Self::run_sql(conn, m, Direction::Down)?;
            conn.transaction::<_, MigrateError, _>(|conn| Ok(ledger::forget(conn, m.version)?))?;
        }
        Ok(ran(m, Direction::Down, started))
    }

    fn report(
        &self,
        state: &DbState,
        dry_run: bool,
        steps: Vec<Step>,
        adopted: Vec<String>,
        data_loss: Vec<DataLoss>,
    ) -> RunReport {
        RunReport {
            set: self.set.name,
            database: state.database.clone(),
            dry_run,
            steps,
            adopted,
            data_loss,
        }
    }
}

/// `a` or `an`, for a set name.
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn short(hex: &str) -> &str {
    &hex[..hex.len().min(12)]
}

fn checksum_state(state: &DbState, m: &SqlMigration) -> ChecksumState {
    let Some(run_on) = state.applied.get(m.version) else {
        return ChecksumState::Pending;
    };
    match state.ledger.get(m.version) {
        // Re-applied by another tool since it was recorded: the record is stale.
        Some(row) if row.diesel_run_on.is_some_and(|r| r != *run_on) => ChecksumState::Unrecorded,
        Some(row) if row.checksum == m.checksum() => ChecksumState::Verified,
        Some(_) => ChecksumState::Modified,
        None => ChecksumState::Unrecorded,
    }
}

fn planned(m: &SqlMigration, direction: Direction) -> Step {
    Step {
        version: m.version.to_owned(),
        name: m.name.to_owned(),
        direction,
        sql: Some(
            match direction {
                Direction::Up => m.up,
                Direction::Down => m.down,
            }
            .to_owned(),
        ),
        millis: None,
    }
}

fn ran(m: &SqlMigration, direction: Direction, started: Instant) -> Step {
    Step {
        version: m.version.to_owned(),
        name: m.name.to_owned(),
        direction,
        sql: None,
        millis: Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)),
    }
}
