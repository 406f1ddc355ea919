//! Every table of both databases, written and read back through its models:
//! each column set to a non-default value, read back equal, and (where the
//! table has a changeset) updated through it.

use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use db_core::{
    InvitationStatus, JobCheckpointId, JobStatus, LlmProvider, PermissionLevel, TeamId, UserId,
};
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::json;
use test_db::TestDatabase;
use uuid::Uuid;

/// A fixed time with microseconds, which PostgreSQL keeps exactly.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
        .single()
        .expect("valid time")
        + Duration::microseconds(123_456)
}

/// The `job_checkpoints` round trip: the same table (and the same macro-made
/// models) in both databases, so one body serves both tests.
macro_rules! job_checkpoints_round_trip {
    ($conn:expr, $db:ident) => {{
        use $db::models::{JobCheckpoint, JobCheckpointChanges, NewJobCheckpoint};
        use $db::schema::job_checkpoints;
        let conn = $conn;
        // job_checkpoints
        let id = JobCheckpointId::new();
        diesel::insert_into(job_checkpoints::table)
            .values(NewJobCheckpoint {
                id,
                job_name: "job_checkpoints.job_name",
                status: Some(JobStatus::Running),
                cursor: Some("job_checkpoints.cursor"),
                processed_count: Some(7),
                failed_count: Some(7),
                total_count: Some(7),
                last_error: Some("job_checkpoints.last_error"),
                started_at: Some(t0()),
                finished_at: Some(t0()),
                created_at: Some(t0()),
            })
            .execute(conn)
            .expect("insert job_checkpoints");
        let row: JobCheckpoint = job_checkpoints::table
            .find(id)
            .select(JobCheckpoint::as_select())
            .first(conn)
            .expect("read job_checkpoints");
        assert_eq!(row.id, id);
        assert_eq!(row.job_name, "job_checkpoints.job_name");
        assert_eq!(row.status, JobStatus::Running);
        assert_eq!(row.cursor.as_deref(), Some("job_checkpoints.cursor"));
        assert_eq!(row.processed_count, 7);
        assert_eq!(row.failed_count, 7);
        assert_eq!(row.total_count, Some(7));
        assert_eq!(
            row.last_error.as_deref(),
            Some("job_checkpoints.last_error")
        );
        assert_eq!(row.started_at, Some(t0()));
        assert_eq!(row.finished_at, Some(t0()));
        assert_eq!(row.created_at, t0());
        let changed_row: JobCheckpoint = diesel::update(job_checkpoints::table.find(id))
            .set(JobCheckpointChanges {
                job_name: Some("changed"),
                ..Default::default()
            })
            .returning(JobCheckpoint::as_returning())
            .get_result(conn)
            .expect("update job_checkpoints");
        assert_eq!(changed_row.job_name, "changed");
        assert!(
            changed_row.updated_at > row.updated_at,
            "set_updated_at trigger"
        );
    }};
}

/// One row per auth table, inserted and read back field by field.
#[test]
fn every_auth_table_round_trips_through_its_models() {
    use auth_db::enums::*;
    use auth_db::ids::*;
    use auth_db::models::*;
    use auth_db::schema::*;
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();

    // users
    let id = UserId::new();
    diesel::insert_into(users::table)
        .values(NewUser {
            id,
            email: "ada@example.com",
            username: Some("users.username"),
            password_hash: "users.password_hash",
            first_name: Some("users.first_name"),
            last_name: Some("users.last_name"),
            bio: Some("users.bio"),
            avatar_url: Some("users.avatar_url"),
            role: Some(UserRole::Admin),
            status: Some(UserStatus::Inactive),
            is_verified: Some(true),
            failed_login_count: Some(7),
            locked_until: Some(t0()),
            last_login_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert users");
    let row: User = users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .expect("read users");
    assert_eq!(row.id, id);
    assert_eq!(row.email, "ada@example.com");
    assert_eq!(row.username.as_deref(), Some("users.username"));
    assert_eq!(row.password_hash, "users.password_hash");
    assert_eq!(row.first_name.as_deref(), Some("users.first_name"));
    assert_eq!(row.last_name.as_deref(), Some("users.last_name"));
    assert_eq!(row.bio.as_deref(), Some("users.bio"));
    assert_eq!(row.avatar_url.as_deref(), Some("users.avatar_url"));
    assert_eq!(row.role, UserRole::Admin);
    assert_eq!(row.status, UserStatus::Inactive);
    assert!(row.is_verified);
    assert_eq!(row.failed_login_count, 7);
    assert_eq!(row.locked_until, Some(t0()));
    assert_eq!(row.last_login_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed_row: User = diesel::update(users::table.find(id))
        .set(UserChanges {
            username: Some(Some("changed")),
            ..Default::default()
        })
        .returning(User::as_returning())
        .get_result(conn)
        .expect("update users");
    assert_eq!(changed_row.username.as_deref(), Some("changed"));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let users_id = id;

    // refresh_tokens
    let id = RefreshTokenId::new();
    let v_token_hash = vec![0xABu8; 32];
    let v_ip_address: IpNetwork = "10.1.2.3".parse().expect("ip");
    diesel::insert_into(refresh_tokens::table)
        .values(NewRefreshToken {
            id,
            user_id: users_id,
            token_hash: &v_token_hash,
            family_id: id,
            replaced_by: None,
            expires_at: t0(),
            revoked_at: Some(t0()),
            user_agent: Some("refresh_tokens.user_agent"),
            ip_address: Some(v_ip_address),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert refresh_tokens");
    let row: RefreshToken = refresh_tokens::table
        .find(id)
        .select(RefreshToken::as_select())
        .first(conn)
        .expect("read refresh_tokens");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.token_hash, v_token_hash);
    assert_eq!(row.family_id, id);
    assert_eq!(row.replaced_by, None);
    assert_eq!(row.expires_at, t0());
    assert_eq!(row.revoked_at, Some(t0()));
    assert_eq!(row.user_agent.as_deref(), Some("refresh_tokens.user_agent"));
    assert_eq!(row.ip_address, Some(v_ip_address));
    assert_eq!(row.created_at, t0());
    let changed_row: RefreshToken = diesel::update(refresh_tokens::table.find(id))
        .set(RefreshTokenChanges {
            user_agent: Some(Some("changed")),
            ..Default::default()
        })
        .returning(RefreshToken::as_returning())
        .get_result(conn)
        .expect("update refresh_tokens");
    assert_eq!(changed_row.user_agent.as_deref(), Some("changed"));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // password_reset_requests
    let id = PasswordResetRequestId::new();
    let v_token_hash = vec![0xABu8; 32];
    let v_ip_address: IpNetwork = "10.1.2.3".parse().expect("ip");
    diesel::insert_into(password_reset_requests::table)
        .values(NewPasswordResetRequest {
            id,
            user_id: users_id,
            token_hash: &v_token_hash,
            expires_at: t0(),
            used_at: Some(t0()),
            ip_address: Some(v_ip_address),
            user_agent: Some("password_reset_requests.user_agent"),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert password_reset_requests");
    let row: PasswordResetRequest = password_reset_requests::table
        .find(id)
        .select(PasswordResetRequest::as_select())
        .first(conn)
        .expect("read password_reset_requests");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.token_hash, v_token_hash);
    assert_eq!(row.expires_at, t0());
    assert_eq!(row.used_at, Some(t0()));
    assert_eq!(row.ip_address, Some(v_ip_address));
    assert_eq!(
        row.user_agent.as_deref(),
        Some("password_reset_requests.user_agent")
    );
    assert_eq!(row.created_at, t0());
    let changed_row: PasswordResetRequest = diesel::update(password_reset_requests::table.find(id))
        .set(PasswordResetRequestChanges {
            user_agent: Some(Some("changed")),
            ..Default::default()
        })
        .returning(PasswordResetRequest::as_returning())
        .get_result(conn)
        .expect("update password_reset_requests");
    assert_eq!(changed_row.user_agent.as_deref(), Some("changed"));

    // audit_logs
    let id = AuditLogId::new();
    let v_ip_address: IpNetwork = "10.1.2.3".parse().expect("ip");
    let v_details = json!({"sample": "audit_logs.details"});
    diesel::insert_into(audit_logs::table)
        .values(NewAuditLog {
            id,
            user_id: Some(users_id),
            action: "audit_logs.action",
            resource_type: Some("audit_logs.resource_type"),
            resource_id: Some("audit_logs.resource_id"),
            ip_address: Some(v_ip_address),
            user_agent: Some("audit_logs.user_agent"),
            details: Some(&v_details),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert audit_logs");
    let row: AuditLog = audit_logs::table
        .find(id)
        .select(AuditLog::as_select())
        .first(conn)
        .expect("read audit_logs");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, Some(users_id));
    assert_eq!(row.action, "audit_logs.action");
    assert_eq!(
        row.resource_type.as_deref(),
        Some("audit_logs.resource_type")
    );
    assert_eq!(row.resource_id.as_deref(), Some("audit_logs.resource_id"));
    assert_eq!(row.ip_address, Some(v_ip_address));
    assert_eq!(row.user_agent.as_deref(), Some("audit_logs.user_agent"));
    assert_eq!(row.details, v_details);
    assert_eq!(row.created_at, t0());

    // admin_roles
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
    let admin_roles_id = id;

    // admin_users
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

    // admin_audit_logs
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

    // teams
    let id = TeamId::new();
    let v_settings = json!({"sample": "teams.settings"});
    let v_metadata = json!({"sample": "teams.metadata"});
    diesel::insert_into(teams::table)
        .values(NewTeam {
            id,
            name: "teams.name",
            description: Some("teams.description"),
            owner_id: users_id,
            status: Some(TeamStatus::Archived),
            member_count: Some(7),
            project_count: Some(7),
            settings: Some(&v_settings),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert teams");
    let row: Team = teams::table
        .find(id)
        .select(Team::as_select())
        .first(conn)
        .expect("read teams");
    assert_eq!(row.id, id);
    assert_eq!(row.name, "teams.name");
    assert_eq!(row.description.as_deref(), Some("teams.description"));
    assert_eq!(row.owner_id, users_id);
    assert_eq!(row.status, TeamStatus::Archived);
    assert_eq!(row.member_count, 7);
    assert_eq!(row.project_count, 7);
    assert_eq!(row.settings, v_settings);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Team = diesel::update(teams::table.find(id))
        .set(TeamChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Team::as_returning())
        .get_result(conn)
        .expect("update teams");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let teams_id = id;

    // team_members
    let id = TeamMemberId::new();
    let v_metadata = json!({"sample": "team_members.metadata"});
    diesel::insert_into(team_members::table)
        .values(NewTeamMember {
            id,
            team_id: teams_id,
            user_id: users_id,
            role: Some(TeamRole::Lead),
            permission_level: Some(PermissionLevel::Write),
            status: Some(MembershipStatus::Invited),
            invited_by_id: Some(users_id),
            joined_at: Some(t0()),
            contribution_score: Some(0.5),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert team_members");
    let row: TeamMember = team_members::table
        .find(id)
        .select(TeamMember::as_select())
        .first(conn)
        .expect("read team_members");
    assert_eq!(row.id, id);
    assert_eq!(row.team_id, teams_id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.role, TeamRole::Lead);
    assert_eq!(row.permission_level, Some(PermissionLevel::Write));
    assert_eq!(row.status, MembershipStatus::Invited);
    assert_eq!(row.invited_by_id, Some(users_id));
    assert_eq!(row.joined_at, t0());
    assert_eq!(row.contribution_score, Some(0.5));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: TeamMember = diesel::update(team_members::table.find(id))
        .set(TeamMemberChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(TeamMember::as_returning())
        .get_result(conn)
        .expect("update team_members");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // team_invitations
    let id = TeamInvitationId::new();
    let v_token_hash = vec![0xABu8; 32];
    diesel::insert_into(team_invitations::table)
        .values(NewTeamInvitation {
            id,
            team_id: teams_id,
            invited_by_id: users_id,
            invited_email: "grace@example.com",
            role: Some(InvitationRole::Developer),
            token_hash: &v_token_hash,
            status: Some(InvitationStatus::Accepted),
            expires_at: t0(),
            responded_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert team_invitations");
    let row: TeamInvitation = team_invitations::table
        .find(id)
        .select(TeamInvitation::as_select())
        .first(conn)
        .expect("read team_invitations");
    assert_eq!(row.id, id);
    assert_eq!(row.team_id, teams_id);
    assert_eq!(row.invited_by_id, users_id);
    assert_eq!(row.invited_email, "grace@example.com");
    assert_eq!(row.role, InvitationRole::Developer);
    assert_eq!(row.token_hash, v_token_hash);
    assert_eq!(row.status, InvitationStatus::Accepted);
    assert_eq!(row.expires_at, t0());
    assert_eq!(row.responded_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed_row: TeamInvitation = diesel::update(team_invitations::table.find(id))
        .set(TeamInvitationChanges {
            expires_at: Some(t0() + Duration::days(1)),
            ..Default::default()
        })
        .returning(TeamInvitation::as_returning())
        .get_result(conn)
        .expect("update team_invitations");
    assert_eq!(changed_row.expires_at, t0() + Duration::days(1));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // api_keys
    let id = ApiKeyId::new();
    let v_key_hash = vec![0xABu8; 32];
    let v_scopes = vec!["alpha".to_owned(), "beta".to_owned()];
    let v_metadata = json!({"sample": "api_keys.metadata"});
    diesel::insert_into(api_keys::table)
        .values(NewApiKey {
            id,
            user_id: users_id,
            name: "api_keys.name",
            key_hash: &v_key_hash,
            key_prefix: "sk_live_ab12",
            status: Some(ApiKeyStatus::Revoked),
            scopes: Some(&v_scopes),
            rate_limit: Some(7),
            usage_count: Some(7),
            last_used_at: Some(t0()),
            expires_at: Some(t0()),
            revoked_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert api_keys");
    let row: ApiKey = api_keys::table
        .find(id)
        .select(ApiKey::as_select())
        .first(conn)
        .expect("read api_keys");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.name, "api_keys.name");
    assert_eq!(row.key_hash, v_key_hash);
    assert_eq!(row.key_prefix, "sk_live_ab12");
    assert_eq!(row.status, ApiKeyStatus::Revoked);
    assert_eq!(row.scopes, v_scopes);
    assert_eq!(row.rate_limit, Some(7));
    assert_eq!(row.usage_count, 7);
    assert_eq!(row.last_used_at, Some(t0()));
    assert_eq!(row.expires_at, Some(t0()));
    assert_eq!(row.revoked_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: ApiKey = diesel::update(api_keys::table.find(id))
        .set(ApiKeyChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(ApiKey::as_returning())
        .get_result(conn)
        .expect("update api_keys");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // llm_provider_keys
    let id = LlmProviderKeyId::new();
    let v_ciphertext = vec![9u8; 48];
    let v_nonce = vec![7u8; 12];
    diesel::insert_into(llm_provider_keys::table)
        .values(NewLlmProviderKey {
            id,
            user_id: users_id,
            provider: LlmProvider::OpenAi,
            ciphertext: &v_ciphertext,
            nonce: &v_nonce,
            key_version: Some(7),
            is_active: Some(false),
            last_used_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert llm_provider_keys");
    let row: LlmProviderKey = llm_provider_keys::table
        .find(id)
        .select(LlmProviderKey::as_select())
        .first(conn)
        .expect("read llm_provider_keys");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.provider, LlmProvider::OpenAi);
    assert_eq!(row.ciphertext, v_ciphertext);
    assert_eq!(row.nonce, v_nonce);
    assert_eq!(row.key_version, 7);
    assert!(!row.is_active);
    assert_eq!(row.last_used_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed_row: LlmProviderKey = diesel::update(llm_provider_keys::table.find(id))
        .set(LlmProviderKeyChanges {
            key_version: Some(8),
            ..Default::default()
        })
        .returning(LlmProviderKey::as_returning())
        .get_result(conn)
        .expect("update llm_provider_keys");
    assert_eq!(changed_row.key_version, 8);
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // user_rules
    let id = UserRulesId::new();
    let v_rules = json!({"sample": "user_rules.rules"});
    diesel::insert_into(user_rules::table)
        .values(NewUserRules {
            id,
            user_id: users_id,
            rules: Some(&v_rules),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert user_rules");
    let row: UserRules = user_rules::table
        .find(id)
        .select(UserRules::as_select())
        .first(conn)
        .expect("read user_rules");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.rules, v_rules);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: UserRules = diesel::update(user_rules::table.find(id))
        .set(UserRulesChanges {
            rules: Some(&changed),
            ..Default::default()
        })
        .returning(UserRules::as_returning())
        .get_result(conn)
        .expect("update user_rules");
    assert_eq!(changed_row.rules, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // user_preferences
    let id = UserPreferencesId::new();
    diesel::insert_into(user_preferences::table)
        .values(NewUserPreferences {
            id,
            user_id: users_id,
            theme: Some(Theme::Light),
            llm_model: Some("user_preferences.llm_model"),
            llm_temperature: Some(0.5),
            llm_max_tokens: Some(7),
            ide_type: Some(IdeType::JetBrains),
            auto_sync: Some(true),
            notifications_enabled: Some(false),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert user_preferences");
    let row: UserPreferences = user_preferences::table
        .find(id)
        .select(UserPreferences::as_select())
        .first(conn)
        .expect("read user_preferences");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.theme, Theme::Light);
    assert_eq!(row.llm_model.as_deref(), Some("user_preferences.llm_model"));
    assert_eq!(row.llm_temperature, 0.5);
    assert_eq!(row.llm_max_tokens, 7);
    assert_eq!(row.ide_type, Some(IdeType::JetBrains));
    assert!(row.auto_sync);
    assert!(!row.notifications_enabled);
    assert_eq!(row.created_at, t0());
    let changed_row: UserPreferences = diesel::update(user_preferences::table.find(id))
        .set(UserPreferencesChanges {
            llm_model: Some(Some("changed")),
            ..Default::default()
        })
        .returning(UserPreferences::as_returning())
        .get_result(conn)
        .expect("update user_preferences");
    assert_eq!(changed_row.llm_model.as_deref(), Some("changed"));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // cross_db_outbox
    let id = OutboxEntryId::new();
    let v_subject_id = Uuid::now_v7();
    diesel::insert_into(cross_db_outbox::table)
        .values(NewOutboxEntry {
            id,
            kind: OutboxKind::TeamDeleted,
            subject_id: v_subject_id,
            created_at: Some(t0()),
            processed_at: Some(t0()),
            attempts: Some(7),
            last_error: Some("cross_db_outbox.last_error"),
        })
        .execute(conn)
        .expect("insert cross_db_outbox");
    let row: OutboxEntry = cross_db_outbox::table
        .find(id)
        .select(OutboxEntry::as_select())
        .first(conn)
        .expect("read cross_db_outbox");
    assert_eq!(row.id, id);
    assert_eq!(row.kind, OutboxKind::TeamDeleted);
    assert_eq!(row.subject_id, v_subject_id);
    assert_eq!(row.created_at, t0());
    assert_eq!(row.processed_at, Some(t0()));
    assert_eq!(row.attempts, 7);
    assert_eq!(
        row.last_error.as_deref(),
        Some("cross_db_outbox.last_error")
    );
    let changed_row: OutboxEntry = diesel::update(cross_db_outbox::table.find(id))
        .set(OutboxEntryChanges {
            last_error: Some(Some("changed")),
            ..Default::default()
        })
        .returning(OutboxEntry::as_returning())
        .get_result(conn)
        .expect("update cross_db_outbox");
    assert_eq!(changed_row.last_error.as_deref(), Some("changed"));

    job_checkpoints_round_trip!(conn, auth_db);
}

/// One row per specs table, inserted and read back field by field.
#[test]
fn every_specs_table_round_trips_through_its_models() {
    use specs_db::enums::*;
    use specs_db::ids::*;
    use specs_db::models::*;
    use specs_db::schema::*;
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();

    // projects
    let id = ProjectId::new();
    let v_owner_id = UserId::new();
    let v_creator_id = UserId::new();
    let v_technology_stack = json!({"sample": "projects.technology_stack"});
    let v_metadata = json!({"sample": "projects.metadata"});
    diesel::insert_into(projects::table)
        .values(NewProject {
            id,
            owner_id: v_owner_id,
            creator_id: v_creator_id,
            name: "projects.name",
            description: Some("projects.description"),
            current_phase: Some(ProjectPhase::Analysis),
            status: Some(ProjectStatus::Archived),
            maturity_score: Some(0.5),
            technology_stack: Some(&v_technology_stack),
            metadata: Some(&v_metadata),
            archived_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert projects");
    let row: Project = projects::table
        .find(id)
        .select(Project::as_select())
        .first(conn)
        .expect("read projects");
    assert_eq!(row.id, id);
    assert_eq!(row.owner_id, v_owner_id);
    assert_eq!(row.creator_id, v_creator_id);
    assert_eq!(row.name, "projects.name");
    assert_eq!(row.description.as_deref(), Some("projects.description"));
    assert_eq!(row.current_phase, ProjectPhase::Analysis);
    assert_eq!(row.status, ProjectStatus::Archived);
    assert_eq!(row.maturity_score, 0.5);
    assert_eq!(row.technology_stack, v_technology_stack);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.archived_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Project = diesel::update(projects::table.find(id))
        .set(ProjectChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Project::as_returning())
        .get_result(conn)
        .expect("update projects");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let projects_id = id;

    // sessions
    let id = SessionId::new();
    let v_user_id = UserId::new();
    let v_metadata = json!({"sample": "sessions.metadata"});
    diesel::insert_into(sessions::table)
        .values(NewSession {
            id,
            project_id: projects_id,
            user_id: Some(v_user_id),
            title: Some("sessions.title"),
            mode: Some(SessionMode::DirectChat),
            status: Some(SessionStatus::Archived),
            domain: Some("sessions.domain"),
            role: Some("sessions.role"),
            message_count: Some(7),
            metadata: Some(&v_metadata),
            started_at: Some(t0()),
            ended_at: Some(t0()),
            archived_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert sessions");
    let row: Session = sessions::table
        .find(id)
        .select(Session::as_select())
        .first(conn)
        .expect("read sessions");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.title.as_deref(), Some("sessions.title"));
    assert_eq!(row.mode, SessionMode::DirectChat);
    assert_eq!(row.status, SessionStatus::Archived);
    assert_eq!(row.domain.as_deref(), Some("sessions.domain"));
    assert_eq!(row.role.as_deref(), Some("sessions.role"));
    assert_eq!(row.message_count, 7);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.started_at, t0());
    assert_eq!(row.ended_at, Some(t0()));
    assert_eq!(row.archived_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Session = diesel::update(sessions::table.find(id))
        .set(SessionChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Session::as_returning())
        .get_result(conn)
        .expect("update sessions");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let sessions_id = id;

    // questions
    let id = QuestionId::new();
    let v_metadata = json!({"sample": "questions.metadata"});
    diesel::insert_into(questions::table)
        .values(NewQuestion {
            id,
            project_id: projects_id,
            session_id: Some(sessions_id),
            text: "questions.text",
            category: SpecCategory::Requirements,
            context: Some("questions.context"),
            priority: Some(QuestionPriority::Medium),
            status: Some(QuestionStatus::Answered),
            answer: Some("questions.answer"),
            quality_score: Some(0.5),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert questions");
    let row: Question = questions::table
        .find(id)
        .select(Question::as_select())
        .first(conn)
        .expect("read questions");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.session_id, Some(sessions_id));
    assert_eq!(row.text, "questions.text");
    assert_eq!(row.category, SpecCategory::Requirements);
    assert_eq!(row.context.as_deref(), Some("questions.context"));
    assert_eq!(row.priority, QuestionPriority::Medium);
    assert_eq!(row.status, QuestionStatus::Answered);
    assert_eq!(row.answer.as_deref(), Some("questions.answer"));
    assert_eq!(row.quality_score, 0.5);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Question = diesel::update(questions::table.find(id))
        .set(QuestionChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Question::as_returning())
        .get_result(conn)
        .expect("update questions");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let questions_id = id;

    // specifications
    let id = SpecificationId::new();
    let v_metadata = json!({"sample": "specifications.metadata"});
    diesel::insert_into(specifications::table)
        .values(NewSpecification {
            id,
            project_id: projects_id,
            session_id: Some(sessions_id),
            category: SpecCategory::Requirements,
            key: "specifications.key",
            value: "specifications.value",
            spec_type: Some(SpecType::NonFunctional),
            source: Some(SpecSource::Extracted),
            status: Some(SpecStatus::Approved),
            version: Some(7),
            confidence: Some(0.5),
            maturity_score: Some(0.5),
            is_current: Some(false),
            superseded_at: Some(t0()),
            superseded_by: None,
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert specifications");
    let row: Specification = specifications::table
        .find(id)
        .select(Specification::as_select())
        .first(conn)
        .expect("read specifications");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.session_id, Some(sessions_id));
    assert_eq!(row.category, SpecCategory::Requirements);
    assert_eq!(row.key, "specifications.key");
    assert_eq!(row.value, "specifications.value");
    assert_eq!(row.spec_type, Some(SpecType::NonFunctional));
    assert_eq!(row.source, SpecSource::Extracted);
    assert_eq!(row.status, SpecStatus::Approved);
    assert_eq!(row.version, 7);
    assert_eq!(row.confidence, Some(0.5));
    assert_eq!(row.maturity_score, 0.5);
    assert!(!row.is_current);
    assert_eq!(row.superseded_at, Some(t0()));
    assert_eq!(row.superseded_by, None);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Specification = diesel::update(specifications::table.find(id))
        .set(SpecificationChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Specification::as_returning())
        .get_result(conn)
        .expect("update specifications");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let specifications_id = id;

    // conversation_history
    let id = ConversationMessageId::new();
    let v_user_id = UserId::new();
    let v_metadata = json!({"sample": "conversation_history.metadata"});
    diesel::insert_into(conversation_history::table)
        .values(NewConversationMessage {
            id,
            session_id: sessions_id,
            user_id: Some(v_user_id),
            role: MessageRole::Assistant,
            content: "conversation_history.content",
            message_type: Some(MessageType::Answer),
            tokens_used: Some(7),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert conversation_history");
    let row: ConversationMessage = conversation_history::table
        .find(id)
        .select(ConversationMessage::as_select())
        .first(conn)
        .expect("read conversation_history");
    assert_eq!(row.id, id);
    assert_eq!(row.session_id, sessions_id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.role, MessageRole::Assistant);
    assert_eq!(row.content, "conversation_history.content");
    assert_eq!(row.message_type, Some(MessageType::Answer));
    assert_eq!(row.tokens_used, Some(7));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());

    // conflicts
    let id = ConflictId::new();
    let v_spec_ids = vec![specifications_id];
    let v_metadata = json!({"sample": "conflicts.metadata"});
    diesel::insert_into(conflicts::table)
        .values(NewConflict {
            id,
            project_id: projects_id,
            title: Some("conflicts.title"),
            description: "conflicts.description",
            conflict_type: ConflictType::Requirement,
            severity: Some(ConflictSeverity::Medium),
            status: Some(ConflictStatus::Resolved),
            spec_ids: Some(&v_spec_ids),
            resolution: Some("conflicts.resolution"),
            resolved_at: Some(t0()),
            resolved_by_user: Some(true),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert conflicts");
    let row: Conflict = conflicts::table
        .find(id)
        .select(Conflict::as_select())
        .first(conn)
        .expect("read conflicts");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.title.as_deref(), Some("conflicts.title"));
    assert_eq!(row.description, "conflicts.description");
    assert_eq!(row.conflict_type, ConflictType::Requirement);
    assert_eq!(row.severity, ConflictSeverity::Medium);
    assert_eq!(row.status, ConflictStatus::Resolved);
    assert_eq!(row.spec_ids, v_spec_ids);
    assert_eq!(row.resolution.as_deref(), Some("conflicts.resolution"));
    assert_eq!(row.resolved_at, Some(t0()));
    assert!(row.resolved_by_user);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Conflict = diesel::update(conflicts::table.find(id))
        .set(ConflictChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Conflict::as_returning())
        .get_result(conn)
        .expect("update conflicts");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // maturity_tracking
    let id = MaturityRecordId::new();
    let v_details = json!({"sample": "maturity_tracking.details"});
    diesel::insert_into(maturity_tracking::table)
        .values(NewMaturityRecord {
            id,
            project_id: projects_id,
            category: SpecCategory::Requirements,
            score: 0.5,
            details: Some(&v_details),
            calculated_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert maturity_tracking");
    let row: MaturityRecord = maturity_tracking::table
        .find(id)
        .select(MaturityRecord::as_select())
        .first(conn)
        .expect("read maturity_tracking");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.category, SpecCategory::Requirements);
    assert_eq!(row.score, 0.5);
    assert_eq!(row.details, v_details);
    assert_eq!(row.calculated_at, t0());
    assert_eq!(row.created_at, t0());

    // quality_metrics
    let id = QualityMetricId::new();
    let v_details = json!({"sample": "quality_metrics.details"});
    let v_metadata = json!({"sample": "quality_metrics.metadata"});
    diesel::insert_into(quality_metrics::table)
        .values(NewQualityMetric {
            id,
            project_id: projects_id,
            metric_name: "quality_metrics.metric_name",
            metric_type: Some(MetricType::Coverage),
            metric_value: 0.5,
            threshold: Some(0.5),
            passed: Some(true),
            details: Some(&v_details),
            metadata: Some(&v_metadata),
            calculated_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert quality_metrics");
    let row: QualityMetric = quality_metrics::table
        .find(id)
        .select(QualityMetric::as_select())
        .first(conn)
        .expect("read quality_metrics");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.metric_name, "quality_metrics.metric_name");
    assert_eq!(row.metric_type, MetricType::Coverage);
    assert_eq!(row.metric_value, 0.5);
    assert_eq!(row.threshold, Some(0.5));
    assert_eq!(row.passed, Some(true));
    assert_eq!(row.details, v_details);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.calculated_at, t0());
    assert_eq!(row.created_at, t0());

    // test_results
    let id = TestResultId::new();
    let v_technology_stack = json!({"sample": "test_results.technology_stack"});
    let v_results = json!({"sample": "test_results.results"});
    diesel::insert_into(test_results::table)
        .values(NewTestResult {
            id,
            project_id: projects_id,
            test_type: TestType::Integration,
            technology_stack: Some(&v_technology_stack),
            status: Some(TestStatus::Running),
            results: Some(&v_results),
            error_message: Some("test_results.error_message"),
            started_at: Some(t0()),
            completed_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert test_results");
    let row: TestResult = test_results::table
        .find(id)
        .select(TestResult::as_select())
        .first(conn)
        .expect("read test_results");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.test_type, TestType::Integration);
    assert_eq!(row.technology_stack, v_technology_stack);
    assert_eq!(row.status, TestStatus::Running);
    assert_eq!(row.results, v_results);
    assert_eq!(
        row.error_message.as_deref(),
        Some("test_results.error_message")
    );
    assert_eq!(row.started_at, t0());
    assert_eq!(row.completed_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed_row: TestResult = diesel::update(test_results::table.find(id))
        .set(TestResultChanges {
            error_message: Some(Some("changed")),
            ..Default::default()
        })
        .returning(TestResult::as_returning())
        .get_result(conn)
        .expect("update test_results");
    assert_eq!(changed_row.error_message.as_deref(), Some("changed"));

    // generated_projects
    let id = GeneratedProjectId::new();
    let v_structure = json!({"sample": "generated_projects.structure"});
    let v_configuration = json!({"sample": "generated_projects.configuration"});
    let v_metadata = json!({"sample": "generated_projects.metadata"});
    diesel::insert_into(generated_projects::table)
        .values(NewGeneratedProject {
            id,
            project_id: projects_id,
            generation_version: Some(7),
            name: "generated_projects.name",
            description: Some("generated_projects.description"),
            language: Some("generated_projects.language"),
            framework: Some("generated_projects.framework"),
            version: Some("ted_projects.version"),
            status: Some(GenerationStatus::InProgress),
            file_count: Some(7),
            total_lines_of_code: Some(7),
            test_coverage: Some(0.5),
            quality_score: Some(0.5),
            traceability_score: Some(0.5),
            download_url: Some("generated_projects.download_url"),
            structure: Some(&v_structure),
            configuration: Some(&v_configuration),
            metadata: Some(&v_metadata),
            generation_started_at: Some(t0()),
            generation_completed_at: Some(t0()),
            error_message: Some("generated_projects.error_message"),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert generated_projects");
    let row: GeneratedProject = generated_projects::table
        .find(id)
        .select(GeneratedProject::as_select())
        .first(conn)
        .expect("read generated_projects");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.generation_version, 7);
    assert_eq!(row.name, "generated_projects.name");
    assert_eq!(
        row.description.as_deref(),
        Some("generated_projects.description")
    );
    assert_eq!(row.language.as_deref(), Some("generated_projects.language"));
    assert_eq!(
        row.framework.as_deref(),
        Some("generated_projects.framework")
    );
    assert_eq!(row.version.as_deref(), Some("ted_projects.version"));
    assert_eq!(row.status, GenerationStatus::InProgress);
    assert_eq!(row.file_count, 7);
    assert_eq!(row.total_lines_of_code, 7);
    assert_eq!(row.test_coverage, Some(0.5));
    assert_eq!(row.quality_score, Some(0.5));
    assert_eq!(row.traceability_score, Some(0.5));
    assert_eq!(
        row.download_url.as_deref(),
        Some("generated_projects.download_url")
    );
    assert_eq!(row.structure, v_structure);
    assert_eq!(row.configuration, v_configuration);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.generation_started_at, Some(t0()));
    assert_eq!(row.generation_completed_at, Some(t0()));
    assert_eq!(
        row.error_message.as_deref(),
        Some("generated_projects.error_message")
    );
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: GeneratedProject = diesel::update(generated_projects::table.find(id))
        .set(GeneratedProjectChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(GeneratedProject::as_returning())
        .get_result(conn)
        .expect("update generated_projects");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let generated_projects_id = id;

    // generated_files
    let id = GeneratedFileId::new();
    let v_spec_ids = vec![specifications_id];
    let v_metadata = json!({"sample": "generated_files.metadata"});
    diesel::insert_into(generated_files::table)
        .values(NewGeneratedFile {
            id,
            generated_project_id: generated_projects_id,
            file_path: "generated_files.file_path",
            filename: "generated_files.filename",
            file_type: Some("generated_files.file_type"),
            content: Some("generated_files.content"),
            file_size: Some(7),
            lines_of_code: Some(7),
            purpose: Some("generated_files.purpose"),
            status: Some(GeneratedFileStatus::Generated),
            spec_ids: Some(&v_spec_ids),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert generated_files");
    let row: GeneratedFile = generated_files::table
        .find(id)
        .select(GeneratedFile::as_select())
        .first(conn)
        .expect("read generated_files");
    assert_eq!(row.id, id);
    assert_eq!(row.generated_project_id, generated_projects_id);
    assert_eq!(row.file_path, "generated_files.file_path");
    assert_eq!(row.filename, "generated_files.filename");
    assert_eq!(row.file_type.as_deref(), Some("generated_files.file_type"));
    assert_eq!(row.content.as_deref(), Some("generated_files.content"));
    assert_eq!(row.file_size, Some(7));
    assert_eq!(row.lines_of_code, Some(7));
    assert_eq!(row.purpose.as_deref(), Some("generated_files.purpose"));
    assert_eq!(row.status, GeneratedFileStatus::Generated);
    assert_eq!(row.spec_ids, v_spec_ids);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: GeneratedFile = diesel::update(generated_files::table.find(id))
        .set(GeneratedFileChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(GeneratedFile::as_returning())
        .get_result(conn)
        .expect("update generated_files");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // user_behavior_patterns
    let id = UserBehaviorPatternId::new();
    let v_user_id = UserId::new();
    let v_pattern_data = json!({"sample": "user_behavior_patterns.pattern_data"});
    let v_learned_from_projects = vec![projects_id];
    let v_metadata = json!({"sample": "user_behavior_patterns.metadata"});
    diesel::insert_into(user_behavior_patterns::table)
        .values(NewUserBehaviorPattern {
            id,
            user_id: v_user_id,
            pattern_type: "user_behavior_patterns.pattern_type",
            pattern_data: Some(&v_pattern_data),
            confidence: 0.5,
            learned_from_projects: Some(&v_learned_from_projects),
            observation_period: Some(ObservationPeriod::Weekly),
            sample_size: Some(7),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert user_behavior_patterns");
    let row: UserBehaviorPattern = user_behavior_patterns::table
        .find(id)
        .select(UserBehaviorPattern::as_select())
        .first(conn)
        .expect("read user_behavior_patterns");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.pattern_type, "user_behavior_patterns.pattern_type");
    assert_eq!(row.pattern_data, v_pattern_data);
    assert_eq!(row.confidence, 0.5);
    assert_eq!(row.learned_from_projects, v_learned_from_projects);
    assert_eq!(row.observation_period, Some(ObservationPeriod::Weekly));
    assert_eq!(row.sample_size, Some(7));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: UserBehaviorPattern = diesel::update(user_behavior_patterns::table.find(id))
        .set(UserBehaviorPatternChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(UserBehaviorPattern::as_returning())
        .get_result(conn)
        .expect("update user_behavior_patterns");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // question_effectiveness
    let id = QuestionEffectivenessId::new();
    let v_user_id = UserId::new();
    let v_feedback = json!({"sample": "question_effectiveness.feedback"});
    let v_metadata = json!({"sample": "question_effectiveness.metadata"});
    diesel::insert_into(question_effectiveness::table)
        .values(NewQuestionEffectiveness {
            id,
            user_id: Some(v_user_id),
            question_template_id: "question_effectiveness.question_template_id",
            question_id: Some(questions_id),
            question_text: Some("question_effectiveness.question_text"),
            role: Some("question_effectiveness.role"),
            project_type: Some("question_effectiveness.project_type"),
            times_asked: Some(7),
            times_answered_well: Some(7),
            times_skipped: Some(7),
            average_answer_length: Some(7),
            average_spec_extraction_count: Some(0.5),
            average_response_time_seconds: Some(0.5),
            effectiveness_score: Some(0.5),
            relevance_score: Some(0.5),
            clarity_score: Some(0.5),
            feedback: Some(&v_feedback),
            recommendations: Some("question_effectiveness.recommendations"),
            last_asked_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert question_effectiveness");
    let row: QuestionEffectiveness = question_effectiveness::table
        .find(id)
        .select(QuestionEffectiveness::as_select())
        .first(conn)
        .expect("read question_effectiveness");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(
        row.question_template_id,
        "question_effectiveness.question_template_id"
    );
    assert_eq!(row.question_id, Some(questions_id));
    assert_eq!(
        row.question_text.as_deref(),
        Some("question_effectiveness.question_text")
    );
    assert_eq!(row.role.as_deref(), Some("question_effectiveness.role"));
    assert_eq!(
        row.project_type.as_deref(),
        Some("question_effectiveness.project_type")
    );
    assert_eq!(row.times_asked, 7);
    assert_eq!(row.times_answered_well, 7);
    assert_eq!(row.times_skipped, 7);
    assert_eq!(row.average_answer_length, Some(7));
    assert_eq!(row.average_spec_extraction_count, Some(0.5));
    assert_eq!(row.average_response_time_seconds, Some(0.5));
    assert_eq!(row.effectiveness_score, Some(0.5));
    assert_eq!(row.relevance_score, Some(0.5));
    assert_eq!(row.clarity_score, Some(0.5));
    assert_eq!(row.feedback, v_feedback);
    assert_eq!(
        row.recommendations.as_deref(),
        Some("question_effectiveness.recommendations")
    );
    assert_eq!(row.last_asked_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: QuestionEffectiveness = diesel::update(question_effectiveness::table.find(id))
        .set(QuestionEffectivenessChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(QuestionEffectiveness::as_returning())
        .get_result(conn)
        .expect("update question_effectiveness");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // knowledge_base_documents
    let id = KnowledgeDocumentId::new();
    let v_user_id = UserId::new();
    let v_tags = vec!["alpha".to_owned(), "beta".to_owned()];
    let v_embedding: Vec<f32> = (0..384).map(|i| i as f32 / 384.0).collect();
    let v_metadata = json!({"sample": "knowledge_base_documents.metadata"});
    diesel::insert_into(knowledge_base_documents::table)
        .values(NewKnowledgeDocument {
            id,
            project_id: Some(projects_id),
            user_id: Some(v_user_id),
            title: "knowledge_base_documents.title",
            filename: Some("knowledge_base_documents.filename"),
            file_path: Some("knowledge_base_documents.file_path"),
            file_size: Some(7),
            content_type: Some("knowledge_base_documents.content_type"),
            document_type: Some("knowledge_base_documents.document_type"),
            category: Some("knowledge_base_documents.category"),
            tags: Some(&v_tags),
            source: Some("knowledge_base_documents.source"),
            content: Some("knowledge_base_documents.content"),
            content_summary: Some("knowledge_base_documents.content_summary"),
            status: Some(DocumentStatus::Processing),
            version: Some(7),
            is_approved: Some(true),
            relevance_score: Some(0.5),
            usage_count: Some(7),
            embedding: Some(&v_embedding),
            embedding_model: Some("knowledge_base_documents.embedding_model"),
            embedded_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert knowledge_base_documents");
    let row: KnowledgeDocument = knowledge_base_documents::table
        .find(id)
        .select(KnowledgeDocument::as_select())
        .first(conn)
        .expect("read knowledge_base_documents");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.title, "knowledge_base_documents.title");
    assert_eq!(
        row.filename.as_deref(),
        Some("knowledge_base_documents.filename")
    );
    assert_eq!(
        row.file_path.as_deref(),
        Some("knowledge_base_documents.file_path")
    );
    assert_eq!(row.file_size, Some(7));
    assert_eq!(
        row.content_type.as_deref(),
        Some("knowledge_base_documents.content_type")
    );
    assert_eq!(
        row.document_type.as_deref(),
        Some("knowledge_base_documents.document_type")
    );
    assert_eq!(
        row.category.as_deref(),
        Some("knowledge_base_documents.category")
    );
    assert_eq!(row.tags, v_tags);
    assert_eq!(
        row.source.as_deref(),
        Some("knowledge_base_documents.source")
    );
    assert_eq!(
        row.content.as_deref(),
        Some("knowledge_base_documents.content")
    );
    assert_eq!(
        row.content_summary.as_deref(),
        Some("knowledge_base_documents.content_summary")
    );
    assert_eq!(row.status, DocumentStatus::Processing);
    assert_eq!(row.version, 7);
    assert!(row.is_approved);
    assert_eq!(row.relevance_score, Some(0.5));
    assert_eq!(row.usage_count, 7);
    assert_eq!(row.embedding, Some(v_embedding));
    assert_eq!(
        row.embedding_model.as_deref(),
        Some("knowledge_base_documents.embedding_model")
    );
    assert_eq!(row.embedded_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: KnowledgeDocument = diesel::update(knowledge_base_documents::table.find(id))
        .set(KnowledgeDocumentChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(KnowledgeDocument::as_returning())
        .get_result(conn)
        .expect("update knowledge_base_documents");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let knowledge_base_documents_id = id;

    // document_chunks
    let id = DocumentChunkId::new();
    let v_embedding: Vec<f32> = (0..384).map(|i| i as f32 / 384.0).collect();
    let v_metadata = json!({"sample": "document_chunks.metadata"});
    diesel::insert_into(document_chunks::table)
        .values(NewDocumentChunk {
            id,
            document_id: knowledge_base_documents_id,
            project_id: Some(projects_id),
            chunk_index: 7,
            content: "document_chunks.content",
            chunk_type: Some("document_chunks.chunk_type"),
            source_section: Some("document_chunks.source_section"),
            tokens_count: Some(7),
            embedding: Some(&v_embedding),
            embedding_model: Some("document_chunks.embedding_model"),
            embedded_at: Some(t0()),
            relevance_score: Some(0.5),
            search_count: Some(7),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert document_chunks");
    let row: DocumentChunk = document_chunks::table
        .find(id)
        .select(DocumentChunk::as_select())
        .first(conn)
        .expect("read document_chunks");
    assert_eq!(row.id, id);
    assert_eq!(row.document_id, knowledge_base_documents_id);
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.chunk_index, 7);
    assert_eq!(row.content, "document_chunks.content");
    assert_eq!(
        row.chunk_type.as_deref(),
        Some("document_chunks.chunk_type")
    );
    assert_eq!(
        row.source_section.as_deref(),
        Some("document_chunks.source_section")
    );
    assert_eq!(row.tokens_count, Some(7));
    assert_eq!(row.embedding, Some(v_embedding));
    assert_eq!(
        row.embedding_model.as_deref(),
        Some("document_chunks.embedding_model")
    );
    assert_eq!(row.embedded_at, Some(t0()));
    assert_eq!(row.relevance_score, Some(0.5));
    assert_eq!(row.search_count, 7);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: DocumentChunk = diesel::update(document_chunks::table.find(id))
        .set(DocumentChunkChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(DocumentChunk::as_returning())
        .get_result(conn)
        .expect("update document_chunks");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // project_shares
    let id = ProjectShareId::new();
    let v_shared_with_team_id = TeamId::new();
    let v_shared_by_id = UserId::new();
    let v_metadata = json!({"sample": "project_shares.metadata"});
    diesel::insert_into(project_shares::table)
        .values(NewProjectShare {
            id,
            project_id: projects_id,
            access_type: AccessType::Team,
            shared_with_user_id: None,
            shared_with_team_id: Some(v_shared_with_team_id),
            shared_by_id: v_shared_by_id,
            permission_level: Some(PermissionLevel::Write),
            link_token_hash: None,
            link_password_hash: Some("project_shares.link_password_hash"),
            expires_at: Some(t0()),
            access_count: Some(7),
            last_accessed_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert project_shares");
    let row: ProjectShare = project_shares::table
        .find(id)
        .select(ProjectShare::as_select())
        .first(conn)
        .expect("read project_shares");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.access_type, AccessType::Team);
    assert_eq!(row.shared_with_user_id, None);
    assert_eq!(row.shared_with_team_id, Some(v_shared_with_team_id));
    assert_eq!(row.shared_by_id, v_shared_by_id);
    assert_eq!(row.permission_level, PermissionLevel::Write);
    assert_eq!(row.link_token_hash, None);
    assert_eq!(
        row.link_password_hash.as_deref(),
        Some("project_shares.link_password_hash")
    );
    assert_eq!(row.expires_at, Some(t0()));
    assert_eq!(row.access_count, 7);
    assert_eq!(row.last_accessed_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: ProjectShare = diesel::update(project_shares::table.find(id))
        .set(ProjectShareChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(ProjectShare::as_returning())
        .get_result(conn)
        .expect("update project_shares");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // project_invitations
    let id = ProjectInvitationId::new();
    let v_invited_user_id = UserId::new();
    let v_invited_by_id = UserId::new();
    let v_token_hash = vec![0xABu8; 32];
    let v_metadata = json!({"sample": "project_invitations.metadata"});
    diesel::insert_into(project_invitations::table)
        .values(NewProjectInvitation {
            id,
            project_id: projects_id,
            invited_user_id: Some(v_invited_user_id),
            invited_email: Some("linus@example.com"),
            invited_by_id: v_invited_by_id,
            role: Some(ProjectRole::Member),
            permission_level: Some(PermissionLevel::Write),
            status: Some(InvitationStatus::Accepted),
            token_hash: &v_token_hash,
            expires_at: t0(),
            message: Some("project_invitations.message"),
            responded_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert project_invitations");
    let row: ProjectInvitation = project_invitations::table
        .find(id)
        .select(ProjectInvitation::as_select())
        .first(conn)
        .expect("read project_invitations");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.invited_user_id, Some(v_invited_user_id));
    assert_eq!(row.invited_email.as_deref(), Some("linus@example.com"));
    assert_eq!(row.invited_by_id, v_invited_by_id);
    assert_eq!(row.role, ProjectRole::Member);
    assert_eq!(row.permission_level, Some(PermissionLevel::Write));
    assert_eq!(row.status, InvitationStatus::Accepted);
    assert_eq!(row.token_hash, v_token_hash);
    assert_eq!(row.expires_at, t0());
    assert_eq!(row.message.as_deref(), Some("project_invitations.message"));
    assert_eq!(row.responded_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: ProjectInvitation = diesel::update(project_invitations::table.find(id))
        .set(ProjectInvitationChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(ProjectInvitation::as_returning())
        .get_result(conn)
        .expect("update project_invitations");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // llm_usage_tracking
    let id = LlmUsageId::new();
    let v_user_id = UserId::new();
    let v_cost_usd = BigDecimal::from_str("0.012345").expect("decimal");
    let v_metadata = json!({"sample": "llm_usage_tracking.metadata"});
    diesel::insert_into(llm_usage_tracking::table)
        .values(NewLlmUsage {
            id,
            user_id: v_user_id,
            project_id: Some(projects_id),
            session_id: Some(sessions_id),
            provider: LlmProvider::OpenAi,
            model_name: "llm_usage_tracking.model_name",
            operation_type: Some("llm_usage_tracking.operation_type"),
            input_tokens: Some(7),
            output_tokens: Some(7),
            total_tokens: Some(7),
            cost_usd: Some(&v_cost_usd),
            latency_ms: Some(7),
            status: Some(LlmCallStatus::Error),
            error_message: Some("llm_usage_tracking.error_message"),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert llm_usage_tracking");
    let row: LlmUsage = llm_usage_tracking::table
        .find(id)
        .select(LlmUsage::as_select())
        .first(conn)
        .expect("read llm_usage_tracking");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.session_id, Some(sessions_id));
    assert_eq!(row.provider, LlmProvider::OpenAi);
    assert_eq!(row.model_name, "llm_usage_tracking.model_name");
    assert_eq!(
        row.operation_type.as_deref(),
        Some("llm_usage_tracking.operation_type")
    );
    assert_eq!(row.input_tokens, 7);
    assert_eq!(row.output_tokens, 7);
    assert_eq!(row.total_tokens, 7);
    assert_eq!(row.cost_usd, Some(v_cost_usd));
    assert_eq!(row.latency_ms, Some(7));
    assert_eq!(row.status, LlmCallStatus::Error);
    assert_eq!(
        row.error_message.as_deref(),
        Some("llm_usage_tracking.error_message")
    );
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());

    // subscriptions
    let id = SubscriptionId::new();
    let v_user_id = UserId::new();
    let v_price_usd = BigDecimal::from_str("19.99").expect("decimal");
    let v_features = json!({"sample": "subscriptions.features"});
    let v_metadata = json!({"sample": "subscriptions.metadata"});
    diesel::insert_into(subscriptions::table)
        .values(NewSubscription {
            id,
            user_id: v_user_id,
            plan_name: PlanName::Starter,
            plan_type: Some(PlanType::Yearly),
            status: Some(SubscriptionStatus::Cancelled),
            price_usd: Some(&v_price_usd),
            billing_cycle_start: Some(t0()),
            billing_cycle_end: Some(t0() + Duration::days(30)),
            auto_renew: Some(false),
            cancelled_at: Some(t0()),
            stripe_customer_id: Some("subscriptions.stripe_customer_id"),
            stripe_subscription_id: Some("subscriptions.stripe_subscription_id"),
            features: Some(&v_features),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert subscriptions");
    let row: Subscription = subscriptions::table
        .find(id)
        .select(Subscription::as_select())
        .first(conn)
        .expect("read subscriptions");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.plan_name, PlanName::Starter);
    assert_eq!(row.plan_type, Some(PlanType::Yearly));
    assert_eq!(row.status, SubscriptionStatus::Cancelled);
    assert_eq!(row.price_usd, Some(v_price_usd));
    assert_eq!(row.billing_cycle_start, Some(t0()));
    assert_eq!(row.billing_cycle_end, Some(t0() + Duration::days(30)));
    assert!(!row.auto_renew);
    assert_eq!(row.cancelled_at, Some(t0()));
    assert_eq!(
        row.stripe_customer_id.as_deref(),
        Some("subscriptions.stripe_customer_id")
    );
    assert_eq!(
        row.stripe_subscription_id.as_deref(),
        Some("subscriptions.stripe_subscription_id")
    );
    assert_eq!(row.features, v_features);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Subscription = diesel::update(subscriptions::table.find(id))
        .set(SubscriptionChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Subscription::as_returning())
        .get_result(conn)
        .expect("update subscriptions");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
    let subscriptions_id = id;

    // invoices
    let id = InvoiceId::new();
    let v_user_id = UserId::new();
    let v_amount = BigDecimal::from_str("19.99").expect("decimal");
    let v_line_items = json!([{"sample": "invoices.line_items"}]);
    let v_metadata = json!({"sample": "invoices.metadata"});
    diesel::insert_into(invoices::table)
        .values(NewInvoice {
            id,
            user_id: v_user_id,
            subscription_id: Some(subscriptions_id),
            invoice_number: "invoices.invoice_number",
            amount: &v_amount,
            currency: Some("EUR"),
            status: Some(InvoiceStatus::Sent),
            description: Some("invoices.description"),
            line_items: Some(&v_line_items),
            issued_at: Some(t0()),
            due_at: Some(t0()),
            paid_at: Some(t0()),
            stripe_invoice_id: Some("invoices.stripe_invoice_id"),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert invoices");
    let row: Invoice = invoices::table
        .find(id)
        .select(Invoice::as_select())
        .first(conn)
        .expect("read invoices");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.subscription_id, Some(subscriptions_id));
    assert_eq!(row.invoice_number, "invoices.invoice_number");
    assert_eq!(row.amount, v_amount);
    assert_eq!(row.currency, "EUR");
    assert_eq!(row.status, InvoiceStatus::Sent);
    assert_eq!(row.description.as_deref(), Some("invoices.description"));
    assert_eq!(row.line_items, v_line_items);
    assert_eq!(row.issued_at, Some(t0()));
    assert_eq!(row.due_at, Some(t0()));
    assert_eq!(row.paid_at, Some(t0()));
    assert_eq!(
        row.stripe_invoice_id.as_deref(),
        Some("invoices.stripe_invoice_id")
    );
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Invoice = diesel::update(invoices::table.find(id))
        .set(InvoiceChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Invoice::as_returning())
        .get_result(conn)
        .expect("update invoices");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // analytics_metrics
    let id = AnalyticsMetricId::new();
    let v_tags = vec!["alpha".to_owned(), "beta".to_owned()];
    let v_metadata = json!({"sample": "analytics_metrics.metadata"});
    diesel::insert_into(analytics_metrics::table)
        .values(NewAnalyticsMetric {
            id,
            metric_name: "analytics_metrics.metric_name",
            metric_value: 0.5,
            dimension_type: Some("analytics_metrics.dimension_type"),
            dimension_value: Some("analytics_metrics.dimension_value"),
            period: Some(MetricPeriod::Weekly),
            period_start: Some(t0()),
            period_end: Some(t0() + Duration::days(30)),
            tags: Some(&v_tags),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert analytics_metrics");
    let row: AnalyticsMetric = analytics_metrics::table
        .find(id)
        .select(AnalyticsMetric::as_select())
        .first(conn)
        .expect("read analytics_metrics");
    assert_eq!(row.id, id);
    assert_eq!(row.metric_name, "analytics_metrics.metric_name");
    assert_eq!(row.metric_value, 0.5);
    assert_eq!(
        row.dimension_type.as_deref(),
        Some("analytics_metrics.dimension_type")
    );
    assert_eq!(
        row.dimension_value.as_deref(),
        Some("analytics_metrics.dimension_value")
    );
    assert_eq!(row.period, Some(MetricPeriod::Weekly));
    assert_eq!(row.period_start, t0());
    assert_eq!(row.period_end, Some(t0() + Duration::days(30)));
    assert_eq!(row.tags, v_tags);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: AnalyticsMetric = diesel::update(analytics_metrics::table.find(id))
        .set(AnalyticsMetricChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(AnalyticsMetric::as_returning())
        .get_result(conn)
        .expect("update analytics_metrics");
    assert_eq!(changed_row.metadata, json!({"changed": true}));

    // notification_preferences
    let id = NotificationPreferenceId::new();
    let v_user_id = UserId::new();
    let v_metadata = json!({"sample": "notification_preferences.metadata"});
    diesel::insert_into(notification_preferences::table)
        .values(NewNotificationPreference {
            id,
            user_id: v_user_id,
            notification_type: NotificationType::Maturity,
            email_enabled: Some(false),
            in_app_enabled: Some(false),
            slack_enabled: Some(true),
            frequency: Some(NotificationFrequency::Daily),
            quiet_hours_enabled: Some(true),
            quiet_hours_start: Some(NaiveTime::from_hms_opt(22, 0, 0).expect("time")),
            quiet_hours_end: Some(NaiveTime::from_hms_opt(7, 0, 0).expect("time")),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert notification_preferences");
    let row: NotificationPreference = notification_preferences::table
        .find(id)
        .select(NotificationPreference::as_select())
        .first(conn)
        .expect("read notification_preferences");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.notification_type, NotificationType::Maturity);
    assert!(!row.email_enabled);
    assert!(!row.in_app_enabled);
    assert!(row.slack_enabled);
    assert_eq!(row.frequency, NotificationFrequency::Daily);
    assert!(row.quiet_hours_enabled);
    assert_eq!(
        row.quiet_hours_start,
        Some(NaiveTime::from_hms_opt(22, 0, 0).expect("time"))
    );
    assert_eq!(
        row.quiet_hours_end,
        Some(NaiveTime::from_hms_opt(7, 0, 0).expect("time"))
    );
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: NotificationPreference =
        diesel::update(notification_preferences::table.find(id))
            .set(NotificationPreferenceChanges {
                metadata: Some(&changed),
                ..Default::default()
            })
            .returning(NotificationPreference::as_returning())
            .get_result(conn)
            .expect("update notification_preferences");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );

    // activity_logs
    let id = ActivityLogId::new();
    let v_user_id = UserId::new();
    let v_resource_id = Uuid::now_v7();
    let v_changes = json!({"sample": "activity_logs.changes"});
    let v_ip_address: IpNetwork = "10.1.2.3".parse().expect("ip");
    let v_metadata = json!({"sample": "activity_logs.metadata"});
    diesel::insert_into(activity_logs::table)
        .values(NewActivityLog {
            id,
            user_id: Some(v_user_id),
            project_id: Some(projects_id),
            action: "activity_logs.action",
            resource_type: "activity_logs.resource_type",
            resource_id: Some(v_resource_id),
            resource_name: Some("activity_logs.resource_name"),
            description: Some("activity_logs.description"),
            changes: Some(&v_changes),
            severity: Some(ActivitySeverity::Warning),
            ip_address: Some(v_ip_address),
            user_agent: Some("activity_logs.user_agent"),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert activity_logs");
    let row: ActivityLog = activity_logs::table
        .find(id)
        .select(ActivityLog::as_select())
        .first(conn)
        .expect("read activity_logs");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.action, "activity_logs.action");
    assert_eq!(row.resource_type, "activity_logs.resource_type");
    assert_eq!(row.resource_id, Some(v_resource_id));
    assert_eq!(
        row.resource_name.as_deref(),
        Some("activity_logs.resource_name")
    );
    assert_eq!(
        row.description.as_deref(),
        Some("activity_logs.description")
    );
    assert_eq!(row.changes, v_changes);
    assert_eq!(row.severity, ActivitySeverity::Warning);
    assert_eq!(row.ip_address, Some(v_ip_address));
    assert_eq!(row.user_agent.as_deref(), Some("activity_logs.user_agent"));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());

    job_checkpoints_round_trip!(conn, specs_db);
}
