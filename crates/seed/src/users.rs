//! Users (auth): 40 per unit of scale, the first an admin, all active and verified.

use auth_db::enums::{UserRole, UserStatus};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::csv::{Csv, copy};
use crate::generator::{FIRST, Gen, LAST};

/// The seeded users: id and creation time.
pub(crate) struct Users {
    pub(crate) list: Vec<(Uuid, DateTime<Utc>)>,
    csv: Csv,
}

/// Generates `count` users, every one with the password hash `hash`.
pub(crate) fn generate(g: &mut Gen, count: usize, hash: &str) -> Users {
    let mut list = Vec::with_capacity(count);
    let mut csv = Csv::default();
    for i in 0..count {
        let at = g.time(60);
        let id = g.id(at);
        let (first, last) = (*g.pick(FIRST), *g.pick(LAST));
        let role = if i == 0 {
            UserRole::Admin
        } else {
            UserRole::User
        };
        csv.row()
            .raw(id)
            .text(&format!("user{i}@seed.socrates.example"))
            .text(hash)
            .text(first)
            .text(last)
            .text(role.as_str())
            .text(UserStatus::Active.as_str())
            .raw(true)
            .time(at)
            .time(at);
        list.push((id, at));
    }
    Users { list, csv }
}

/// Loads the users (when `auth` is given); returns the rows.
pub(crate) fn load(auth: Option<&mut PgConnection>, users: &Users) -> QueryResult<usize> {
    use auth_db::schema::users::dsl as u;
    Ok(copy!(
        auth,
        u::users,
        (
            u::id,
            u::email,
            u::password_hash,
            u::first_name,
            u::last_name,
            u::role,
            u::status,
            u::is_verified,
            u::created_at,
            u::updated_at
        ),
        users.csv
    ))
}
