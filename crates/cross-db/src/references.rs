//! The typed boundary: a specs row knows which auth rows it refers to.
//!
//! Every insert and update struct of `specs_db::models` that holds a
//! registered column (see [`crate::registry`]) implements [`References`], so
//! the references a write must check are derived from the value being written
//! ([`Refs::of`]) instead of being assembled by hand beside it. Each
//! implementation names the columns it covers; a test reads the models and
//! proves that every registered column is covered by exactly the structs that
//! write it, and that every struct covers only registered columns.

use db_core::{TeamId, UserId};
use specs_db::models::*;

use diesel::PgConnection;

use crate::XdbError;
use crate::registry::{self, CrossRef};
use crate::write::Refs;

/// A specs value that holds ids of auth rows.
pub trait References {
    /// The registered columns this value writes, as `(table, column)`.
    const COLUMNS: &'static [(&'static str, &'static str)];

    /// Adds the auth rows this value refers to (NULL and unset columns add nothing).
    fn add_to(&self, refs: &mut Refs);
}

impl<T: References> References for [T] {
    const COLUMNS: &'static [(&'static str, &'static str)] = T::COLUMNS;

    fn add_to(&self, refs: &mut Refs) {
        for value in self {
            value.add_to(refs);
        }
    }
}

impl<T: References> References for Vec<T> {
    const COLUMNS: &'static [(&'static str, &'static str)] = T::COLUMNS;

    fn add_to(&self, refs: &mut Refs) {
        self.as_slice().add_to(refs);
    }
}

impl Refs {
    /// The references a value holds: the way a write names what it refers to
    /// (`Refs::of(&new_project)`).
    pub fn of(value: &(impl References + ?Sized)) -> Self {
        Self::new().and(value)
    }

    /// Adds the references a value holds.
    pub fn and(mut self, value: &(impl References + ?Sized)) -> Self {
        value.add_to(&mut self);
        self
    }
}

/// Writes `value` with `body`: through [`fn@crate::write`] (its auth rows locked
/// and checked) when it names any, straight to specs when it names none, so a
/// row without an author costs no auth round trip. `body` is one statement,
/// or owns its transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub fn write_row<V, T, E>(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    value: &V,
    body: impl FnOnce(&mut PgConnection, &V) -> Result<T, E>,
) -> Result<T, E>
where
    V: References + ?Sized,
    E: From<XdbError> + From<diesel::result::Error>,
{
    let refs = Refs::of(value);
    if refs.is_empty() {
        body(specs, value)
    } else {
        crate::write(auth, specs, &refs, |w| body(w.specs, value))
    }
}

/// An auth id a specs column may hold: a user's or a team's.
pub trait AuthId: Copy {
    /// Adds the id to `refs`.
    fn add_to(self, refs: &mut Refs);
}

impl AuthId for UserId {
    fn add_to(self, refs: &mut Refs) {
        *refs = std::mem::take(refs).user(self);
    }
}

impl AuthId for TeamId {
    fn add_to(self, refs: &mut Refs) {
        *refs = std::mem::take(refs).team(self);
    }
}

/// A field that may hold an auth id of type `Id`: the id itself, `Option<Id>`
/// (a nullable column, or an update that may leave it), `Option<Option<Id>>`.
pub trait Holds<Id: AuthId> {
    /// Adds the id, if the field holds one.
    fn add_ids(&self, refs: &mut Refs);
}

impl<Id: AuthId> Holds<Id> for Id {
    fn add_ids(&self, refs: &mut Refs) {
        self.add_to(refs);
    }
}

impl<Id: AuthId, T: Holds<Id>> Holds<Id> for Option<T> {
    fn add_ids(&self, refs: &mut Refs) {
        if let Some(value) = self {
            value.add_ids(refs);
        }
    }
}

/// One struct that writes registered columns, for the coverage test.
#[derive(Debug, Clone, Copy)]
pub struct Writer {
    /// The struct's name in `specs_db::models`.
    pub name: &'static str,
    /// The registered columns it writes.
    pub columns: &'static [(&'static str, &'static str)],
}

impl Writer {
    /// The registry entries of its columns (`None` for a column not registered).
    pub fn entries(&self) -> impl Iterator<Item = Option<&'static CrossRef>> + '_ {
        self.columns.iter().map(|(t, c)| registry::find(t, c))
    }
}

/// Implements [`References`] for specs structs: `Struct => table { column: users, .. }`.
/// A field declared `users` must hold user ids and `teams` team ids, or the
/// implementation does not compile; the field names are the column names.
macro_rules! references {
    ($($name:ident => $table:ident { $($column:ident: $target:ident),+ $(,)? }),+ $(,)?) => {
        $(
            impl References for $name<'_> {
                const COLUMNS: &'static [(&'static str, &'static str)] =
                    &[$((stringify!($table), stringify!($column))),+];

                fn add_to(&self, refs: &mut Refs) {
                    $(references!(@add $target, self.$column, refs);)+
                }
            }
        )+

        /// Every struct that implements [`References`], with its columns.
        pub const WRITERS: &[Writer] = &[
            $(Writer { name: stringify!($name), columns: <$name<'static> as References>::COLUMNS }),+
        ];
    };
    (@add users, $field:expr, $refs:ident) => { Holds::<UserId>::add_ids(&$field, $refs) };
    (@add teams, $field:expr, $refs:ident) => { Holds::<TeamId>::add_ids(&$field, $refs) };
}

references! {
    NewProject => projects { owner_id: users, creator_id: users },
    ProjectChanges => projects { owner_id: users },
    NewSession => sessions { user_id: users },
    SessionChanges => sessions { user_id: users },
    NewConversationMessage => conversation_history { user_id: users },
    NewUserBehaviorPattern => user_behavior_patterns { user_id: users },
    UserBehaviorPatternChanges => user_behavior_patterns { user_id: users },
    NewQuestionEffectiveness => question_effectiveness { user_id: users },
    QuestionEffectivenessChanges => question_effectiveness { user_id: users },
    NewKnowledgeDocument => knowledge_base_documents { user_id: users },
    KnowledgeDocumentChanges => knowledge_base_documents { user_id: users },
    NewProjectShare => project_shares {
        shared_with_user_id: users,
        shared_by_id: users,
        shared_with_team_id: teams,
    },
    ProjectShareChanges => project_shares {
        shared_with_user_id: users,
        shared_by_id: users,
        shared_with_team_id: teams,
    },
    NewProjectInvitation => project_invitations { invited_user_id: users, invited_by_id: users },
    ProjectInvitationChanges => project_invitations { invited_user_id: users, invited_by_id: users },
    NewLlmUsage => llm_usage_tracking { user_id: users },
    NewSubscription => subscriptions { user_id: users },
    SubscriptionChanges => subscriptions { user_id: users },
    NewInvoice => invoices { user_id: users },
    InvoiceChanges => invoices { user_id: users },
    NewNotificationPreference => notification_preferences { user_id: users },
    NotificationPreferenceChanges => notification_preferences { user_id: users },
    NewActivityLog => activity_logs { user_id: users },
}
