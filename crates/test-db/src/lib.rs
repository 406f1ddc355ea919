//! Test harness: a fresh, migrated PostgreSQL database per test, dropped afterwards.
//!
//! Each migration set is migrated once per test run into a template database;
//! every [`TestDatabase`] is a `CREATE DATABASE ... TEMPLATE` clone of it, which
//! takes milliseconds, so tests run in parallel without sharing state.
//!
//! - **Server:** `TEST_DATABASE_URL` (only its server part is used), else the
//!   local default if a server answers there, else the private cluster of
//!   `dev_cluster` (data directory `$SOCRATES_TEST_DATA_DIR`, or
//!   `test-cluster/` under the CLI's default data directory).
//! - **Two servers:** with `TEST_SPECS_DATABASE_URL` set, every database of
//!   the specs set lives on that server instead; with `TEST_TWO_SERVERS=1`
//!   (and no such URL), on a second server the harness starts itself from the
//!   machine's PostgreSQL binaries (`initdb`, `pg_ctl`) on a free port, in
//!   `specs-cluster/` beside the test cluster's directory, reused by later
//!   runs. Auth databases and [`TestDatabase::empty`] stay on the first
//!   server, so every test that pairs an auth and a specs database runs across
//!   two servers, as production may.
//! - **Through a pooler:** with `TEST_POOLER_URL` set (the server part of a
//!   PgBouncer in transaction mode in front of the first server), every test
//!   database on the first server is reached through it: [`TestDatabase::url`]
//!   names the pooler (declared `pool_mode=transaction`), and its pool and
//!   connections go through it; [`TestDatabase::direct_url`] names the server.
//!   Creating, cloning and dropping databases stay direct.
//! - **A replica:** with `TEST_REPLICA_URL` set (the server part of a
//!   streaming replica of the first server), [`TestDatabase::replica_url`]
//!   names each database there.
//! - **One template per set per run:** a run is the process that started the
//!   test binaries (`cargo test` or `cargo nextest`), so every test process of
//!   a run shares the template, and a new run builds its own. Builders serialize
//!   on an advisory lock; a template is used only once marked ready.
//! - **Cleanup:** a test database is dropped when its [`TestDatabase`] drops.
//!   Names carry their owner (host, pid and process start time), so databases
//!   left by killed tests and templates of finished runs are swept on the next
//!   run, and nothing belonging to a live process is ever touched.

// A test harness: a fixture that cannot be made fails the test that asked
// for it, so panicking on errors is its contract.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "the harness fails the calling test by panicking"
)]

pub mod models;
#[cfg(feature = "world")]
pub mod world;

#[cfg(feature = "world")]
pub use world::{Pair, World};

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use db_core::dburl::{quote_ident, quote_literal};
use db_core::migrate::{MigrateOptions, MigrationSet, Runner};
use db_core::{DbUrl, PgPool, PgPooled, build_pool};
use dev_cluster::{Cluster, DefaultServer};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use sha2::{Digest, Sha256};

const TEMPLATE_PREFIX: &str = "socrates_tpl_";
const TEST_PREFIX: &str = "socrates_test_";
const READY: &str = "socrates test template: ready";

/// A process, identified beyond pid reuse by its start time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Owner {
    pid: u32,
    start: u64,
}

impl Owner {
    fn of(pid: u32) -> Option<Self> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the parenthesised command name; starttime is field 22.
        let after = &stat[stat.rfind(')')? + 1..];
        let start = after.split_whitespace().nth(19)?.parse().ok()?;
        Some(Self { pid, start })
    }

    fn current() -> Self {
        Self::of(std::process::id()).unwrap_or(Self {
            pid: std::process::id(),
            start: 0,
        })
    }

    /// The process that started this test binary: the test run.
    fn run() -> Self {
        let ppid = nix::unistd::getppid().as_raw().unsigned_abs();
        Self::of(ppid).unwrap_or(Self {
            pid: ppid,
            start: 0,
        })
    }

    fn alive(self) -> bool {
        Self::of(self.pid) == Some(self)
    }

    fn tag(self) -> String {
        format!("{}_{}_{}", host_tag(), self.pid, self.start)
    }
}

/// Four hex digits naming this machine, so hosts sharing a server never sweep each other.
fn host_tag() -> &'static str {
    static TAG: OnceLock<String> = OnceLock::new();
    TAG.get_or_init(|| {
        let id = std::fs::read_to_string("/etc/machine-id")
            .or_else(|_| std::fs::read_to_string("/proc/sys/kernel/hostname"))
            .unwrap_or_default();
        hex::encode(&Sha256::digest(id.trim().as_bytes())[..2])
    })
}

/// The owner encoded in a database name: templates end in `_<host>_<pid>_<start>`,
/// test databases in `_<host>_<pid>_<start>_<seq>`.
fn owner_of(name: &str) -> Option<(String, Owner)> {
    let fields: Vec<&str> = name.split('_').collect();
    let end = if name.starts_with(TEST_PREFIX) {
        fields.len().checked_sub(1)?
    } else {
        fields.len()
    };
    let [host, pid, start] = fields.get(end.checked_sub(3)?..end)? else {
        return None;
    };
    let owner = Owner {
        pid: pid.parse().ok()?,
        start: start.parse().ok()?,
    };
    Some(((*host).to_owned(), owner))
}

/// The server every test database lives on (its maintenance database).
struct Server {
    url: DbUrl,
    admin: PgPool,
}

impl Server {
    /// The server behind the maintenance database `url`, swept of databases
    /// left by test processes that are gone.
    fn open(url: DbUrl) -> Self {
        let admin = build_pool(&url, 8);
        let server = Self { url, admin };
        sweep(&server);
        server
    }
}

/// The directory of the harness's own clusters.
fn cluster_dir() -> std::path::PathBuf {
    std::env::var_os("SOCRATES_TEST_DATA_DIR")
        .map_or_else(|| Cluster::default_dir().join("test-cluster"), Into::into)
}

/// Whether specs databases live on a server of their own in this run.
pub fn two_servers() -> bool {
    std::env::var_os("TEST_SPECS_DATABASE_URL").is_some()
        || std::env::var("TEST_TWO_SERVERS").is_ok_and(|v| v == "1")
}

/// The server of the specs set's databases: the first server, unless
/// [`two_servers`].
fn specs_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    if !two_servers() {
        return server();
    }
    SERVER.get_or_init(|| {
        let url = match std::env::var("TEST_SPECS_DATABASE_URL") {
            Ok(url) => {
                DbUrl::parse(&url).expect("TEST_SPECS_DATABASE_URL is not a valid postgres:// URL")
            }
            Err(_) => {
                let dir = cluster_dir().with_file_name("specs-cluster");
                let (cluster, _) = Cluster::ensure(&dir)
                    .expect("TEST_TWO_SERVERS=1, but the second PostgreSQL server could not start");
                cluster.url("postgres")
            }
        }
        .maintenance();
        Server::open(url)
    })
}

/// The server the databases of `set` live on.
fn server_of(set: &str) -> &'static Server {
    if set == "specs" {
        specs_server()
    } else {
        server()
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let url = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) => {
                DbUrl::parse(&url).expect("TEST_DATABASE_URL is not a valid postgres:// URL")
            }
            Err(_) => {
                let dir = cluster_dir();
                DefaultServer::resolve(&dir)
                    .expect("no PostgreSQL server answers and the private cluster could not start")
                    .url("postgres")
            }
        }
        .maintenance();
        Server::open(url)
    })
}

#[derive(QueryableByName)]
struct DbRow {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// Drops databases whose owning process (on this host) is gone.
fn sweep(server: &Server) {
    let Ok(mut conn) = server.admin.get() else {
        return;
    };
    let rows: Vec<DbRow> = diesel::sql_query(format!(
        "SELECT datname::text FROM pg_database \
         WHERE datname LIKE '{}%' OR datname LIKE '{}%'",
        TEMPLATE_PREFIX.replace('_', "\\_"),
        TEST_PREFIX.replace('_', "\\_"),
    ))
    .load(&mut conn)
    .unwrap_or_default();
    for row in rows {
        let Some((host, owner)) = owner_of(&row.datname) else {
            continue;
        };
        if host == host_tag() && !owner.alive() {
            // Best effort: a database still in use is left for the next sweep.
            let _ = drop_database(&mut conn, &row.datname);
        }
    }
}

fn drop_database(conn: &mut PgConnection, name: &str) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_ident(name)
    ))
}

#[derive(QueryableByName)]
struct Comment {
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

fn comment_of(conn: &mut PgConnection, name: &str) -> QueryResult<Option<Option<String>>> {
    diesel::sql_query(
        "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    )
    .bind::<Text, _>(name)
    .get_result::<Comment>(conn)
    .optional()
    .map(|row| row.map(|r| r.comment))
}

/// The template for `set` in this run, built on first use.
fn template(set: &'static MigrationSet) -> String {
    static TEMPLATES: OnceLock<std::sync::Mutex<Vec<(&'static str, String)>>> = OnceLock::new();
    let templates = TEMPLATES.get_or_init(Default::default);
    let mut known = templates
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, name)) = known.iter().find(|(s, _)| *s == set.name) {
        return name.clone();
    }
    let name = format!(
        "{TEMPLATE_PREFIX}{}_{}_{}",
        set.name,
        &set.fingerprint()[..8],
        Owner::run().tag()
    );
    build_template(set, &name);
    known.push((set.name, name.clone()));
    name
}

fn build_template(set: &'static MigrationSet, name: &str) {
    let server = server_of(set.name);
    let mut conn = server.admin.get().expect("connect to the test server");
    let key = i64::from_be_bytes(
        Sha256::digest(name.as_bytes())[..8]
            .try_into()
            .expect("8 bytes"),
    );
    diesel::sql_query(format!("SELECT pg_advisory_lock({key})"))
        .execute(&mut conn)
        .expect("template lock");
    let result = (|| -> Result<(), String> {
        match comment_of(&mut conn, name).map_err(|e| e.to_string())? {
            Some(Some(c)) if c == READY => return Ok(()),
            Some(_) => drop_database(&mut conn, name).map_err(|e| e.to_string())?,
            None => {}
        }
        conn.batch_execute(&format!("CREATE DATABASE {}", quote_ident(name)))
            .map_err(|e| e.to_string())?;
        {
            let url = server.url.with_database(name);
            let mut tpl = db_core::connect(&url).map_err(|e| e.to_string())?;
            Runner::new(set)
                .migrate(&mut tpl, &MigrateOptions::default())
                .map_err(|e| format!("migrating template {name}: {e}"))?;
        }
        conn.batch_execute(&format!(
            "COMMENT ON DATABASE {} IS {}",
            quote_ident(name),
            quote_literal(READY)
        ))
        .map_err(|e| e.to_string())
    })();
    let _ = diesel::sql_query(format!("SELECT pg_advisory_unlock({key})")).execute(&mut conn);
    if let Err(e) = result {
        panic!("building test template {name}: {e}");
    }
}

/// Per table of `conn`'s database (the `__` bookkeeping excluded): its row
/// count and a digest of its sorted rows, over every column but `id`, the
/// timestamps and the `(table, column)` pairs in `skip`. Two databases that
/// went through equal histories agree on it even where generated ids, times
/// (and whatever `skip` names) differ: for comparing one run with another.
pub fn content(
    conn: &mut PgConnection,
    skip: &[(&str, &str)],
) -> std::collections::BTreeMap<String, String> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
    }
    #[derive(QueryableByName)]
    struct Digest {
        #[diesel(sql_type = Text)]
        digest: String,
    }
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_%' \
           AND column_name <> 'id' AND data_type NOT LIKE 'timestamp%' \
         ORDER BY table_name, ordinal_position",
    )
    .load(conn)
    .expect("list columns");
    let mut tables: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for c in columns {
        if !skip.contains(&(c.table_name.as_str(), c.column_name.as_str())) {
            tables
                .entry(c.table_name)
                .or_default()
                .push(format!("t.{}", quote_ident(&c.column_name)));
        }
    }
    tables
        .into_iter()
        .map(|(table, columns)| {
            let sql = format!(
                "SELECT count(*) || ':' || md5(coalesce(string_agg(r, '|' ORDER BY r), '')) AS digest \
                 FROM (SELECT ROW({})::text AS r FROM {} t) x",
                columns.join(", "),
                quote_ident(&table)
            );
            let d: Digest = diesel::sql_query(sql)
                .get_result(conn)
                .unwrap_or_else(|e| panic!("digest of {table}: {e}"));
            (table, d.digest)
        })
        .collect()
}

/// Runs a query returning one row with one bigint column named `n`.
pub fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<N>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// Polls [`count`] of `sql` every 20 ms until `done` accepts it; panics with
/// `what` once `deadline` passes (for tests that wait on other sessions).
pub fn wait_until(
    conn: &mut PgConnection,
    sql: &str,
    done: impl Fn(i64) -> bool,
    deadline: std::time::Instant,
    what: &str,
) {
    while !done(count(conn, sql)) {
        assert!(std::time::Instant::now() < deadline, "{what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The URL of database `name` through `var`'s server (pooler or replica), if set.
fn beside(var: &str, direct: &DbUrl) -> Option<DbUrl> {
    let text = std::env::var(var).ok().filter(|v| !v.is_empty())?;
    let other = DbUrl::parse(&text).unwrap_or_else(|e| panic!("{var}: {e}"));
    Some(
        direct
            .with_host_port(other.host(), other.port())
            .unwrap_or_else(|e| panic!("{var}: {e}")),
    )
}

/// Whether this run reaches the first server through a transaction pooler.
pub fn via_pooler() -> bool {
    std::env::var("TEST_POOLER_URL").is_ok_and(|v| !v.is_empty())
}

/// A database for one test, dropped (forcibly) when this value drops.
pub struct TestDatabase {
    name: String,
    /// What tests connect to: the pooler's URL when [`via_pooler`].
    url: DbUrl,
    /// The server's own URL.
    direct: DbUrl,
    pool: Option<PgPool>,
    server: &'static Server,
}

impl TestDatabase {
    /// A fresh database holding every migration of `set`, cloned from this run's template.
    pub fn new(set: &'static MigrationSet) -> Self {
        let template = template(set);
        Self::create(set.name, Some(&template))
    }

    /// A fresh, empty database (nothing migrated).
    pub fn empty() -> Self {
        Self::create("empty", None)
    }

    fn create(label: &str, template: Option<&str>) -> Self {
        Self::create_on(server_of(label), label, template)
    }

    fn create_on(server: &'static Server, label: &str, template: Option<&str>) -> Self {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let owner = Owner::current();
        let name = format!(
            "{TEST_PREFIX}{label}_{}_{}",
            owner.tag(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let sql = match template {
            Some(t) => format!(
                "CREATE DATABASE {} TEMPLATE {}",
                quote_ident(&name),
                quote_ident(t)
            ),
            None => format!("CREATE DATABASE {}", quote_ident(&name)),
        };
        let mut conn = server.admin.get().expect("connect to the test server");
        // Cloning fails while anything is connected to the template; builders
        // disconnect before marking it ready, but a sweep may still be closing.
        let mut attempt = 0;
        while let Err(err) = conn.batch_execute(&sql) {
            attempt += 1;
            let transient = err.to_string().contains("being accessed by other users");
            assert!(
                transient && attempt < 50,
                "creating test database {name}: {err}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let direct = server.url.with_database(&name);
        let url = if std::ptr::eq(server, self::server()) {
            beside("TEST_POOLER_URL", &direct)
                .map(|pooled| pooled.with_pool_mode(db_core::PoolMode::Transaction))
        } else {
            None
        }
        .unwrap_or_else(|| direct.clone());
        let pool = build_pool(&url, 16);
        Self {
            name,
            url,
            direct,
            pool: Some(pool),
            server,
        }
    }

    /// A new database holding a copy of this one, schema and rows (cloned with
    /// this one as its template, so this one's connections are closed first;
    /// no other session may be connected to it).
    pub fn copy(&mut self) -> Self {
        self.pool = None;
        if self.url != self.direct {
            // The pooler keeps server connections to this database open.
            let mut admin = self.server.admin.get().expect("connect to the test server");
            diesel::sql_query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind::<Text, _>(&self.name)
            .execute(&mut admin)
            .expect("close the pooler's connections");
        }
        let copy = Self::create_on(self.server, "copy", Some(&self.name));
        self.pool = Some(build_pool(&self.url, 16));
        copy
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The database's URL: through the pooler when [`via_pooler`].
    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// The CLI's flags that name this database as `which` (`auth` or
    /// `specs`): `--auth-url` (through the pooler when [`via_pooler`], with
    /// its `pool_mode` declared), and then `--auth-direct-url` too.
    pub fn cli_flags(&self, which: &str) -> Vec<String> {
        let mut flags = vec![format!("--{which}-url"), self.url.to_url_string()];
        if self.url != self.direct {
            flags.extend([format!("--{which}-direct-url"), self.direct.to_url_string()]);
        }
        flags
    }

    /// The database's URL on its server, never through a pooler.
    pub fn direct_url(&self) -> &DbUrl {
        &self.direct
    }

    /// The database's URL on the replica `TEST_REPLICA_URL` names, if set.
    pub fn replica_url(&self) -> Option<DbUrl> {
        if std::ptr::eq(self.server, server()) {
            beside("TEST_REPLICA_URL", &self.direct)
        } else {
            None
        }
    }

    /// A pooled connection.
    pub fn conn(&self) -> PgPooled {
        self.pool().get().expect("connect to the test database")
    }

    /// A new, unpooled connection (for tests that need a session of their own).
    pub fn connect(&self) -> PgConnection {
        db_core::connect(&self.url).expect("connect to the test database")
    }

    /// A new, unpooled connection to the server itself, never through a
    /// pooler (for what needs a server session: the migration runner, a
    /// session lock, a backend to terminate).
    pub fn connect_direct(&self) -> PgConnection {
        db_core::connect(&self.direct).expect("connect to the test database")
    }

    /// The pool behind [`conn`](Self::conn).
    pub fn pool(&self) -> &PgPool {
        self.pool
            .as_ref()
            .expect("the pool lives as long as the database")
    }

    /// A digest of every row of every table (the `__` bookkeeping tables
    /// excluded), by table: equal fingerprints mean no row was written.
    pub fn fingerprint(&self) -> std::collections::BTreeMap<String, String> {
        #[derive(QueryableByName)]
        struct Digest {
            #[diesel(sql_type = Text)]
            name: String,
            #[diesel(sql_type = Text)]
            digest: String,
        }
        let mut conn = self.conn();
        let tables: Vec<DbRow> = diesel::sql_query(
            "SELECT tablename::text AS datname FROM pg_tables \
             WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_%' ORDER BY 1",
        )
        .load(&mut conn)
        .expect("list tables");
        tables
            .into_iter()
            .map(|t| {
                let sql = format!(
                    "SELECT {name} AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest \
                     FROM {table} t",
                    name = quote_literal(&t.datname),
                    table = quote_ident(&t.datname),
                );
                let d: Digest = diesel::sql_query(sql).get_result(&mut conn).expect("digest");
                (d.name, d.digest)
            })
            .collect()
    }

    /// URL of the server's maintenance database (for CREATE/DROP DATABASE in tests).
    pub fn server_url() -> &'static DbUrl {
        &server().url
    }

    /// URL of the maintenance database of the server specs databases live on
    /// (the same as [`server_url`](Self::server_url) unless [`two_servers`]).
    pub fn specs_server_url() -> &'static DbUrl {
        &specs_server().url
    }

    /// A name for a database this test will create itself; it is owned by this
    /// process, so the sweep removes it if the test dies before dropping it.
    pub fn scratch_name(label: &str) -> String {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        format!(
            "{TEST_PREFIX}{label}_{}_x{}",
            Owner::current().tag(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        )
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Close our own connections first; FORCE ends any a test leaked.
        self.pool = None;
        match self.server.admin.get() {
            Ok(mut conn) => {
                if let Err(err) = drop_database(&mut conn, &self.name) {
                    eprintln!("test-db: could not drop {}: {err}", self.name);
                }
            }
            Err(err) => eprintln!("test-db: could not drop {}: {err}", self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_round_trip_through_names() {
        let me = Owner::current();
        assert!(me.alive());
        let test_name = format!("{TEST_PREFIX}auth_{}_7", me.tag());
        assert_eq!(owner_of(&test_name), Some((host_tag().to_owned(), me)));
        let tpl_name = format!("{TEMPLATE_PREFIX}specs_0123abcd_{}", me.tag());
        assert_eq!(owner_of(&tpl_name), Some((host_tag().to_owned(), me)));
        let dead = Owner {
            pid: me.pid,
            start: me.start + 1,
        };
        assert!(!dead.alive(), "a reused pid is not the same process");
    }
}
