//! `team_invitations`: e-mail invitations to join a team (token hash only).

use crate::enums::InvitationRole;
use crate::ids::TeamInvitationId;
use crate::schema::team_invitations;
use chrono::{DateTime, Utc};
use db_core::{InvitationStatus, TeamId, UserId};
use diesel::prelude::*;

/// A row of `team_invitations`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = team_invitations, check_for_backend(diesel::pg::Pg))]
pub struct TeamInvitation {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: TeamInvitationId,
    /// inviting team
    pub team_id: TeamId,
    /// inviting user
    pub invited_by_id: UserId,
    /// invitee e-mail, lowercase
    pub invited_email: String,
    /// role granted on acceptance; one of: lead, developer, viewer
    pub role: InvitationRole,
    /// SHA-256 of the invitation token
    pub token_hash: Vec<u8>,
    /// invitation state; one of: pending, accepted, declined, revoked, expired
    pub status: InvitationStatus,
    /// token expiry
    pub expires_at: DateTime<Utc>,
    /// accept/decline time
    pub responded_at: Option<DateTime<Utc>>,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `team_invitations`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = team_invitations)]
pub struct NewTeamInvitation<'a> {
    /// Primary key: pass `TeamInvitationId::new()` (a UUIDv7).
    pub id: TeamInvitationId,
    /// inviting team
    pub team_id: TeamId,
    /// inviting user
    pub invited_by_id: UserId,
    /// invitee e-mail, lowercase
    pub invited_email: &'a str,
    /// role granted on acceptance; one of: lead, developer, viewer. `None` = default ('developer').
    pub role: Option<InvitationRole>,
    /// SHA-256 of the invitation token
    pub token_hash: &'a [u8],
    /// invitation state; one of: pending, accepted, declined, revoked, expired. `None` = default ('pending').
    pub status: Option<InvitationStatus>,
    /// token expiry
    pub expires_at: DateTime<Utc>,
    /// accept/decline time. `None` = NULL.
    pub responded_at: Option<DateTime<Utc>>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewTeamInvitation<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: TeamInvitationId,
        team_id: TeamId,
        invited_by_id: UserId,
        invited_email: &'a str,
        token_hash: &'a [u8],
        expires_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            team_id,
            invited_by_id,
            invited_email,
            token_hash,
            expires_at,
            role: None,
            status: None,
            responded_at: None,
            created_at: None,
        }
    }
}

/// Changes to a `team_invitations` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = team_invitations)]
pub struct TeamInvitationChanges<'a> {
    /// inviting team
    pub team_id: Option<TeamId>,
    /// inviting user
    pub invited_by_id: Option<UserId>,
    /// invitee e-mail, lowercase
    pub invited_email: Option<&'a str>,
    /// role granted on acceptance; one of: lead, developer, viewer
    pub role: Option<InvitationRole>,
    /// SHA-256 of the invitation token
    pub token_hash: Option<&'a [u8]>,
    /// invitation state; one of: pending, accepted, declined, revoked, expired
    pub status: Option<InvitationStatus>,
    /// token expiry
    pub expires_at: Option<DateTime<Utc>>,
    /// accept/decline time
    pub responded_at: Option<Option<DateTime<Utc>>>,
}
