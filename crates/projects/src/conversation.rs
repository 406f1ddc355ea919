//! Conversation history: append a message, read the last ones, page back.
//!
//! Appending is one statement: it bumps `sessions.message_count` of an active
//! session and inserts the message, so the two cannot part; the UPDATE's row
//! lock serializes concurrent appends to one session and keeps the count
//! exact, and the message's time is read (from the server's clock) after the
//! lock is taken, so times follow the append order. Reading pages by the
//! keyset `(created_at, id)`.

use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;
use specs_db::enums::{MessageRole, MessageType, SessionStatus};
use specs_db::ids::{ConversationMessageId, SessionId};
use specs_db::models::{ConversationMessage, NewConversationMessage};
use specs_db::schema::{conversation_history, sessions};

use crate::ProjectError;

/// A message to append.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// Who speaks.
    pub role: MessageRole,
    /// The text.
    pub content: &'a str,
    /// The author of a `user` message (checked in auth).
    pub user: Option<UserId>,
    /// Semantic kind, if any.
    pub message_type: Option<MessageType>,
    /// LLM tokens used, if known.
    pub tokens_used: Option<i32>,
    /// Extra data.
    pub metadata: Option<&'a Value>,
}

impl<'a> Message<'a> {
    /// A plain message from `role`.
    pub fn new(role: MessageRole, content: &'a str) -> Self {
        Self {
            role,
            content,
            user: None,
            message_type: None,
            tokens_used: None,
            metadata: None,
        }
    }
}

/// Where to continue paging back from: the oldest message already seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Its time.
    pub created_at: DateTime<Utc>,
    /// Its id (breaks ties).
    pub id: ConversationMessageId,
}

impl From<&ConversationMessage> for Cursor {
    fn from(m: &ConversationMessage) -> Self {
        Self {
            created_at: m.created_at,
            id: m.id,
        }
    }
}

fn validate(message: &Message<'_>) -> Result<(), ProjectError> {
    if message.content.is_empty() {
        return Err(ProjectError::Invalid {
            field: "content",
            reason: "must not be empty".into(),
        });
    }
    if message.tokens_used.is_some_and(|t| t < 0) {
        return Err(ProjectError::Invalid {
            field: "tokens_used",
            reason: "must not be negative".into(),
        });
    }
    Ok(())
}

/// One statement: bump the count of the session, if it is active, and insert
/// the message. The UPDATE's row lock orders concurrent appends to a session,
/// and the message's time is read after it, so times follow the append order.
const APPEND_SQL: &str = include_str!("append_message.sql");

/// The row a message becomes (its time is the server's, set on append).
fn row<'a>(session: SessionId, message: &Message<'a>) -> NewConversationMessage<'a> {
    NewConversationMessage {
        user_id: message.user,
        message_type: message.message_type,
        tokens_used: message.tokens_used,
        metadata: message.metadata,
        ..NewConversationMessage::new(
            ConversationMessageId::new(),
            session,
            message.role,
            message.content,
        )
    }
}

/// Appends in one statement (in the caller's transaction, if any); when nothing
/// was appended, says why.
fn append_in(
    specs: &mut PgConnection,
    row: &NewConversationMessage<'_>,
) -> Result<ConversationMessage, ProjectError> {
    use diesel::sql_types::{Integer, Jsonb, Nullable, Text, Uuid as SqlUuid};
    let session = row.session_id;
    let appended: Option<ConversationMessage> = db_core::prepared(
        diesel::sql_query(APPEND_SQL)
            .bind::<SqlUuid, _>(row.id)
            .bind::<SqlUuid, _>(session)
            .bind::<Nullable<SqlUuid>, _>(row.user_id)
            .bind::<Text, _>(row.role)
            .bind::<Text, _>(row.content)
            .bind::<Nullable<Text>, _>(row.message_type)
            .bind::<Nullable<Integer>, _>(row.tokens_used)
            .bind::<Nullable<Jsonb>, _>(row.metadata),
    )
    .get_result(specs)
    .optional()?;
    if let Some(appended) = appended {
        return Ok(appended);
    }
    let status: Option<SessionStatus> = sessions::table
        .find(session)
        .select(sessions::status)
        .first(specs)
        .optional()?;
    Err(match status {
        None => ProjectError::NotFound("session"),
        Some(other) => ProjectError::State(format!("the session is {other}")),
    })
}

/// Appends a message written by nobody in auth (`assistant` or `system`, or a `user`
/// message without an author), bumping the session's count atomically.
#[tracing::instrument(level = "debug", skip_all, fields(session = %session))]
pub fn append(
    specs: &mut PgConnection,
    session: SessionId,
    message: &Message<'_>,
) -> Result<ConversationMessage, ProjectError> {
    validate(message)?;
    if message.user.is_some() {
        return Err(ProjectError::Invalid {
            field: "user",
            reason:
                "a message with an author goes through append_by (its author is checked in auth)"
                    .into(),
        });
    }
    append_in(specs, &row(session, message))
}

/// Appends a message whose author (`message.user`) is checked and locked in auth.
#[tracing::instrument(level = "debug", skip_all, fields(session = %session))]
pub fn append_by(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    session: SessionId,
    message: &Message<'_>,
) -> Result<ConversationMessage, ProjectError> {
    validate(message)?;
    cross_db::write_row(auth, specs, &row(session, message), append_in)
}

/// The last `n` messages of a session, oldest first.
#[tracing::instrument(level = "debug", skip_all, fields(session = %session, n))]
pub fn last(
    specs: &mut PgConnection,
    session: SessionId,
    n: i64,
) -> QueryResult<Vec<ConversationMessage>> {
    let mut page: Vec<ConversationMessage> = conversation_history::table
        .filter(conversation_history::session_id.eq(session))
        .order((
            conversation_history::created_at.desc(),
            conversation_history::id.desc(),
        ))
        .limit(n)
        .select(ConversationMessage::as_select())
        .load(specs)?;
    page.reverse();
    Ok(page)
}

/// Up to `n` messages older than `before`, oldest first (keyset, never OFFSET).
#[tracing::instrument(level = "debug", skip_all, fields(session = %session, n))]
pub fn page_before(
    specs: &mut PgConnection,
    session: SessionId,
    before: Cursor,
    n: i64,
) -> QueryResult<Vec<ConversationMessage>> {
    use conversation_history::dsl as c;
    let mut page: Vec<ConversationMessage> = conversation_history::table
        .filter(c::session_id.eq(session))
        .filter(
            c::created_at
                .lt(before.created_at)
                .or(c::created_at.eq(before.created_at).and(c::id.lt(before.id))),
        )
        .order((c::created_at.desc(), c::id.desc()))
        .limit(n)
        .select(ConversationMessage::as_select())
        .load(specs)?;
    page.reverse();
    Ok(page)
}
