//! Connections that work behind a transaction pooler (PgBouncer's
//! `pool_mode = transaction`), and telling whether a URL reaches one.
//!
//! Behind a transaction pooler, each transaction (and each statement outside
//! one) may run on another server connection, so nothing that lives in a
//! session survives between them. The data layer keeps to that wherever a URL
//! is declared [`PoolMode::Transaction`] (`?pool_mode=transaction` or
//! `SOCRATES_POOL_MODE=transaction`):
//!
//! - [`connect`] (and every pool of [`crate::pool`]) turns Diesel's statement
//!   cache off, so every query is an unnamed statement, parsed with its
//!   parameters in one round trip, as the pooler needs;
//! - settings are `SET LOCAL`, inside the transaction that needs them;
//! - the work locks of long runs are held in a transaction kept open on a
//!   connection of their own ([`crate::work_lock::HeldLock`]), which pins one
//!   server connection for the run;
//! - what needs a real session for its whole run (the migration runner, whose
//!   lock spans one transaction per migration, and migrations that run outside
//!   a transaction) is given a direct URL, and [`require_session`] refuses a
//!   URL that reaches a transaction pooler, declared or found by [`probe`].

use std::time::Duration;

use diesel::connection::CacheSize;
use diesel::prelude::*;
use diesel::sql_types::Integer;

use crate::DbUrl;
pub use crate::dburl::PoolMode;

/// Opens a connection to `url`, made for its [`DbUrl::pool_mode`]: with the
/// prepared statement cache off behind a transaction pooler.
pub fn connect(url: &DbUrl) -> ConnectionResult<PgConnection> {
    let mut conn = PgConnection::establish(url.as_str())?;
    conn.set_instrumentation(crate::trace::instrumentation());
    prepare_for(&mut conn, url.pool_mode());
    Ok(conn)
}

/// Makes an open connection fit `mode` (see the module documentation).
pub fn prepare_for(conn: &mut PgConnection, mode: PoolMode) {
    if mode == PoolMode::Transaction {
        conn.set_prepared_statement_cache_size(CacheSize::Disabled);
    }
}

/// Why a URL cannot be used for work that needs a session.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The URL is declared to reach a transaction pooler.
    #[error(
        "{url} is declared to reach a transaction pooler (pool_mode=transaction), and {what} \
         holds a session across transactions; give the server's direct URL ({direct})"
    )]
    Declared {
        /// The URL, redacted.
        url: String,
        /// What needed the session.
        what: String,
        /// How to give a direct URL.
        direct: String,
    },
    /// The URL was found to reach a transaction pooler.
    #[error(
        "{url} reaches a transaction pooler ({evidence}), and {what} holds a session across \
         transactions; give the server's direct URL ({direct})"
    )]
    Detected {
        /// The URL, redacted.
        url: String,
        /// What needed the session.
        what: String,
        /// How to give a direct URL.
        direct: String,
        /// What the probe saw.
        evidence: Probed,
    },
    /// The probe could not connect or query.
    #[error("checking {url} for a pooler: {source}")]
    Probe {
        /// The URL, redacted.
        url: String,
        /// What failed.
        source: ProbeError,
    },
}

impl SessionError {
    /// The refusal of `url` for `what`: [`Self::Detected`] with what the probe
    /// saw, [`Self::Declared`] when the URL (or the environment) said so.
    pub fn refusing(url: &DbUrl, what: &str, direct: &str, evidence: Option<Probed>) -> Self {
        let (url, what, direct) = (url.redacted(), what.to_owned(), direct.to_owned());
        match evidence {
            Some(evidence) => Self::Detected {
                url,
                what,
                direct,
                evidence,
            },
            None => Self::Declared { url, what, direct },
        }
    }
}

/// A probe that could not run.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// Connecting failed.
    #[error(transparent)]
    Connect(#[from] ConnectionError),
    /// A query failed.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

fn backend_pid(conn: &mut PgConnection) -> QueryResult<i32> {
    Ok(diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(conn)?
        .pid)
}

/// What [`probe`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probed {
    /// Every statement of a connection ran in one server session.
    Session,
    /// One server session (this pid) served two client connections.
    Shared(i32),
    /// One connection's statements ran on two server sessions.
    Moved(i32, i32),
}

impl Probed {
    /// Whether a transaction pooler was found.
    pub fn is_pooler(self) -> bool {
        self != Self::Session
    }
}

impl std::fmt::Display for Probed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Session => f.write_str("each connection is one server session"),
            Self::Shared(pid) => write!(f, "server session {pid} served two client connections"),
            Self::Moved(a, b) => write!(
                f,
                "one connection's statements ran on server sessions {a} and {b}"
            ),
        }
    }
}

/// Finds whether `url` reaches a transaction pooler, by watching which server
/// session runs each statement.
///
/// Two connections, A and B: B asks for its server pid; A opens a transaction
/// and asks for its own; B asks again; A rolls back. A direct connection (or a
/// session pooler) is one server session for its life, so B gets the same pid
/// twice and A another. Behind a transaction pooler, B's first statement gives
/// its server back at once, so A's transaction is handed that very server
/// (PgBouncer reuses the most recently freed one) and B's next statement
/// another: either sign is a pooler. The round is run three times; a direct
/// server never shows either sign, so the probe never mistakes one for a
/// pooler, and declaring the mode (`pool_mode=`) spares it altogether.
///
/// A database that does not exist yet (before `setup` creates it) is probed
/// through the server's maintenance database at the same address.
pub fn probe(url: &DbUrl) -> Result<Probed, ProbeError> {
    let url = url.with_pool_mode(PoolMode::Transaction);
    let mut a = match connect(&url) {
        Ok(conn) => conn,
        Err(err) if err.to_string().contains("does not exist") && url.database() != "postgres" => {
            return probe(&url.maintenance()).map_err(|_| err.into());
        }
        Err(err) => return Err(err.into()),
    };
    let mut b = connect(&url)?;
    for _ in 0..3 {
        let first = backend_pid(&mut b)?;
        let in_transaction = a.transaction(|a| {
            let pinned = backend_pid(a)?;
            let again = backend_pid(&mut b)?;
            Ok::<_, diesel::result::Error>((pinned, again))
        })?;
        match in_transaction {
            (pinned, _) if pinned == first => return Ok(Probed::Shared(first)),
            (_, again) if again != first => return Ok(Probed::Moved(first, again)),
            _ => std::thread::sleep(Duration::from_millis(1)),
        }
    }
    Ok(Probed::Session)
}

/// Refuses `url` for `what` (say `"the migration runner"`) when it reaches a
/// transaction pooler: declared so, or, when no mode is declared, found so by
/// [`probe`]. `direct` says how a direct URL is given (a flag, a variable).
pub fn require_session(url: &DbUrl, what: &str, direct: &str) -> Result<(), SessionError> {
    match url.declared_pool_mode() {
        Some(PoolMode::Session) => Ok(()),
        Some(PoolMode::Transaction) => Err(SessionError::refusing(url, what, direct, None)),
        None => match probe(url) {
            Ok(Probed::Session) => Ok(()),
            Ok(evidence) => Err(SessionError::refusing(url, what, direct, Some(evidence))),
            Err(source) => Err(SessionError::Probe {
                url: url.redacted(),
                source,
            }),
        },
    }
}
