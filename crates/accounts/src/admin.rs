//! Admin roles and grants, with every admin action in `admin_audit_logs`.
//!
//! A role is a named list of permission strings (`users.suspend`); `*` grants
//! everything and `users.*` everything under `users.`. Managing roles and
//! grants itself needs [`MANAGE_ROLES`]; the first administrator is created by
//! [`bootstrap`], which works only while nobody holds any grant.

use auth_db::enums::UserStatus;
use auth_db::ids::{AdminAuditLogId, AdminGrantId, AdminRoleId};
use auth_db::models::{AdminRole, NewAdminAuditLog, NewAdminGrant, NewAdminRole};
use auth_db::schema::{admin_audit_logs, admin_roles, admin_users, users};
use db_core::UserId;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text, Uuid as SqlUuid};
use serde_json::{Value, json};

use crate::audit::Client;
use crate::{AccountError, check_len, check_present};

/// The permission to create roles and to grant or revoke them.
pub const MANAGE_ROLES: &str = "roles.manage";
/// The built-in role created by [`bootstrap`].
pub const SUPERADMIN: &str = "superadmin";

#[derive(QueryableByName)]
struct Allowed {
    #[diesel(sql_type = Bool)]
    allowed: bool,
}

/// Whether `user` (active) holds an unrevoked grant of a role that includes `permission`.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn has_permission(
    conn: &mut PgConnection,
    user: UserId,
    permission: &str,
) -> QueryResult<bool> {
    diesel::sql_query(
        "SELECT EXISTS ( \
             SELECT 1 FROM admin_users g \
             JOIN admin_roles r ON r.id = g.role_id \
             JOIN users u ON u.id = g.user_id \
             WHERE g.user_id = $1 AND g.revoked_at IS NULL AND u.status = 'active' \
               AND ($2 = ANY (r.permissions) OR '*' = ANY (r.permissions) \
                    OR split_part($2, '.', 1) || '.*' = ANY (r.permissions)) \
         ) AS allowed",
    )
    .bind::<SqlUuid, _>(user)
    .bind::<Text, _>(permission)
    .get_result::<Allowed>(conn)
    .map(|a| a.allowed)
}

/// Appends one admin action to `admin_audit_logs`.
#[tracing::instrument(level = "debug", skip_all, fields(admin = %admin))]
pub fn record(
    conn: &mut PgConnection,
    client: &Client,
    admin: UserId,
    action: &str,
    resource: (&str, &str),
    changes: Value,
) -> QueryResult<()> {
    diesel::insert_into(admin_audit_logs::table)
        .values(NewAdminAuditLog {
            changes: Some(&changes),
            ip_address: client.ip,
            user_agent: client.user_agent.as_deref(),
            ..NewAdminAuditLog::new(
                AdminAuditLogId::new(),
                admin,
                action,
                resource.0,
                resource.1,
            )
        })
        .execute(conn)
        .map(drop)
}

fn require(conn: &mut PgConnection, actor: UserId, permission: &str) -> Result<(), AccountError> {
    if has_permission(conn, actor, permission)? {
        Ok(())
    } else {
        Err(AccountError::Forbidden(permission.to_owned()))
    }
}

fn check_permissions(permissions: &[String]) -> Result<(), AccountError> {
    for p in permissions {
        check_present("permission", p)?;
        check_len("permission", p, 100)?;
    }
    Ok(())
}

/// Creates a role (needs [`MANAGE_ROLES`]).
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor))]
pub fn create_role(
    conn: &mut PgConnection,
    actor: UserId,
    name: &str,
    description: Option<&str>,
    permissions: &[String],
    client: &Client,
) -> Result<AdminRole, AccountError> {
    check_present("name", name)?;
    check_len("name", name, 100)?;
    check_permissions(permissions)?;
    conn.transaction(|conn| {
        require(conn, actor, MANAGE_ROLES)?;
        let role: AdminRole = diesel::insert_into(admin_roles::table)
            .values(NewAdminRole {
                description,
                permissions: Some(permissions),
                ..NewAdminRole::new(AdminRoleId::new(), name)
            })
            .returning(AdminRole::as_returning())
            .get_result(conn)?;
        record(
            conn,
            client,
            actor,
            "role.created",
            ("admin_role", &role.id.to_string()),
            json!({ "new": { "name": name, "permissions": permissions } }),
        )?;
        Ok(role)
    })
}

fn upsert_grant(
    conn: &mut PgConnection,
    actor: UserId,
    user: UserId,
    role: AdminRoleId,
    reason: Option<&str>,
) -> Result<(), AccountError> {
    let status: Option<UserStatus> = users::table
        .find(user)
        .select(users::status)
        .first(conn)
        .optional()?;
    if status.is_none() {
        return Err(AccountError::UnknownUser(user));
    }
    let role_exists: bool =
        diesel::select(diesel::dsl::exists(admin_roles::table.find(role))).get_result(conn)?;
    if !role_exists {
        return Err(AccountError::NotFound);
    }
    diesel::insert_into(admin_users::table)
        .values(NewAdminGrant {
            granted_by_id: Some(actor),
            reason,
            ..NewAdminGrant::new(AdminGrantId::new(), user, role)
        })
        .on_conflict((admin_users::user_id, admin_users::role_id))
        .do_update()
        .set((
            admin_users::revoked_at.eq(None::<chrono::DateTime<chrono::Utc>>),
            admin_users::granted_by_id.eq(Some(actor)),
            admin_users::reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Grants a role to a user, or re-grants a revoked one (needs [`MANAGE_ROLES`]).
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, user = %user, role = %role))]
pub fn grant(
    conn: &mut PgConnection,
    actor: UserId,
    user: UserId,
    role: AdminRoleId,
    reason: Option<&str>,
    client: &Client,
) -> Result<(), AccountError> {
    if let Some(reason) = reason {
        check_len("reason", reason, 10_000)?;
    }
    conn.transaction(|conn| {
        require(conn, actor, MANAGE_ROLES)?;
        upsert_grant(conn, actor, user, role, reason)?;
        record(
            conn,
            client,
            actor,
            "role.granted",
            ("user", &user.to_string()),
            json!({ "role_id": role, "reason": reason }),
        )?;
        Ok(())
    })
}

/// Revokes a user's grant of a role (needs [`MANAGE_ROLES`]).
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, user = %user, role = %role))]
pub fn revoke(
    conn: &mut PgConnection,
    actor: UserId,
    user: UserId,
    role: AdminRoleId,
    client: &Client,
) -> Result<(), AccountError> {
    conn.transaction(|conn| {
        require(conn, actor, MANAGE_ROLES)?;
        let changed = diesel::update(
            admin_users::table
                .filter(
                    admin_users::user_id
                        .eq(user)
                        .and(admin_users::role_id.eq(role)),
                )
                .filter(admin_users::revoked_at.is_null()),
        )
        .set(admin_users::revoked_at.eq(diesel::dsl::now))
        .execute(conn)?;
        if changed == 0 {
            return Err(AccountError::NotFound);
        }
        record(
            conn,
            client,
            actor,
            "role.revoked",
            ("user", &user.to_string()),
            json!({ "role_id": role }),
        )?;
        Ok(())
    })
}

/// Makes `user` the first administrator (system role [`SUPERADMIN`], permission `*`).
/// Refused once anyone holds an active grant.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn bootstrap(
    conn: &mut PgConnection,
    user: UserId,
    client: &Client,
) -> Result<AdminRole, AccountError> {
    conn.transaction(|conn| {
        // Serialize concurrent bootstraps: only one may find nobody granted.
        conn.batch_execute("LOCK TABLE admin_users IN SHARE ROW EXCLUSIVE MODE")?;
        let anyone: bool = diesel::select(diesel::dsl::exists(
            admin_users::table.filter(admin_users::revoked_at.is_null()),
        ))
        .get_result(conn)?;
        if anyone {
            return Err(AccountError::Forbidden(MANAGE_ROLES.to_owned()));
        }
        let role: AdminRole = match admin_roles::table
            .filter(admin_roles::name.eq(SUPERADMIN))
            .select(AdminRole::as_select())
            .first(conn)
            .optional()?
        {
            Some(role) => role,
            None => diesel::insert_into(admin_roles::table)
                .values(NewAdminRole {
                    description: Some("built-in: every permission"),
                    permissions: Some(&["*".to_owned()]),
                    is_system_role: Some(true),
                    ..NewAdminRole::new(AdminRoleId::new(), SUPERADMIN)
                })
                .returning(AdminRole::as_returning())
                .get_result(conn)?,
        };
        upsert_grant(conn, user, user, role.id, Some("bootstrap"))?;
        record(
            conn,
            client,
            user,
            "admin.bootstrapped",
            ("user", &user.to_string()),
            json!({ "role_id": role.id }),
        )?;
        Ok(role)
    })
}
