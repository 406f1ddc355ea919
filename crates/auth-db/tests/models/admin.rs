//! Round trips of admin roles, grants and their audit.

use super::*;
use auth_db::ids::*;
use auth_db::models::*;
use auth_db::schema::*;

/// `admin_roles`: inserted with every column set, read back equal, and updated.
#[test]
fn admin_roles() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let id = AdminRoleId::new();
    let v_permissions = vec!["alpha".to_owned(), "beta".to_owned()];
    diesel::insert_into(admin_roles::table)
        .values(NewAdminRole {
            id,
            name: "admin_roles.name",
            description: Some("admin_roles.description"),
            permissions: Some(&v_permissions),
            is_system_role: Some(true),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert admin_roles");
    let row: AdminRole = admin_roles::table
        .find(id)
        .select(AdminRole::as_select())
        .first(conn)
        .expect("read admin_roles");
    assert_eq!(row.id, id);
    assert_eq!(row.name, "admin_roles.name");
    assert_eq!(row.description.as_deref(), Some("admin_roles.description"));
    assert_eq!(row.permissions, v_permissions);
    assert!(row.is_system_role);
    assert_eq!(row.created_at, t0());
    let changed_row: AdminRole = diesel::update(admin_roles::table.find(id))
        .set(AdminRoleChanges {
            name: Some("changed"),
            ..Default::default()
        })
        .returning(AdminRole::as_returning())
        .get_result(conn)
        .expect("update admin_roles");
    assert_eq!(changed_row.name, "changed");
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `admin_users`: inserted with every column set, read back equal, and updated.
#[test]
fn admin_users() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
    let admin_roles_id = parents::admin_role(conn);
    let id = AdminGrantId::new();
    diesel::insert_into(admin_users::table)
        .values(NewAdminGrant {
            id,
            user_id: users_id,
            role_id: admin_roles_id,
            granted_by_id: Some(users_id),
            reason: Some("admin_users.reason"),
            revoked_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert admin_users");
    let row: AdminGrant = admin_users::table
        .find(id)
        .select(AdminGrant::as_select())
        .first(conn)
        .expect("read admin_users");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.role_id, admin_roles_id);
    assert_eq!(row.granted_by_id, Some(users_id));
    assert_eq!(row.reason.as_deref(), Some("admin_users.reason"));
    assert_eq!(row.revoked_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed_row: AdminGrant = diesel::update(admin_users::table.find(id))
        .set(AdminGrantChanges {
            reason: Some(Some("changed")),
            ..Default::default()
        })
        .returning(AdminGrant::as_returning())
        .get_result(conn)
        .expect("update admin_users");
    assert_eq!(changed_row.reason.as_deref(), Some("changed"));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `admin_audit_logs`: inserted with every column set, read back equal, and updated.
#[test]
fn admin_audit_logs() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
    let id = AdminAuditLogId::new();
    let v_changes = json!({"sample": "admin_audit_logs.changes"});
    let v_ip_address: IpNetwork = "10.1.2.3".parse().expect("ip");
    diesel::insert_into(admin_audit_logs::table)
        .values(NewAdminAuditLog {
            id,
            admin_id: users_id,
            action: "admin_audit_logs.action",
            resource_type: "admin_audit_logs.resource_type",
            resource_id: "admin_audit_logs.resource_id",
            changes: Some(&v_changes),
            ip_address: Some(v_ip_address),
            user_agent: Some("admin_audit_logs.user_agent"),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert admin_audit_logs");
    let row: AdminAuditLog = admin_audit_logs::table
        .find(id)
        .select(AdminAuditLog::as_select())
        .first(conn)
        .expect("read admin_audit_logs");
    assert_eq!(row.id, id);
    assert_eq!(row.admin_id, users_id);
    assert_eq!(row.action, "admin_audit_logs.action");
    assert_eq!(row.resource_type, "admin_audit_logs.resource_type");
    assert_eq!(row.resource_id, "admin_audit_logs.resource_id");
    assert_eq!(row.changes, v_changes);
    assert_eq!(row.ip_address, Some(v_ip_address));
    assert_eq!(
        row.user_agent.as_deref(),
        Some("admin_audit_logs.user_agent")
    );
    assert_eq!(row.created_at, t0());
}
