//! Learned behaviour patterns: one current row per user and pattern type.

use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::Value;
use specs_db::enums::ObservationPeriod;
use specs_db::ids::{ProjectId, UserBehaviorPatternId};
use specs_db::models::{NewUserBehaviorPattern, UserBehaviorPattern};
use specs_db::schema::user_behavior_patterns as ubp;

use crate::{UsageError, check_text};

/// What was learned.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    /// E.g. `communication_style`.
    pub pattern_type: &'a str,
    /// The learned values.
    pub data: &'a Value,
    /// Confidence, 0..1.
    pub confidence: f64,
    /// Projects it was learned from.
    pub from_projects: &'a [ProjectId],
    /// Window covered.
    pub period: Option<ObservationPeriod>,
    /// Observations used.
    pub sample_size: Option<i32>,
}

/// Records a pattern: updates the user's row of that type, or creates it.
/// Concurrent learners of one (user, type) serialize on an advisory lock.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn learn(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    user: UserId,
    o: &Observation<'_>,
) -> Result<UserBehaviorPattern, UsageError> {
    check_text("pattern_type", o.pattern_type, 100)?;
    if !(0.0..=1.0).contains(&o.confidence) {
        return Err(UsageError::Invalid {
            field: "confidence",
            reason: "must be between 0 and 1".into(),
        });
    }
    if o.sample_size.is_some_and(|s| s < 0) {
        return Err(UsageError::Invalid {
            field: "sample_size",
            reason: "must not be negative".into(),
        });
    }
    let new = NewUserBehaviorPattern {
        pattern_data: Some(o.data),
        learned_from_projects: Some(o.from_projects),
        observation_period: o.period,
        sample_size: o.sample_size,
        ..NewUserBehaviorPattern::new(
            UserBehaviorPatternId::new(),
            user,
            o.pattern_type,
            o.confidence,
        )
    };
    cross_db::write(auth, specs, &Refs::of(&new), |w| {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<Text, _>(format!("ubp:{user}:{}", o.pattern_type))
            .execute(w.specs)?;
        let existing: Option<UserBehaviorPatternId> = ubp::table
            .filter(
                ubp::user_id
                    .eq(user)
                    .and(ubp::pattern_type.eq(o.pattern_type)),
            )
            .order(ubp::updated_at.desc())
            .select(ubp::id)
            .first(w.specs)
            .optional()?;
        Ok(match existing {
            Some(id) => diesel::update(ubp::table.find(id))
                .set((
                    ubp::pattern_data.eq(o.data),
                    ubp::confidence.eq(o.confidence),
                    ubp::learned_from_projects.eq(o.from_projects),
                    ubp::observation_period.eq(o.period),
                    ubp::sample_size.eq(o.sample_size),
                ))
                .returning(UserBehaviorPattern::as_returning())
                .get_result(w.specs)?,
            None => diesel::insert_into(ubp::table)
                .values(&new)
                .returning(UserBehaviorPattern::as_returning())
                .get_result(w.specs)?,
        })
    })
}
