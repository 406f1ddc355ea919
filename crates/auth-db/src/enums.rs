//! Every enumerated column of socrates_auth: one Rust enum per CHECK value set.
//!
//! [`ENUM_COLUMNS`] lists where each enum is stored; a test compares every entry with
//! its CHECK constraint in the catalog, and every enum CHECK in the catalog with this list.

use db_core::EnumColumn;
use db_core::{InvitationStatus, JobStatus, LlmProvider, PermissionLevel};

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
    EnumColumn {
        table: "users",
        column: "role",
        type_name: "UserRole",
        values: UserRole::VALUES,
    },
    EnumColumn {
        table: "users",
        column: "status",
        type_name: "UserStatus",
        values: UserStatus::VALUES,
    },
    EnumColumn {
        table: "teams",
        column: "status",
        type_name: "TeamStatus",
        values: TeamStatus::VALUES,
    },
    EnumColumn {
        table: "team_members",
        column: "role",
        type_name: "TeamRole",
        values: TeamRole::VALUES,
    },
    EnumColumn {
        table: "team_members",
        column: "permission_level",
        type_name: "PermissionLevel",
        values: PermissionLevel::VALUES,
    },
    EnumColumn {
        table: "team_members",
        column: "status",
        type_name: "MembershipStatus",
        values: MembershipStatus::VALUES,
    },
    EnumColumn {
        table: "team_invitations",
        column: "role",
        type_name: "InvitationRole",
        values: InvitationRole::VALUES,
    },
    EnumColumn {
        table: "team_invitations",
        column: "status",
        type_name: "InvitationStatus",
        values: InvitationStatus::VALUES,
    },
    EnumColumn {
        table: "api_keys",
        column: "status",
        type_name: "ApiKeyStatus",
        values: ApiKeyStatus::VALUES,
    },
    EnumColumn {
        table: "llm_provider_keys",
        column: "provider",
        type_name: "LlmProvider",
        values: LlmProvider::VALUES,
    },
    EnumColumn {
        table: "user_preferences",
        column: "theme",
        type_name: "Theme",
        values: Theme::VALUES,
    },
    EnumColumn {
        table: "user_preferences",
        column: "ide_type",
        type_name: "IdeType",
        values: IdeType::VALUES,
    },
    EnumColumn {
        table: "cross_db_outbox",
        column: "kind",
        type_name: "OutboxKind",
        values: OutboxKind::VALUES,
    },
    EnumColumn {
        table: "job_checkpoints",
        column: "status",
        type_name: "JobStatus",
        values: JobStatus::VALUES,
    },
];
