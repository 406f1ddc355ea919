//! `question_effectiveness`: how well each question template works, per user (user_id set) or across all users (user_id NULL).

use crate::ids::{QuestionEffectivenessId, QuestionId};
use crate::schema::question_effectiveness;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `question_effectiveness`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = question_effectiveness, check_for_backend(diesel::pg::Pg))]
pub struct QuestionEffectiveness {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: QuestionEffectivenessId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. NULL = global aggregate
    pub user_id: Option<UserId>,
    /// stable template key (free text)
    pub question_template_id: String,
    /// concrete question the row is tied to, if any
    pub question_id: Option<QuestionId>,
    /// template text snapshot
    pub question_text: Option<String>,
    /// counselor role asking it (free text)
    pub role: Option<String>,
    /// project segment (free text)
    pub project_type: Option<String>,
    /// times the question was asked
    pub times_asked: i32,
    /// answers that yielded usable specifications
    pub times_answered_well: i32,
    /// times the question was skipped
    pub times_skipped: i32,
    /// characters
    pub average_answer_length: Option<i32>,
    /// specs extracted per answer
    pub average_spec_extraction_count: Option<f64>,
    /// mean time to answer, in seconds
    pub average_response_time_seconds: Option<f64>,
    /// 0–1
    pub effectiveness_score: Option<f64>,
    /// 0–1
    pub relevance_score: Option<f64>,
    /// 0–1
    pub clarity_score: Option<f64>,
    /// aggregated feedback
    pub feedback: Value,
    /// suggested rewording
    pub recommendations: Option<String>,
    /// last time the question was asked
    pub last_asked_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `question_effectiveness`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = question_effectiveness)]
pub struct NewQuestionEffectiveness<'a> {
    /// Primary key: pass `QuestionEffectivenessId::new()` (a UUIDv7).
    pub id: QuestionEffectivenessId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. NULL = global aggregate. `None` = NULL.
    pub user_id: Option<UserId>,
    /// stable template key (free text)
    pub question_template_id: &'a str,
    /// concrete question the row is tied to, if any. `None` = NULL.
    pub question_id: Option<QuestionId>,
    /// template text snapshot. `None` = NULL.
    pub question_text: Option<&'a str>,
    /// counselor role asking it (free text). `None` = NULL.
    pub role: Option<&'a str>,
    /// project segment (free text). `None` = NULL.
    pub project_type: Option<&'a str>,
    /// times the question was asked. `None` = default (0).
    pub times_asked: Option<i32>,
    /// answers that yielded usable specifications. `None` = default (0).
    pub times_answered_well: Option<i32>,
    /// times the question was skipped. `None` = default (0).
    pub times_skipped: Option<i32>,
    /// characters. `None` = NULL.
    pub average_answer_length: Option<i32>,
    /// specs extracted per answer. `None` = NULL.
    pub average_spec_extraction_count: Option<f64>,
    /// mean time to answer, in seconds. `None` = NULL.
    pub average_response_time_seconds: Option<f64>,
    /// 0–1. `None` = NULL.
    pub effectiveness_score: Option<f64>,
    /// 0–1. `None` = NULL.
    pub relevance_score: Option<f64>,
    /// 0–1. `None` = NULL.
    pub clarity_score: Option<f64>,
    /// aggregated feedback. `None` = default ('{}'::jsonb).
    pub feedback: Option<&'a Value>,
    /// suggested rewording. `None` = NULL.
    pub recommendations: Option<&'a str>,
    /// last time the question was asked. `None` = NULL.
    pub last_asked_at: Option<DateTime<Utc>>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewQuestionEffectiveness<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: QuestionEffectivenessId, question_template_id: &'a str) -> Self {
        Self {
            id,
            question_template_id,
            user_id: None,
            question_id: None,
            question_text: None,
            role: None,
            project_type: None,
            times_asked: None,
            times_answered_well: None,
            times_skipped: None,
            average_answer_length: None,
            average_spec_extraction_count: None,
            average_response_time_seconds: None,
            effectiveness_score: None,
            relevance_score: None,
            clarity_score: None,
            feedback: None,
            recommendations: None,
            last_asked_at: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `question_effectiveness` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = question_effectiveness)]
pub struct QuestionEffectivenessChanges<'a> {
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. NULL = global aggregate
    pub user_id: Option<Option<UserId>>,
    /// stable template key (free text)
    pub question_template_id: Option<&'a str>,
    /// concrete question the row is tied to, if any
    pub question_id: Option<Option<QuestionId>>,
    /// template text snapshot
    pub question_text: Option<Option<&'a str>>,
    /// counselor role asking it (free text)
    pub role: Option<Option<&'a str>>,
    /// project segment (free text)
    pub project_type: Option<Option<&'a str>>,
    /// times the question was asked
    pub times_asked: Option<i32>,
    /// answers that yielded usable specifications
    pub times_answered_well: Option<i32>,
    /// times the question was skipped
    pub times_skipped: Option<i32>,
    /// characters
    pub average_answer_length: Option<Option<i32>>,
    /// specs extracted per answer
    pub average_spec_extraction_count: Option<Option<f64>>,
    /// mean time to answer, in seconds
    pub average_response_time_seconds: Option<Option<f64>>,
    /// 0–1
    pub effectiveness_score: Option<Option<f64>>,
    /// 0–1
    pub relevance_score: Option<Option<f64>>,
    /// 0–1
    pub clarity_score: Option<Option<f64>>,
    /// aggregated feedback
    pub feedback: Option<&'a Value>,
    /// suggested rewording
    pub recommendations: Option<Option<&'a str>>,
    /// last time the question was asked
    pub last_asked_at: Option<Option<DateTime<Utc>>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
