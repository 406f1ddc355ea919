//! Deletion across databases, through `cross_db_outbox` (SCHEMA.md 5.3).
//!
//! 1. [`delete_user`] / [`delete_team`]: one auth transaction deletes the row and
//!    writes its outbox entry; they commit together or not at all.
//! 2. [`drain`]: claims pending entries (`FOR UPDATE SKIP LOCKED`, so drains run
//!    side by side), applies every registered column's policy in one specs
//!    transaction per entry, then marks the entry processed. A crash between the
//!    specs commit and the acknowledgement only repeats idempotent statements.

use std::collections::HashSet;

use auth_db::enums::{OutboxKind, TeamRole};
use auth_db::ids::{AuditLogId, OutboxEntryId};
use auth_db::models::{NewAuditLog, NewOutboxEntry};
use auth_db::schema::{audit_logs, cross_db_outbox, team_members, teams, users};
use db_core::{DbError, TeamId, UserId};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::XdbError;
use crate::registry::{Policy, Target, references_to};

/// What to do with the teams a deleted user owns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OwnedTeams {
    /// Pass each team to its most senior active member; delete it if it has none.
    #[default]
    TransferOrDelete,
    /// Delete every team the user owns.
    Delete,
}

/// What a user deletion did in auth.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UserDeletion {
    /// The deleted user.
    pub user: Option<UserId>,
    /// Teams deleted with the user (each has its own outbox entry).
    pub teams_deleted: Vec<TeamId>,
    /// Teams handed to another member: (team, new owner).
    pub teams_transferred: Vec<(TeamId, UserId)>,
}

/// Writes an outbox entry in the caller's auth transaction; an existing entry is kept.
#[tracing::instrument(level = "debug", skip_all, fields(subject = %subject))]
pub fn enqueue(auth: &mut PgConnection, kind: OutboxKind, subject: Uuid) -> QueryResult<()> {
    diesel::insert_into(cross_db_outbox::table)
        .values(NewOutboxEntry::new(OutboxEntryId::new(), kind, subject))
        .on_conflict_do_nothing()
        .execute(auth)
        .map(drop)
}

/// The `subjects` of `kind` whose outbox entry is still pending (queued, not yet applied).
#[tracing::instrument(level = "debug", skip_all)]
pub fn pending(
    auth: &mut PgConnection,
    kind: OutboxKind,
    subjects: &[Uuid],
) -> QueryResult<Vec<Uuid>> {
    let mut found = Vec::new();
    for chunk in subjects.chunks(5_000) {
        found.extend(
            cross_db_outbox::table
                .filter(cross_db_outbox::kind.eq(kind))
                .filter(cross_db_outbox::subject_id.eq_any(chunk))
                .filter(cross_db_outbox::processed_at.is_null())
                .select(cross_db_outbox::subject_id)
                .load::<Uuid>(auth)?,
        );
    }
    Ok(found)
}

/// Enqueues ids found orphaned by the scan: existing entries go back to pending.
#[tracing::instrument(level = "debug", skip_all)]
pub fn enqueue_again(
    auth: &mut PgConnection,
    kind: OutboxKind,
    subjects: &[Uuid],
) -> QueryResult<usize> {
    let rows: Vec<NewOutboxEntry> = subjects
        .iter()
        .map(|&s| NewOutboxEntry::new(OutboxEntryId::new(), kind, s))
        .collect();
    diesel::insert_into(cross_db_outbox::table)
        .values(&rows)
        .on_conflict((cross_db_outbox::kind, cross_db_outbox::subject_id))
        .do_update()
        .set((
            cross_db_outbox::processed_at.eq(None::<chrono::DateTime<chrono::Utc>>),
            cross_db_outbox::last_error.eq(None::<String>),
        ))
        .execute(auth)
}

fn audit(
    auth: &mut PgConnection,
    action: &str,
    resource_type: &str,
    resource_id: Uuid,
    details: serde_json::Value,
) -> QueryResult<()> {
    let resource_id = resource_id.to_string();
    diesel::insert_into(audit_logs::table)
        .values(NewAuditLog {
            resource_type: Some(resource_type),
            resource_id: Some(&resource_id),
            details: Some(&details),
            ..NewAuditLog::new(AuditLogId::new(), action)
        })
        .execute(auth)
        .map(drop)
}

/// Deletes a team and enqueues its specs cleanup, in the caller's auth transaction.
fn delete_team_in(auth: &mut PgConnection, team: TeamId) -> Result<(), XdbError> {
    enqueue(auth, OutboxKind::TeamDeleted, team.into_uuid())?;
    let deleted = diesel::delete(teams::table.find(team)).execute(auth)?;
    if deleted == 0 {
        return Err(XdbError::UnknownTeam(team));
    }
    audit(auth, "team.deleted", "team", team.into_uuid(), json!({}))?;
    Ok(())
}

/// Deletes a team (members and invitations go with it) and enqueues the removal of
/// its project shares, atomically.
#[tracing::instrument(level = "debug", skip_all, fields(team = %team))]
pub fn delete_team(auth: &mut PgConnection, team: TeamId) -> Result<(), XdbError> {
    auth.transaction(|auth| delete_team_in(auth, team))
}

fn successor(
    auth: &mut PgConnection,
    team: TeamId,
    leaving: UserId,
) -> QueryResult<Option<UserId>> {
    use diesel::dsl::sql;
    use diesel::sql_types::Integer;
    team_members::table
        .filter(team_members::team_id.eq(team))
        .filter(team_members::user_id.ne(leaving))
        .filter(team_members::status.eq(auth_db::enums::MembershipStatus::Active))
        .order((
            sql::<Integer>("CASE role WHEN 'owner' THEN 0 WHEN 'lead' THEN 1 WHEN 'developer' THEN 2 ELSE 3 END"),
            team_members::joined_at,
        ))
        .select(team_members::user_id)
        .first(auth)
        .optional()
}

/// Hard-deletes a user through the protocol, atomically in auth: owned teams are
/// transferred or deleted (each deletion enqueued), counters of the teams they
/// belonged to are corrected, the `user_deleted` entry is enqueued and the user row
/// deleted (in-database foreign keys remove or clear the rest of their auth rows).
///
/// Specs is untouched here: [`drain`] applies the policies there.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn delete_user(
    auth: &mut PgConnection,
    user: UserId,
    owned: OwnedTeams,
) -> Result<UserDeletion, XdbError> {
    auth.transaction(|auth| {
        let exists: Option<UserId> = users::table
            .find(user)
            .select(users::id)
            .for_update()
            .first(auth)
            .optional()?;
        if exists.is_none() {
            return Err(XdbError::UnknownUser(user));
        }
        let mut report = UserDeletion {
            user: Some(user),
            ..UserDeletion::default()
        };
        let owned_teams: Vec<(TeamId, String)> = teams::table
            .filter(teams::owner_id.eq(user))
            .select((teams::id, teams::name))
            .order(teams::id)
            .for_update()
            .load(auth)?;
        for (team, name) in owned_teams {
            let next = match owned {
                OwnedTeams::TransferOrDelete => successor(auth, team, user)?,
                OwnedTeams::Delete => None,
            };
            match next {
                Some(next) => {
                    diesel::update(teams::table.find(team))
                        .set(teams::owner_id.eq(next))
                        .execute(auth)
                        .map_err(|e| match DbError::from(e) {
                            DbError::UniqueViolation { .. } => XdbError::TransferConflict {
                                team,
                                successor: next,
                                name: name.clone(),
                            },
                            other => XdbError::Db(other),
                        })?;
                    diesel::update(
                        team_members::table
                            .filter(team_members::team_id.eq(team))
                            .filter(team_members::user_id.eq(next)),
                    )
                    .set(team_members::role.eq(TeamRole::Owner))
                    .execute(auth)?;
                    report.teams_transferred.push((team, next));
                }
                None => {
                    delete_team_in(auth, team)?;
                    report.teams_deleted.push(team);
                }
            }
        }
        // Memberships go with the user (ON DELETE CASCADE); keep member_count right.
        let active_elsewhere = team_members::table
            .filter(team_members::user_id.eq(user))
            .filter(team_members::status.eq(auth_db::enums::MembershipStatus::Active))
            .select(team_members::team_id);
        diesel::update(teams::table.filter(teams::id.eq_any(active_elsewhere)))
            .set(teams::member_count.eq(teams::member_count - 1))
            .execute(auth)?;
        enqueue(auth, OutboxKind::UserDeleted, user.into_uuid())?;
        audit(
            auth,
            "user.deleted",
            "user",
            user.into_uuid(),
            json!({
                "teams_deleted": report.teams_deleted,
                "teams_transferred": report.teams_transferred,
            }),
        )?;
        diesel::delete(users::table.find(user))
            .execute(auth)
            .map_err(|e| match DbError::from(e) {
                DbError::ForeignKeyViolation { constraint, .. }
                    if constraint == auth_db::constraints::FK_ADMIN_AUDIT_LOGS_ADMIN_ID =>
                {
                    XdbError::AdminAuditTrail(user)
                }
                other => XdbError::Db(other),
            })?;
        Ok(report)
    })
}

/// Rows a drained deletion removed or cleared in specs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cleanup {
    /// Rows deleted (cascade policy; rows removed by in-database cascades not counted).
    pub deleted: usize,
    /// Columns set to NULL (set_null policy).
    pub nulled: usize,
}

/// Applies every registered policy for a deleted user or team, in one specs transaction.
///
/// Idempotent: a second application finds nothing to delete or clear.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn apply_deletion(specs: &mut PgConnection, target: Target, id: Uuid) -> QueryResult<Cleanup> {
    specs.transaction(|specs| {
        let mut cleanup = Cleanup::default();
        for r in references_to(target) {
            let sql = match r.policy {
                Policy::Cascade => format!("DELETE FROM {} WHERE {} = $1", r.table, r.column),
                Policy::SetNull => format!(
                    "UPDATE {} SET {} = NULL WHERE {} = $1",
                    r.table, r.column, r.column
                ),
                Policy::Keep => continue,
            };
            let rows = diesel::sql_query(sql)
                .bind::<diesel::sql_types::Uuid, _>(id)
                .execute(specs)?;
            match r.policy {
                Policy::Cascade => cleanup.deleted += rows,
                Policy::SetNull => cleanup.nulled += rows,
                Policy::Keep => {}
            }
        }
        Ok(cleanup)
    })
}

/// Options of [`drain`].
#[derive(Debug, Clone, Copy)]
pub struct DrainOptions {
    /// Entries claimed per auth transaction.
    pub batch_size: i64,
}

impl Default for DrainOptions {
    fn default() -> Self {
        Self { batch_size: 100 }
    }
}

/// What a drain did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DrainReport {
    /// Entries whose cleanup committed.
    pub processed: usize,
    /// Entries whose cleanup failed (attempts and last_error recorded; still pending).
    pub failed: usize,
    /// Specs rows deleted.
    pub rows_deleted: usize,
    /// Specs columns cleared.
    pub rows_nulled: usize,
    /// The failures: (entry subject, error).
    pub errors: Vec<(Uuid, String)>,
}

/// Applies every pending outbox entry once; entries that fail stay pending with
/// their attempt counted and their error stored, for the next drain.
#[tracing::instrument(level = "debug", skip_all)]
pub fn drain(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: DrainOptions,
) -> Result<DrainReport, XdbError> {
    let mut report = DrainReport::default();
    let mut attempted: HashSet<OutboxEntryId> = HashSet::new();
    loop {
        let claimed = auth.transaction::<usize, XdbError, _>(|auth| {
            let skip: Vec<OutboxEntryId> = attempted.iter().copied().collect();
            let batch: Vec<(OutboxEntryId, OutboxKind, Uuid)> = cross_db_outbox::table
                .filter(cross_db_outbox::processed_at.is_null())
                .filter(cross_db_outbox::id.ne_all(&skip))
                .order(cross_db_outbox::created_at)
                .select((
                    cross_db_outbox::id,
                    cross_db_outbox::kind,
                    cross_db_outbox::subject_id,
                ))
                .limit(options.batch_size.max(1))
                .for_update()
                .skip_locked()
                .load(auth)?;
            for &(id, kind, subject) in &batch {
                attempted.insert(id);
                let target = match kind {
                    OutboxKind::UserDeleted => Target::Users,
                    OutboxKind::TeamDeleted => Target::Teams,
                };
                let entry = cross_db_outbox::table.find(id);
                let _span = tracing::info_span!(
                    "outbox_entry",
                    entry = %id,
                    kind = kind.as_str(),
                    subject = %subject
                )
                .entered();
                match apply_deletion(specs, target, subject) {
                    Ok(cleanup) => {
                        diesel::update(entry)
                            .set((
                                cross_db_outbox::processed_at.eq(diesel::dsl::now),
                                cross_db_outbox::attempts.eq(cross_db_outbox::attempts + 1),
                                cross_db_outbox::last_error.eq(None::<String>),
                            ))
                            .execute(auth)?;
                        report.processed += 1;
                        report.rows_deleted += cleanup.deleted;
                        report.rows_nulled += cleanup.nulled;
                    }
                    Err(err) => {
                        let message = err.to_string();
                        diesel::update(entry)
                            .set((
                                cross_db_outbox::attempts.eq(cross_db_outbox::attempts + 1),
                                cross_db_outbox::last_error.eq(Some(&message)),
                            ))
                            .execute(auth)?;
                        report.failed += 1;
                        report.errors.push((subject, message));
                    }
                }
            }
            Ok(batch.len())
        })?;
        if claimed == 0 {
            return Ok(report);
        }
    }
}
