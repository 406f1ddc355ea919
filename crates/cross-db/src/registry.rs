//! Every specs column that refers to a row of `socrates_auth` (SCHEMA.md 5.1, 5.2).
//!
//! A foreign key cannot cross databases, so these columns are plain `uuid`s and
//! this list is what the application enforces instead: writes lock the
//! referenced rows, deletions apply each column's policy, and the orphan scan
//! checks each column. A test compares the list with the catalog, where each
//! such column's comment begins `Cross-DB ref to socrates_auth.<table>.id`.
//! Each entry names a column of the generated `specs_db::schema`, so the list
//! cannot drift from the schema; [`crate::references`] ties each entry to the
//! specs structs that write it.

use diesel::Column;
use diesel::sql_types::SqlType;
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

/// Whether a SQL type admits NULL, known at compile time.
pub trait Nullability {
    /// True for `Nullable<_>` columns.
    const NULLABLE: bool;
}

impl Nullability for diesel::sql_types::is_nullable::NotNull {
    const NULLABLE: bool = false;
}

impl Nullability for diesel::sql_types::is_nullable::IsNullable {
    const NULLABLE: bool = true;
}

impl CrossRef {
    /// The entry of column `C` of the generated `schema.rs` (named `table`,
    /// the module `C` lives in): its name and nullability come from the
    /// column's type, so the registry cannot name a column that does not
    /// exist or misstate whether it may be NULL.
    pub const fn of<C>(table: &'static str, target: Target, policy: Policy) -> Self
    where
        C: Column,
        C::SqlType: SqlType,
        <C::SqlType as SqlType>::IsNull: Nullability,
    {
        Self {
            table,
            column: C::NAME,
            target,
            nullable: <<C::SqlType as SqlType>::IsNull as Nullability>::NULLABLE,
            policy,
        }
    }
}

/// A registry entry from `table.column -> target, policy`, checked against
/// `specs_db::schema` at compile time.
macro_rules! reference {
    ($table:ident . $column:ident -> $target:ident, $policy:ident) => {
        CrossRef::of::<specs_db::schema::$table::$column>(
            stringify!($table),
            Target::$target,
            Policy::$policy,
        )
    };
}

/// SCHEMA.md 5.1 (rows 1-16) and 5.2 (row 17), in that order.
pub const REFERENCES: &[CrossRef] = &[
    reference!(projects.owner_id -> Users, Cascade),
    reference!(projects.creator_id -> Users, Keep),
    reference!(sessions.user_id -> Users, SetNull),
    reference!(conversation_history.user_id -> Users, SetNull),
    reference!(user_behavior_patterns.user_id -> Users, Cascade),
    reference!(question_effectiveness.user_id -> Users, Cascade),
    reference!(knowledge_base_documents.user_id -> Users, SetNull),
    reference!(project_shares.shared_with_user_id -> Users, Cascade),
    reference!(project_shares.shared_by_id -> Users, Keep),
    reference!(project_invitations.invited_user_id -> Users, Cascade),
    reference!(project_invitations.invited_by_id -> Users, Cascade),
    reference!(llm_usage_tracking.user_id -> Users, Keep),
    reference!(subscriptions.user_id -> Users, Keep),
    reference!(invoices.user_id -> Users, Keep),
    reference!(notification_preferences.user_id -> Users, Cascade),
    reference!(activity_logs.user_id -> Users, Keep),
    reference!(project_shares.shared_with_team_id -> Teams, Cascade),
];

/// The entry of `table.column`, if it is registered.
pub fn find(table: &str, column: &str) -> Option<&'static CrossRef> {
    REFERENCES
        .iter()
        .find(|r| r.table == table && r.column == column)
}

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
