//! Projects and their shares (specs): 15 projects per unit, each owned by a
//! user; 40% shared with a team, 30% with another user.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use db_core::PermissionLevel;
use diesel::prelude::*;
use rand::Rng;
use specs_db::enums::{AccessType, ProjectPhase, ProjectStatus};
use uuid::Uuid;

use crate::csv::{Csv, copy};
use crate::generator::Gen;
use crate::teams::Team;

/// A seeded project: id, owner, creation time.
pub(crate) type Project = (Uuid, Uuid, DateTime<Utc>);

/// The seeded projects and shares.
pub(crate) struct Projects {
    pub(crate) list: Vec<Project>,
    /// Projects shared with each team.
    pub(crate) per_team: HashMap<Uuid, usize>,
    csv: Csv,
    shares: Csv,
}

/// Generates `count` projects of `users`, shared with `teams` and other users.
pub(crate) fn generate(
    g: &mut Gen,
    count: usize,
    users: &[(Uuid, DateTime<Utc>)],
    teams: &[Team],
) -> Projects {
    let mut out = Projects {
        list: Vec::with_capacity(count),
        per_team: HashMap::new(),
        csv: Csv::default(),
        shares: Csv::default(),
    };
    for p in 0..count {
        let owner = *g.pick(users);
        let at = owner.1 + Duration::seconds(g.rng.random_range(0..86_400 * 30));
        let id = g.id(at);
        let phase = g.one(&[
            ProjectPhase::Discovery,
            ProjectPhase::Discovery,
            ProjectPhase::Analysis,
            ProjectPhase::Design,
            ProjectPhase::Implementation,
        ]);
        let status = g.one(&[
            ProjectStatus::Active,
            ProjectStatus::Active,
            ProjectStatus::Active,
            ProjectStatus::Completed,
            ProjectStatus::OnHold,
        ]);
        let (name, description) = (format!("Project {p}: {}", g.words(2)), g.words(20));
        out.csv
            .row()
            .raw(id)
            .raw(owner.0)
            .raw(owner.0)
            .text(&name)
            .text(&description)
            .text(phase.as_str())
            .text(status.as_str())
            .time(at)
            .time(at);
        out.list.push((id, owner.0, at));
        if g.chance(0.4) {
            let team = g.pick(teams).id;
            *out.per_team.entry(team).or_default() += 1;
            let level = g.one(PermissionLevel::ALL);
            let share = g.id(at);
            out.shares
                .row()
                .raw(share)
                .raw(id)
                .text(AccessType::Team.as_str())
                .null()
                .raw(team)
                .raw(owner.0)
                .text(level.as_str())
                .time(at)
                .time(at);
        }
        if g.chance(0.3) {
            let other = g.pick(users).0;
            if other != owner.0 {
                let share = g.id(at);
                out.shares
                    .row()
                    .raw(share)
                    .raw(id)
                    .text(AccessType::User.as_str())
                    .raw(other)
                    .null()
                    .raw(owner.0)
                    .text(PermissionLevel::Read.as_str())
                    .time(at)
                    .time(at);
            }
        }
    }
    out
}

/// Loads the projects and their shares; returns the rows of each table.
pub(crate) fn load(
    specs: &mut PgConnection,
    projects: &Projects,
) -> QueryResult<[(&'static str, usize); 2]> {
    use specs_db::schema::project_shares::dsl as s;
    use specs_db::schema::projects::dsl as p;
    let project_rows = copy!(
        Some(&mut *specs),
        p::projects,
        (
            p::id,
            p::owner_id,
            p::creator_id,
            p::name,
            p::description,
            p::current_phase,
            p::status,
            p::created_at,
            p::updated_at
        ),
        projects.csv
    );
    let share_rows = copy!(
        Some(&mut *specs),
        s::project_shares,
        (
            s::id,
            s::project_id,
            s::access_type,
            s::shared_with_user_id,
            s::shared_with_team_id,
            s::shared_by_id,
            s::permission_level,
            s::created_at,
            s::updated_at
        ),
        projects.shares
    );
    Ok([("projects", project_rows), ("project_shares", share_rows)])
}
