//! Every table of socrates_auth, written and read back through its models, one test
//! per table: each column set to a non-default value, read back equal, and
//! (where the table has a changeset) updated through it. The rows a table
//! refers to come from [`parents`], inserted with their required columns only.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use chrono::Duration;
use db_core::{InvitationStatus, LlmProvider, PermissionLevel, TeamId, UserId};
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::json;
use test_db::TestDatabase;
use uuid::Uuid;

use test_db::job_checkpoints_round_trip;
use test_db::models::fixed_time as t0;

/// The rows other tables refer to, with their required columns only.
mod parents {
    use auth_db::ids::AdminRoleId;
    use auth_db::models::NewAdminRole;
    use db_core::{TeamId, UserId};
    use diesel::prelude::*;

    /// A user.
    pub(crate) fn user(conn: &mut PgConnection) -> UserId {
        let id = UserId::new();
        diesel::insert_into(auth_db::schema::users::table)
            .values(auth_db::models::NewUser::new(
                id,
                "parent@example.com",
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            ))
            .execute(conn)
            .expect("insert parent user");
        id
    }

    /// An admin role.
    pub(crate) fn admin_role(conn: &mut PgConnection) -> AdminRoleId {
        let id = AdminRoleId::new();
        diesel::insert_into(auth_db::schema::admin_roles::table)
            .values(NewAdminRole::new(id, "parent_role"))
            .execute(conn)
            .expect("insert parent admin role");
        id
    }

    /// A team owned by `owner` (no member rows: the tests add their own).
    pub(crate) fn team(conn: &mut PgConnection, owner: UserId) -> TeamId {
        let id = TeamId::new();
        diesel::insert_into(auth_db::schema::teams::table)
            .values(auth_db::models::NewTeam::new(id, "parent team", owner))
            .execute(conn)
            .expect("insert parent team");
        id
    }
}

mod accounts;
mod admin;
mod bookkeeping;
mod membership;
