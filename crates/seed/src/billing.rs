//! What each user has outside projects (specs): half of them a subscription
//! with up to three invoices, and notification preferences.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use rand::Rng;
use specs_db::enums::{
    InvoiceStatus, NotificationFrequency, NotificationType, PlanName, PlanType, SubscriptionStatus,
};
use uuid::Uuid;

use crate::csv::{Csv, copy};
use crate::generator::Gen;

/// Subscriptions, invoices and preferences of the seeded users.
#[derive(Default)]
pub(crate) struct Billing {
    subscriptions: Csv,
    invoices: Csv,
    preferences: Csv,
    invoice_number: usize,
}

/// The monthly price of a plan.
fn price(plan: PlanName) -> &'static str {
    match plan {
        PlanName::Free => "0.00",
        PlanName::Starter => "9.00",
        PlanName::Professional => "49.00",
        PlanName::Enterprise => "499.00",
    }
}

impl Billing {
    /// Generates what `user` (who joined at `joined`) has.
    pub(crate) fn user(&mut self, g: &mut Gen, (user, joined): (Uuid, DateTime<Utc>)) {
        if g.chance(0.5) {
            self.subscription(g, user, joined);
        }
        for kind in [NotificationType::Conflict, NotificationType::Mention] {
            if g.chance(0.6) {
                let id = g.id(joined);
                let email = g.chance(0.8);
                let frequency = g.one(&[
                    NotificationFrequency::Immediate,
                    NotificationFrequency::Daily,
                    NotificationFrequency::Weekly,
                ]);
                self.preferences
                    .row()
                    .raw(id)
                    .raw(user)
                    .text(kind.as_str())
                    .raw(email)
                    .text(frequency.as_str())
                    .time(joined)
                    .time(joined);
            }
        }
    }

    /// A monthly subscription from the day after joining, with 0 to 3 invoices (the first paid).
    fn subscription(&mut self, g: &mut Gen, user: Uuid, joined: DateTime<Utc>) {
        let start = joined + Duration::days(1);
        let id = g.id(start);
        let plan = g.one(PlanName::ALL);
        let price = price(plan);
        self.subscriptions
            .row()
            .raw(id)
            .raw(user)
            .text(plan.as_str())
            .text(PlanType::Monthly.as_str())
            .text(SubscriptionStatus::Active.as_str())
            .raw(price)
            .time(start)
            .time(start + Duration::days(30))
            .raw(true)
            .time(start)
            .time(start);
        for month in 0..g.rng.random_range(0..=3) {
            self.invoice_number += 1;
            let issued = start + Duration::days(30 * month);
            let status = if month == 0 {
                InvoiceStatus::Paid
            } else {
                g.one(&[
                    InvoiceStatus::Paid,
                    InvoiceStatus::Sent,
                    InvoiceStatus::Overdue,
                ])
            };
            let paid = (status == InvoiceStatus::Paid).then_some(issued + Duration::days(3));
            let invoice = g.id(issued);
            self.invoices
                .row()
                .raw(invoice)
                .raw(user)
                .raw(id)
                .text(&format!("INV-{:06}", self.invoice_number))
                .raw(price)
                .text("USD")
                .text(status.as_str())
                .time(issued)
                .time(issued + Duration::days(14))
                .opt_time(paid)
                .text(&format!("[{{\"plan\":\"{plan}\",\"amount\":\"{price}\"}}]"))
                .time(issued)
                .time(issued);
        }
    }

    /// Loads subscriptions, invoices and preferences; returns the rows of each.
    pub(crate) fn load(&self, specs: &mut PgConnection) -> QueryResult<[(&'static str, usize); 3]> {
        use specs_db::schema::{
            invoices::dsl as i, notification_preferences::dsl as np, subscriptions::dsl as sb,
        };
        let subscriptions = copy!(
            Some(&mut *specs),
            sb::subscriptions,
            (
                sb::id,
                sb::user_id,
                sb::plan_name,
                sb::plan_type,
                sb::status,
                sb::price_usd,
                sb::billing_cycle_start,
                sb::billing_cycle_end,
                sb::auto_renew,
                sb::created_at,
                sb::updated_at
            ),
            self.subscriptions
        );
        let invoices = copy!(
            Some(&mut *specs),
            i::invoices,
            (
                i::id,
                i::user_id,
                i::subscription_id,
                i::invoice_number,
                i::amount,
                i::currency,
                i::status,
                i::issued_at,
                i::due_at,
                i::paid_at,
                i::line_items,
                i::created_at,
                i::updated_at
            ),
            self.invoices
        );
        let preferences = copy!(
            Some(&mut *specs),
            np::notification_preferences,
            (
                np::id,
                np::user_id,
                np::notification_type,
                np::email_enabled,
                np::frequency,
                np::created_at,
                np::updated_at
            ),
            self.preferences
        );
        Ok([
            ("subscriptions", subscriptions),
            ("invoices", invoices),
            ("notification_preferences", preferences),
        ])
    }
}
