//! `socrates-db users`: account maintenance.

use anyhow::{Result, bail};
use auth_db::schema::{teams, users};
use clap::{Args, Subcommand};
use cross_db::{DrainOptions, OwnedTeams};
use db_core::UserId;
use diesel::prelude::*;

use super::connect_both;
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
pub(crate) fn run(args: &DbArgs, command: &Command) -> Result<()> {
    let Command::Delete(opts) = command;
    let (mut auth, mut specs) = connect_both(args)?;
    let found: Option<(UserId, String)> = match opts.user.parse::<UserId>() {
        Ok(id) => users::table
            .find(id)
            .select((users::id, users::email))
            .first(&mut auth)
            .optional()?,
        Err(_) => users::table
            .filter(users::email.eq(opts.user.trim().to_lowercase()))
            .select((users::id, users::email))
            .first(&mut auth)
            .optional()?,
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
        bail!(
            "refusing to delete {email} ({id}) without --yes: it owns {owned} teams and {projects} projects, which would be {}",
            if opts.delete_owned_teams {
                "deleted"
            } else {
                "transferred where possible, else deleted"
            }
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
    let report = cross_db::drain(&mut auth, &mut specs, DrainOptions::default())?;
    super::drain::print(&report);
    Ok(())
}
