//! `user_behavior_patterns`: learned per-user interaction patterns (user learning).

use crate::enums::ObservationPeriod;
use crate::ids::{ProjectId, UserBehaviorPatternId};
use crate::schema::user_behavior_patterns;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `user_behavior_patterns`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = user_behavior_patterns, check_for_backend(diesel::pg::Pg))]
pub struct UserBehaviorPattern {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: UserBehaviorPatternId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
    pub user_id: UserId,
    /// e.g. communication_style (free text)
    pub pattern_type: String,
    /// learned values
    pub pattern_data: Value,
    /// 0–1
    pub confidence: f64,
    /// source project ids (no FK)
    pub learned_from_projects: Vec<ProjectId>,
    /// window the pattern covers; one of: daily, weekly, monthly, all_time
    pub observation_period: Option<ObservationPeriod>,
    /// observations used
    pub sample_size: Option<i32>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// first learned
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `user_behavior_patterns`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = user_behavior_patterns)]
pub struct NewUserBehaviorPattern<'a> {
    /// Primary key: pass `UserBehaviorPatternId::new()` (a UUIDv7).
    pub id: UserBehaviorPatternId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
    pub user_id: UserId,
    /// e.g. communication_style (free text)
    pub pattern_type: &'a str,
    /// learned values. `None` = default ('{}'::jsonb).
    pub pattern_data: Option<&'a Value>,
    /// 0–1
    pub confidence: f64,
    /// source project ids (no FK). `None` = default ('{}'::uuid[]).
    pub learned_from_projects: Option<&'a [ProjectId]>,
    /// window the pattern covers; one of: daily, weekly, monthly, all_time. `None` = NULL.
    pub observation_period: Option<ObservationPeriod>,
    /// observations used. `None` = NULL.
    pub sample_size: Option<i32>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// first learned. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewUserBehaviorPattern<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: UserBehaviorPatternId,
        user_id: UserId,
        pattern_type: &'a str,
        confidence: f64,
    ) -> Self {
        Self {
            id,
            user_id,
            pattern_type,
            confidence,
            pattern_data: None,
            learned_from_projects: None,
            observation_period: None,
            sample_size: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `user_behavior_patterns` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = user_behavior_patterns)]
pub struct UserBehaviorPatternChanges<'a> {
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
    pub user_id: Option<UserId>,
    /// e.g. communication_style (free text)
    pub pattern_type: Option<&'a str>,
    /// learned values
    pub pattern_data: Option<&'a Value>,
    /// 0–1
    pub confidence: Option<f64>,
    /// source project ids (no FK)
    pub learned_from_projects: Option<&'a [ProjectId]>,
    /// window the pattern covers; one of: daily, weekly, monthly, all_time
    pub observation_period: Option<Option<ObservationPeriod>>,
    /// observations used
    pub sample_size: Option<Option<i32>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
