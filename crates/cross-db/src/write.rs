//! The write path of SCHEMA.md 5: no orphan from a race.
//!
//! A specs row that names an auth user or team is written like this: open an
//! auth transaction, take `FOR KEY SHARE` on the referenced rows (refusing ids
//! that are missing, or users whose status is `deleted`), run the specs
//! transaction, commit it, and only then end the auth transaction. A
//! concurrent deletion needs a stronger lock on the same row, so it waits for
//! the write to commit; its outbox cleanup then sees the new row. A write that
//! comes after the deletion finds the row gone and is refused.

use std::collections::{BTreeSet, HashSet};

use auth_db::enums::UserStatus;
use auth_db::schema::{teams, users};
use db_core::{TeamId, UserId};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;

use crate::XdbError;

/// The auth rows a specs write refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refs {
    users: BTreeSet<UserId>,
    teams: BTreeSet<TeamId>,
}

impl Refs {
    /// No references (yet).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a user.
    pub fn user(mut self, id: UserId) -> Self {
        self.users.insert(id);
        self
    }

    /// Adds many users.
    pub fn users(mut self, ids: impl IntoIterator<Item = UserId>) -> Self {
        self.users.extend(ids);
        self
    }

    /// Adds a team.
    pub fn team(mut self, id: TeamId) -> Self {
        self.teams.insert(id);
        self
    }

    /// Adds many teams.
    pub fn teams(mut self, ids: impl IntoIterator<Item = TeamId>) -> Self {
        self.teams.extend(ids);
        self
    }

    /// Whether nothing is referenced.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.teams.is_empty()
    }
}

/// Both connections while a checked write runs: `auth` holds the locks (and may be
/// written in the same auth transaction), `specs` is inside the write's transaction.
pub struct Write<'c> {
    /// The auth connection, inside the transaction that holds the locks.
    pub auth: &'c mut PgConnection,
    /// The specs connection, inside the write's transaction.
    pub specs: &'c mut PgConnection,
}

/// Which referenced ids exist (and, for users, are not deleted), for bulk writers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Present {
    /// Users that exist and are not deleted; now locked.
    pub users: HashSet<UserId>,
    /// Teams that exist; now locked.
    pub teams: HashSet<TeamId>,
}

impl Present {
    /// Whether the user may be referenced.
    pub fn has_user(&self, id: UserId) -> bool {
        self.users.contains(&id)
    }

    /// Whether the team may be referenced.
    pub fn has_team(&self, id: TeamId) -> bool {
        self.teams.contains(&id)
    }
}

/// Locks the referenced rows and returns which of them may be referenced.
fn lock(auth: &mut PgConnection, refs: &Refs) -> QueryResult<Present> {
    let _span = tracing::debug_span!(
        "cross_db_lock",
        users = refs.users.len(),
        teams = refs.teams.len()
    )
    .entered();
    let mut present = Present::default();
    if !refs.users.is_empty() {
        let ids: Vec<UserId> = refs.users.iter().copied().collect();
        let found: Vec<(UserId, UserStatus)> = users::table
            .filter(users::id.eq_any(&ids))
            .select((users::id, users::status))
            .order(users::id)
            .for_key_share()
            .load(auth)?;
        present.users = found
            .into_iter()
            .filter(|(_, status)| *status != UserStatus::Deleted)
            .map(|(id, _)| id)
            .collect();
    }
    if !refs.teams.is_empty() {
        let ids: Vec<TeamId> = refs.teams.iter().copied().collect();
        present.teams = teams::table
            .filter(teams::id.eq_any(&ids))
            .select(teams::id)
            .order(teams::id)
            .for_key_share()
            .load::<TeamId>(auth)?
            .into_iter()
            .collect();
    }
    Ok(present)
}

/// Why a reference set cannot be written, naming the first offender.
fn refuse(
    auth: &mut PgConnection,
    refs: &Refs,
    present: &Present,
) -> QueryResult<Option<XdbError>> {
    if let Some(&user) = refs.users.iter().find(|u| !present.users.contains(u)) {
        let exists = diesel::select(diesel::dsl::exists(users::table.find(user)))
            .get_result::<bool>(auth)?;
        return Ok(Some(if exists {
            XdbError::DeletedUser(user)
        } else {
            XdbError::UnknownUser(user)
        }));
    }
    Ok(refs
        .teams
        .iter()
        .find(|t| !present.teams.contains(t))
        .map(|&team| XdbError::UnknownTeam(team)))
}

fn ensure_outside_transaction(specs: &mut PgConnection) -> Result<(), XdbError> {
    let depth =
        AnsiTransactionManager::transaction_manager_status_mut(specs).transaction_depth()?;
    match depth {
        None => Ok(()),
        Some(_) => Err(XdbError::SpecsTransactionOpen),
    }
}

/// Runs `body` in a specs transaction while the referenced auth rows are locked,
/// refusing (before `body` runs) any reference that is missing or deleted.
///
/// The specs transaction is this function's own: it must commit before the
/// auth locks are released, so `specs` may not already be in a transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub fn write<T, E>(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    refs: &Refs,
    body: impl FnOnce(&mut Write<'_>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<XdbError> + From<diesel::result::Error>,
{
    write_present(auth, specs, refs, |w, present| {
        if let Some(err) = refuse(w.auth, refs, present)? {
            return Err(err.into());
        }
        body(w)
    })
}

/// The batched form for bulk writers: locks every referenced row that exists and
/// hands `body` the set of usable ids, so it can skip rows whose reference is gone
/// instead of failing the whole batch.
#[tracing::instrument(level = "debug", skip_all)]
pub fn write_present<T, E>(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    refs: &Refs,
    body: impl FnOnce(&mut Write<'_>, &Present) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<XdbError> + From<diesel::result::Error>,
{
    ensure_outside_transaction(specs)?;
    auth.transaction::<T, E, _>(|auth| {
        let present = lock(auth, refs)?;
        specs.transaction::<T, E, _>(|specs| body(&mut Write { auth, specs }, &present))
    })
}
