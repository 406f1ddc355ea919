//! Project shares (socrates_specs): to a user, a team, the public, or a secret link.
//!
//! Only someone with admin access to the project shares it. Every share is
//! written through `cross_db::write`, which locks the auth rows it names (the
//! grantee and the granting user) until the share commits; sharing with a team
//! also bumps the team's `project_count`, in the same auth transaction. A link
//! share's token is handed out once and stored as SHA-256; its optional
//! password as an Argon2id hash.

use accounts::secret::{ExposeSecret, SecretString, random_token, token_hash};
use accounts::{AccountError, password};
use auth_db::schema::teams;
use chrono::{DateTime, Utc};
use cross_db::{Refs, Write};
use db_core::{PermissionLevel, TeamId, UserId};
use diesel::prelude::*;
use specs_db::enums::AccessType;
use specs_db::ids::{ProjectId, ProjectShareId};
use specs_db::models::{NewProjectShare, ProjectShare};
use specs_db::schema::project_shares;

use crate::CollabError;
use crate::access::access;

/// Who a share is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grantee {
    /// One user.
    User(UserId),
    /// Every active member of a team.
    Team(TeamId),
    /// Anyone (read-only).
    Public,
}

/// A link share and its token (the only clear copy).
#[derive(Debug, Clone)]
pub struct Link {
    /// The stored share.
    pub share: ProjectShare,
    /// The secret to put in the link.
    pub token: SecretString,
}

fn check_expiry(expires_at: Option<DateTime<Utc>>) -> Result<(), CollabError> {
    if expires_at.is_some_and(|e| e <= Utc::now()) {
        return Err(CollabError::Invalid {
            field: "expires_at",
            reason: "must be in the future",
        });
    }
    Ok(())
}

fn require_admin(w: &mut Write<'_>, actor: UserId, project: ProjectId) -> Result<(), CollabError> {
    match access(w.auth, w.specs, actor, project)? {
        Some(PermissionLevel::Admin) => Ok(()),
        Some(_) => Err(CollabError::Forbidden(
            "sharing needs admin access to the project",
        )),
        None => Err(CollabError::NotFound),
    }
}

fn bump_projects(auth: &mut PgConnection, team: TeamId, by: i32) -> QueryResult<usize> {
    diesel::update(teams::table.find(team))
        .set(teams::project_count.eq(teams::project_count + by))
        .execute(auth)
}

/// Shares `project` with a user, a team or the public; sharing again with the same
/// grantee updates the existing grant.
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, project = %project))]
pub fn share(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    actor: UserId,
    project: ProjectId,
    grantee: Grantee,
    level: PermissionLevel,
    expires_at: Option<DateTime<Utc>>,
) -> Result<ProjectShare, CollabError> {
    check_expiry(expires_at)?;
    if grantee == Grantee::Public && level != PermissionLevel::Read {
        return Err(CollabError::Invalid {
            field: "permission_level",
            reason: "public shares are read-only",
        });
    }
    let (kind, user, team) = match grantee {
        Grantee::User(user) => (AccessType::User, Some(user), None),
        Grantee::Team(team) => (AccessType::Team, None, Some(team)),
        Grantee::Public => (AccessType::Public, None, None),
    };
    let new = NewProjectShare {
        shared_with_user_id: user,
        shared_with_team_id: team,
        permission_level: Some(level),
        expires_at,
        ..NewProjectShare::new(ProjectShareId::new(), project, kind, actor)
    };
    // The row names the grantee and the granting user: both stay locked.
    cross_db::write(auth, specs, &Refs::of(&new), |w| {
        require_admin(w, actor, project)?;
        let existing = project_shares::table
            .filter(project_shares::project_id.eq(project))
            .into_boxed();
        let existing = match grantee {
            Grantee::User(user) => existing.filter(project_shares::shared_with_user_id.eq(user)),
            Grantee::Team(team) => existing.filter(project_shares::shared_with_team_id.eq(team)),
            Grantee::Public => existing.filter(project_shares::access_type.eq(AccessType::Public)),
        };
        let existing: Option<ProjectShareId> = existing
            .select(project_shares::id)
            .first(w.specs)
            .optional()?;
        if let Some(id) = existing {
            return Ok(diesel::update(project_shares::table.find(id))
                .set((
                    project_shares::permission_level.eq(level),
                    project_shares::expires_at.eq(expires_at),
                    project_shares::shared_by_id.eq(actor),
                ))
                .returning(ProjectShare::as_returning())
                .get_result(w.specs)?);
        }
        let share: ProjectShare = diesel::insert_into(project_shares::table)
            .values(&new)
            .returning(ProjectShare::as_returning())
            .get_result(w.specs)?;
        if let Some(team) = team {
            bump_projects(w.auth, team, 1)?;
        }
        Ok(share)
    })
}

/// Creates a secret link (read-only), optionally protected by a password.
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, project = %project))]
pub fn create_link(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    actor: UserId,
    project: ProjectId,
    link_password: Option<&str>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<Link, CollabError> {
    check_expiry(expires_at)?;
    let password_hash = match link_password {
        Some(p) => {
            password::check_policy(p)?;
            Some(password::hash(p)?)
        }
        None => None,
    };
    let token = random_token();
    let hash = token_hash(token.expose_secret());
    let new = NewProjectShare {
        link_token_hash: Some(&hash),
        link_password_hash: password_hash.as_deref(),
        expires_at,
        ..NewProjectShare::new(ProjectShareId::new(), project, AccessType::Link, actor)
    };
    let share = cross_db::write(auth, specs, &Refs::of(&new), |w| {
        require_admin(w, actor, project)?;
        Ok::<_, CollabError>(
            diesel::insert_into(project_shares::table)
                .values(&new)
                .returning(ProjectShare::as_returning())
                .get_result(w.specs)?,
        )
    })?;
    Ok(Link { share, token })
}

/// Opens a secret link: the project and the access it grants, counted.
#[tracing::instrument(level = "debug", skip_all)]
pub fn open_link(
    specs: &mut PgConnection,
    token: &str,
    link_password: Option<&str>,
) -> Result<(ProjectId, PermissionLevel), CollabError> {
    let hash = token_hash(token);
    specs.transaction(|specs| {
        let share: ProjectShare = project_shares::table
            .filter(project_shares::link_token_hash.eq(hash.as_slice()))
            .select(ProjectShare::as_select())
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(CollabError::Account(AccountError::TokenUnknown))?;
        if share.expires_at.is_some_and(|e| e <= Utc::now()) {
            return Err(CollabError::Account(AccountError::TokenExpired));
        }
        if let Some(stored) = &share.link_password_hash {
            let given = link_password.unwrap_or_default();
            if password::verify(given, stored) == password::Verified::Mismatch {
                return Err(CollabError::Account(AccountError::InvalidCredentials));
            }
        }
        diesel::update(project_shares::table.find(share.id))
            .set((
                project_shares::access_count.eq(project_shares::access_count + 1),
                project_shares::last_accessed_at.eq(diesel::dsl::now),
            ))
            .execute(specs)?;
        Ok((share.project_id, share.permission_level))
    })
}

/// Revokes a share (deletes it); a team share also decrements the team's `project_count`.
#[tracing::instrument(level = "debug", skip_all, fields(actor = %actor, share = %share))]
pub fn revoke(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    actor: UserId,
    share: ProjectShareId,
) -> Result<(), CollabError> {
    let row: ProjectShare = project_shares::table
        .find(share)
        .select(ProjectShare::as_select())
        .first(specs)
        .optional()?
        .ok_or(CollabError::NotFound)?;
    // Nothing is written that refers to auth: only the actor is locked, for
    // the access decision; a team that no longer exists has no count to keep.
    cross_db::write(auth, specs, &Refs::new().user(actor), |w| {
        require_admin(w, actor, row.project_id)?;
        let deleted = diesel::delete(project_shares::table.find(share)).execute(w.specs)?;
        if deleted == 0 {
            return Err(CollabError::NotFound);
        }
        if let Some(team) = row.shared_with_team_id {
            bump_projects(w.auth, team, -1)?;
        }
        Ok(())
    })
}
