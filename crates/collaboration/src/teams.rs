//! Teams and their members (socrates_auth). `member_count` is the number of
//! active members and changes in the same transaction as the membership.

use auth_db::enums::{MembershipStatus, TeamRole, TeamStatus};
use auth_db::ids::TeamMemberId;
use auth_db::models::{NewTeam, NewTeamMember, Team, TeamMember};
use auth_db::schema::{team_members, teams};
use db_core::{DbError, PermissionLevel, TeamId, UserId};
use diesel::prelude::*;

use crate::{CollabError, check_text};

/// The access a role gives, unless the membership overrides it.
pub fn role_permission(role: TeamRole) -> PermissionLevel {
    match role {
        TeamRole::Owner | TeamRole::Lead => PermissionLevel::Admin,
        TeamRole::Developer => PermissionLevel::Write,
        TeamRole::Viewer => PermissionLevel::Read,
    }
}

fn active_user(conn: &mut PgConnection, user: UserId) -> Result<(), CollabError> {
    Ok(accounts::users::require_active(conn, user)?)
}

/// The actor's active membership of a team, locking the team row.
fn membership(
    conn: &mut PgConnection,
    team: TeamId,
    user: UserId,
) -> Result<Option<TeamMember>, CollabError> {
    Ok(team_members::table
        .filter(
            team_members::team_id
                .eq(team)
                .and(team_members::user_id.eq(user)),
        )
        .select(TeamMember::as_select())
        .first(conn)
        .optional()?)
}

fn lock_team(conn: &mut PgConnection, team: TeamId) -> Result<Team, CollabError> {
    teams::table
        .find(team)
        .select(Team::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(CollabError::NotFound)
}

/// Requires the actor to be an active owner or lead of the team.
pub(crate) fn require_manager(
    conn: &mut PgConnection,
    team: TeamId,
    actor: UserId,
) -> Result<TeamMember, CollabError> {
    match membership(conn, team, actor)? {
        Some(m)
            if m.status == MembershipStatus::Active
                && matches!(m.role, TeamRole::Owner | TeamRole::Lead) =>
        {
            Ok(m)
        }
        Some(_) => Err(CollabError::Forbidden(
            "only the team's owner or a lead may do this",
        )),
        None => Err(CollabError::NotFound),
    }
}

fn bump_members(conn: &mut PgConnection, team: TeamId, by: i32) -> QueryResult<usize> {
    diesel::update(teams::table.find(team))
        .set(teams::member_count.eq(teams::member_count + by))
        .execute(conn)
}

/// Creates a team; the owner becomes its first (active) member.
#[tracing::instrument(level = "debug", skip_all, fields(owner = %owner))]
pub fn create_team(
    conn: &mut PgConnection,
    owner: UserId,
    name: &str,
    description: Option<&str>,
) -> Result<Team, CollabError> {
    check_text("name", name, 255)?;
    if let Some(d) = description {
        check_text("description", d, 10_000)?;
    }
    conn.transaction(|conn| {
        active_user(conn, owner)?;
        let team: Team = diesel::insert_into(teams::table)
            .values(NewTeam {
                description,
                member_count: Some(1),
                ..NewTeam::new(TeamId::new(), name, owner)
            })
            .returning(Team::as_returning())
            .get_result(conn)
            .map_err(|e| match DbError::from(e) {
                DbError::UniqueViolation { constraint, .. }
                    if constraint == auth_db::constraints::UQ_TEAMS_OWNER_ID_NAME =>
                {
                    CollabError::TeamNameTaken(name.to_owned())
                }
                other => CollabError::Db(other),
            })?;
        diesel::insert_into(team_members::table)
            .values(NewTeamMember {
                role: Some(TeamRole::Owner),
                ..NewTeamMember::new(TeamMemberId::new(), team.id, owner)
            })
            .execute(conn)?;
        Ok(team)
    })
}

/// Adds (or reactivates) a member with a role other than owner.
pub(crate) fn admit(
    conn: &mut PgConnection,
    team: TeamId,
    user: UserId,
    role: TeamRole,
    invited_by: Option<UserId>,
) -> Result<(), CollabError> {
    if role == TeamRole::Owner {
        return Err(CollabError::Forbidden(
            "a team has one owner; transfer ownership instead",
        ));
    }
    active_user(conn, user)?;
    match membership(conn, team, user)? {
        Some(m) if m.status == MembershipStatus::Active => {
            Err(CollabError::AlreadyMember { team, user })
        }
        Some(m) => {
            diesel::update(team_members::table.find(m.id))
                .set((
                    team_members::status.eq(MembershipStatus::Active),
                    team_members::role.eq(role),
                    team_members::joined_at.eq(diesel::dsl::now),
                ))
                .execute(conn)?;
            bump_members(conn, team, 1)?;
            Ok(())
        }
        None => {
            diesel::insert_into(team_members::table)
                .values(NewTeamMember {
                    role: Some(role),
                    invited_by_id: invited_by,
                    ..NewTeamMember::new(TeamMemberId::new(), team, user)
                })
                .execute(conn)?;
            bump_members(conn, team, 1)?;
            Ok(())
        }
    }
}

/// Adds a member (the actor must be an active owner or lead).
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, team = %team, user = %user))]
pub fn add_member(
    conn: &mut PgConnection,
    actor: UserId,
    team: TeamId,
    user: UserId,
    role: TeamRole,
) -> Result<(), CollabError> {
    conn.transaction(|conn| {
        lock_team(conn, team)?;
        require_manager(conn, team, actor)?;
        admit(conn, team, user, role, Some(actor))
    })
}

/// Removes a member: a manager may remove anyone but the owner; anyone may leave.
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, team = %team, user = %user))]
pub fn remove_member(
    conn: &mut PgConnection,
    actor: UserId,
    team: TeamId,
    user: UserId,
) -> Result<(), CollabError> {
    conn.transaction(|conn| {
        lock_team(conn, team)?;
        if actor != user {
            require_manager(conn, team, actor)?;
        }
        let member = membership(conn, team, user)?.ok_or(CollabError::NotMember { team, user })?;
        if member.role == TeamRole::Owner {
            return Err(CollabError::Forbidden(
                "the owner cannot leave; transfer ownership first",
            ));
        }
        diesel::delete(team_members::table.find(member.id)).execute(conn)?;
        if member.status == MembershipStatus::Active {
            bump_members(conn, team, -1)?;
        }
        Ok(())
    })
}

/// Changes a member's role or status (owner only); counts follow the status.
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, team = %team, user = %user))]
pub fn update_member(
    conn: &mut PgConnection,
    actor: UserId,
    team: TeamId,
    user: UserId,
    role: Option<TeamRole>,
    status: Option<MembershipStatus>,
) -> Result<(), CollabError> {
    conn.transaction(|conn| {
        let t = lock_team(conn, team)?;
        if t.owner_id != actor {
            return Err(CollabError::Forbidden(
                "only the team's owner may change roles",
            ));
        }
        let member = membership(conn, team, user)?.ok_or(CollabError::NotMember { team, user })?;
        if member.role == TeamRole::Owner || role == Some(TeamRole::Owner) {
            return Err(CollabError::Forbidden(
                "a team has one owner; transfer ownership instead",
            ));
        }
        let new_status = status.unwrap_or(member.status);
        diesel::update(team_members::table.find(member.id))
            .set((
                team_members::role.eq(role.unwrap_or(member.role)),
                team_members::status.eq(new_status),
            ))
            .execute(conn)?;
        let was = member.status == MembershipStatus::Active;
        let is = new_status == MembershipStatus::Active;
        if was != is {
            bump_members(conn, team, if is { 1 } else { -1 })?;
        }
        Ok(())
    })
}

/// Hands the team to another active member; the old owner stays as a lead.
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, team = %team, new_owner = %new_owner))]
pub fn transfer_ownership(
    conn: &mut PgConnection,
    actor: UserId,
    team: TeamId,
    new_owner: UserId,
) -> Result<(), CollabError> {
    conn.transaction(|conn| {
        let t = lock_team(conn, team)?;
        if t.owner_id != actor {
            return Err(CollabError::Forbidden(
                "only the team's owner may transfer it",
            ));
        }
        let next = membership(conn, team, new_owner)?.ok_or(CollabError::NotMember {
            team,
            user: new_owner,
        })?;
        if next.status != MembershipStatus::Active {
            return Err(CollabError::NotMember {
                team,
                user: new_owner,
            });
        }
        diesel::update(teams::table.find(team))
            .set(teams::owner_id.eq(new_owner))
            .execute(conn)
            .map_err(|e| match DbError::from(e) {
                DbError::UniqueViolation { .. } => CollabError::TeamNameTaken(t.name.clone()),
                other => CollabError::Db(other),
            })?;
        diesel::update(team_members::table.find(next.id))
            .set(team_members::role.eq(TeamRole::Owner))
            .execute(conn)?;
        diesel::update(
            team_members::table.filter(
                team_members::team_id
                    .eq(team)
                    .and(team_members::user_id.eq(actor)),
            ),
        )
        .set(team_members::role.eq(TeamRole::Lead))
        .execute(conn)?;
        Ok(())
    })
}

/// Archives or reactivates a team (owner only); archived teams grant no access.
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, team = %team))]
pub fn set_status(
    conn: &mut PgConnection,
    actor: UserId,
    team: TeamId,
    status: TeamStatus,
) -> Result<(), CollabError> {
    conn.transaction(|conn| {
        let t = lock_team(conn, team)?;
        if t.owner_id != actor {
            return Err(CollabError::Forbidden(
                "only the team's owner may change its status",
            ));
        }
        diesel::update(teams::table.find(team))
            .set(teams::status.eq(status))
            .execute(conn)?;
        Ok(())
    })
}

/// The teams in which `user` is an active member of an active team, with the
/// access that membership gives (the override, else the role's).
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn memberships(
    conn: &mut PgConnection,
    user: UserId,
    among: &[TeamId],
) -> QueryResult<Vec<(TeamId, PermissionLevel)>> {
    let rows: Vec<(TeamId, TeamRole, Option<PermissionLevel>)> = team_members::table
        .inner_join(teams::table)
        .filter(team_members::user_id.eq(user))
        .filter(team_members::team_id.eq_any(among))
        .filter(team_members::status.eq(MembershipStatus::Active))
        .filter(teams::status.eq(TeamStatus::Active))
        .select((
            team_members::team_id,
            team_members::role,
            team_members::permission_level,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(team, role, level)| (team, level.unwrap_or_else(|| role_permission(role))))
        .collect())
}
