//! Billing: subscriptions and invoices through their lifecycles.
//!
//! Subscription states: `active` -> `past_due` | `suspended` | `cancelled` | `expired`;
//! `past_due` -> `active` | `suspended` | `cancelled` | `expired`; `suspended` ->
//! `active` | `cancelled` | `expired`; `cancelled` -> `expired`; `expired` is final.
//! Invoice states: `draft` -> `sent` -> `paid`, `sent` -> `overdue` -> `paid`, and
//! `draft` | `sent` | `overdue` -> `cancelled`. Anything else is a typed error.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use cross_db::Refs;
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;
use specs_db::enums::{InvoiceStatus, PlanName, PlanType, SubscriptionStatus};
use specs_db::ids::{InvoiceId, SubscriptionId};
use specs_db::models::{Invoice, NewInvoice, NewSubscription, Subscription};
use specs_db::schema::{invoices, subscriptions};

use crate::{UsageError, check_text};

/// Whether a subscription may go from `from` to `to`.
pub fn subscription_transition(from: SubscriptionStatus, to: SubscriptionStatus) -> bool {
    use SubscriptionStatus::*;
    matches!(
        (from, to),
        (Active, PastDue | Suspended | Cancelled | Expired)
            | (PastDue, Active | Suspended | Cancelled | Expired)
            | (Suspended, Active | Cancelled | Expired)
            | (Cancelled, Expired)
    )
}

/// Whether an invoice may go from `from` to `to`.
pub fn invoice_transition(from: InvoiceStatus, to: InvoiceStatus) -> bool {
    use InvoiceStatus::*;
    matches!(
        (from, to),
        (Draft, Sent | Cancelled)
            | (Sent, Paid | Overdue | Cancelled)
            | (Overdue, Paid | Cancelled)
    )
}

/// A new subscription.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// Tier.
    pub plan: PlanName,
    /// Billing interval.
    pub plan_type: Option<PlanType>,
    /// Price per interval.
    pub price_usd: Option<BigDecimal>,
    /// Current period.
    pub cycle: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Stripe customer.
    pub stripe_customer_id: Option<&'a str>,
    /// Stripe subscription (unique).
    pub stripe_subscription_id: Option<&'a str>,
}

/// Subscribes a user (checked in auth) to a plan.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn subscribe(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    user: UserId,
    plan: &Plan<'_>,
) -> Result<Subscription, UsageError> {
    if plan.price_usd.as_ref().is_some_and(crate::is_negative) {
        return Err(UsageError::Invalid {
            field: "price_usd",
            reason: "must not be negative".into(),
        });
    }
    if plan.cycle.is_some_and(|(start, end)| end <= start) {
        return Err(UsageError::Invalid {
            field: "billing cycle",
            reason: "must end after it starts".into(),
        });
    }
    let new = NewSubscription {
        plan_type: plan.plan_type,
        price_usd: plan.price_usd.as_ref(),
        billing_cycle_start: plan.cycle.map(|c| c.0),
        billing_cycle_end: plan.cycle.map(|c| c.1),
        stripe_customer_id: plan.stripe_customer_id,
        stripe_subscription_id: plan.stripe_subscription_id,
        ..NewSubscription::new(SubscriptionId::new(), user, plan.plan)
    };
    cross_db::write(auth, specs, &Refs::of(&new), |w| {
        Ok(diesel::insert_into(subscriptions::table)
            .values(&new)
            .returning(Subscription::as_returning())
            .get_result(w.specs)?)
    })
}

/// Moves a subscription to `to` if its lifecycle allows it; cancelling stops renewal.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn set_subscription_status(
    specs: &mut PgConnection,
    id: SubscriptionId,
    to: SubscriptionStatus,
) -> Result<Subscription, UsageError> {
    specs.transaction(|specs| {
        let from: SubscriptionStatus = subscriptions::table
            .find(id)
            .select(subscriptions::status)
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(UsageError::NotFound("subscription"))?;
        if !subscription_transition(from, to) {
            return Err(UsageError::Transition {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        let cancelling = to == SubscriptionStatus::Cancelled;
        Ok(diesel::update(subscriptions::table.find(id))
            .set((
                subscriptions::status.eq(to),
                cancelling.then(|| {
                    (
                        subscriptions::auto_renew.eq(false),
                        subscriptions::cancelled_at.eq(Utc::now()),
                    )
                }),
            ))
            .returning(Subscription::as_returning())
            .get_result(specs)?)
    })
}

/// Starts the next billing period of an active, auto-renewing subscription.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn renew(specs: &mut PgConnection, id: SubscriptionId) -> Result<Subscription, UsageError> {
    specs.transaction(|specs| {
        let sub: Subscription = subscriptions::table
            .find(id)
            .select(Subscription::as_select())
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(UsageError::NotFound("subscription"))?;
        if sub.status != SubscriptionStatus::Active || !sub.auto_renew {
            return Err(UsageError::Transition {
                from: sub.status.to_string(),
                to: "renewed".into(),
            });
        }
        let (Some(start), Some(end)) = (sub.billing_cycle_start, sub.billing_cycle_end) else {
            return Err(UsageError::Invalid {
                field: "billing cycle",
                reason: "a renewal needs a current period".into(),
            });
        };
        Ok(diesel::update(subscriptions::table.find(id))
            .set((
                subscriptions::billing_cycle_start.eq(end),
                subscriptions::billing_cycle_end.eq(end + (end - start)),
            ))
            .returning(Subscription::as_returning())
            .get_result(specs)?)
    })
}

/// A new invoice (status `draft`).
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    /// Billed user.
    pub user: UserId,
    /// Subscription billed, if any.
    pub subscription: Option<SubscriptionId>,
    /// Human invoice number (unique).
    pub number: &'a str,
    /// Total.
    pub amount: BigDecimal,
    /// ISO 4217 code, uppercase.
    pub currency: &'a str,
    /// Line items (a JSON list).
    pub line_items: Option<&'a Value>,
}

/// Creates a draft invoice for a user (checked in auth).
#[tracing::instrument(level = "debug", skip_all)]
pub fn draft_invoice(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    d: &Draft<'_>,
) -> Result<Invoice, UsageError> {
    check_text("invoice_number", d.number, 50)?;
    if crate::is_negative(&d.amount) {
        return Err(UsageError::Invalid {
            field: "amount",
            reason: "must not be negative".into(),
        });
    }
    if d.currency.len() != 3 || !d.currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(UsageError::Invalid {
            field: "currency",
            reason: "an ISO 4217 code such as USD".into(),
        });
    }
    if d.line_items.is_some_and(|l| !l.is_array()) {
        return Err(UsageError::Invalid {
            field: "line_items",
            reason: "must be a JSON list".into(),
        });
    }
    let new = NewInvoice {
        subscription_id: d.subscription,
        currency: Some(d.currency),
        line_items: d.line_items,
        ..NewInvoice::new(InvoiceId::new(), d.user, d.number, &d.amount)
    };
    cross_db::write(auth, specs, &Refs::of(&new), |w| {
        Ok(diesel::insert_into(invoices::table)
            .values(&new)
            .returning(Invoice::as_returning())
            .get_result(w.specs)?)
    })
}

/// Moves an invoice to `to` if its lifecycle allows it, stamping `issued_at`
/// (with `due_at`) when sent and `paid_at` when paid.
#[tracing::instrument(level = "debug", skip_all, fields(id = %id))]
pub fn set_invoice_status(
    specs: &mut PgConnection,
    id: InvoiceId,
    to: InvoiceStatus,
    due_at: Option<DateTime<Utc>>,
) -> Result<Invoice, UsageError> {
    specs.transaction(|specs| {
        let from: InvoiceStatus = invoices::table
            .find(id)
            .select(invoices::status)
            .for_update()
            .first(specs)
            .optional()?
            .ok_or(UsageError::NotFound("invoice"))?;
        if !invoice_transition(from, to) {
            return Err(UsageError::Transition {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        let now = Utc::now();
        Ok(diesel::update(invoices::table.find(id))
            .set((
                invoices::status.eq(to),
                (to == InvoiceStatus::Sent)
                    .then(|| (invoices::issued_at.eq(now), invoices::due_at.eq(due_at))),
                (to == InvoiceStatus::Paid).then(|| invoices::paid_at.eq(now)),
            ))
            .returning(Invoice::as_returning())
            .get_result(specs)?)
    })
}

/// Marks sent invoices past their due time as overdue; returns how many.
#[tracing::instrument(level = "debug", skip_all)]
pub fn mark_overdue(specs: &mut PgConnection) -> QueryResult<usize> {
    diesel::update(invoices::table)
        .filter(invoices::status.eq(InvoiceStatus::Sent))
        .filter(invoices::due_at.lt(diesel::dsl::now))
        .set(invoices::status.eq(InvoiceStatus::Overdue))
        .execute(specs)
}
