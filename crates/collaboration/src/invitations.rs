//! Team invitations by e-mail: the token is e-mailed, only its SHA-256 is stored.

use accounts::secret::{ExposeSecret, SecretString, random_token, token_hash};
use accounts::{AccountError, email};
use auth_db::enums::{InvitationRole, TeamRole};
use auth_db::ids::TeamInvitationId;
use auth_db::models::{NewTeamInvitation, TeamInvitation};
use auth_db::schema::{team_invitations, teams, users};
use chrono::{Duration, Utc};
use db_core::{DbError, InvitationStatus, TeamId, UserId};
use diesel::prelude::*;

use crate::CollabError;
use crate::teams::admit;

/// A new invitation and the token to send (its only clear copy).
#[derive(Debug, Clone)]
pub struct Invited {
    /// The stored invitation.
    pub invitation: TeamInvitation,
    /// The secret for the invitee.
    pub token: SecretString,
}

fn team_role(role: InvitationRole) -> TeamRole {
    match role {
        InvitationRole::Lead => TeamRole::Lead,
        InvitationRole::Developer => TeamRole::Developer,
        InvitationRole::Viewer => TeamRole::Viewer,
    }
}

/// Invites an address to a team (the actor must be an active owner or lead).
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, team = %team))]
pub fn invite(
    conn: &mut PgConnection,
    actor: UserId,
    team: TeamId,
    address: &str,
    role: InvitationRole,
    ttl: Duration,
) -> Result<Invited, CollabError> {
    let address = email::normalize(address)?;
    if ttl <= Duration::zero() {
        return Err(CollabError::Invalid {
            field: "ttl",
            reason: "must be positive",
        });
    }
    let token = random_token();
    let hash = token_hash(token.expose_secret());
    conn.transaction(|conn| {
        let exists: bool =
            diesel::select(diesel::dsl::exists(teams::table.find(team))).get_result(conn)?;
        if !exists {
            return Err(CollabError::NotFound);
        }
        crate::teams::require_manager(conn, team, actor)?;
        let invitation: TeamInvitation = diesel::insert_into(team_invitations::table)
            .values(NewTeamInvitation {
                role: Some(role),
                ..NewTeamInvitation::new(
                    TeamInvitationId::new(),
                    team,
                    actor,
                    &address,
                    &hash,
                    Utc::now() + ttl,
                )
            })
            .returning(TeamInvitation::as_returning())
            .get_result(conn)
            .map_err(|e| match DbError::from(e) {
                DbError::UniqueViolation { constraint, .. }
                    if constraint == auth_db::constraints::UQ_TEAM_INVITATIONS_TEAM_ID_INVITED_EMAIL_PENDING =>
                {
                    CollabError::InvitationPending
                }
                other => CollabError::Db(other),
            })?;
        Ok(Invited { invitation, token })
    })
}

/// Finds a pending, unexpired invitation addressed to `user` (locked for the answer).
fn answerable(
    conn: &mut PgConnection,
    user: UserId,
    token: &str,
) -> Result<TeamInvitation, CollabError> {
    let hash = token_hash(token);
    let invitation: TeamInvitation = team_invitations::table
        .filter(team_invitations::token_hash.eq(hash.as_slice()))
        .select(TeamInvitation::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(CollabError::Account(AccountError::TokenUnknown))?;
    if invitation.status != InvitationStatus::Pending {
        return Err(CollabError::NotPending(invitation.status));
    }
    if invitation.expires_at <= Utc::now() {
        return Err(CollabError::Account(AccountError::TokenExpired));
    }
    let address: Option<String> = users::table
        .find(user)
        .select(users::email)
        .first(conn)
        .optional()?;
    match address {
        None => Err(CollabError::Xdb(cross_db::XdbError::UnknownUser(user))),
        Some(a) if a != invitation.invited_email => Err(CollabError::WrongInvitee),
        Some(_) => Ok(invitation),
    }
}

fn answer(
    conn: &mut PgConnection,
    id: TeamInvitationId,
    status: InvitationStatus,
) -> QueryResult<usize> {
    diesel::update(team_invitations::table.find(id))
        .set((
            team_invitations::status.eq(status),
            team_invitations::responded_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
}

/// Accepts an invitation: `user` (whose e-mail it was sent to) joins the team.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn accept(conn: &mut PgConnection, user: UserId, token: &str) -> Result<TeamId, CollabError> {
    conn.transaction(|conn| {
        let invitation = answerable(conn, user, token)?;
        admit(
            conn,
            invitation.team_id,
            user,
            team_role(invitation.role),
            Some(invitation.invited_by_id),
        )?;
        answer(conn, invitation.id, InvitationStatus::Accepted)?;
        Ok(invitation.team_id)
    })
}

/// Declines an invitation.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn decline(conn: &mut PgConnection, user: UserId, token: &str) -> Result<(), CollabError> {
    conn.transaction(|conn| {
        let invitation = answerable(conn, user, token)?;
        answer(conn, invitation.id, InvitationStatus::Declined)?;
        Ok(())
    })
}

/// Withdraws a pending invitation (the actor must manage the team).
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, id = %id))]
pub fn revoke(
    conn: &mut PgConnection,
    actor: UserId,
    id: TeamInvitationId,
) -> Result<(), CollabError> {
    conn.transaction(|conn| {
        let invitation: TeamInvitation = team_invitations::table
            .find(id)
            .select(TeamInvitation::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or(CollabError::NotFound)?;
        crate::teams::require_manager(conn, invitation.team_id, actor)?;
        if invitation.status != InvitationStatus::Pending {
            return Err(CollabError::NotPending(invitation.status));
        }
        answer(conn, id, InvitationStatus::Revoked)?;
        Ok(())
    })
}

/// Marks pending invitations past their expiry as expired; returns how many.
#[tracing::instrument(level = "debug", skip_all)]
pub fn expire_due(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::update(team_invitations::table)
        .filter(team_invitations::status.eq(InvitationStatus::Pending))
        .filter(team_invitations::expires_at.le(diesel::dsl::now))
        .set(team_invitations::status.eq(InvitationStatus::Expired))
        .execute(conn)
}
