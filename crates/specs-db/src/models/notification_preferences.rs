//! `notification_preferences`: per-user, per-notification-type delivery settings.

use crate::enums::{NotificationFrequency, NotificationType};
use crate::ids::NotificationPreferenceId;
use crate::schema::notification_preferences;
use chrono::NaiveTime;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `notification_preferences`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = notification_preferences, check_for_backend(diesel::pg::Pg))]
pub struct NotificationPreference {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: NotificationPreferenceId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
    pub user_id: UserId,
    /// event class; one of: conflict, maturity, mention, activity, invitation
    pub notification_type: NotificationType,
    /// deliver by e-mail
    pub email_enabled: bool,
    /// deliver inside the app
    pub in_app_enabled: bool,
    /// deliver to Slack
    pub slack_enabled: bool,
    /// delivery cadence; one of: immediate, daily, weekly, off
    pub frequency: NotificationFrequency,
    /// hold notifications during quiet hours
    pub quiet_hours_enabled: bool,
    /// local time, user's time zone
    pub quiet_hours_start: Option<NaiveTime>,
    /// may be < start (spans midnight)
    pub quiet_hours_end: Option<NaiveTime>,
    /// includes `timezone` (IANA)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `notification_preferences`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notification_preferences)]
pub struct NewNotificationPreference<'a> {
    /// Primary key: pass `NotificationPreferenceId::new()` (a UUIDv7).
    pub id: NotificationPreferenceId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
    pub user_id: UserId,
    /// event class; one of: conflict, maturity, mention, activity, invitation
    pub notification_type: NotificationType,
    /// deliver by e-mail. `None` = default (true).
    pub email_enabled: Option<bool>,
    /// deliver inside the app. `None` = default (true).
    pub in_app_enabled: Option<bool>,
    /// deliver to Slack. `None` = default (false).
    pub slack_enabled: Option<bool>,
    /// delivery cadence; one of: immediate, daily, weekly, off. `None` = default ('immediate').
    pub frequency: Option<NotificationFrequency>,
    /// hold notifications during quiet hours. `None` = default (false).
    pub quiet_hours_enabled: Option<bool>,
    /// local time, user's time zone. `None` = NULL.
    pub quiet_hours_start: Option<NaiveTime>,
    /// may be < start (spans midnight). `None` = NULL.
    pub quiet_hours_end: Option<NaiveTime>,
    /// includes `timezone` (IANA). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewNotificationPreference<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: NotificationPreferenceId,
        user_id: UserId,
        notification_type: NotificationType,
    ) -> Self {
        Self {
            id,
            user_id,
            notification_type,
            email_enabled: None,
            in_app_enabled: None,
            slack_enabled: None,
            frequency: None,
            quiet_hours_enabled: None,
            quiet_hours_start: None,
            quiet_hours_end: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `notification_preferences` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = notification_preferences)]
pub struct NotificationPreferenceChanges<'a> {
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
    pub user_id: Option<UserId>,
    /// event class; one of: conflict, maturity, mention, activity, invitation
    pub notification_type: Option<NotificationType>,
    /// deliver by e-mail
    pub email_enabled: Option<bool>,
    /// deliver inside the app
    pub in_app_enabled: Option<bool>,
    /// deliver to Slack
    pub slack_enabled: Option<bool>,
    /// delivery cadence; one of: immediate, daily, weekly, off
    pub frequency: Option<NotificationFrequency>,
    /// hold notifications during quiet hours
    pub quiet_hours_enabled: Option<bool>,
    /// local time, user's time zone
    pub quiet_hours_start: Option<Option<NaiveTime>>,
    /// may be < start (spans midnight)
    pub quiet_hours_end: Option<Option<NaiveTime>>,
    /// includes `timezone` (IANA)
    pub metadata: Option<&'a Value>,
}
