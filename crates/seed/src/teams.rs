//! Teams and their members (auth): 4 teams per unit, an owner and 2 to 5 others.
//!
//! A team's `project_count` counts the projects shared with it, known only
//! once the projects are generated, so teams are loaded after that.

use std::collections::HashMap;

use auth_db::enums::{MembershipStatus, TeamRole};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rand::Rng;
use uuid::Uuid;

use crate::csv::{Csv, copy};
use crate::generator::Gen;

/// One seeded team.
pub(crate) struct Team {
    pub(crate) id: Uuid,
    /// The owner first.
    pub(crate) members: Vec<Uuid>,
    name: String,
    description: String,
    owner: Uuid,
    at: DateTime<Utc>,
}

/// The seeded teams and their member rows.
pub(crate) struct Teams {
    pub(crate) list: Vec<Team>,
    members: Csv,
}

/// Generates `count` teams of `users`.
pub(crate) fn generate(g: &mut Gen, count: usize, users: &[(Uuid, DateTime<Utc>)]) -> Teams {
    let mut list = Vec::with_capacity(count);
    let mut csv = Csv::default();
    for t in 0..count {
        let owner = g.pick(users).0;
        let at = g.time(90);
        let id = g.id(at);
        let mut members = vec![owner];
        for _ in 0..g.rng.random_range(2..6) {
            let candidate = g.pick(users).0;
            if !members.contains(&candidate) {
                members.push(candidate);
            }
        }
        for (k, member) in members.iter().enumerate() {
            let role = if k == 0 {
                TeamRole::Owner
            } else {
                g.one(&[
                    TeamRole::Lead,
                    TeamRole::Developer,
                    TeamRole::Developer,
                    TeamRole::Viewer,
                ])
            };
            let member_id = g.id(at);
            csv.row()
                .raw(member_id)
                .raw(id)
                .raw(member)
                .text(role.as_str())
                .text(MembershipStatus::Active.as_str())
                .time(at)
                .time(at)
                .time(at);
        }
        let (name, description) = (format!("Team {t} {}", g.words(1)), g.words(8));
        list.push(Team {
            id,
            members,
            name,
            description,
            owner,
            at,
        });
    }
    Teams { list, members: csv }
}

/// Loads the teams, with the number of projects shared with each, and their
/// members (when `auth` is given); returns the rows of each table.
pub(crate) fn load(
    mut auth: Option<&mut PgConnection>,
    teams: &Teams,
    shared: &HashMap<Uuid, usize>,
) -> QueryResult<[(&'static str, usize); 2]> {
    use auth_db::schema::team_members::dsl as m;
    use auth_db::schema::teams::dsl as t;
    let mut csv = Csv::default();
    for team in &teams.list {
        csv.row()
            .raw(team.id)
            .text(&team.name)
            .text(&team.description)
            .raw(team.owner)
            .raw(team.members.len())
            .raw(shared.get(&team.id).copied().unwrap_or(0))
            .time(team.at)
            .time(team.at);
    }
    let team_rows = copy!(
        auth.as_deref_mut(),
        t::teams,
        (
            t::id,
            t::name,
            t::description,
            t::owner_id,
            t::member_count,
            t::project_count,
            t::created_at,
            t::updated_at
        ),
        csv
    );
    let member_rows = copy!(
        auth,
        m::team_members,
        (
            m::id,
            m::team_id,
            m::user_id,
            m::role,
            m::status,
            m::joined_at,
            m::created_at,
            m::updated_at
        ),
        teams.members
    );
    Ok([("teams", team_rows), ("team_members", member_rows)])
}
