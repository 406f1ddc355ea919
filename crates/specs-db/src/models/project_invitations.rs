//! `project_invitations`: invitations to collaborate on a project, by account or e-mail (token hash only).

use crate::enums::ProjectRole;
use crate::ids::{ProjectId, ProjectInvitationId};
use crate::schema::project_invitations;
use chrono::{DateTime, Utc};
use db_core::{InvitationStatus, PermissionLevel, UserId};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `project_invitations`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = project_invitations, check_for_backend(diesel::pg::Pg))]
pub struct ProjectInvitation {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: ProjectInvitationId,
    /// project the invitee is invited to
    pub project_id: ProjectId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. existing account, if known
    pub invited_user_id: Option<UserId>,
    /// invitee e-mail, lowercase
    pub invited_email: Option<String>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. inviter
    pub invited_by_id: UserId,
    /// role on acceptance; one of: viewer, member, lead, admin
    pub role: ProjectRole,
    /// override; NULL = from role; one of: read, write, admin
    pub permission_level: Option<PermissionLevel>,
    /// invitation state; one of: pending, accepted, declined, revoked, expired
    pub status: InvitationStatus,
    /// SHA-256 of the invitation token
    pub token_hash: Vec<u8>,
    /// token expiry
    pub expires_at: DateTime<Utc>,
    /// personal note
    pub message: Option<String>,
    /// accept/decline time
    pub responded_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `project_invitations`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = project_invitations)]
pub struct NewProjectInvitation<'a> {
    /// Primary key: pass `ProjectInvitationId::new()` (a UUIDv7).
    pub id: ProjectInvitationId,
    /// project the invitee is invited to
    pub project_id: ProjectId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. existing account, if known. `None` = NULL.
    pub invited_user_id: Option<UserId>,
    /// invitee e-mail, lowercase. `None` = NULL.
    pub invited_email: Option<&'a str>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. inviter
    pub invited_by_id: UserId,
    /// role on acceptance; one of: viewer, member, lead, admin. `None` = default ('member').
    pub role: Option<ProjectRole>,
    /// override; NULL = from role; one of: read, write, admin. `None` = NULL.
    pub permission_level: Option<PermissionLevel>,
    /// invitation state; one of: pending, accepted, declined, revoked, expired. `None` = default ('pending').
    pub status: Option<InvitationStatus>,
    /// SHA-256 of the invitation token
    pub token_hash: &'a [u8],
    /// token expiry
    pub expires_at: DateTime<Utc>,
    /// personal note. `None` = NULL.
    pub message: Option<&'a str>,
    /// accept/decline time. `None` = NULL.
    pub responded_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewProjectInvitation<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: ProjectInvitationId,
        project_id: ProjectId,
        invited_by_id: UserId,
        token_hash: &'a [u8],
        expires_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            project_id,
            invited_by_id,
            token_hash,
            expires_at,
            invited_user_id: None,
            invited_email: None,
            role: None,
            permission_level: None,
            status: None,
            message: None,
            responded_at: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `project_invitations` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = project_invitations)]
pub struct ProjectInvitationChanges<'a> {
    /// project the invitee is invited to
    pub project_id: Option<ProjectId>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. existing account, if known
    pub invited_user_id: Option<Option<UserId>>,
    /// invitee e-mail, lowercase
    pub invited_email: Option<Option<&'a str>>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. inviter
    pub invited_by_id: Option<UserId>,
    /// role on acceptance; one of: viewer, member, lead, admin
    pub role: Option<ProjectRole>,
    /// override; NULL = from role; one of: read, write, admin
    pub permission_level: Option<Option<PermissionLevel>>,
    /// invitation state; one of: pending, accepted, declined, revoked, expired
    pub status: Option<InvitationStatus>,
    /// SHA-256 of the invitation token
    pub token_hash: Option<&'a [u8]>,
    /// token expiry
    pub expires_at: Option<DateTime<Utc>>,
    /// personal note
    pub message: Option<Option<&'a str>>,
    /// accept/decline time
    pub responded_at: Option<Option<DateTime<Utc>>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
