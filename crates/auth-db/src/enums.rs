//! Every enumerated column of socrates_auth: one Rust enum per CHECK value set.
//!
//! [`ENUM_COLUMNS`] lists where each enum is stored; a test compares every entry with
//! its CHECK constraint in the catalog, and every enum CHECK in the catalog with this list.

use db_core::EnumColumn;
use db_core::{ImportOutcome, InvitationStatus, JobStatus, LlmProvider, PermissionLevel};

db_core::text_enum! {
    /// Platform role of a user.
    pub enum UserRole {
        /// `user`
        User => "user",
        /// `admin`
        Admin => "admin",
        /// `moderator`
        Moderator => "moderator",
    }
}

db_core::text_enum! {
    /// Account state; only `Active` may log in.
    pub enum UserStatus {
        /// `active`
        Active => "active",
        /// `inactive`
        Inactive => "inactive",
        /// `suspended`
        Suspended => "suspended",
        /// `deleted`
        Deleted => "deleted",
    }
}

db_core::text_enum! {
    /// State of a team.
    pub enum TeamStatus {
        /// `active`
        Active => "active",
        /// `archived`
        Archived => "archived",
        /// `suspended`
        Suspended => "suspended",
    }
}

db_core::text_enum! {
    /// Role of a member in a team.
    pub enum TeamRole {
        /// `owner`
        Owner => "owner",
        /// `lead`
        Lead => "lead",
        /// `developer`
        Developer => "developer",
        /// `viewer`
        Viewer => "viewer",
    }
}

db_core::text_enum! {
    /// State of a team membership.
    pub enum MembershipStatus {
        /// `active`
        Active => "active",
        /// `invited`
        Invited => "invited",
        /// `inactive`
        Inactive => "inactive",
        /// `suspended`
        Suspended => "suspended",
    }
}

db_core::text_enum! {
    /// Team role granted when an invitation is accepted.
    pub enum InvitationRole {
        /// `lead`
        Lead => "lead",
        /// `developer`
        Developer => "developer",
        /// `viewer`
        Viewer => "viewer",
    }
}

db_core::text_enum! {
    /// State of a platform API key.
    pub enum ApiKeyStatus {
        /// `active`
        Active => "active",
        /// `revoked`
        Revoked => "revoked",
        /// `expired`
        Expired => "expired",
    }
}

db_core::text_enum! {
    /// UI theme.
    pub enum Theme {
        /// `dark`
        Dark => "dark",
        /// `light`
        Light => "light",
        /// `system`
        System => "system",
    }
}

db_core::text_enum! {
    /// IDE integration.
    pub enum IdeType {
        /// `vscode`
        VsCode => "vscode",
        /// `jetbrains`
        JetBrains => "jetbrains",
        /// `vim`
        Vim => "vim",
        /// `emacs`
        Emacs => "emacs",
        /// `cursor`
        Cursor => "cursor",
        /// `other`
        Other => "other",
    }
}

db_core::text_enum! {
    /// What an outbox entry records as deleted.
    pub enum OutboxKind {
        /// `user_deleted`
        UserDeleted => "user_deleted",
        /// `team_deleted`
        TeamDeleted => "team_deleted",
    }
}

/// Where every enum of this database is stored, with its value list.
pub const ENUM_COLUMNS: &[EnumColumn] = &[
    db_core::enum_column!(users.role: UserRole),
    db_core::enum_column!(users.status: UserStatus),
    db_core::enum_column!(teams.status: TeamStatus),
    db_core::enum_column!(team_members.role: TeamRole),
    db_core::enum_column!(team_members.permission_level: PermissionLevel),
    db_core::enum_column!(team_members.status: MembershipStatus),
    db_core::enum_column!(team_invitations.role: InvitationRole),
    db_core::enum_column!(team_invitations.status: InvitationStatus),
    db_core::enum_column!(api_keys.status: ApiKeyStatus),
    db_core::enum_column!(llm_provider_keys.provider: LlmProvider),
    db_core::enum_column!(user_preferences.theme: Theme),
    db_core::enum_column!(user_preferences.ide_type: IdeType),
    db_core::enum_column!(cross_db_outbox.kind: OutboxKind),
    db_core::enum_column!(job_checkpoints.status: JobStatus),
    db_core::enum_column!(legacy_import_progress.status: JobStatus),
    db_core::enum_column!(legacy_import_quarantine.outcome: ImportOutcome),
];
