//! What a service sees when it installs a `tracing` subscriber: a span per
//! domain call with the ids involved, a span per job batch with its rows and
//! times, an event per query — and never a bound value (a password hash, a
//! token, a message), even at `trace`, where events carry the statement text.
//! (Its own test binary: it installs the process-wide subscriber.)

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use accounts::Client;
use diesel::prelude::*;
use secrecy::ExposeSecret;
use specs_db::enums::{MessageRole, SessionMode};
use test_db::{Pair, world};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{Layer, Registry};

/// A closed span or an event: its name (an event's is its target) and fields.
#[derive(Debug, Clone)]
struct Seen {
    span: bool,
    name: String,
    fields: Vec<(String, String)>,
}

impl Seen {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Seen>>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Vec<(String, String)>>()
        {
            values.record(&mut Fields(fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Seen {
            span: false,
            name: event.metadata().target().to_owned(),
            fields,
        });
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            let fields = span
                .extensions()
                .get::<Vec<(String, String)>>()
                .cloned()
                .unwrap_or_default();
            self.0.lock().unwrap().push(Seen {
                span: true,
                name: span.name().to_owned(),
                fields,
            });
        }
    }
}

#[test]
fn spans_carry_ids_and_counts_and_no_event_carries_a_bound_value() {
    let capture = Capture::default();
    tracing::subscriber::set_global_default(
        Registry::default()
            .with(capture.clone())
            .with(tracing_subscriber::filter::LevelFilter::TRACE),
    )
    .expect("the only subscriber");
    db_core::trace::set_slow_query_threshold(Duration::ZERO);

    let pair = Pair::new();
    let (mut auth, mut specs) = (pair.auth.connect(), pair.specs.connect());
    // Secrets that are only ever bound values.
    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$SECRETSALTMARKER$SECRETHASHMARKER";
    const MESSAGE: &str = "TOP-SECRET-MESSAGE-MARKER about the merger";
    let owner = db_core::UserId::new();
    diesel::insert_into(auth_db::schema::users::table)
        .values(auth_db::models::NewUser::new(
            owner,
            "traced@example.com",
            HASH,
        ))
        .execute(&mut auth)
        .expect("user");
    let issued = accounts::tokens::issue(
        &mut auth,
        owner,
        chrono::Duration::minutes(10),
        &Client::default(),
    )
    .expect("token");
    let token = issued.token.expose_secret().to_owned();
    let project =
        projects::projects::create(&mut auth, &mut specs, owner, "Traced", None).expect("project");
    let session = projects::sessions::start(
        &mut auth,
        &mut specs,
        project.id,
        owner,
        SessionMode::Socratic,
        None,
    )
    .expect("session");
    projects::conversation::append(
        &mut specs,
        session.id,
        &projects::conversation::Message::new(MessageRole::User, MESSAGE),
    )
    .expect("append");
    world::project(&mut specs, owner, "Second");
    let mut dbs = jobs::Dbs::connect(pair.auth.url(), pair.specs.url()).expect("connect");
    jobs::run_job(
        jobs::Job::Maturity,
        &mut dbs,
        &jobs::Options {
            batch_size: 1,
            quiet: true,
            ..jobs::Options::default()
        },
        Arc::new(knowledge::embed::HashingEmbedder),
    )
    .expect("backfill");
    drop(dbs);

    let seen = capture.0.lock().unwrap().clone();
    // projects::create: its span names the owner and the new project.
    let created = seen
        .iter()
        .find(|s| {
            s.span && s.name == "create" && s.field("project") == Some(&project.id.to_string())
        })
        .unwrap_or_else(|| panic!("no create span for {}", project.id));
    assert_eq!(created.field("owner"), Some(owner.to_string().as_str()));
    // Each batch of the backfill: its phase, rows and times.
    let batches: Vec<&Seen> = seen
        .iter()
        .filter(|s| {
            s.span && s.name == "job_batch" && s.field("phase") == Some("backfill:maturity")
        })
        .collect();
    assert_eq!(batches.len(), 2, "two projects in batches of one");
    for batch in &batches {
        assert_eq!(batch.field("rows_read"), Some("1"));
        assert!(batch.field("rows_changed").is_some(), "{batch:?}");
        for ms in ["read_ms", "compute_ms", "write_ms"] {
            assert!(
                batch.field(ms).is_some_and(|v| v.parse::<u64>().is_ok()),
                "{ms} in {batch:?}"
            );
        }
    }
    // Every query was an event, with its statement at trace; with a zero
    // threshold every query was also a slow-query warning.
    let statements: Vec<&str> = seen
        .iter()
        .filter(|s| !s.span && s.name == "db_core::query")
        .filter_map(|s| s.field("statement"))
        .collect();
    assert!(
        statements
            .iter()
            .any(|s| s.contains("INSERT INTO \"users\"")),
        "no statement seen"
    );
    assert!(
        statements
            .iter()
            .any(|s| s.contains("conversation_history")),
        "no append seen"
    );
    assert!(seen.iter().any(|s| s.name == "db_core::slow_query"));
    // No bound value anywhere.
    let everything = format!("{seen:?}");
    for secret in [
        HASH,
        "SECRETHASHMARKER",
        MESSAGE,
        "TOP-SECRET",
        token.as_str(),
    ] {
        assert!(!everything.contains(secret), "{secret:?} reached the logs");
    }
    assert!(everything.contains(&owner.to_string()), "ids are there");
}
