//! Typed ids of the tables of socrates_auth (`UserId`, `TeamId` and `JobCheckpointId` live in db-core).

db_core::typed_id! {
    /// Primary key of `refresh_tokens`.
    pub struct RefreshTokenId;
}

db_core::typed_id! {
    /// Primary key of `password_reset_requests`.
    pub struct PasswordResetRequestId;
}

db_core::typed_id! {
    /// Primary key of `audit_logs`.
    pub struct AuditLogId;
}

db_core::typed_id! {
    /// Primary key of `admin_roles`.
    pub struct AdminRoleId;
}

db_core::typed_id! {
    /// Primary key of `admin_users`.
    pub struct AdminGrantId;
}

db_core::typed_id! {
    /// Primary key of `admin_audit_logs`.
    pub struct AdminAuditLogId;
}

db_core::typed_id! {
    /// Primary key of `team_members`.
    pub struct TeamMemberId;
}

db_core::typed_id! {
    /// Primary key of `team_invitations`.
    pub struct TeamInvitationId;
}

db_core::typed_id! {
    /// Primary key of `api_keys`.
    pub struct ApiKeyId;
}

db_core::typed_id! {
    /// Primary key of `llm_provider_keys`.
    pub struct LlmProviderKeyId;
}

db_core::typed_id! {
    /// Primary key of `user_rules`.
    pub struct UserRulesId;
}

db_core::typed_id! {
    /// Primary key of `user_preferences`.
    pub struct UserPreferencesId;
}

db_core::typed_id! {
    /// Primary key of `cross_db_outbox`.
    pub struct OutboxEntryId;
}
