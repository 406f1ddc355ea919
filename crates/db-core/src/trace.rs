//! One `tracing` event per query, and a warning for slow ones.
//!
//! [`QueryTrace`] is the Diesel [`Instrumentation`] that every connection of
//! `db_core` carries ([`crate::connect`] and the pools of [`crate::pool`]):
//!
//! - each finished query is a `debug` event on the target `db_core::query`
//!   with its duration in milliseconds and whether it failed;
//! - at `trace`, the event also carries the statement text, without its bind
//!   values (Diesel prints those after ` -- binds: `, which is cut off), so a
//!   password hash, a token or a message never reaches a log;
//! - a query slower than the threshold is a `warn` event on the target
//!   `db_core::slow_query` with its duration and statement text (never bind
//!   values). The threshold is [`SLOW_QUERY_ENV`] in milliseconds (default
//!   500), or [`set_slow_query_threshold`].
//!
//! Diesel's instrumentation does not see results, so row counts are not
//! here; the job batches' spans carry the rows they read and changed.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent};

/// The variable that sets the slow-query threshold, in milliseconds.
pub const SLOW_QUERY_ENV: &str = "SOCRATES_SLOW_QUERY_MS";

/// Milliseconds; `u64::MAX` until read from the environment.
static THRESHOLD_MS: AtomicU64 = AtomicU64::new(u64::MAX);
static FROM_ENV: OnceLock<u64> = OnceLock::new();

/// The slow-query threshold in effect.
pub fn slow_query_threshold() -> Duration {
    let set = THRESHOLD_MS.load(Ordering::Relaxed);
    let ms = if set == u64::MAX {
        *FROM_ENV.get_or_init(|| {
            std::env::var(SLOW_QUERY_ENV)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(500)
        })
    } else {
        set
    };
    Duration::from_millis(ms)
}

/// Sets the slow-query threshold for every connection of this process.
pub fn set_slow_query_threshold(threshold: Duration) {
    let ms = u64::try_from(threshold.as_millis()).unwrap_or(u64::MAX - 1);
    THRESHOLD_MS.store(ms.min(u64::MAX - 1), Ordering::Relaxed);
}

/// The statement text of a query as Diesel prints it, without its binds.
fn statement(query: &dyn std::fmt::Display) -> String {
    let text = query.to_string();
    text.split(" -- binds: ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// [`QueryTrace`], then Diesel's default instrumentation if the process set
/// one: what every connection of `db_core` carries.
pub fn instrumentation() -> impl Instrumentation {
    QueryTrace {
        started: None,
        next: diesel::connection::get_default_instrumentation(),
    }
}

/// The instrumentation: see the module documentation. Every event goes on
/// to the instrumentation it was made with, if any ([`instrumentation`]).
#[derive(Default)]
pub struct QueryTrace {
    started: Option<Instant>,
    next: Option<Box<dyn Instrumentation>>,
}

impl std::fmt::Debug for QueryTrace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryTrace").finish_non_exhaustive()
    }
}

impl QueryTrace {
    /// A fresh one for a new connection, passing events on to nothing else.
    pub fn new() -> Self {
        Self::default()
    }

    fn finish(&mut self, query: &dyn std::fmt::Display, failed: bool) {
        let elapsed = self.started.take().map_or(Duration::ZERO, |s| s.elapsed());
        let millis = elapsed.as_secs_f64() * 1000.0;
        if tracing::enabled!(target: "db_core::query", tracing::Level::TRACE) {
            tracing::trace!(target: "db_core::query", millis, failed, statement = %statement(query));
        } else {
            tracing::debug!(target: "db_core::query", millis, failed);
        }
        let threshold = slow_query_threshold();
        if elapsed >= threshold {
            tracing::warn!(
                target: "db_core::slow_query",
                millis,
                threshold_ms = u64::try_from(threshold.as_millis()).unwrap_or(u64::MAX),
                statement = %statement(query),
                "slow query"
            );
        }
    }
}

impl Instrumentation for QueryTrace {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match &event {
            InstrumentationEvent::StartQuery { .. } => self.started = Some(Instant::now()),
            InstrumentationEvent::FinishQuery { query, error, .. } => {
                self.finish(*query, error.is_some());
            }
            _ => {}
        }
        if let Some(next) = &mut self.next {
            next.on_connection_event(event);
        }
    }
}
