//! `db_core::build_pool` pings a connection only when it is not known to be
//! alive, and keeps Diesel's default instrumentation working on pooled
//! connections. (Its own test binary: it sets the process-wide default
//! instrumentation.)

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use db_core::{PgPool, build_pool_with};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use test_db::TestDatabase;

static PINGS: AtomicUsize = AtomicUsize::new(0);
static QUERIES: AtomicUsize = AtomicUsize::new(0);

struct Count;

impl Instrumentation for Count {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            if text.starts_with("SELECT 1 ") || text == "SELECT 1" {
                PINGS.fetch_add(1, Ordering::SeqCst);
            } else if text.starts_with("SELECT 2") {
                QUERIES.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

fn use_it(pool: &PgPool, times: usize) {
    for _ in 0..times {
        let mut conn = pool.get().expect("checkout");
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("2"))
            .get_result::<i32>(&mut *conn)
            .expect("query");
    }
}

#[test]
fn pings_only_connections_not_known_alive() {
    let db = TestDatabase::empty();
    // Set after the harness connected: only the pools below are counted.
    diesel::connection::set_default_instrumentation(|| Some(Box::new(Count))).expect("default");

    let trusting = build_pool_with(db.direct_url(), 1, Duration::from_secs(3600));
    use_it(&trusting, 10);
    assert_eq!(
        PINGS.load(Ordering::SeqCst),
        0,
        "used within the window: no ping"
    );
    assert_eq!(
        QUERIES.load(Ordering::SeqCst),
        10,
        "the default instrumentation still sees queries"
    );

    let pinging = build_pool_with(db.direct_url(), 1, Duration::ZERO);
    use_it(&pinging, 10);
    // A zero window pings on every checkout, as plain r2d2 does.
    assert_eq!(PINGS.load(Ordering::SeqCst), 10);

    let windowed = build_pool_with(db.direct_url(), 1, Duration::from_millis(100));
    use_it(&windowed, 1);
    std::thread::sleep(Duration::from_millis(150));
    use_it(&windowed, 2);
    assert_eq!(
        PINGS.load(Ordering::SeqCst),
        11,
        "idle past the window: pinged once"
    );
}
