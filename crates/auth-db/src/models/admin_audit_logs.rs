//! `admin_audit_logs`: append-only trail of admin actions.

use crate::ids::AdminAuditLogId;
use crate::schema::admin_audit_logs;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::Value;

/// A row of `admin_audit_logs`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = admin_audit_logs, check_for_backend(diesel::pg::Pg))]
pub struct AdminAuditLog {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: AdminAuditLogId,
    /// acting admin
    pub admin_id: UserId,
    /// action name, free text (e.g. `user.suspend`)
    pub action: String,
    /// kind of object acted on (free text)
    pub resource_type: String,
    /// id of that object, as text
    pub resource_id: String,
    /// before/after values
    pub changes: Value,
    /// admin's IP
    pub ip_address: Option<IpNetwork>,
    /// admin's user agent
    pub user_agent: Option<String>,
    /// action time
    pub created_at: DateTime<Utc>,
}

/// A new row of `admin_audit_logs`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = admin_audit_logs)]
pub struct NewAdminAuditLog<'a> {
    /// Primary key: pass `AdminAuditLogId::new()` (a UUIDv7).
    pub id: AdminAuditLogId,
    /// acting admin
    pub admin_id: UserId,
    /// action name, free text (e.g. `user.suspend`)
    pub action: &'a str,
    /// kind of object acted on (free text)
    pub resource_type: &'a str,
    /// id of that object, as text
    pub resource_id: &'a str,
    /// before/after values. `None` = default ('{}'::jsonb).
    pub changes: Option<&'a Value>,
    /// admin's IP. `None` = NULL.
    pub ip_address: Option<IpNetwork>,
    /// admin's user agent. `None` = NULL.
    pub user_agent: Option<&'a str>,
    /// action time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewAdminAuditLog<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: AdminAuditLogId,
        admin_id: UserId,
        action: &'a str,
        resource_type: &'a str,
        resource_id: &'a str,
    ) -> Self {
        Self {
            id,
            admin_id,
            action,
            resource_type,
            resource_id,
            changes: None,
            ip_address: None,
            user_agent: None,
            created_at: None,
        }
    }
}
