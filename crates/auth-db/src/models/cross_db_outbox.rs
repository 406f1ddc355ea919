//! `cross_db_outbox`: durable queue of auth deletions whose specs-side cleanup is still pending (§5.3).

use crate::enums::OutboxKind;
use crate::ids::OutboxEntryId;
use crate::schema::cross_db_outbox;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

/// A row of `cross_db_outbox`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = cross_db_outbox, check_for_backend(diesel::pg::Pg))]
pub struct OutboxEntry {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: OutboxEntryId,
    /// what was deleted; one of: user_deleted, team_deleted
    pub kind: OutboxKind,
    /// the deleted users.id or teams.id
    pub subject_id: Uuid,
    /// written in the deleting transaction
    pub created_at: DateTime<Utc>,
    /// specs cleanup committed; NULL = pending
    pub processed_at: Option<DateTime<Utc>>,
    /// cleanup attempts so far
    pub attempts: i32,
    /// error of the last failed attempt
    pub last_error: Option<String>,
}

/// A new row of `cross_db_outbox`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = cross_db_outbox)]
pub struct NewOutboxEntry<'a> {
    /// Primary key: pass `OutboxEntryId::new()` (a UUIDv7).
    pub id: OutboxEntryId,
    /// what was deleted; one of: user_deleted, team_deleted
    pub kind: OutboxKind,
    /// the deleted users.id or teams.id
    pub subject_id: Uuid,
    /// written in the deleting transaction. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
    /// specs cleanup committed; NULL = pending. `None` = NULL.
    pub processed_at: Option<DateTime<Utc>>,
    /// cleanup attempts so far. `None` = default (0).
    pub attempts: Option<i32>,
    /// error of the last failed attempt. `None` = NULL.
    pub last_error: Option<&'a str>,
}

impl<'a> NewOutboxEntry<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: OutboxEntryId, kind: OutboxKind, subject_id: Uuid) -> Self {
        Self {
            id,
            kind,
            subject_id,
            created_at: None,
            processed_at: None,
            attempts: None,
            last_error: None,
        }
    }
}

/// Changes to a `cross_db_outbox` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = cross_db_outbox)]
pub struct OutboxEntryChanges<'a> {
    /// what was deleted; one of: user_deleted, team_deleted
    pub kind: Option<OutboxKind>,
    /// the deleted users.id or teams.id
    pub subject_id: Option<Uuid>,
    /// specs cleanup committed; NULL = pending
    pub processed_at: Option<Option<DateTime<Utc>>>,
    /// cleanup attempts so far
    pub attempts: Option<i32>,
    /// error of the last failed attempt
    pub last_error: Option<Option<&'a str>>,
}
