//! `user_rules`: per-user Quality-Control rules (seed 003).

use crate::ids::UserRulesId;
use crate::schema::user_rules;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `user_rules`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = user_rules, check_for_backend(diesel::pg::Pg))]
pub struct UserRules {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: UserRulesId,
    /// rule owner (one row per user)
    pub user_id: UserId,
    /// rule map, e.g. `{"prefer_postgres": true}`
    pub rules: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `user_rules`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = user_rules)]
pub struct NewUserRules<'a> {
    /// Primary key: pass `UserRulesId::new()` (a UUIDv7).
    pub id: UserRulesId,
    /// rule owner (one row per user)
    pub user_id: UserId,
    /// rule map, e.g. `{"prefer_postgres": true}`. `None` = default ('{}'::jsonb).
    pub rules: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewUserRules<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: UserRulesId, user_id: UserId) -> Self {
        Self {
            id,
            user_id,
            rules: None,
            created_at: None,
        }
    }
}

/// Changes to a `user_rules` row: `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = user_rules)]
pub struct UserRulesChanges<'a> {
    /// rule owner (one row per user)
    pub user_id: Option<UserId>,
    /// rule map, e.g. `{"prefer_postgres": true}`
    pub rules: Option<&'a Value>,
}
