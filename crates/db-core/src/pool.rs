//! r2d2 connection pools for PostgreSQL.

use std::time::Duration;

use diesel::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};

/// A pool of PostgreSQL connections.
pub type PgPool = Pool<ConnectionManager<PgConnection>>;
/// A connection borrowed from a [`PgPool`].
pub type PgPooled = PooledConnection<ConnectionManager<PgConnection>>;

/// Builds a pool of at most `max_size` connections to `url`.
///
/// The pool checks connections out lazily (`min_idle = 0`), so building it never
/// fails on an unreachable server; the first `get()` reports that instead.
pub fn build_pool(url: &str, max_size: u32) -> PgPool {
    Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(10))
        .test_on_check_out(true)
        .build_unchecked(ConnectionManager::new(url))
}
