//! The two-database fixture: a migrated pair of databases ([`Pair`]), and a
//! small world in them ([`World`]: a user, a team they own, a project they own).
//!
//! The rows are inserted directly, as a service's data would already be
//! there: the domain crates under test are not used to build their own
//! fixtures. The auth database of a pair lives on the first test server, the
//! specs database on the second one when the suite runs on two servers.

use std::collections::BTreeMap;

use auth_db::enums::TeamRole;
use auth_db::ids::TeamMemberId;
use auth_db::models::{NewTeam, NewTeamMember, NewUser};
use db_core::{TeamId, UserId};
use diesel::prelude::*;
use specs_db::ids::ProjectId;
use specs_db::models::NewProject;

use crate::TestDatabase;

/// An Argon2id hash that verifies no password: for users who never log in.
pub const NO_PASSWORD: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

/// A fresh, migrated `socrates_auth` and `socrates_specs`, dropped together.
pub struct Pair {
    /// socrates_auth.
    pub auth: TestDatabase,
    /// socrates_specs.
    pub specs: TestDatabase,
}

impl Default for Pair {
    fn default() -> Self {
        Self::new()
    }
}

impl Pair {
    /// Both databases, migrated and empty.
    pub fn new() -> Self {
        Self {
            auth: TestDatabase::new(&auth_db::MIGRATION_SET),
            specs: TestDatabase::new(&specs_db::MIGRATION_SET),
        }
    }

    /// Both databases, migrated and seeded (`socrates-db seed --scale scale --seed value`).
    pub fn seeded(scale: u32, value: u64) -> Self {
        let pair = Self::new();
        seed::seed(
            &mut pair.auth.connect(),
            &mut pair.specs.connect(),
            seed::SeedOptions::new(scale, value),
        )
        .expect("seed");
        pair
    }

    /// Copies of both databases as they are now.
    pub fn copy(&mut self) -> Self {
        Self {
            auth: self.auth.copy(),
            specs: self.specs.copy(),
        }
    }

    /// Both databases' fingerprints, bookkeeping included (see
    /// [`TestDatabase::fingerprint`]): equal means no row differs.
    pub fn everything(&self) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        (self.auth.fingerprint(), self.specs.fingerprint())
    }

    /// Every table's digest in both databases (`auth.<table>`, `specs.<table>`)
    /// except the jobs' bookkeeping (`job_checkpoints`).
    pub fn data(&self) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        for (db, name) in [(&self.auth, "auth"), (&self.specs, "specs")] {
            for (table, digest) in db.fingerprint() {
                if table != "job_checkpoints" {
                    all.insert(format!("{name}.{table}"), digest);
                }
            }
        }
        all
    }
}

/// Inserts an active user with `email` (who cannot log in: [`NO_PASSWORD`]).
pub fn user(auth: &mut PgConnection, email: &str) -> UserId {
    let id = UserId::new();
    diesel::insert_into(auth_db::schema::users::table)
        .values(NewUser::new(id, email, NO_PASSWORD))
        .execute(auth)
        .expect("insert a user");
    id
}

/// Inserts a team owned by `owner` (its first member) with `members`, and
/// its `member_count`.
pub fn team(
    auth: &mut PgConnection,
    owner: UserId,
    name: &str,
    members: &[(UserId, TeamRole)],
) -> TeamId {
    let id = TeamId::new();
    diesel::insert_into(auth_db::schema::teams::table)
        .values(NewTeam {
            member_count: Some(i32::try_from(members.len()).unwrap_or(i32::MAX - 1) + 1),
            ..NewTeam::new(id, name, owner)
        })
        .execute(auth)
        .expect("insert a team");
    for &(member, role) in std::iter::once(&(owner, TeamRole::Owner)).chain(members) {
        diesel::insert_into(auth_db::schema::team_members::table)
            .values(NewTeamMember {
                role: Some(role),
                ..NewTeamMember::new(TeamMemberId::new(), id, member)
            })
            .execute(auth)
            .expect("insert a team member");
    }
    id
}

/// Inserts a project owned (and created) by `owner`.
pub fn project(specs: &mut PgConnection, owner: UserId, name: &str) -> ProjectId {
    let id = ProjectId::new();
    diesel::insert_into(specs_db::schema::projects::table)
        .values(NewProject::new(id, owner, owner, name))
        .execute(specs)
        .expect("insert a project");
    id
}

/// A pair with a user, a team the user owns, and a project the user owns.
pub struct World {
    /// socrates_auth.
    pub auth: TestDatabase,
    /// socrates_specs.
    pub specs: TestDatabase,
    /// `owner@example.com`.
    pub user: UserId,
    /// `Team`, owned by [`World::user`], its only member.
    pub team: TeamId,
    /// `Project`, owned by [`World::user`].
    pub project: ProjectId,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// The world on a fresh pair.
    pub fn new() -> Self {
        let Pair { auth, specs } = Pair::new();
        let user = user(&mut auth.conn(), "owner@example.com");
        let team = team(&mut auth.conn(), user, "Team", &[]);
        let project = project(&mut specs.conn(), user, "Project");
        Self {
            auth,
            specs,
            user,
            team,
            project,
        }
    }

    /// Another user.
    pub fn user(&self, email: &str) -> UserId {
        user(&mut self.auth.conn(), email)
    }

    /// Another team.
    pub fn team(&self, owner: UserId, name: &str, members: &[(UserId, TeamRole)]) -> TeamId {
        team(&mut self.auth.conn(), owner, name, members)
    }

    /// Another project.
    pub fn project(&self, owner: UserId, name: &str) -> ProjectId {
        project(&mut self.specs.conn(), owner, name)
    }
}
