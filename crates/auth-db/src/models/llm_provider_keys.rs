//! `llm_provider_keys`: each user's own LLM-provider API keys, encrypted (AES-256-GCM), one per provider.

use crate::ids::LlmProviderKeyId;
use crate::schema::llm_provider_keys;
use chrono::{DateTime, Utc};
use db_core::{LlmProvider, UserId};
use diesel::prelude::*;

/// A row of `llm_provider_keys`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = llm_provider_keys, check_for_backend(diesel::pg::Pg))]
pub struct LlmProviderKey {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: LlmProviderKeyId,
    /// key owner
    pub user_id: UserId,
    /// LLM provider; one of: claude, openai, gemini, ollama, other
    pub provider: LlmProvider,
    /// AES-256-GCM ciphertext incl. 16-byte tag
    pub ciphertext: Vec<u8>,
    /// 96-bit GCM nonce, fresh per encryption
    pub nonce: Vec<u8>,
    /// version of the server master key used
    pub key_version: i32,
    /// user may disable without deleting
    pub is_active: bool,
    /// last successful use
    pub last_used_at: Option<DateTime<Utc>>,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `llm_provider_keys`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = llm_provider_keys)]
pub struct NewLlmProviderKey<'a> {
    /// Primary key: pass `LlmProviderKeyId::new()` (a UUIDv7).
    pub id: LlmProviderKeyId,
    /// key owner
    pub user_id: UserId,
    /// LLM provider; one of: claude, openai, gemini, ollama, other
    pub provider: LlmProvider,
    /// AES-256-GCM ciphertext incl. 16-byte tag
    pub ciphertext: &'a [u8],
    /// 96-bit GCM nonce, fresh per encryption
    pub nonce: &'a [u8],
    /// version of the server master key used. `None` = default (1).
    pub key_version: Option<i32>,
    /// user may disable without deleting. `None` = default (true).
    pub is_active: Option<bool>,
    /// last successful use. `None` = NULL.
    pub last_used_at: Option<DateTime<Utc>>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewLlmProviderKey<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: LlmProviderKeyId,
        user_id: UserId,
        provider: LlmProvider,
        ciphertext: &'a [u8],
        nonce: &'a [u8],
    ) -> Self {
        Self {
            id,
            user_id,
            provider,
            ciphertext,
            nonce,
            key_version: None,
            is_active: None,
            last_used_at: None,
            created_at: None,
        }
    }
}

/// Changes to a `llm_provider_keys` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = llm_provider_keys)]
pub struct LlmProviderKeyChanges<'a> {
    /// key owner
    pub user_id: Option<UserId>,
    /// LLM provider; one of: claude, openai, gemini, ollama, other
    pub provider: Option<LlmProvider>,
    /// AES-256-GCM ciphertext incl. 16-byte tag
    pub ciphertext: Option<&'a [u8]>,
    /// 96-bit GCM nonce, fresh per encryption
    pub nonce: Option<&'a [u8]>,
    /// version of the server master key used
    pub key_version: Option<i32>,
    /// user may disable without deleting
    pub is_active: Option<bool>,
    /// last successful use
    pub last_used_at: Option<Option<DateTime<Utc>>>,
}
