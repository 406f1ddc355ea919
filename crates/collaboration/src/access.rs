//! The access decision: what may `user` do with `project`?
//!
//! The answer is the strongest of: ownership (admin); a direct share to the
//! user; a share to a team the user actively belongs to (an active team),
//! capped by what the membership gives (its override, else its role); a public
//! share (read). Expired shares count for nothing, and a revoked share no
//! longer exists. A user who is not active gets nothing. Secret links are
//! answered separately, by [`crate::shares::open_link`], since they carry no user.

use auth_db::enums::UserStatus;
use auth_db::schema::users;
use db_core::{PermissionLevel, TeamId, UserId};
use diesel::prelude::*;
use specs_db::enums::AccessType;
use specs_db::ids::ProjectId;
use specs_db::schema::{project_shares, projects};

use crate::CollabError;
use crate::teams::memberships;

type ShareRow = (AccessType, Option<UserId>, Option<TeamId>, PermissionLevel);

/// The access `user` has to `project`, or `None`.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user, project = %project))]
pub fn access(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    user: UserId,
    project: ProjectId,
) -> Result<Option<PermissionLevel>, CollabError> {
    let status: Option<UserStatus> = users::table
        .find(user)
        .select(users::status)
        .first(auth)
        .optional()?;
    if status != Some(UserStatus::Active) {
        return Ok(None);
    }
    let owner: Option<UserId> = projects::table
        .find(project)
        .select(projects::owner_id)
        .first(specs)
        .optional()?;
    let Some(owner) = owner else { return Ok(None) };
    if owner == user {
        return Ok(Some(PermissionLevel::Admin));
    }
    let shares: Vec<ShareRow> = project_shares::table
        .filter(project_shares::project_id.eq(project))
        .filter(
            project_shares::expires_at
                .is_null()
                .or(project_shares::expires_at.gt(diesel::dsl::now)),
        )
        .filter(
            project_shares::access_type
                .eq(AccessType::Public)
                .or(project_shares::access_type.eq(AccessType::Team))
                .or(project_shares::shared_with_user_id.eq(user)),
        )
        .select((
            project_shares::access_type,
            project_shares::shared_with_user_id,
            project_shares::shared_with_team_id,
            project_shares::permission_level,
        ))
        .load(specs)?;
    let mut best: Option<PermissionLevel> = None;
    let mut grant = |level: PermissionLevel| best = best.max(Some(level));
    let mut team_shares: Vec<(TeamId, PermissionLevel)> = Vec::new();
    for (kind, _, team, level) in shares {
        match (kind, team) {
            (AccessType::User, _) => grant(level),
            (AccessType::Public, _) => grant(PermissionLevel::Read),
            (AccessType::Team, Some(team)) => team_shares.push((team, level)),
            (AccessType::Team, None) | (AccessType::Link, _) => {}
        }
    }
    if !team_shares.is_empty() {
        let teams: Vec<TeamId> = team_shares.iter().map(|(t, _)| *t).collect();
        for (team, cap) in memberships(auth, user, &teams)? {
            for (shared_team, level) in &team_shares {
                if *shared_team == team {
                    grant((*level).min(cap));
                }
            }
        }
    }
    Ok(best)
}

/// A user's projects, newest first: owned ones, and those shared with them directly
/// or through an active team (unexpired shares; public shares are not "mine").
///
/// Two statements: the user's active teams from auth, then one query in specs
/// served by `idx_projects_owner_id_created_at` and the share indexes.
///
/// It writes nothing and decides nothing that is written, so both connections
/// may be read replicas ([`db_core::Replicated::read`]): the list is then at
/// most the replicas' allowed lag old.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user, limit))]
pub fn list_projects(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    user: UserId,
    limit: i64,
) -> Result<Vec<specs_db::models::Project>, CollabError> {
    use auth_db::enums::{MembershipStatus, TeamStatus};
    use auth_db::schema::{team_members, teams};
    use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
    let team_ids: Vec<TeamId> = team_members::table
        .inner_join(teams::table)
        .filter(team_members::user_id.eq(user))
        .filter(team_members::status.eq(MembershipStatus::Active))
        .filter(teams::status.eq(TeamStatus::Active))
        .select(team_members::team_id)
        .load(auth)?;
    Ok(db_core::prepared(
        diesel::sql_query(include_str!("list_projects.sql"))
            .bind::<SqlUuid, _>(user)
            .bind::<Array<SqlUuid>, _>(&team_ids)
            .bind::<BigInt, _>(limit),
    )
    .load(specs)?)
}
