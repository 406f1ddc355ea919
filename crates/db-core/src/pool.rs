//! r2d2 connection pools for PostgreSQL that check connections without a
//! round trip on the hot path.
//!
//! A connection whose query finds the server gone is marked broken by Diesel
//! and discarded by r2d2 when it comes back, so it is never handed out twice.
//! What a check on checkout adds is catching a connection that died while it
//! sat idle (a server restart, an idle timeout) before a caller's query fails
//! on it. r2d2 does that with a ping on every checkout (`test_on_check_out`):
//! one more round trip per checkout, which on a short query costs a fifth to a
//! third of the throughput. The pools built here follow HikariCP instead: a
//! connection whose last query succeeded less than [`ALIVE_WINDOW`] ago is
//! handed out as it is; any other is pinged first, and replaced if the ping
//! fails.
//!
//! Connections are made for the URL's [`crate::PoolMode`] (no named prepared
//! statements behind a transaction pooler; see [`crate::pooler`]).
//!
//! Each pooled connection carries a small Diesel [`Instrumentation`] that
//! records when its last query succeeded, and forwards every event to
//! [`crate::trace`]'s query events and to Diesel's default instrumentation,
//! if one is set. Replacing the instrumentation of a
//! pooled connection is allowed: that connection is then pinged on every
//! checkout, as r2d2 would.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::PgConnection;

use crate::DbUrl;
use diesel::connection::{Connection, Instrumentation, InstrumentationEvent};
use diesel::r2d2::{
    ConnectionManager, CustomizeConnection, ManageConnection, Pool, PooledConnection,
};

/// A pool of PostgreSQL connections.
pub type PgPool = Pool<PgManager>;
/// A connection borrowed from a [`PgPool`].
pub type PgPooled = PooledConnection<PgManager>;

/// How long after a successful query a connection is trusted without a ping
/// (HikariCP's default bypass window).
pub const ALIVE_WINDOW: Duration = Duration::from_millis(500);

/// Builds a pool of at most `max_size` connections to `url`.
///
/// The pool checks connections out lazily (`min_idle = 0`), so building it never
/// fails on an unreachable server; the first `get()` reports that instead.
pub fn build_pool(url: &DbUrl, max_size: u32) -> PgPool {
    build_pool_with(url, max_size, ALIVE_WINDOW)
}

/// [`build_pool`] with another trust window (`Duration::ZERO`: ping on every
/// checkout).
pub fn build_pool_with(url: &DbUrl, max_size: u32, alive_window: Duration) -> PgPool {
    let manager = PgManager::with_window(url, alive_window);
    let forget = Forget(Arc::clone(&manager.health));
    Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(10))
        .test_on_check_out(true)
        .connection_customizer(Box::new(forget))
        .build_unchecked(manager)
}

/// When one connection last completed a query: nanoseconds after
/// `Registry::epoch` (0: never).
#[derive(Debug)]
struct Health {
    last_ok: AtomicU64,
}

/// Health by connection. A connection is known by the address of its
/// instrumentation box, which stays put while the connection moves.
#[derive(Debug)]
struct Registry {
    epoch: Instant,
    by_connection: Mutex<HashMap<usize, Arc<Health>>>,
}

impl Registry {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn of(&self, conn: &mut PgConnection) -> Option<Arc<Health>> {
        self.by_connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key(conn))
            .cloned()
    }
}

fn key(conn: &mut PgConnection) -> usize {
    let instrumentation: *mut dyn Instrumentation = conn.instrumentation();
    instrumentation.cast::<()>() as usize
}

/// The instrumentation each pooled connection carries.
struct Watch {
    health: Arc<Health>,
    registry: Arc<Registry>,
    /// The query tracing, then the default instrumentation.
    next: Option<Box<dyn Instrumentation>>,
}

impl Instrumentation for Watch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error: None, .. } = &event {
            self.health
                .last_ok
                .store(self.registry.now().max(1), Ordering::Relaxed);
        }
        if let Some(next) = &mut self.next {
            next.on_connection_event(event);
        }
    }
}

/// Diesel's r2d2 manager, pinging only connections not known to be alive
/// (see the module documentation).
#[derive(Debug)]
pub struct PgManager {
    url: DbUrl,
    inner: ConnectionManager<PgConnection>,
    health: Arc<Registry>,
    window: Duration,
}

impl PgManager {
    /// A manager for `url`, trusting connections for [`ALIVE_WINDOW`].
    pub fn new(url: &DbUrl) -> Self {
        Self::with_window(url, ALIVE_WINDOW)
    }

    /// A manager trusting a connection for `window` after a successful query
    /// (`Duration::ZERO` pings on every checkout, as plain r2d2 does).
    pub fn with_window(url: &DbUrl, window: Duration) -> Self {
        Self {
            url: url.clone(),
            inner: ConnectionManager::new(url.as_str()),
            health: Arc::new(Registry {
                epoch: Instant::now(),
                by_connection: Mutex::new(HashMap::new()),
            }),
            window,
        }
    }
}

impl ManageConnection for PgManager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PgConnection, Self::Error> {
        let mut conn =
            crate::pooler::connect(&self.url).map_err(diesel::r2d2::Error::ConnectionError)?;
        let health = Arc::new(Health {
            last_ok: AtomicU64::new(self.health.now().max(1)),
        });
        conn.set_instrumentation(Watch {
            health: Arc::clone(&health),
            registry: Arc::clone(&self.health),
            next: Some(Box::new(crate::trace::instrumentation())),
        });
        self.health
            .by_connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key(&mut conn), health);
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut PgConnection) -> Result<(), Self::Error> {
        if let Some(health) = self.health.of(conn) {
            let since = self
                .health
                .now()
                .saturating_sub(health.last_ok.load(Ordering::Relaxed));
            if u128::from(since) < self.window.as_nanos() {
                return Ok(());
            }
        }
        self.inner.is_valid(conn)
    }

    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        // Diesel marks a connection whose server went away as broken.
        self.inner.has_broken(conn)
    }
}

/// Forgets the health of connections the pool closes.
#[derive(Debug)]
struct Forget(Arc<Registry>);

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for Forget {
    fn on_release(&self, mut conn: PgConnection) {
        self.0
            .by_connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&key(&mut conn));
    }
}
