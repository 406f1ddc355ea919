//! `user_preferences`: per-user UI and LLM preferences (seed 004).

use crate::enums::{IdeType, Theme};
use crate::ids::UserPreferencesId;
use crate::schema::user_preferences;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;

/// A row of `user_preferences`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = user_preferences, check_for_backend(diesel::pg::Pg))]
pub struct UserPreferences {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: UserPreferencesId,
    /// one row per user
    pub user_id: UserId,
    /// UI theme; one of: dark, light, system
    pub theme: Theme,
    /// preferred model id (free text); NULL = platform default
    pub llm_model: Option<String>,
    /// sampling temperature
    pub llm_temperature: f64,
    /// max output tokens
    pub llm_max_tokens: i32,
    /// IDE integration; one of: vscode, jetbrains, vim, emacs, cursor, other
    pub ide_type: Option<IdeType>,
    /// sync generated files to the IDE automatically
    pub auto_sync: bool,
    /// master switch for notifications
    pub notifications_enabled: bool,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `user_preferences`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = user_preferences)]
pub struct NewUserPreferences<'a> {
    /// Primary key: pass `UserPreferencesId::new()` (a UUIDv7).
    pub id: UserPreferencesId,
    /// one row per user
    pub user_id: UserId,
    /// UI theme; one of: dark, light, system. `None` = default ('dark').
    pub theme: Option<Theme>,
    /// preferred model id (free text); NULL = platform default. `None` = NULL.
    pub llm_model: Option<&'a str>,
    /// sampling temperature. `None` = default (0.7).
    pub llm_temperature: Option<f64>,
    /// max output tokens. `None` = default (2000).
    pub llm_max_tokens: Option<i32>,
    /// IDE integration; one of: vscode, jetbrains, vim, emacs, cursor, other. `None` = NULL.
    pub ide_type: Option<IdeType>,
    /// sync generated files to the IDE automatically. `None` = default (false).
    pub auto_sync: Option<bool>,
    /// master switch for notifications. `None` = default (true).
    pub notifications_enabled: Option<bool>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewUserPreferences<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: UserPreferencesId, user_id: UserId) -> Self {
        Self {
            id,
            user_id,
            theme: None,
            llm_model: None,
            llm_temperature: None,
            llm_max_tokens: None,
            ide_type: None,
            auto_sync: None,
            notifications_enabled: None,
            created_at: None,
        }
    }
}

/// Changes to a `user_preferences` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = user_preferences)]
pub struct UserPreferencesChanges<'a> {
    /// one row per user
    pub user_id: Option<UserId>,
    /// UI theme; one of: dark, light, system
    pub theme: Option<Theme>,
    /// preferred model id (free text); NULL = platform default
    pub llm_model: Option<Option<&'a str>>,
    /// sampling temperature
    pub llm_temperature: Option<f64>,
    /// max output tokens
    pub llm_max_tokens: Option<i32>,
    /// IDE integration; one of: vscode, jetbrains, vim, emacs, cursor, other
    pub ide_type: Option<Option<IdeType>>,
    /// sync generated files to the IDE automatically
    pub auto_sync: Option<bool>,
    /// master switch for notifications
    pub notifications_enabled: Option<bool>,
}
