//! `project_shares`: grants of access to a project, for a user, a team, the public, or a secret link.

use crate::enums::AccessType;
use crate::ids::{ProjectId, ProjectShareId};
use crate::schema::project_shares;
use chrono::{DateTime, Utc};
use db_core::{PermissionLevel, TeamId, UserId};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `project_shares`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = project_shares, check_for_backend(diesel::pg::Pg))]
pub struct ProjectShare {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: ProjectShareId,
    /// shared project
    pub project_id: ProjectId,
    /// who the grant is for; one of: user, team, public, link
    pub access_type: AccessType,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. set iff access_type = 'user'
    pub shared_with_user_id: Option<UserId>,
    /// Cross-DB ref to socrates_auth.teams.id (no FK); on delete: cascade. set iff access_type = 'team'
    pub shared_with_team_id: Option<TeamId>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. who granted
    pub shared_by_id: UserId,
    /// access granted (public and link shares are read-only); one of: read, write, admin
    pub permission_level: PermissionLevel,
    /// SHA-256 of the link token; set iff access_type = 'link'
    pub link_token_hash: Option<Vec<u8>>,
    /// PHC hash of an optional link password
    pub link_password_hash: Option<String>,
    /// NULL = no expiry
    pub expires_at: Option<DateTime<Utc>>,
    /// accesses through this grant
    pub access_count: i32,
    /// last access through this grant
    pub last_accessed_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// share time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `project_shares`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = project_shares)]
pub struct NewProjectShare<'a> {
    /// Primary key: pass `ProjectShareId::new()` (a UUIDv7).
    pub id: ProjectShareId,
    /// shared project
    pub project_id: ProjectId,
    /// who the grant is for; one of: user, team, public, link
    pub access_type: AccessType,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. set iff access_type = 'user'. `None` = NULL.
    pub shared_with_user_id: Option<UserId>,
    /// Cross-DB ref to socrates_auth.teams.id (no FK); on delete: cascade. set iff access_type = 'team'. `None` = NULL.
    pub shared_with_team_id: Option<TeamId>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. who granted
    pub shared_by_id: UserId,
    /// access granted (public and link shares are read-only); one of: read, write, admin. `None` = default ('read').
    pub permission_level: Option<PermissionLevel>,
    /// SHA-256 of the link token; set iff access_type = 'link'. `None` = NULL.
    pub link_token_hash: Option<&'a [u8]>,
    /// PHC hash of an optional link password. `None` = NULL.
    pub link_password_hash: Option<&'a str>,
    /// NULL = no expiry. `None` = NULL.
    pub expires_at: Option<DateTime<Utc>>,
    /// accesses through this grant. `None` = default (0).
    pub access_count: Option<i32>,
    /// last access through this grant. `None` = NULL.
    pub last_accessed_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// share time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewProjectShare<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: ProjectShareId,
        project_id: ProjectId,
        access_type: AccessType,
        shared_by_id: UserId,
    ) -> Self {
        Self {
            id,
            project_id,
            access_type,
            shared_by_id,
            shared_with_user_id: None,
            shared_with_team_id: None,
            permission_level: None,
            link_token_hash: None,
            link_password_hash: None,
            expires_at: None,
            access_count: None,
            last_accessed_at: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `project_shares` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = project_shares)]
pub struct ProjectShareChanges<'a> {
    /// shared project
    pub project_id: Option<ProjectId>,
    /// who the grant is for; one of: user, team, public, link
    pub access_type: Option<AccessType>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. set iff access_type = 'user'
    pub shared_with_user_id: Option<Option<UserId>>,
    /// Cross-DB ref to socrates_auth.teams.id (no FK); on delete: cascade. set iff access_type = 'team'
    pub shared_with_team_id: Option<Option<TeamId>>,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. who granted
    pub shared_by_id: Option<UserId>,
    /// access granted (public and link shares are read-only); one of: read, write, admin
    pub permission_level: Option<PermissionLevel>,
    /// SHA-256 of the link token; set iff access_type = 'link'
    pub link_token_hash: Option<Option<&'a [u8]>>,
    /// PHC hash of an optional link password
    pub link_password_hash: Option<Option<&'a str>>,
    /// NULL = no expiry
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// accesses through this grant
    pub access_count: Option<i32>,
    /// last access through this grant
    pub last_accessed_at: Option<Option<DateTime<Utc>>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
