//! The security audit (`audit_logs`, append-only in the database).

use auth_db::ids::AuditLogId;
use auth_db::models::NewAuditLog;
use auth_db::schema::audit_logs;
use db_core::UserId;
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::Value;

/// A successful login (its client address makes that client known to the account).
pub const LOGIN: &str = "user.login";
/// A refused login (counted per client address by the login throttle).
pub const LOGIN_FAILED: &str = "user.login_failed";

/// Who is on the other end of a request, for the audit trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    /// Client IP address.
    pub ip: Option<IpNetwork>,
    /// Client user agent.
    pub user_agent: Option<String>,
}

/// Appends one security event.
#[tracing::instrument(level = "debug", skip_all)]
pub fn record(
    conn: &mut PgConnection,
    client: &Client,
    user: Option<UserId>,
    action: &str,
    resource: Option<(&str, &str)>,
    details: Value,
) -> QueryResult<()> {
    diesel::insert_into(audit_logs::table)
        .values(NewAuditLog {
            user_id: user,
            resource_type: resource.map(|r| r.0),
            resource_id: resource.map(|r| r.1),
            ip_address: client.ip,
            user_agent: client.user_agent.as_deref(),
            details: Some(&details),
            ..NewAuditLog::new(AuditLogId::new(), action)
        })
        .execute(conn)
        .map(drop)
}
