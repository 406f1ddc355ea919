//! `team_members`: team membership with roles.

use crate::enums::{MembershipStatus, TeamRole};
use crate::ids::TeamMemberId;
use crate::schema::team_members;
use chrono::{DateTime, Utc};
use db_core::{PermissionLevel, TeamId, UserId};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `team_members`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = team_members, check_for_backend(diesel::pg::Pg))]
pub struct TeamMember {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: TeamMemberId,
    /// team
    pub team_id: TeamId,
    /// member
    pub user_id: UserId,
    /// member role; one of: owner, lead, developer, viewer
    pub role: TeamRole,
    /// override; NULL = derived from role; one of: read, write, admin
    pub permission_level: Option<PermissionLevel>,
    /// membership state; one of: active, invited, inactive, suspended
    pub status: MembershipStatus,
    /// who added the member
    pub invited_by_id: Option<UserId>,
    /// membership start
    pub joined_at: DateTime<Utc>,
    /// 0–100 activity score
    pub contribution_score: Option<f64>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `team_members`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = team_members)]
pub struct NewTeamMember<'a> {
    /// Primary key: pass `TeamMemberId::new()` (a UUIDv7).
    pub id: TeamMemberId,
    /// team
    pub team_id: TeamId,
    /// member
    pub user_id: UserId,
    /// member role; one of: owner, lead, developer, viewer. `None` = default ('developer').
    pub role: Option<TeamRole>,
    /// override; NULL = derived from role; one of: read, write, admin. `None` = NULL.
    pub permission_level: Option<PermissionLevel>,
    /// membership state; one of: active, invited, inactive, suspended. `None` = default ('active').
    pub status: Option<MembershipStatus>,
    /// who added the member. `None` = NULL.
    pub invited_by_id: Option<UserId>,
    /// membership start. `None` = default (now()).
    pub joined_at: Option<DateTime<Utc>>,
    /// 0–100 activity score. `None` = NULL.
    pub contribution_score: Option<f64>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewTeamMember<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: TeamMemberId, team_id: TeamId, user_id: UserId) -> Self {
        Self {
            id,
            team_id,
            user_id,
            role: None,
            permission_level: None,
            status: None,
            invited_by_id: None,
            joined_at: None,
            contribution_score: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `team_members` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = team_members)]
pub struct TeamMemberChanges<'a> {
    /// team
    pub team_id: Option<TeamId>,
    /// member
    pub user_id: Option<UserId>,
    /// member role; one of: owner, lead, developer, viewer
    pub role: Option<TeamRole>,
    /// override; NULL = derived from role; one of: read, write, admin
    pub permission_level: Option<Option<PermissionLevel>>,
    /// membership state; one of: active, invited, inactive, suspended
    pub status: Option<MembershipStatus>,
    /// who added the member
    pub invited_by_id: Option<Option<UserId>>,
    /// membership start
    pub joined_at: Option<DateTime<Utc>>,
    /// 0–100 activity score
    pub contribution_score: Option<Option<f64>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
