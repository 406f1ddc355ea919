//! Notification preferences: one row per user and notification type.

use chrono::NaiveTime;
use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use serde_json::json;
use specs_db::enums::{NotificationFrequency, NotificationType};
use specs_db::ids::NotificationPreferenceId;
use specs_db::models::{NewNotificationPreference, NotificationPreference};
use specs_db::schema::notification_preferences as np;

use crate::UsageError;

/// How a user wants one type of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preference<'a> {
    /// By e-mail.
    pub email: bool,
    /// In the app.
    pub in_app: bool,
    /// To Slack.
    pub slack: bool,
    /// Cadence.
    pub frequency: NotificationFrequency,
    /// Quiet hours (local times; the end may be before the start).
    pub quiet_hours: Option<(NaiveTime, NaiveTime)>,
    /// IANA time zone of the quiet hours.
    pub timezone: Option<&'a str>,
}

/// Sets (inserts or replaces) a user's preference for one notification type.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn set(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    user: UserId,
    kind: NotificationType,
    p: &Preference<'_>,
) -> Result<NotificationPreference, UsageError> {
    if p.timezone.is_some_and(|tz| {
        tz.is_empty()
            || tz.len() > 64
            || !tz
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
    }) {
        return Err(UsageError::Invalid {
            field: "timezone",
            reason: "an IANA name such as Europe/Paris".into(),
        });
    }
    let metadata = json!({ "timezone": p.timezone });
    let row = NewNotificationPreference {
        email_enabled: Some(p.email),
        in_app_enabled: Some(p.in_app),
        slack_enabled: Some(p.slack),
        frequency: Some(p.frequency),
        quiet_hours_enabled: Some(p.quiet_hours.is_some()),
        quiet_hours_start: p.quiet_hours.map(|q| q.0),
        quiet_hours_end: p.quiet_hours.map(|q| q.1),
        metadata: Some(&metadata),
        ..NewNotificationPreference::new(NotificationPreferenceId::new(), user, kind)
    };
    cross_db::write(auth, specs, &Refs::of(&row), |w| {
        Ok(diesel::insert_into(np::table)
            .values(&row)
            .on_conflict((np::user_id, np::notification_type))
            .do_update()
            .set((
                np::email_enabled.eq(p.email),
                np::in_app_enabled.eq(p.in_app),
                np::slack_enabled.eq(p.slack),
                np::frequency.eq(p.frequency),
                np::quiet_hours_enabled.eq(p.quiet_hours.is_some()),
                np::quiet_hours_start.eq(p.quiet_hours.map(|q| q.0)),
                np::quiet_hours_end.eq(p.quiet_hours.map(|q| q.1)),
                np::metadata.eq(&metadata),
            ))
            .returning(NotificationPreference::as_returning())
            .get_result(w.specs)?)
    })
}

/// A user's preferences.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn of(specs: &mut PgConnection, user: UserId) -> QueryResult<Vec<NotificationPreference>> {
    np::table
        .filter(np::user_id.eq(user))
        .order(np::notification_type)
        .select(NotificationPreference::as_select())
        .load(specs)
}
