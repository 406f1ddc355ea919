//! The hot paths at scale, against the same SQL driven by `pgbench`.
//!
//! Data, at each of `--sizes` (messages): the messages in sessions of
//! `--per-session`, over one project per `--messages-per-project` messages,
//! owned by one user per `--messages-per-user` messages in teams of
//! `--users-per-team`; every project is shared with one other user and one in
//! ten with a team. Measured at each size,
//! for `--seconds` each with `--threads` threads on `db_core` pools (a
//! connection checked out per operation, as a service does), and again on a
//! pool that pings every connection it hands out (plain r2d2):
//!
//! - **append**: `projects::conversation::append` (an assistant message; the
//!   session row is locked and its `message_count` bumped in the transaction);
//! - **last 50**: `projects::conversation::last`;
//! - **my projects**: `collaboration::access::list_projects` (the user's teams
//!   from auth, then one query in specs; owned, shared, shared with a team).
//!
//! The limit: the statements the crates sent (captured through Diesel's
//! instrumentation, parameters turned into pgbench expressions) run by
//! `pgbench -M prepared` with as many clients. pgbench talks to one database,
//! so the auth statement of "my projects" runs on a copy of `teams` and
//! `team_members` (same indexes) in the specs database, wrapped to hand its
//! rows to the second statement. Random sessions and users are drawn the same
//! way on both sides, by number, from helper tables.
//!
//! Then the growth of each operation's p99 latency against the messages, the
//! targets at each size (within 1.1x of pgbench; p99 under 5 ms at 10M
//! messages) and a chart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use clap::Args;
use db_core::{PgPool, UserId, build_pool, build_pool_with};
use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use projects::conversation::{self, Message};
use specs_db::enums::MessageRole;
use specs_db::ids::SessionId;
use test_db::TestDatabase;
use uuid::Uuid;

use crate::growth::{Growth, parse_size, short};
use crate::pgbench::{Clients, pgbench, pgbench_program, substitute};
use crate::report::{Table, thousands};
use crate::rows::ids;
use crate::sql;

/// Options of the `hot-paths` benchmark.
#[derive(Debug, Clone, Args)]
pub(crate) struct Opts {
    /// Messages in conversation_history, one run per size (1M, 3M, ...)
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_value = "1M,3M,10M")]
    sizes: Vec<i64>,
    /// Messages per session
    #[arg(long, default_value_t = 50)]
    per_session: i64,
    /// Messages per project (projects = messages / this)
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(i64).range(1..))]
    messages_per_project: i64,
    /// Messages per user (users, in auth, = messages / this)
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(i64).range(1..))]
    messages_per_user: i64,
    /// Users per team (every user is a member of one)
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(i64).range(1..))]
    users_per_team: i64,
    /// Messages of the size being measured
    #[arg(skip)]
    pub(crate) messages: i64,
    /// Projects of the size being measured
    #[arg(skip)]
    projects: i64,
    /// Users of the size being measured
    #[arg(skip)]
    pub(crate) users: i64,
    /// Teams of the size being measured
    #[arg(skip)]
    teams: i64,
    /// Client threads (and pool size; pgbench clients)
    #[arg(long, default_value_t = 8)]
    threads: usize,
    /// Seconds per operation and side
    #[arg(long, default_value_t = 10)]
    pub(crate) seconds: u64,
    /// Messages read by "last"
    #[arg(long, default_value_t = 50)]
    pub(crate) last: i64,
    /// The pgbench program (default: on PATH, else in `pg_config --bindir`)
    #[arg(long)]
    pgbench: Option<PathBuf>,
    /// Print the SQL each operation sends, and the pgbench scripts
    #[arg(long)]
    show_sql: bool,
    /// Also measure through this PgBouncer (transaction mode) in front of the
    /// same server, given by its server part (postgres://user@host:port/postgres)
    #[arg(long, value_name = "URL")]
    pub(crate) via_pooler: Option<String>,
    /// With --via-pooler: a streaming replica of the server (its server part), for the read paths
    #[arg(long, value_name = "URL", requires = "via_pooler")]
    pub(crate) replica: Option<String>,
    /// With --via-pooler: the client thread counts measured
    #[arg(long, value_delimiter = ',', default_value = "8,64", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(crate) pooler_clients: Vec<u32>,
    /// With --via-pooler: server connections per database the direct pools may
    /// use (PgBouncer's default_pool_size, so both sides have the same budget)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(crate) server_connections: u32,
}

const CONTENT: &str = "Let us pin down the retention policy: how long must the audit trail of a \
                       deleted project stay readable, and who may read it in the meantime?";

fn current_database(conn: &mut PgConnection) -> Result<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    Ok(diesel::sql_query("SELECT current_database()::text AS name")
        .get_result::<Name>(conn)?
        .name)
}

/// Loads both databases; returns the users and the sessions, in number order.
fn load(
    opts: &Opts,
    auth: &mut PgConnection,
    specs: &mut PgConnection,
) -> Result<(Vec<Uuid>, Vec<Uuid>)> {
    ensure!(
        opts.users > 1 && opts.teams > 0 && opts.projects > 0 && opts.per_session > 0,
        "need --users > 1 and positive --teams, --projects, --per-session"
    );
    let sessions = opts.messages / opts.per_session;
    ensure!(sessions > 0, "--messages must cover at least one session");
    auth.batch_execute(&sql::fill(
        include_str!("sql/hot_paths_auth_load.sql"),
        &[("users", opts.users), ("teams", opts.teams)],
    )?)?;
    auth.batch_execute("VACUUM ANALYZE")?;
    let users = ids(auth, diesel::sql_query("SELECT id FROM users ORDER BY id"))?;
    #[derive(QueryableByName)]
    struct Member {
        #[diesel(sql_type = SqlUuid)]
        team_id: Uuid,
        #[diesel(sql_type = SqlUuid)]
        user_id: Uuid,
    }
    let members: Vec<Member> =
        diesel::sql_query("SELECT team_id, user_id FROM team_members").load(auth)?;
    let teams = ids(auth, diesel::sql_query("SELECT id FROM teams ORDER BY id"))?;

    // The helper and mirror tables pgbench needs, in their own schema.
    specs.batch_execute(
        "CREATE SCHEMA bench_auth;
         CREATE TABLE bench_auth.bench_users (n integer PRIMARY KEY, id uuid NOT NULL);
         CREATE TABLE bench_auth.bench_sessions (n integer PRIMARY KEY, id uuid NOT NULL);
         CREATE TABLE bench_auth.teams (id uuid PRIMARY KEY, status varchar(20) NOT NULL DEFAULT 'active');
         CREATE TABLE bench_auth.team_members (team_id uuid NOT NULL, user_id uuid NOT NULL,
             status varchar(20) NOT NULL DEFAULT 'active', UNIQUE (team_id, user_id));
         CREATE INDEX ON bench_auth.team_members (user_id);",
    )?;
    diesel::sql_query("INSERT INTO bench_auth.bench_users SELECT n::int, id FROM unnest($1) WITH ORDINALITY AS u(id, n)")
        .bind::<diesel::sql_types::Array<SqlUuid>, _>(&users)
        .execute(specs)?;
    diesel::sql_query("INSERT INTO bench_auth.teams (id) SELECT unnest($1)")
        .bind::<diesel::sql_types::Array<SqlUuid>, _>(&teams)
        .execute(specs)?;
    let (member_teams, member_users): (Vec<Uuid>, Vec<Uuid>) =
        members.iter().map(|m| (m.team_id, m.user_id)).unzip();
    diesel::sql_query(
        "INSERT INTO bench_auth.team_members (team_id, user_id) SELECT * FROM unnest($1, $2)",
    )
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(&member_teams)
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(&member_users)
    .execute(specs)?;

    specs.batch_execute(sql::UUID7)?;
    specs.batch_execute(&sql::fill(
        include_str!("sql/hot_paths_specs_load.sql"),
        &[
            ("projects", opts.projects),
            ("users", opts.users),
            ("teams", opts.teams),
            ("per", opts.per_session),
            ("sessions", sessions),
        ],
    )?)?;
    specs.batch_execute("VACUUM ANALYZE")?;
    // pgbench finds the helper tables by the database's search_path (public
    // first, so the crates' tables are the ones they name).
    let name = current_database(specs)?;
    specs.batch_execute(&format!(
        "ALTER DATABASE {} SET search_path = public, bench_auth",
        db_core::dburl::quote_ident(&name)
    ))?;
    let sessions = ids(
        specs,
        diesel::sql_query("SELECT id FROM bench_auth.bench_sessions ORDER BY n"),
    )?;
    let users = ids(
        specs,
        diesel::sql_query("SELECT id FROM bench_auth.bench_users ORDER BY n"),
    )?;
    Ok((users, sessions))
}

/// A small, fast, per-thread generator (xorshift64*): the draw needs no quality.
pub(crate) struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        usize::try_from(x % n as u64).unwrap_or(0)
    }
}

/// Throughput and latency of one side of one operation.
pub(crate) struct Stats {
    ops: usize,
    secs: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
}

impl Stats {
    pub(crate) fn from_micros(mut micros: Vec<u64>, secs: f64) -> Result<Self> {
        ensure!(!micros.is_empty(), "no operation completed");
        micros.sort_unstable();
        let at = |q: f64| {
            micros[((micros.len() as f64 * q) as usize).min(micros.len() - 1)] as f64 / 1000.0
        };
        Ok(Self {
            ops: micros.len(),
            secs,
            p50_ms: at(0.50),
            p99_ms: at(0.99),
        })
    }

    pub(crate) fn rate(&self) -> f64 {
        self.ops as f64 / self.secs
    }
}

/// Runs `op` on `threads` threads for `seconds`; each call is one timed operation.
pub(crate) fn drive(
    threads: usize,
    seconds: u64,
    op: &(dyn Fn(&mut Rng) -> Result<()> + Sync),
) -> Result<Stats> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let results: Vec<Result<Vec<u64>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || -> Result<Vec<u64>> {
                    let mut rng =
                        Rng(0x9E37_79B9_7F4A_7C15
                            ^ (t as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
                    let mut micros = Vec::with_capacity(100_000);
                    while Instant::now() < deadline {
                        let t0 = Instant::now();
                        op(&mut rng)?;
                        micros.push(u64::try_from(t0.elapsed().as_micros()).unwrap_or(u64::MAX));
                    }
                    Ok(micros)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a client thread panicked")))
            })
            .collect()
    });
    let secs = started.elapsed().as_secs_f64();
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    Stats::from_micros(all, secs)
}

/// The statements a closure sends on `conn`, as text with `$n` placeholders.
fn capture(
    conn: &mut PgConnection,
    run: impl FnOnce(&mut PgConnection) -> Result<()>,
) -> Result<Vec<String>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            // The text without the binds diesel appends, and without comment lines.
            let sql = text
                .split(" -- binds: ")
                .next()
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned();
            if let Ok(mut seen) = sink.lock() {
                seen.push(sql);
            }
        }
    });
    let outcome = run(conn);
    conn.set_instrumentation(NoOp);
    outcome?;
    let seen = seen
        .lock()
        .map_err(|_| anyhow::anyhow!("capture poisoned"))?
        .clone();
    Ok(seen)
}

/// Instrumentation that does nothing (to switch capturing off).
struct NoOp;

impl Instrumentation for NoOp {
    fn on_connection_event(&mut self, _: InstrumentationEvent<'_>) {}
}

/// A pool per database.
pub(crate) struct Pools {
    pub(crate) auth: PgPool,
    pub(crate) specs: PgPool,
}

/// The operations measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Append,
    Last,
    Mine,
}

impl Op {
    pub(crate) fn file(self) -> &'static str {
        match self {
            Self::Append => "append",
            Self::Last => "last",
            Self::Mine => "mine",
        }
    }
}

/// What the operations draw from.
pub(crate) struct Data<'a> {
    users: &'a [Uuid],
    sessions: &'a [Uuid],
    last: i64,
}

impl Data<'_> {
    /// One operation through the crates, with a connection checked out per database.
    pub(crate) fn run(&self, pools: &Pools, op: Op, rng: &mut Rng) -> Result<()> {
        match op {
            Op::Append => {
                let session = SessionId(self.sessions[rng.below(self.sessions.len())]);
                conversation::append(
                    &mut *pools.specs.get()?,
                    session,
                    &Message::new(MessageRole::Assistant, CONTENT),
                )?;
            }
            Op::Last => {
                let session = SessionId(self.sessions[rng.below(self.sessions.len())]);
                let page = conversation::last(&mut *pools.specs.get()?, session, self.last)?;
                ensure!(!page.is_empty(), "an empty session");
            }
            Op::Mine => {
                let user = UserId(self.users[rng.below(self.users.len())]);
                let projects = collaboration::access::list_projects(
                    &mut *pools.auth.get()?,
                    &mut *pools.specs.get()?,
                    user,
                    50,
                )?;
                ensure!(!projects.is_empty(), "a user without projects");
            }
        }
        Ok(())
    }
}

/// One operation and the pgbench script of the statements it sent.
pub(crate) struct Operation {
    pub(crate) name: &'static str,
    pub(crate) op: Op,
    pub(crate) script: String,
}

/// One operation's three sides at one size.
struct Measured {
    name: &'static str,
    ours: Stats,
    limit: Stats,
}

/// Runs the benchmark at every size, prints a table per size, the growth of
/// each operation's p99 and the targets, and writes the chart into `charts`.
pub(crate) fn run(opts: &Opts, charts: &Path) -> Result<()> {
    let mut growth = Growth::new(
        "hot-paths",
        format!(
            "hot paths: p99 latency against messages ({} threads)",
            opts.threads
        ),
        "messages",
        "p99 ms",
    );
    let mut targets = Table::new(
        "hot paths against pgbench at each size (targets: pgbench at most 1.1x as fast; p99 < 5 ms at 10M)",
        &[
            "messages",
            "operation",
            "crates p99 ms",
            "pgbench p99 ms",
            "pgbench is",
            "met",
        ],
    );
    for messages in &opts.sizes {
        let users = (messages / opts.messages_per_user).max(2);
        let sized = Opts {
            messages: *messages,
            projects: (messages / opts.messages_per_project).max(1),
            users,
            teams: (users / opts.users_per_team).max(1),
            ..opts.clone()
        };
        let x = *messages as f64;
        for m in at_size(&sized)? {
            growth.add(&format!("{}: crates", m.name), None, x, m.ours.p99_ms);
            growth.add(&format!("{}: pgbench", m.name), None, x, m.limit.p99_ms);
            let ratio = m.limit.rate() / m.ours.rate();
            let p99_ok = *messages < 10_000_000 || m.ours.p99_ms < 5.0;
            targets.row(vec![
                short(x),
                m.name.into(),
                format!("{:.2}", m.ours.p99_ms),
                format!("{:.2}", m.limit.p99_ms),
                format!("{ratio:.2}x as fast"),
                if ratio <= 1.1 && p99_ok { "yes" } else { "NO" }.into(),
            ]);
        }
    }
    growth.report(&targets, charts)?;
    Ok(())
}

fn at_size(opts: &Opts) -> Result<Vec<Measured>> {
    let auth_db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs_db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let (mut auth, mut specs) = (auth_db.connect(), specs_db.connect());
    println!(
        "\nhot-paths: loading {} messages ({} per session), {} projects, {} users in {} teams ...",
        thousands(opts.messages as f64),
        opts.per_session,
        thousands(opts.projects as f64),
        thousands(opts.users as f64),
        opts.teams
    );
    let started = Instant::now();
    let (users, sessions) = load(opts, &mut auth, &mut specs)?;
    println!("loaded in {:.1} s", started.elapsed().as_secs_f64());
    let program = pgbench_program(opts.pgbench.as_deref())?;

    let size = u32::try_from(opts.threads)?;
    let checked = Pools {
        auth: build_pool(auth_db.url(), size),
        specs: build_pool(specs_db.url(), size),
    };
    let pinging = Pools {
        auth: build_pool_with(auth_db.url(), size, Duration::ZERO),
        specs: build_pool_with(specs_db.url(), size, Duration::ZERO),
    };
    let data = Data {
        users: &users,
        sessions: &sessions,
        last: opts.last,
    };
    let last_n = opts.last;

    // What the crates send, captured once per operation.
    let (session0, user0) = (SessionId(sessions[0]), UserId(users[0]));
    let appended = capture(&mut specs, |c| {
        conversation::append(c, session0, &Message::new(MessageRole::Assistant, CONTENT))?;
        Ok(())
    })?;
    let read = capture(&mut specs, |c| {
        conversation::last(c, session0, last_n)?;
        Ok(())
    })?;
    let mut auth_side = Vec::new();
    let specs_side = capture(&mut specs, |s| {
        auth_side = capture(&mut auth, |a| {
            collaboration::access::list_projects(a, s, user0, 50)?;
            Ok(())
        })?;
        Ok(())
    })?;

    const SESSION: &str = "(SELECT id FROM bench_sessions WHERE n = :n)";
    const USER: &str = "(SELECT id FROM bench_users WHERE n = :n)";
    let content = format!("'{}'", CONTENT.replace('\'', "''"));
    let append_script = {
        ensure!(
            appended.len() == 1,
            "append sends one statement: {appended:?}"
        );
        // The crate's ids are UUIDv7 made in Rust; pgbench makes the same kind in the server.
        let params = [
            "bench.uuid7()",
            SESSION,
            "NULL",
            "'assistant'",
            &content,
            "NULL",
            "NULL",
            "NULL",
        ];
        format!(
            "\\set n random(1, :nsessions)\n{};\n",
            substitute(&appended[0], &params)?
        )
    };
    let last_script = {
        ensure!(read.len() == 1, "last sends one statement: {read:?}");
        format!(
            "\\set n random(1, :nsessions)\n{};\n",
            substitute(&read[0], &[SESSION, ":last"])?
        )
    };
    let mine_script = {
        ensure!(
            auth_side.len() == 1 && specs_side.len() == 1,
            "list_projects sends one statement per database"
        );
        format!(
            "\\set n random(1, :nusers)\nSELECT coalesce(array_agg(t.team_id), '{{}}') AS teams FROM ({}) t \\gset\n{};\n",
            substitute(&auth_side[0], &[USER, "'active'", "'active'"])?,
            substitute(&specs_side[0], &[USER, ":teams", "50"])?
        )
    };
    let operations = [
        Operation {
            name: "append a message",
            op: Op::Append,
            script: append_script,
        },
        Operation {
            name: "read the last 50 of a session",
            op: Op::Last,
            script: last_script,
        },
        Operation {
            name: "list a user's projects (owned, shared)",
            op: Op::Mine,
            script: mine_script,
        },
    ];
    if opts.show_sql {
        for op in &operations {
            println!("\n-- {} (pgbench script)\n{}", op.name, op.script);
        }
    }

    let mut table = Table::new(
        format!(
            "hot paths at {} messages, {} threads, {} s each (db_core pools; pgbench -M prepared, {} clients)",
            thousands(opts.messages as f64),
            opts.threads,
            opts.seconds,
            opts.threads
        ),
        &[
            "operation",
            "side",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "pgbench is",
        ],
    );
    let mut measured = Vec::new();
    for op in &operations {
        let ours = drive(opts.threads, opts.seconds, &|rng| {
            data.run(&checked, op.op, rng)
        })?;
        let pinged = drive(opts.threads, opts.seconds, &|rng| {
            data.run(&pinging, op.op, rng)
        })?;
        let limit = pgbench(
            &program,
            specs_db.url().as_str(),
            opts,
            Clients {
                count: opts.threads,
                protocol: "prepared",
            },
            op.op.file(),
            &op.script,
            sessions.len(),
        )?;
        let mut row = |name: &str, side: &str, stats: &Stats, ratio: String| {
            table.row(vec![
                name.into(),
                side.into(),
                thousands(stats.rate()),
                format!("{:.2}", stats.p50_ms),
                format!("{:.2}", stats.p99_ms),
                ratio,
            ]);
        };
        row(
            op.name,
            "crates",
            &ours,
            format!("{:.2}x as fast", limit.rate() / ours.rate()),
        );
        row(
            "",
            "crates, ping every checkout",
            &pinged,
            format!("{:.2}x as fast", limit.rate() / pinged.rate()),
        );
        row("", "pgbench (the limit)", &limit, String::new());
        measured.push(Measured {
            name: op.name,
            ours,
            limit,
        });
    }
    table.print();
    println!(
        "\n\"crates\": db_core::build_pool, which pings a connection before handing it out only when no\n\
         query succeeded on it in the last {} ms; \"ping every checkout\" is r2d2's test_on_check_out,\n\
         one more round trip per operation. pgbench keeps its connections and never checks them.",
        db_core::ALIVE_WINDOW.as_millis()
    );
    let expected = sessions.len() as i64 * opts.per_session;
    let now = test_db::count(&mut specs, "SELECT count(*) AS n FROM conversation_history");
    let counted = test_db::count(&mut specs, "SELECT sum(message_count) AS n FROM sessions");
    println!(
        "\nmessages: {} loaded, {} after the appends; sessions.message_count sums to {}",
        thousands(expected as f64),
        thousands(now as f64),
        thousands(counted as f64)
    );
    ensure!(now == counted, "message counts drifted from the messages");
    if let Some(pooler) = &opts.via_pooler {
        crate::hot_paths_pooled::run(
            opts,
            pooler,
            &crate::hot_paths_pooled::Setup {
                auth: &auth_db,
                specs: &specs_db,
                program: &program,
                data: &data,
                operations: &operations,
                sessions: sessions.len(),
            },
        )?;
    }
    Ok(measured)
}
