//! `socrates-db users`: account maintenance.

use anyhow::{Result, bail};
use auth_db::enums::OutboxKind;
use auth_db::schema::{teams, users};
use clap::{Args, Subcommand};
use cross_db::{DrainOptions, OwnedTeams};
use db_core::UserId;
use diesel::prelude::*;

use super::{Failure, connect_both};
use crate::config::DbArgs;

/// Subcommands of `users`.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Hard-delete a user through the cross-database protocol, then drain the outbox
    Delete(DeleteOpts),
}

/// Options of `users delete`.
#[derive(Debug, Args)]
pub(crate) struct DeleteOpts {
    /// The user's id or e-mail address
    user: String,
    /// Delete the teams the user owns instead of passing them to their most senior member
    #[arg(long)]
    delete_owned_teams: bool,
    /// Confirm the deletion (without it, only say what would be deleted)
    #[arg(long)]
    yes: bool,
}

/// Runs a `users` subcommand.
///
/// Exits 0 only when the user is gone from auth and every specs row the
/// deletion policies cover is cleaned up; a deletion that is queued in the
/// outbox but not applied (specs unreachable, an entry failed or held by
/// another drain) says so and exits 3.
pub(crate) fn run(args: &DbArgs, command: &Command) -> Result<()> {
    let Command::Delete(opts) = command;
    let (mut auth, mut specs) = connect_both(args)?;
    let found = match opts.user.parse::<UserId>() {
        Ok(id) => users::table
            .find(id)
            .select((users::id, users::email))
            .first::<(UserId, String)>(&mut auth)
            .optional()?,
        Err(_) => accounts::users::find_by_email(&mut auth, &opts.user)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .map(|u| (u.id, u.email)),
    };
    let Some((id, email)) = found else {
        bail!(
            "no user {:?} in {}",
            opts.user,
            auth_db::MIGRATION_SET.default_database
        );
    };
    if !opts.yes {
        let owned: i64 = teams::table
            .filter(teams::owner_id.eq(id))
            .count()
            .get_result(&mut auth)?;
        let projects: i64 = specs_db::schema::projects::table
            .filter(specs_db::schema::projects::owner_id.eq(id))
            .count()
            .get_result(&mut specs)?;
        let teams = if opts.delete_owned_teams {
            "deleted"
        } else {
            "handed to their most senior member, or deleted when they have none"
        };
        bail!(
            "refusing to delete {email} ({id}) without --yes: the {owned} teams it owns would be {teams}, \
             and the {projects} projects it owns would be deleted with everything in them \
             (specs rows that refer to the user follow the deletion policies of cross-db)"
        );
    }
    let owned = if opts.delete_owned_teams {
        OwnedTeams::Delete
    } else {
        OwnedTeams::TransferOrDelete
    };
    let deletion = cross_db::delete_user(&mut auth, id, owned)?;
    outln!(
        "deleted {email} ({id}) from auth; teams deleted: {}, transferred: {}",
        deletion.teams_deleted.len(),
        deletion.teams_transferred.len()
    );
    let queued = |what: String| {
        Failure::new(
            3,
            format!(
                "{email} is deleted from auth, but its cleanup in specs is queued and not applied yet ({what}); \
                 run socrates-db drain-outbox once specs is reachable"
            ),
        )
    };
    let report = match cross_db::drain(&mut auth, &mut specs, DrainOptions::default()) {
        Ok(report) => report,
        Err(err) => return Err(queued(format!("the drain failed: {err}")).into()),
    };
    super::drain::print(&report);
    let mut left = cross_db::pending(&mut auth, OutboxKind::UserDeleted, &[id.into_uuid()])?.len();
    let teams: Vec<uuid::Uuid> = deletion
        .teams_deleted
        .iter()
        .map(|t| t.into_uuid())
        .collect();
    left += cross_db::pending(&mut auth, OutboxKind::TeamDeleted, &teams)?.len();
    if left > 0 {
        let why = report
            .errors
            .first()
            .map(|(_, e)| format!(": {e}"))
            .unwrap_or_else(|| ": held by another drain".to_owned());
        return Err(queued(format!("{left} outbox entries pending{why}")).into());
    }
    Ok(())
}
