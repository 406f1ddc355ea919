//! The legacy tables whose rows land in our auth database: legacy auth's five,
//! and the three legacy specs keeps that ours keep in auth (teams, team
//! members, API keys).

use super::{Db, Spec, duplicate_of, map, metadata, text_array, within};

/// A bcrypt modular-crypt hash as passlib writes it.
pub(crate) const BCRYPT: &str = r"'^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$'";

pub(super) fn plan() -> Vec<Spec> {
    vec![
        users(),
        admin_roles(),
        admin_users(),
        admin_audit_logs(),
        refresh_tokens(),
        teams(),
        team_members(),
        api_keys(),
    ]
}

fn users() -> Spec {
    Spec::new(Db::Auth, "users", Db::Auth, "users")
        // The account that survives a set of e-mails differing only in case:
        // one with a usable hash, active, the oldest.
        .extra(
            "_survivor",
            "uuid",
            format!(
                "first_value(t.id) OVER (PARTITION BY lower(btrim(t.email)) ORDER BY \
                 (t.hashed_password ~ {BCRYPT}) DESC, (t.status = 'active' AND t.is_active) DESC, \
                 t.created_at, t.id)"
            ),
        )
        .whole_table()
        .col("email", "lower(btrim(r.email))")
        .col(
            "username",
            "CASE WHEN EXISTS (SELECT 1 FROM users o WHERE o.username = r.username AND o.id <> legacy_id) \
             THEN NULL ELSE r.username END",
        )
        .col("password_hash", "r.hashed_password")
        .col("first_name", "r.name")
        .col("last_name", "r.surname")
        .col("bio", "NULL::text")
        .col("avatar_url", "NULL::varchar")
        .col("role", within("r.role", &["user", "admin", "moderator"]))
        .col(
            "status",
            format!(
                "CASE WHEN lower(btrim(r.status)) = 'active' AND NOT r.is_active THEN 'inactive' ELSE {} END",
                within("r.status", &["active", "inactive", "suspended", "deleted"])
            ),
        )
        .same(&["is_verified"])
        .col("failed_login_count", "0")
        .col("locked_until", "NULL::timestamptz")
        .col("last_login_at", "NULL::timestamptz")
        .same(&["created_at", "updated_at"])
        .reject(
            "invalid_email",
            r"btrim(r.email) !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'",
        )
        .reject(
            "password_hash_unrecognized",
            format!("r.hashed_password !~ {BCRYPT}"),
        )
        .unmapped("unknown_role", "role", "role")
        .unmapped("unknown_status", "status", "status")
        .merge(
            "duplicate_email",
            "coalesce((SELECT o.id FROM users o WHERE o.email = o_email AND o.id <> legacy_id), \
             NULLIF(r._survivor, legacy_id))",
        )
}

fn admin_roles() -> Spec {
    Spec::new(Db::Auth, "admin_roles", Db::Auth, "admin_roles")
        .same(&["name", "description"])
        .col("permissions", text_array("r.permissions"))
        .same(&["is_system_role", "created_at", "updated_at"])
        .merge(
            "duplicate_name",
            "(SELECT o.id FROM admin_roles o WHERE o.name = r.name AND o.id <> legacy_id)",
        )
}

fn admin_users() -> Spec {
    Spec::new(Db::Auth, "admin_users", Db::Auth, "admin_users")
        .col("user_id", "@user(r.user_id)")
        .col("role_id", "@role(r.role_id)")
        // A soft reference in Socrates2, an FK (ON DELETE SET NULL) here.
        .col("granted_by_id", "@user(r.granted_by_id)")
        .same(&["reason", "revoked_at", "created_at", "updated_at"])
        .unmapped("user_not_imported", "user_id", "user_id")
        .unmapped("role_not_imported", "role_id", "role_id")
        .merge(
            "duplicate_grant",
            duplicate_of("admin_users", &["user_id", "role_id"], ""),
        )
}

fn admin_audit_logs() -> Spec {
    Spec::new(Db::Auth, "admin_audit_logs", Db::Auth, "admin_audit_logs")
        .col("admin_id", "@user(r.admin_id)")
        .same(&["action", "resource_type", "resource_id"])
        .json("changes")
        .col("ip_address", "pg_temp.legacy_inet(r.ip_address)")
        .same(&["user_agent", "created_at"])
        // ON DELETE RESTRICT: an audit row never outlives its admin.
        .unmapped("admin_not_imported", "admin_id", "admin_id")
        .unmapped("invalid_ip_address", "ip_address", "ip_address")
}

fn refresh_tokens() -> Spec {
    let mut spec = Spec::new(Db::Auth, "refresh_tokens", Db::Auth, "refresh_tokens")
        .col("user_id", "@user(r.user_id)")
        // Only the SHA-256 of what the client presents: its session goes on.
        .col("token_hash", "sha256(convert_to(r.token, 'UTF8'))")
        .col("family_id", "legacy_id")
        .col("replaced_by", "NULL::uuid")
        .same(&["expires_at"])
        .col(
            "revoked_at",
            "CASE WHEN r.is_revoked THEN coalesce(r.revoked_at, r.updated_at) END",
        )
        .col("user_agent", "NULL::text")
        .col("ip_address", "NULL::inet")
        .same(&["created_at", "updated_at"])
        .unmapped("user_not_imported", "user_id", "user_id");
    spec.secrets = &["token"];
    spec
}

fn teams() -> Spec {
    Spec::new(Db::Specs, "teams", Db::Auth, "teams")
        .same(&["name", "description"])
        .col("owner_id", "@user(r.owner_id)")
        .col(
            "status",
            within("r.status", &["active", "archived", "suspended"]),
        )
        .same(&["member_count", "project_count"])
        .json("settings")
        .json("metadata")
        .same(&["created_at", "updated_at"])
        // ON DELETE RESTRICT on the owner: a team needs one.
        .unmapped("owner_not_imported", "owner_id", "owner_id")
        .unmapped("unknown_status", "status", "status")
        .reject(
            "negative_count",
            "r.member_count < 0 OR r.project_count < 0",
        )
        .merge(
            "duplicate_team",
            duplicate_of("teams", &["owner_id", "name"], ""),
        )
}

const TEAM_ROLES: &[(&str, &str)] = &[
    ("owner", "owner"),
    ("lead", "lead"),
    ("admin", "lead"),
    ("developer", "developer"),
    ("member", "developer"),
    ("viewer", "viewer"),
];

fn team_members() -> Spec {
    Spec::new(Db::Specs, "team_members", Db::Auth, "team_members")
        .col("team_id", "@team(r.team_id)")
        .col("user_id", "@user(r.user_id)")
        .col("role", map("r.role", TEAM_ROLES))
        .col(
            "permission_level",
            within("r.permission_level", &["read", "write", "admin"]),
        )
        .col(
            "status",
            within("r.status", &["active", "invited", "inactive", "suspended"]),
        )
        .col("invited_by_id", "@user(r.invited_by_id)")
        .col("joined_at", "coalesce(r.joined_at, r.created_at)")
        .same(&["contribution_score"])
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[(
                    "role",
                    &format!(
                        "CASE WHEN r.role IS DISTINCT FROM {} THEN r.role END",
                        map("r.role", TEAM_ROLES)
                    ),
                )],
            ),
        )
        .same(&["created_at", "updated_at"])
        .unmapped("team_not_imported", "team_id", "team_id")
        .unmapped("user_not_imported", "user_id", "user_id")
        .unmapped("unknown_role", "role", "role")
        .unmapped(
            "unknown_permission_level",
            "permission_level",
            "permission_level",
        )
        .unmapped("unknown_status", "status", "status")
        .reject(
            "contribution_score_out_of_range",
            "r.contribution_score < 0 OR r.contribution_score > 100",
        )
        .merge(
            "duplicate_membership",
            duplicate_of("team_members", &["team_id", "user_id"], ""),
        )
}

fn api_keys() -> Spec {
    Spec::new(Db::Specs, "api_keys", Db::Auth, "api_keys")
        .col("user_id", "@user(r.user_id)")
        .same(&["name"])
        // The legacy hash has no defined algorithm: nothing can match it, so
        // the key is imported revoked; its digest only keeps the row unique.
        .col("key_hash", "sha256(convert_to(r.key_hash, 'UTF8'))")
        .col("key_prefix", "coalesce(r.key_preview, '')")
        .col("status", "'revoked'")
        .col("scopes", text_array("r.scope"))
        .col(
            "rate_limit",
            "CASE WHEN r.rate_limit > 0 THEN r.rate_limit END",
        )
        .same(&["usage_count", "last_used_at", "expires_at"])
        .col("revoked_at", "r.updated_at")
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("status", "r.status"),
                    (
                        "revoked_reason",
                        "'imported from Socrates2: its key hash cannot be verified'",
                    ),
                    (
                        "rate_limit",
                        "CASE WHEN r.rate_limit <= 0 THEN r.rate_limit END",
                    ),
                ],
            ),
        )
        .same(&["created_at", "updated_at"])
        .unmapped("user_not_imported", "user_id", "user_id")
        .reject("negative_count", "r.usage_count < 0")
}
