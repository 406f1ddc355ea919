//! Every specs column that refers to a row of `socrates_auth` (SCHEMA.md 5.1, 5.2).
//!
//! A foreign key cannot cross databases, so these columns are plain `uuid`s and
//! this list is what the application enforces instead: writes lock the
//! referenced rows, deletions apply each column's policy, and the orphan scan
//! checks each column. A test compares the list with the catalog, where each
//! such column's comment begins `Cross-DB ref to socrates_auth.<table>.id`.

use serde::Serialize;

/// The auth table a column refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// `socrates_auth.users.id`
    Users,
    /// `socrates_auth.teams.id`
    Teams,
}

impl Target {
    /// The auth table's name.
    pub const fn table(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Teams => "teams",
        }
    }

    /// The outbox kind that records a deletion of this target.
    pub const fn outbox_kind(self) -> auth_db::enums::OutboxKind {
        match self {
            Self::Users => auth_db::enums::OutboxKind::UserDeleted,
            Self::Teams => auth_db::enums::OutboxKind::TeamDeleted,
        }
    }
}

/// What happens to a referencing row when its target is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Delete the row (and, through in-database foreign keys, what hangs from it).
    Cascade,
    /// Clear the column.
    SetNull,
    /// Leave the id as a tombstone: the history must survive.
    Keep,
}

impl Policy {
    /// The name used in column comments (`on delete: set_null.`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Cascade => "cascade",
            Self::SetNull => "set_null",
            Self::Keep => "keep",
        }
    }
}

/// One specs column that holds ids of an auth table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CrossRef {
    /// Specs table.
    pub table: &'static str,
    /// Column holding the id.
    pub column: &'static str,
    /// Auth table referred to.
    pub target: Target,
    /// Whether the column may be NULL.
    pub nullable: bool,
    /// What a deletion of the target does to the row.
    pub policy: Policy,
}

const fn users(
    table: &'static str,
    column: &'static str,
    nullable: bool,
    policy: Policy,
) -> CrossRef {
    CrossRef {
        table,
        column,
        target: Target::Users,
        nullable,
        policy,
    }
}

/// SCHEMA.md 5.1 (rows 1-16) and 5.2 (row 17), in that order.
pub const REFERENCES: &[CrossRef] = &[
    users("projects", "owner_id", false, Policy::Cascade),
    users("projects", "creator_id", false, Policy::Keep),
    users("sessions", "user_id", true, Policy::SetNull),
    users("conversation_history", "user_id", true, Policy::SetNull),
    users("user_behavior_patterns", "user_id", false, Policy::Cascade),
    users("question_effectiveness", "user_id", true, Policy::Cascade),
    users("knowledge_base_documents", "user_id", true, Policy::SetNull),
    users(
        "project_shares",
        "shared_with_user_id",
        true,
        Policy::Cascade,
    ),
    users("project_shares", "shared_by_id", false, Policy::Keep),
    users(
        "project_invitations",
        "invited_user_id",
        true,
        Policy::Cascade,
    ),
    users(
        "project_invitations",
        "invited_by_id",
        false,
        Policy::Cascade,
    ),
    users("llm_usage_tracking", "user_id", false, Policy::Keep),
    users("subscriptions", "user_id", false, Policy::Keep),
    users("invoices", "user_id", false, Policy::Keep),
    users(
        "notification_preferences",
        "user_id",
        false,
        Policy::Cascade,
    ),
    users("activity_logs", "user_id", true, Policy::Keep),
    CrossRef {
        table: "project_shares",
        column: "shared_with_team_id",
        target: Target::Teams,
        nullable: true,
        policy: Policy::Cascade,
    },
];

/// The references to `target`.
pub fn references_to(target: Target) -> impl Iterator<Item = &'static CrossRef> {
    REFERENCES.iter().filter(move |r| r.target == target)
}

impl CrossRef {
    /// The comment prefix SCHEMA.md 1.6 requires on this column.
    pub fn comment_prefix(&self) -> String {
        format!(
            "Cross-DB ref to socrates_auth.{}.id (no FK); on delete: {}.",
            self.target.table(),
            self.policy.as_str()
        )
    }
}
