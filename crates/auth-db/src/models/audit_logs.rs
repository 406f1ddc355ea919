//! `audit_logs`: security event log (login, logout, password and key changes), append-only.

use crate::ids::AuditLogId;
use crate::schema::audit_logs;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::Value;

/// A row of `audit_logs`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = audit_logs, check_for_backend(diesel::pg::Pg))]
pub struct AuditLog {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: AuditLogId,
    /// acting user; NULLed when the user is deleted
    pub user_id: Option<UserId>,
    /// dotted event name, free text (e.g. `user.login`)
    pub action: String,
    /// kind of object acted on (free text)
    pub resource_type: Option<String>,
    /// id of that object, as text
    pub resource_id: Option<String>,
    /// client IP
    pub ip_address: Option<IpNetwork>,
    /// client user agent
    pub user_agent: Option<String>,
    /// event details; data changes as `{"old":…,"new":…}`
    pub details: Value,
    /// event time
    pub created_at: DateTime<Utc>,
}

/// A new row of `audit_logs`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_logs)]
pub struct NewAuditLog<'a> {
    /// Primary key: pass `AuditLogId::new()` (a UUIDv7).
    pub id: AuditLogId,
    /// acting user; NULLed when the user is deleted. `None` = NULL.
    pub user_id: Option<UserId>,
    /// dotted event name, free text (e.g. `user.login`)
    pub action: &'a str,
    /// kind of object acted on (free text). `None` = NULL.
    pub resource_type: Option<&'a str>,
    /// id of that object, as text. `None` = NULL.
    pub resource_id: Option<&'a str>,
    /// client IP. `None` = NULL.
    pub ip_address: Option<IpNetwork>,
    /// client user agent. `None` = NULL.
    pub user_agent: Option<&'a str>,
    /// event details; data changes as `{"old":…,"new":…}`. `None` = default ('{}'::jsonb).
    pub details: Option<&'a Value>,
    /// event time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewAuditLog<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: AuditLogId, action: &'a str) -> Self {
        Self {
            id,
            action,
            user_id: None,
            resource_type: None,
            resource_id: None,
            ip_address: None,
            user_agent: None,
            details: None,
            created_at: None,
        }
    }
}
