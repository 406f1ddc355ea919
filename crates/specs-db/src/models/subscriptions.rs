//! `subscriptions`: a user's billing plan and its Stripe linkage.

use crate::enums::{PlanName, PlanType, SubscriptionStatus};
use crate::ids::SubscriptionId;
use crate::schema::subscriptions;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `subscriptions`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = subscriptions, check_for_backend(diesel::pg::Pg))]
pub struct Subscription {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: SubscriptionId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: UserId,
    /// plan tier; one of: free, starter, professional, enterprise
    pub plan_name: PlanName,
    /// billing interval; one of: monthly, yearly, usage_based
    pub plan_type: Option<PlanType>,
    /// subscription state; one of: active, cancelled, suspended, expired, past_due
    pub status: SubscriptionStatus,
    /// price per interval
    pub price_usd: Option<BigDecimal>,
    /// current period start
    pub billing_cycle_start: Option<DateTime<Utc>>,
    /// current period end
    pub billing_cycle_end: Option<DateTime<Utc>>,
    /// false = cancel at period end
    pub auto_renew: bool,
    /// cancellation time
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Stripe customer id
    pub stripe_customer_id: Option<String>,
    /// Stripe subscription id
    pub stripe_subscription_id: Option<String>,
    /// feature flags/limits
    pub features: Value,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `subscriptions`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = subscriptions)]
pub struct NewSubscription<'a> {
    /// Primary key: pass `SubscriptionId::new()` (a UUIDv7).
    pub id: SubscriptionId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: UserId,
    /// plan tier; one of: free, starter, professional, enterprise
    pub plan_name: PlanName,
    /// billing interval; one of: monthly, yearly, usage_based. `None` = NULL.
    pub plan_type: Option<PlanType>,
    /// subscription state; one of: active, cancelled, suspended, expired, past_due. `None` = default ('active').
    pub status: Option<SubscriptionStatus>,
    /// price per interval. `None` = NULL.
    pub price_usd: Option<&'a BigDecimal>,
    /// current period start. `None` = NULL.
    pub billing_cycle_start: Option<DateTime<Utc>>,
    /// current period end. `None` = NULL.
    pub billing_cycle_end: Option<DateTime<Utc>>,
    /// false = cancel at period end. `None` = default (true).
    pub auto_renew: Option<bool>,
    /// cancellation time. `None` = NULL.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Stripe customer id. `None` = NULL.
    pub stripe_customer_id: Option<&'a str>,
    /// Stripe subscription id. `None` = NULL.
    pub stripe_subscription_id: Option<&'a str>,
    /// feature flags/limits. `None` = default ('{}'::jsonb).
    pub features: Option<&'a Value>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewSubscription<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(id: SubscriptionId, user_id: UserId, plan_name: PlanName) -> Self {
        Self {
            id,
            user_id,
            plan_name,
            plan_type: None,
            status: None,
            price_usd: None,
            billing_cycle_start: None,
            billing_cycle_end: None,
            auto_renew: None,
            cancelled_at: None,
            stripe_customer_id: None,
            stripe_subscription_id: None,
            features: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `subscriptions` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = subscriptions)]
pub struct SubscriptionChanges<'a> {
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: Option<UserId>,
    /// plan tier; one of: free, starter, professional, enterprise
    pub plan_name: Option<PlanName>,
    /// billing interval; one of: monthly, yearly, usage_based
    pub plan_type: Option<Option<PlanType>>,
    /// subscription state; one of: active, cancelled, suspended, expired, past_due
    pub status: Option<SubscriptionStatus>,
    /// price per interval
    pub price_usd: Option<Option<&'a BigDecimal>>,
    /// current period start
    pub billing_cycle_start: Option<Option<DateTime<Utc>>>,
    /// current period end
    pub billing_cycle_end: Option<Option<DateTime<Utc>>>,
    /// false = cancel at period end
    pub auto_renew: Option<bool>,
    /// cancellation time
    pub cancelled_at: Option<Option<DateTime<Utc>>>,
    /// Stripe customer id
    pub stripe_customer_id: Option<Option<&'a str>>,
    /// Stripe subscription id
    pub stripe_subscription_id: Option<Option<&'a str>>,
    /// feature flags/limits
    pub features: Option<&'a Value>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
