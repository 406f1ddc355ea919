//! `llm_usage_tracking`: one row per LLM call: tokens, cost, latency (billing/usage history, kept after user deletion).

use crate::enums::LlmCallStatus;
use crate::ids::{LlmUsageId, ProjectId, SessionId};
use crate::schema::llm_usage_tracking;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use db_core::{LlmProvider, UserId};
use diesel::prelude::*;
use serde_json::Value;

/// A row of `llm_usage_tracking`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = llm_usage_tracking, check_for_backend(diesel::pg::Pg))]
pub struct LlmUsage {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: LlmUsageId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: UserId,
    /// project the call was made for, if any
    pub project_id: Option<ProjectId>,
    /// session the call was made in, if any
    pub session_id: Option<SessionId>,
    /// LLM provider called; one of: claude, openai, gemini, ollama, other
    pub provider: LlmProvider,
    /// provider model id (free text)
    pub model_name: String,
    /// e.g. question_generation (free text)
    pub operation_type: Option<String>,
    /// prompt tokens
    pub input_tokens: i32,
    /// completion tokens
    pub output_tokens: i32,
    /// as billed by the provider
    pub total_tokens: i32,
    /// estimated cost
    pub cost_usd: Option<BigDecimal>,
    /// round-trip time in milliseconds
    pub latency_ms: Option<i32>,
    /// call outcome; one of: success, error, timeout, rate_limited
    pub status: LlmCallStatus,
    /// failure message, if any
    pub error_message: Option<String>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// call time
    pub created_at: DateTime<Utc>,
}

/// A new row of `llm_usage_tracking`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = llm_usage_tracking)]
pub struct NewLlmUsage<'a> {
    /// Primary key: pass `LlmUsageId::new()` (a UUIDv7).
    pub id: LlmUsageId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: UserId,
    /// project the call was made for, if any. `None` = NULL.
    pub project_id: Option<ProjectId>,
    /// session the call was made in, if any. `None` = NULL.
    pub session_id: Option<SessionId>,
    /// LLM provider called; one of: claude, openai, gemini, ollama, other
    pub provider: LlmProvider,
    /// provider model id (free text)
    pub model_name: &'a str,
    /// e.g. question_generation (free text). `None` = NULL.
    pub operation_type: Option<&'a str>,
    /// prompt tokens. `None` = default (0).
    pub input_tokens: Option<i32>,
    /// completion tokens. `None` = default (0).
    pub output_tokens: Option<i32>,
    /// as billed by the provider. `None` = default (0).
    pub total_tokens: Option<i32>,
    /// estimated cost. `None` = NULL.
    pub cost_usd: Option<&'a BigDecimal>,
    /// round-trip time in milliseconds. `None` = NULL.
    pub latency_ms: Option<i32>,
    /// call outcome; one of: success, error, timeout, rate_limited. `None` = default ('success').
    pub status: Option<LlmCallStatus>,
    /// failure message, if any. `None` = NULL.
    pub error_message: Option<&'a str>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// call time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewLlmUsage<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: LlmUsageId,
        user_id: UserId,
        provider: LlmProvider,
        model_name: &'a str,
    ) -> Self {
        Self {
            id,
            user_id,
            provider,
            model_name,
            project_id: None,
            session_id: None,
            operation_type: None,
            input_tokens: None,
            output_tokens: None,
            total_tokens: None,
            cost_usd: None,
            latency_ms: None,
            status: None,
            error_message: None,
            metadata: None,
            created_at: None,
        }
    }
}
