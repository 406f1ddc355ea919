//! Models of socrates_auth: per table a read struct, a `New*` insert struct and,
//! where rows change, a `*Changes` changeset.

mod admin_audit_logs;
mod admin_roles;
mod admin_users;
mod api_keys;
mod audit_logs;
mod cross_db_outbox;
mod job_checkpoints;
mod llm_provider_keys;
mod password_reset_requests;
mod refresh_tokens;
mod team_invitations;
mod team_members;
mod teams;
mod user_preferences;
mod user_rules;
mod users;

pub use admin_audit_logs::{AdminAuditLog, NewAdminAuditLog};
pub use admin_roles::{AdminRole, AdminRoleChanges, NewAdminRole};
pub use admin_users::{AdminGrant, AdminGrantChanges, NewAdminGrant};
pub use api_keys::{ApiKey, ApiKeyChanges, NewApiKey};
pub use audit_logs::{AuditLog, NewAuditLog};
pub use cross_db_outbox::{NewOutboxEntry, OutboxEntry, OutboxEntryChanges};
pub use job_checkpoints::{JobCheckpoint, JobCheckpointChanges, NewJobCheckpoint};
pub use llm_provider_keys::{LlmProviderKey, LlmProviderKeyChanges, NewLlmProviderKey};
pub use password_reset_requests::{
    NewPasswordResetRequest, PasswordResetRequest, PasswordResetRequestChanges,
};
pub use refresh_tokens::{NewRefreshToken, RefreshToken, RefreshTokenChanges};
pub use team_invitations::{NewTeamInvitation, TeamInvitation, TeamInvitationChanges};
pub use team_members::{NewTeamMember, TeamMember, TeamMemberChanges};
pub use teams::{NewTeam, Team, TeamChanges};
pub use user_preferences::{NewUserPreferences, UserPreferences, UserPreferencesChanges};
pub use user_rules::{NewUserRules, UserRules, UserRulesChanges};
pub use users::{NewUser, User, UserChanges};
