//! Round trips of users and what hangs from them.

use super::*;
use auth_db::enums::*;
use auth_db::ids::*;
use auth_db::models::*;
use auth_db::schema::*;

/// `users`: inserted with every column set, read back equal, and updated.
#[test]
fn users() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
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
}

/// `refresh_tokens`: inserted with every column set, read back equal, and updated.
#[test]
fn refresh_tokens() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
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
}

/// `password_reset_requests`: inserted with every column set, read back equal, and updated.
#[test]
fn password_reset_requests() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
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
}

/// `audit_logs`: inserted with every column set, read back equal, and updated.
#[test]
fn audit_logs() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
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
}

/// `api_keys`: inserted with every column set, read back equal, and updated.
#[test]
fn api_keys() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
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
}

/// `llm_provider_keys`: inserted with every column set, read back equal, and updated.
#[test]
fn llm_provider_keys() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
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
}

/// `user_rules`: inserted with every column set, read back equal, and updated.
#[test]
fn user_rules() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
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
}

/// `user_preferences`: inserted with every column set, read back equal, and updated.
#[test]
fn user_preferences() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
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
}
