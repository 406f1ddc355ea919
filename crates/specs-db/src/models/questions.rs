//! `questions`: questions asked by the Socratic counselor, with the answers.

use crate::enums::{QuestionPriority, QuestionStatus, SpecCategory};
use crate::ids::{ProjectId, QuestionId, SessionId};
use crate::schema::questions;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `questions`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = questions, check_for_backend(diesel::pg::Pg))]
pub struct Question {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: QuestionId,
    /// project the question belongs to
    pub project_id: ProjectId,
    /// session where asked; NULL if the session was deleted
    pub session_id: Option<SessionId>,
    /// question text
    pub text: String,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: SpecCategory,
    /// why the question matters
    pub context: Option<String>,
    /// how urgently the answer is needed; one of: low, medium, high, critical
    pub priority: QuestionPriority,
    /// answer state; one of: pending, answered, skipped, resolved
    pub status: QuestionStatus,
    /// user's answer
    pub answer: Option<String>,
    /// quality-controller score 0–1
    pub quality_score: f64,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `questions`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = questions)]
pub struct NewQuestion<'a> {
    /// Primary key: pass `QuestionId::new()` (a UUIDv7).
    pub id: QuestionId,
    /// project the question belongs to
    pub project_id: ProjectId,
    /// session where asked; NULL if the session was deleted. `None` = NULL.
    pub session_id: Option<SessionId>,
    /// question text
    pub text: &'a str,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: SpecCategory,
    /// why the question matters. `None` = NULL.
    pub context: Option<&'a str>,
    /// how urgently the answer is needed; one of: low, medium, high, critical. `None` = default ('medium').
    pub priority: Option<QuestionPriority>,
    /// answer state; one of: pending, answered, skipped, resolved. `None` = default ('pending').
    pub status: Option<QuestionStatus>,
    /// user's answer. `None` = NULL.
    pub answer: Option<&'a str>,
    /// quality-controller score 0–1. `None` = default (1.0).
    pub quality_score: Option<f64>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewQuestion<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: QuestionId,
        project_id: ProjectId,
        text: &'a str,
        category: SpecCategory,
    ) -> Self {
        Self {
            id,
            project_id,
            text,
            category,
            session_id: None,
            context: None,
            priority: None,
            status: None,
            answer: None,
            quality_score: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `questions` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = questions)]
pub struct QuestionChanges<'a> {
    /// project the question belongs to
    pub project_id: Option<ProjectId>,
    /// session where asked; NULL if the session was deleted
    pub session_id: Option<Option<SessionId>>,
    /// question text
    pub text: Option<&'a str>,
    /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
    pub category: Option<SpecCategory>,
    /// why the question matters
    pub context: Option<Option<&'a str>>,
    /// how urgently the answer is needed; one of: low, medium, high, critical
    pub priority: Option<QuestionPriority>,
    /// answer state; one of: pending, answered, skipped, resolved
    pub status: Option<QuestionStatus>,
    /// user's answer
    pub answer: Option<Option<&'a str>>,
    /// quality-controller score 0–1
    pub quality_score: Option<f64>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
