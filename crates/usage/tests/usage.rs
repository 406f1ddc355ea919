//! Usage, billing, analytics and preferences on real databases.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{Duration, NaiveTime, SubsecRound, TimeZone, Utc};
use db_core::{LlmProvider, UserId};
use diesel::prelude::*;
use serde_json::json;
use specs_db::enums::*;
use specs_db::ids::ProjectId;
use specs_db::models::NewProject;
use specs_db::schema::{analytics_metrics, projects};
use test_db::World;
use usage::analytics::{self, Point};
use usage::billing::{self, Draft, Plan};
use usage::effectiveness::{self, Outcome};
use usage::llm::{self, Call};
use usage::notifications::{self, Preference};
use usage::patterns::{self, Observation};
use usage::{UsageError, activity};

fn world() -> World {
    World::new()
}

fn dec(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).expect("decimal")
}

fn call<'a>(
    user: UserId,
    project: Option<ProjectId>,
    at: chrono::DateTime<Utc>,
    tokens: (i32, i32),
    cost: &str,
) -> Call<'a> {
    Call {
        user,
        project,
        session: None,
        provider: LlmProvider::Claude,
        model: "claude-sonnet",
        operation: Some("question_generation"),
        input_tokens: tokens.0,
        output_tokens: tokens.1,
        cost_usd: Some(dec(cost)),
        latency_ms: Some(420),
        status: LlmCallStatus::Success,
        at: Some(at),
    }
}

/// Calls are recorded in one statement and aggregate per user, project and day.
#[test]
fn llm_usage_and_daily_totals() {
    let w = world();
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let p = ProjectId::new();
    diesel::insert_into(projects::table)
        .values(NewProject::new(p, w.user, w.user, "p"))
        .execute(&mut s)
        .expect("project");
    let day1 = Utc
        .with_ymd_and_hms(2026, 3, 1, 10, 0, 0)
        .single()
        .expect("time");
    let day2 = day1 + Duration::days(1);
    let calls = vec![
        call(w.user, Some(p), day1, (100, 50), "0.001500"),
        call(
            w.user,
            Some(p),
            day1 + Duration::hours(5),
            (200, 100),
            "0.003000",
        ),
        call(w.user, None, day1, (10, 5), "0.000150"),
        call(w.user, Some(p), day2, (1, 1), "0.000020"),
    ];
    assert_eq!(llm::record(&mut a, &mut s, &calls).expect("record"), 4);
    let totals = llm::daily(
        &mut s,
        Some(w.user),
        day1 - Duration::days(1),
        day2 + Duration::days(1),
    )
    .expect("daily");
    let summary: Vec<(String, Option<ProjectId>, i64, i64, BigDecimal)> = totals
        .iter()
        .map(|d| {
            (
                d.day.to_string(),
                d.project_id,
                d.calls,
                d.total_tokens,
                d.cost_usd.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("2026-03-01".into(), None, 1, 15, dec("0.000150")),
            ("2026-03-01".into(), Some(p), 2, 450, dec("0.004500")),
            ("2026-03-02".into(), Some(p), 1, 2, dec("0.000020")),
        ]
    );
    let ghost = call(UserId::new(), None, day1, (1, 1), "0");
    assert!(matches!(
        llm::record(&mut a, &mut s, &[calls[0].clone(), ghost]),
        Err(UsageError::Xdb(_))
    ));
    let negative = Call {
        input_tokens: -1,
        ..calls[0].clone()
    };
    assert!(matches!(
        llm::record(&mut a, &mut s, &[negative]),
        Err(UsageError::Invalid { .. })
    ));
}

/// Subscriptions and invoices move only along their lifecycles.
#[test]
fn billing_lifecycles() {
    let w = world();
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let start = Utc::now().trunc_subsecs(6);
    let plan = Plan {
        plan: PlanName::Professional,
        plan_type: Some(PlanType::Monthly),
        price_usd: Some(dec("49.00")),
        cycle: Some((start, start + Duration::days(30))),
        stripe_customer_id: Some("cus_1"),
        stripe_subscription_id: Some("sub_1"),
    };
    let sub = billing::subscribe(&mut a, &mut s, w.user, &plan).expect("subscribe");
    assert!(
        matches!(billing::subscribe(&mut a, &mut s, w.user, &plan), Err(UsageError::Taken(c)) if c == "uq_subscriptions_stripe_subscription_id")
    );
    let renewed = billing::renew(&mut s, sub.id).expect("renew");
    assert_eq!(renewed.billing_cycle_start, plan.cycle.map(|c| c.1));
    billing::set_subscription_status(&mut s, sub.id, SubscriptionStatus::PastDue)
        .expect("past due");
    billing::set_subscription_status(&mut s, sub.id, SubscriptionStatus::Active).expect("paid up");
    let cancelled = billing::set_subscription_status(&mut s, sub.id, SubscriptionStatus::Cancelled)
        .expect("cancel");
    assert!(!cancelled.auto_renew && cancelled.cancelled_at.is_some());
    assert!(matches!(
        billing::renew(&mut s, sub.id),
        Err(UsageError::Transition { .. })
    ));
    assert!(matches!(
        billing::set_subscription_status(&mut s, sub.id, SubscriptionStatus::Active),
        Err(UsageError::Transition { .. })
    ));
    billing::set_subscription_status(&mut s, sub.id, SubscriptionStatus::Expired).expect("expire");

    let items = json!([{ "description": "Professional, March", "amount": "49.00" }]);
    let draft = |number| Draft {
        user: w.user,
        subscription: Some(sub.id),
        number,
        amount: dec("49.00"),
        currency: "EUR",
        line_items: Some(&items),
    };
    let inv = billing::draft_invoice(&mut a, &mut s, &draft("INV-0001")).expect("draft");
    assert!(matches!(
        billing::draft_invoice(
            &mut a,
            &mut s,
            &Draft {
                currency: "eur",
                ..draft("INV-0002")
            }
        ),
        Err(UsageError::Invalid { .. })
    ));
    assert!(matches!(
        billing::set_invoice_status(&mut s, inv.id, InvoiceStatus::Paid, None),
        Err(UsageError::Transition { .. })
    ));
    let sent = billing::set_invoice_status(
        &mut s,
        inv.id,
        InvoiceStatus::Sent,
        Some(Utc::now() - Duration::seconds(1)),
    )
    .expect("send");
    assert!(sent.issued_at.is_some());
    assert_eq!(billing::mark_overdue(&mut s).expect("overdue"), 1);
    let paid = billing::set_invoice_status(&mut s, inv.id, InvoiceStatus::Paid, None).expect("pay");
    assert!(paid.paid_at.is_some());
    assert!(matches!(
        billing::set_invoice_status(&mut s, inv.id, InvoiceStatus::Cancelled, None),
        Err(UsageError::Transition { .. })
    ));
}

/// Series upsert on their unique key: reruns write nothing, changes update in place.
#[test]
fn analytics_series() {
    let w = world();
    let mut s = w.specs.conn();
    let day = Utc
        .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .expect("time");
    let point = |value, dimension: Option<(&str, &str)>| Point {
        metric: "llm_tokens".into(),
        value,
        period: Some(MetricPeriod::Daily),
        period_start: day,
        period_end: Some(day + Duration::days(1)),
        dimension: dimension.map(|(k, v)| (k.to_owned(), v.to_owned())),
    };
    let points = vec![
        point(100.0, None),
        point(60.0, Some(("provider", "claude"))),
        point(40.0, Some(("provider", "openai"))),
    ];
    assert_eq!(analytics::upsert(&mut s, &points).expect("insert"), 3);
    assert_eq!(
        analytics::upsert(&mut s, &points).expect("rerun"),
        0,
        "unchanged points are not rewritten"
    );
    assert_eq!(
        analytics::upsert(&mut s, &[point(110.0, None)]).expect("change"),
        1
    );
    let rows: i64 = analytics_metrics::table
        .count()
        .get_result(&mut s)
        .expect("count");
    assert_eq!(rows, 3);
    assert!(matches!(
        analytics::upsert(
            &mut s,
            &[Point {
                period_end: Some(day),
                ..point(1.0, None)
            }]
        ),
        Err(UsageError::Invalid { .. })
    ));
}

/// Preferences, the activity feed, behaviour patterns and question effectiveness.
#[test]
fn preferences_activity_patterns_effectiveness() {
    let w = world();
    let (mut a, mut s) = (w.auth.conn(), w.specs.conn());
    let quiet = Some((
        NaiveTime::from_hms_opt(22, 0, 0).expect("time"),
        NaiveTime::from_hms_opt(7, 0, 0).expect("time"),
    ));
    let pref = Preference {
        email: true,
        in_app: true,
        slack: false,
        frequency: NotificationFrequency::Daily,
        quiet_hours: quiet,
        timezone: Some("Europe/Paris"),
    };
    notifications::set(&mut a, &mut s, w.user, NotificationType::Mention, &pref).expect("set");
    let changed = notifications::set(
        &mut a,
        &mut s,
        w.user,
        NotificationType::Mention,
        &Preference {
            slack: true,
            quiet_hours: None,
            ..pref
        },
    )
    .expect("replace");
    assert!(changed.slack_enabled && !changed.quiet_hours_enabled);
    assert_eq!(notifications::of(&mut s, w.user).expect("prefs").len(), 1);
    assert!(matches!(
        notifications::set(
            &mut a,
            &mut s,
            w.user,
            NotificationType::Activity,
            &Preference {
                timezone: Some("not a zone!"),
                ..pref
            }
        ),
        Err(UsageError::Invalid { .. })
    ));

    let p = ProjectId::new();
    diesel::insert_into(projects::table)
        .values(NewProject::new(p, w.user, w.user, "p"))
        .execute(&mut s)
        .expect("project");
    for i in 0..5 {
        let name = format!("spec {i}");
        activity::record(
            &mut a,
            &mut s,
            &activity::Event {
                user: Some(w.user),
                project: Some(p),
                resource_name: Some(&name),
                ..activity::Event::new("specification.created", "specification")
            },
        )
        .expect("event");
    }
    let first = activity::project_feed(&mut s, p, None, 3).expect("feed");
    let rest = activity::project_feed(&mut s, p, first.last().map(|e| (e.created_at, e.id)), 3)
        .expect("feed");
    assert_eq!((first.len(), rest.len()), (3, 2));
    assert!(matches!(
        activity::record(
            &mut a,
            &mut s,
            &activity::Event {
                user: Some(UserId::new()),
                ..activity::Event::new("x.y", "x")
            }
        ),
        Err(UsageError::Xdb(_))
    ));

    let data = json!({ "style": "concise" });
    let obs = Observation {
        pattern_type: "communication_style",
        data: &data,
        confidence: 0.6,
        from_projects: &[p],
        period: Some(ObservationPeriod::Weekly),
        sample_size: Some(12),
    };
    let first = patterns::learn(&mut a, &mut s, w.user, &obs).expect("learn");
    let again = patterns::learn(
        &mut a,
        &mut s,
        w.user,
        &Observation {
            confidence: 0.8,
            ..obs
        },
    )
    .expect("learn again");
    assert_eq!((first.id, again.confidence), (again.id, 0.8));
    assert!(matches!(
        patterns::learn(
            &mut a,
            &mut s,
            w.user,
            &Observation {
                confidence: 1.5,
                ..obs
            }
        ),
        Err(UsageError::Invalid { .. })
    ));

    for outcome in [
        Outcome::Asked,
        Outcome::Asked,
        Outcome::AnsweredWell,
        Outcome::Asked,
        Outcome::Skipped,
    ] {
        effectiveness::record(&mut a, &mut s, w.user, "goals.first", None, outcome)
            .expect("record");
    }
    let mine = effectiveness::of(&mut s, Some(w.user), "goals.first")
        .expect("row")
        .expect("exists");
    let global = effectiveness::of(&mut s, None, "goals.first")
        .expect("row")
        .expect("exists");
    assert_eq!(
        (
            mine.times_asked,
            mine.times_answered_well,
            mine.times_skipped
        ),
        (3, 1, 1)
    );
    assert_eq!((global.times_asked, global.times_answered_well), (3, 1));
    assert!(
        mine.effectiveness_score
            .is_some_and(|e| (e - 1.0 / 3.0).abs() < 1e-9)
    );
}
