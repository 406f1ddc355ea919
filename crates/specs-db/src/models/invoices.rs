//! `invoices`: invoices issued to a user (billing history, kept after user deletion).

use crate::enums::InvoiceStatus;
use crate::ids::{InvoiceId, SubscriptionId};
use crate::schema::invoices;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use db_core::UserId;
use diesel::prelude::*;
use serde_json::Value;

/// A row of `invoices`.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = invoices, check_for_backend(diesel::pg::Pg))]
pub struct Invoice {
    /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
    pub id: InvoiceId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: UserId,
    /// subscription billed, if any
    pub subscription_id: Option<SubscriptionId>,
    /// human invoice number
    pub invoice_number: String,
    /// total, in `currency`
    pub amount: BigDecimal,
    /// ISO 4217, uppercase
    pub currency: String,
    /// invoice state; one of: draft, sent, paid, overdue, cancelled
    pub status: InvoiceStatus,
    /// invoice description
    pub description: Option<String>,
    /// list of line items
    pub line_items: Value,
    /// issue time
    pub issued_at: Option<DateTime<Utc>>,
    /// payment due time
    pub due_at: Option<DateTime<Utc>>,
    /// payment time
    pub paid_at: Option<DateTime<Utc>>,
    /// Stripe invoice id
    pub stripe_invoice_id: Option<String>,
    /// free-form metadata (JSON object)
    pub metadata: Value,
    /// row creation time
    pub created_at: DateTime<Utc>,
    /// last modification time; maintained by trigger set_updated_at
    pub updated_at: DateTime<Utc>,
}

/// A new row of `invoices`; `None` leaves a column to its default.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invoices)]
pub struct NewInvoice<'a> {
    /// Primary key: pass `InvoiceId::new()` (a UUIDv7).
    pub id: InvoiceId,
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: UserId,
    /// subscription billed, if any. `None` = NULL.
    pub subscription_id: Option<SubscriptionId>,
    /// human invoice number
    pub invoice_number: &'a str,
    /// total, in `currency`
    pub amount: &'a BigDecimal,
    /// ISO 4217, uppercase. `None` = default ('USD').
    pub currency: Option<&'a str>,
    /// invoice state; one of: draft, sent, paid, overdue, cancelled. `None` = default ('draft').
    pub status: Option<InvoiceStatus>,
    /// invoice description. `None` = NULL.
    pub description: Option<&'a str>,
    /// list of line items. `None` = default ('[]'::jsonb).
    pub line_items: Option<&'a Value>,
    /// issue time. `None` = NULL.
    pub issued_at: Option<DateTime<Utc>>,
    /// payment due time. `None` = NULL.
    pub due_at: Option<DateTime<Utc>>,
    /// payment time. `None` = NULL.
    pub paid_at: Option<DateTime<Utc>>,
    /// Stripe invoice id. `None` = NULL.
    pub stripe_invoice_id: Option<&'a str>,
    /// free-form metadata (JSON object). `None` = default ('{}'::jsonb).
    pub metadata: Option<&'a Value>,
    /// row creation time. `None` = default (now()).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NewInvoice<'a> {
    /// The required columns; every other column is left to its default (or NULL).
    pub fn new(
        id: InvoiceId,
        user_id: UserId,
        invoice_number: &'a str,
        amount: &'a BigDecimal,
    ) -> Self {
        Self {
            id,
            user_id,
            invoice_number,
            amount,
            subscription_id: None,
            currency: None,
            status: None,
            description: None,
            line_items: None,
            issued_at: None,
            due_at: None,
            paid_at: None,
            stripe_invoice_id: None,
            metadata: None,
            created_at: None,
        }
    }
}

/// Changes to a `invoices` row: `None` leaves a column as it is, `Some(None)` sets a nullable one to NULL.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = invoices)]
pub struct InvoiceChanges<'a> {
    /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
    pub user_id: Option<UserId>,
    /// subscription billed, if any
    pub subscription_id: Option<Option<SubscriptionId>>,
    /// human invoice number
    pub invoice_number: Option<&'a str>,
    /// total, in `currency`
    pub amount: Option<&'a BigDecimal>,
    /// ISO 4217, uppercase
    pub currency: Option<&'a str>,
    /// invoice state; one of: draft, sent, paid, overdue, cancelled
    pub status: Option<InvoiceStatus>,
    /// invoice description
    pub description: Option<Option<&'a str>>,
    /// list of line items
    pub line_items: Option<&'a Value>,
    /// issue time
    pub issued_at: Option<Option<DateTime<Utc>>>,
    /// payment due time
    pub due_at: Option<Option<DateTime<Utc>>>,
    /// payment time
    pub paid_at: Option<Option<DateTime<Utc>>>,
    /// Stripe invoice id
    pub stripe_invoice_id: Option<Option<&'a str>>,
    /// free-form metadata (JSON object)
    pub metadata: Option<&'a Value>,
}
