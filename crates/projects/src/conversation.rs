//! Conversation history: append a message, read the last ones, page back.
//!
//! Appending locks the session row while it bumps `sessions.message_count`,
//! so concurrent appends to one session serialize and the count stays exact;
//! the message's time is taken while the lock is held, so times follow the
//! append order. Reading pages by the keyset `(created_at, id)`.

use chrono::{DateTime, Utc};
use cross_db::Refs;
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

/// Appends in the caller's specs transaction (the session row stays locked until it ends).
fn append_in(
    specs: &mut PgConnection,
    session: SessionId,
    message: &Message<'_>,
) -> Result<ConversationMessage, ProjectError> {
    let status: Option<SessionStatus> = diesel::update(sessions::table.find(session))
        .set(sessions::message_count.eq(sessions::message_count + 1))
        .returning(sessions::status)
        .get_result(specs)
        .optional()?;
    match status {
        None => return Err(ProjectError::NotFound("session")),
        Some(SessionStatus::Active) => {}
        Some(other) => return Err(ProjectError::State(format!("the session is {other}"))),
    }
    Ok(diesel::insert_into(conversation_history::table)
        .values(NewConversationMessage {
            user_id: message.user,
            message_type: message.message_type,
            tokens_used: message.tokens_used,
            metadata: message.metadata,
            created_at: Some(Utc::now()),
            ..NewConversationMessage::new(
                ConversationMessageId::new(),
                session,
                message.role,
                message.content,
            )
        })
        .returning(ConversationMessage::as_returning())
        .get_result(specs)?)
}

/// Appends a message written by nobody in auth (`assistant` or `system`, or a `user`
/// message without an author), bumping the session's count atomically.
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
    specs.transaction(|specs| append_in(specs, session, message))
}

/// Appends a message whose author (`message.user`) is checked and locked in auth.
pub fn append_by(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    session: SessionId,
    message: &Message<'_>,
) -> Result<ConversationMessage, ProjectError> {
    validate(message)?;
    let refs = Refs::new().maybe_user(message.user);
    cross_db::write(auth, specs, &refs, |w| append_in(w.specs, session, message))
}

/// The last `n` messages of a session, oldest first.
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
