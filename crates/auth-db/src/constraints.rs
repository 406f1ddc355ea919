//! Names of the constraints (and unique indexes) of `socrates_auth` that code
//! matches errors against: a violation is told apart by its name
//! (`db_core::DbError::UniqueViolation { constraint, .. }`), so the names are
//! written once, here, and a test checks each against the migrated catalog.

/// One account per e-mail address (`users.email`).
pub const UQ_USERS_EMAIL: &str = "uq_users_email";
/// One account per username (`users.username`).
pub const UQ_USERS_USERNAME: &str = "uq_users_username";
/// An owner's team names are unique (`teams (owner_id, name)`).
pub const UQ_TEAMS_OWNER_ID_NAME: &str = "uq_teams_owner_id_name";
/// One pending invitation per address and team (a partial unique index).
pub const UQ_TEAM_INVITATIONS_TEAM_ID_INVITED_EMAIL_PENDING: &str =
    "uq_team_invitations_team_id_invited_email_pending";
/// Admin audit records keep their admin (`admin_audit_logs.admin_id`).
pub const FK_ADMIN_AUDIT_LOGS_ADMIN_ID: &str = "fk_admin_audit_logs_admin_id";

/// Every name above.
pub const ALL: &[&str] = &[
    UQ_USERS_EMAIL,
    UQ_USERS_USERNAME,
    UQ_TEAMS_OWNER_ID_NAME,
    UQ_TEAM_INVITATIONS_TEAM_ID_INVITED_EMAIL_PENDING,
    FK_ADMIN_AUDIT_LOGS_ADMIN_ID,
];
