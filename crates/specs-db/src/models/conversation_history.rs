//! `conversation_history`: every message of every session, in order.

use crate::enums::{MessageRole, MessageType};
use crate::ids::{ConversationMessageId, SessionId};
use crate::schema::conversation_history;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `conversation_history`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = conversation_history, check_for_backend(diesel::pg::Pg))]
pub struct ConversationMessage {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: ConversationMessageId,
    /// session the message belongs to
    pub session_id: SessionId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. author of `user` messages
    pub user_id: Option<UserId>,
    /// speaker; one of: user, assistant, system
    pub role: MessageRole,
    /// message text
    pub content: String,
    /// semantic kind; NULL = plain; one of: question, answer, clarification, specification, error
    pub message_type: Option<MessageType>,
    /// LLM tokens for this message
    pub tokens_used: Option<i32>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// message time
    pub created_at: DateTime<Utc>,
}

/// A new row of `conversation_history`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = conversation_history)]
pub struct NewConversationMessage<'a> {
    /// Primary key: pass `ConversationMessageId::new()` (a UUIDv7).
    pub id: ConversationMessageId,
    /// session the message belongs to
    pub session_id: SessionId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. author of `user` messages. `None` = NULL.
    pub user_id: Option<UserId>,
    /// speaker; one of: user, assistant, system
    pub role: MessageRole,
    /// message text
    pub content: &'a str,
    /// semantic kind; NULL = plain; one of: question, answer, clarification, specification, error. `None` = NULL.
    pub message_type: Option<MessageType>,
    /// LLM tokens for this message. `None` = NULL.
    pub tokens_used: Option<i32>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// message time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewConversationMessage<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: ConversationMessageId,
        session_id: SessionId,
        role: MessageRole,
        content: &'a str,
    ) -> Self {
        Self {
            id,
            session_id,
            role,
            content,
            user_id: None,
            message_type: None,
            tokens_used: None,
            metadata: None,
            created_at: None,
        }
    }
}
