//! Synthetic data across both databases: `socrates-db seed --scale N [--seed S]`.
//!
//! Realistic in shape (users in teams, projects shared with teams and users,
//! sessions of alternating messages, questions from templates, specifications
//! with superseded versions, conflicts, documents, LLM usage, billing, activity)
//! and referentially sound: every cross-database id names a seeded user or team,
//! and every cached counter matches what it counts. Deterministic: ids and times
//! come from a ChaCha8 generator seeded with `--seed` and a fixed epoch, so the
//! same seed gives the same content. Loaded with `COPY ... (FORMAT csv)`, one
//! statement per table. What the backfills compute (maturity, chunks,
//! embeddings, question effectiveness, analytics) is left for them.
//!
//! Seeding refuses databases that already hold users or projects: it never
//! mixes with real data. Each database is loaded in one transaction, auth's
//! committing first, so a run killed at any point leaves nothing, auth's part
//! only (which the next run of the same seed completes), or everything (which
//! the next run of the same seed recognises and leaves alone).

use std::fmt::Write as _;

use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::pg::CopyFormat;
use diesel::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use uuid::Uuid;

use crate::JobError;
use crate::runner::Dbs;

/// Options of [`seed`].
#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    /// Size multiplier: 40 users, 4 teams and 15 projects per unit.
    pub scale: u32,
    /// Generator seed.
    pub seed: u64,
    /// How long to wait for another seed run to finish (seeds never overlap).
    pub lock_timeout: std::time::Duration,
}

impl SeedOptions {
    /// `scale` and `seed`, waiting the default lock timeout for another run.
    pub fn new(scale: u32, seed: u64) -> Self {
        Self {
            scale,
            seed,
            lock_timeout: db_core::migrate::DEFAULT_LOCK_TIMEOUT,
        }
    }
}

/// The work lock a seed run holds.
pub const SEED_JOB: &str = "seed";

/// Rows written, per table.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SeedReport {
    /// (table, rows), in load order.
    pub tables: Vec<(&'static str, usize)>,
    /// The databases already held this very seed (same scale and seed, from an
    /// earlier or a concurrent run): nothing was written.
    pub already_seeded: bool,
}

/// The password of every seeded user.
pub const SEEDED_PASSWORD: &str = "seeded-password";

const WORDS: &[&str] = &[
    "system",
    "users",
    "data",
    "service",
    "request",
    "latency",
    "storage",
    "team",
    "report",
    "invoice",
    "search",
    "payment",
    "schedule",
    "message",
    "queue",
    "cache",
    "audit",
    "export",
    "import",
    "dashboard",
    "mobile",
    "web",
    "backup",
    "policy",
    "access",
    "review",
    "deploy",
    "metric",
    "alert",
    "budget",
];
const FIRST: &[&str] = &[
    "Ada", "Grace", "Linus", "Barbara", "Edsger", "Margaret", "Alan", "Frances", "Ken", "Radia",
];
const LAST: &[&str] = &[
    "Lovelace", "Hopper", "Torvalds", "Liskov", "Dijkstra", "Hamilton", "Turing", "Allen",
    "Thompson", "Perlman",
];
const CATEGORIES: &[&str] = &[
    "goals",
    "requirements",
    "tech_stack",
    "scalability",
    "security",
    "performance",
    "testing",
    "monitoring",
    "data_retention",
    "disaster_recovery",
];

/// A CSV text being written for `COPY ... (FORMAT csv)`: quoted text, unquoted NULLs.
#[derive(Default)]
struct Csv {
    out: String,
    first: bool,
    rows: usize,
}

impl Csv {
    fn row(&mut self) -> &mut Self {
        if self.rows > 0 {
            self.out.push('\n');
        }
        self.rows += 1;
        self.first = true;
        self
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    fn raw(&mut self, value: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let _ = write!(self.out, "{value}");
        self
    }

    fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        self.out.push('"');
        self.out.push_str(&value.replace('"', "\"\""));
        self.out.push('"');
        self
    }

    fn null(&mut self) -> &mut Self {
        self.sep();
        self
    }

    fn opt_raw(&mut self, value: Option<impl std::fmt::Display>) -> &mut Self {
        match value {
            Some(v) => self.raw(v),
            None => self.null(),
        }
    }

    fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    fn time(&mut self, at: DateTime<Utc>) -> &mut Self {
        self.raw(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    }

    fn opt_time(&mut self, at: Option<DateTime<Utc>>) -> &mut Self {
        self.opt_raw(at.map(|a| a.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)))
    }

    fn uuids(&mut self, ids: &[Uuid]) -> &mut Self {
        let list: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        self.text(&format!("{{{}}}", list.join(",")))
    }

    /// Rows written (fields may hold newlines, so lines are not rows).
    fn rows(&self) -> usize {
        self.rows
    }
}

struct Gen {
    rng: ChaCha8Rng,
    epoch: DateTime<Utc>,
}

impl Gen {
    /// A time within `days` of the epoch.
    fn time(&mut self, days: i64) -> DateTime<Utc> {
        self.epoch + Duration::seconds(self.rng.random_range(0..days.max(1) * 86_400))
    }

    /// A UUIDv7 carrying `at`, with generated random bits.
    fn id(&mut self, at: DateTime<Utc>) -> Uuid {
        let mut bytes = [0u8; 10];
        self.rng.fill(&mut bytes);
        uuid::Builder::from_unix_timestamp_millis(
            u64::try_from(at.timestamp_millis()).unwrap_or(0),
            &bytes,
        )
        .into_uuid()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    fn one(&mut self, items: &[&'static str]) -> &'static str {
        items[self.rng.random_range(0..items.len())]
    }

    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| *self.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
}

/// Loads `$csv` into `$table` on `$conn` (an `Option<&mut PgConnection>`:
/// `None` generates the rows without loading them); evaluates to the row count.
macro_rules! copy {
    ($conn:expr, $table:expr, ($($col:expr),+ $(,)?), $csv:expr) => {{
        if let Some(conn) = $conn {
            let data = $csv.out.clone();
            diesel::copy_from($table)
                .from_raw_data(($($col,)+), move |w| {
                    w.write_all(data.as_bytes()).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
                })
                .with_format(CopyFormat::Csv)
                .execute(conn)?;
        }
        $csv.rows()
    }};
}

fn generator(seed: u64) -> Gen {
    Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        epoch: Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default(),
    }
}

/// What of this seed the databases hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// All of it: its first user (whose id only this seed generates) and its
    /// counts of users and projects. Seeding is deterministic, so that is its
    /// fingerprint; no bookkeeping needed.
    All,
    /// Auth's part and nothing in specs: what a run killed between its two
    /// commits leaves.
    AuthOnly,
    /// Nothing: both databases are empty of users and projects.
    Nothing,
}

/// What of this seed the databases hold; databases holding anything else
/// (real data, another seed, a part of one) are refused.
fn found(dbs: &mut Dbs, options: SeedOptions) -> Result<Found, JobError> {
    let mut g = generator(options.seed);
    let at = g.time(60);
    let first = g.id(at);
    let n = i64::from(options.scale);
    let users: i64 = auth_db::schema::users::table
        .count()
        .get_result(&mut dbs.auth)?;
    let projects: i64 = specs_db::schema::projects::table
        .count()
        .get_result(&mut dbs.specs)?;
    let has_first: bool = diesel::select(diesel::dsl::exists(
        auth_db::schema::users::table.filter(auth_db::schema::users::id.eq(first)),
    ))
    .get_result(&mut dbs.auth)?;
    Ok(match (has_first && users == 40 * n, projects) {
        (true, p) if p == 15 * n => Found::All,
        (true, 0) => Found::AuthOnly,
        _ if users == 0 && projects == 0 => Found::Nothing,
        _ => {
            return Err(JobError::Invalid(format!(
                "seed needs empty databases, but auth has {users} users and specs has {projects} projects"
            )));
        }
    })
}

fn password_hash() -> Result<String, JobError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::from_b64("c29jcmF0ZXNzZWVkc2FsdA")
        .map_err(|e| JobError::Invalid(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(SEEDED_PASSWORD.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| JobError::Invalid(e.to_string()))
}

/// Seeds both (empty) databases; see the module documentation.
///
/// A run holds the [`SEED_JOB`] work lock in both databases. Runs started at
/// once therefore seed once: the first writes, the others wait for it, then
/// find this very seed in place and write nothing
/// ([`SeedReport::already_seeded`]). Databases holding other data (or another
/// seed) are refused.
pub fn seed(dbs: &mut Dbs, options: SeedOptions) -> Result<SeedReport, JobError> {
    if options.scale == 0 {
        return Err(JobError::Invalid("--scale must be at least 1".into()));
    }
    dbs.exclusive(SEED_JOB, options.lock_timeout, |dbs| {
        let write_auth = match found(dbs, options)? {
            Found::All => {
                return Ok(SeedReport {
                    already_seeded: true,
                    ..SeedReport::default()
                });
            }
            // A run killed between the two commits left auth seeded and specs
            // empty: the rest of this very seed is loaded, nothing else.
            Found::AuthOnly => false,
            Found::Nothing => true,
        };
        let Dbs { auth, specs, .. } = dbs;
        // One transaction per database, auth committing first: a run killed
        // at any point leaves nothing, or auth's part (see above), or all.
        specs.transaction(|specs| {
            auth.transaction(|auth| generate(auth, specs, options, write_auth))
        })
    })
}

/// Generates the seed and loads it (auth's part only when `write_auth`).
fn generate(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: SeedOptions,
    write_auth: bool,
) -> Result<SeedReport, JobError> {
    use std::io::Write as _;
    let mut g = generator(options.seed);
    let n = options.scale as usize;
    let hash = password_hash()?;
    let mut report = SeedReport::default();

    // --- auth: users, teams, members
    let mut users: Vec<(Uuid, DateTime<Utc>)> = Vec::new();
    let mut csv = Csv::default();
    for i in 0..40 * n {
        let at = g.time(60);
        let id = g.id(at);
        let (first, last) = (*g.pick(FIRST), *g.pick(LAST));
        let role = if i == 0 { "admin" } else { "user" };
        csv.row()
            .raw(id)
            .text(&format!("user{i}@seed.socrates.example"))
            .text(&hash)
            .text(first)
            .text(last)
            .text(role)
            .text("active")
            .raw(true)
            .time(at)
            .time(at);
        users.push((id, at));
    }
    {
        use auth_db::schema::users::dsl as u;
        let rows = copy!(
            write_auth.then_some(&mut *auth),
            u::users,
            (
                u::id,
                u::email,
                u::password_hash,
                u::first_name,
                u::last_name,
                u::role,
                u::status,
                u::is_verified,
                u::created_at,
                u::updated_at
            ),
            csv
        );
        report.tables.push(("users", rows));
    }
    // Teams are generated here and written once the projects shared with them are known.
    let mut teams: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    let mut team_rows: Vec<(String, String, Uuid, DateTime<Utc>)> = Vec::new();
    let mut member_csv = Csv::default();
    for t in 0..4 * n {
        let owner = g.pick(&users).0;
        let at = g.time(90);
        let id = g.id(at);
        let mut members = vec![owner];
        for _ in 0..g.rng.random_range(2..6) {
            let candidate = g.pick(&users).0;
            if !members.contains(&candidate) {
                members.push(candidate);
            }
        }
        for (k, member) in members.iter().enumerate() {
            let role = if k == 0 {
                "owner"
            } else {
                g.one(&["lead", "developer", "developer", "viewer"])
            };
            let member_id = g.id(at);
            member_csv
                .row()
                .raw(member_id)
                .raw(id)
                .raw(member)
                .text(role)
                .text("active")
                .time(at)
                .time(at)
                .time(at);
        }
        teams.push((id, members));
        team_rows.push((format!("Team {t} {}", g.words(1)), g.words(8), owner, at));
    }
    // project_count is filled in once shares are known; keep the rows to rewrite it.
    let mut team_projects: std::collections::HashMap<Uuid, usize> =
        std::collections::HashMap::new();

    // --- specs: projects, shares, sessions, messages, questions, specs, conflicts, documents, usage ...
    let mut projects: Vec<(Uuid, Uuid, DateTime<Utc>)> = Vec::new();
    let mut project_csv = Csv::default();
    let mut share_csv = Csv::default();
    for p in 0..15 * n {
        let owner = *g.pick(&users);
        let at = owner.1 + Duration::seconds(g.rng.random_range(0..86_400 * 30));
        let id = g.id(at);
        let phase = g.one(&[
            "discovery",
            "discovery",
            "analysis",
            "design",
            "implementation",
        ]);
        let status = g.one(&["active", "active", "active", "completed", "on_hold"]);
        project_csv
            .row()
            .raw(id)
            .raw(owner.0)
            .raw(owner.0)
            .text(&format!("Project {p}: {}", g.words(2)))
            .text(&g.words(20))
            .text(phase)
            .text(status)
            .time(at)
            .time(at);
        projects.push((id, owner.0, at));
        if g.chance(0.4) {
            let team = g.pick(&teams).0;
            *team_projects.entry(team).or_default() += 1;
            let level = g.one(&["read", "write", "admin"]);
            share_csv
                .row()
                .raw(g.id(at))
                .raw(id)
                .text("team")
                .null()
                .raw(team)
                .raw(owner.0)
                .text(level)
                .time(at)
                .time(at);
        }
        if g.chance(0.3) {
            let other = g.pick(&users).0;
            if other != owner.0 {
                share_csv
                    .row()
                    .raw(g.id(at))
                    .raw(id)
                    .text("user")
                    .raw(other)
                    .null()
                    .raw(owner.0)
                    .text("read")
                    .time(at)
                    .time(at);
            }
        }
    }
    {
        use auth_db::schema::team_members::dsl as m;
        use auth_db::schema::teams::dsl as t;
        let mut team_csv = Csv::default();
        for ((id, members), (name, description, owner, at)) in teams.iter().zip(&team_rows) {
            let shared = team_projects.get(id).copied().unwrap_or(0);
            team_csv
                .row()
                .raw(id)
                .text(name)
                .text(description)
                .raw(owner)
                .raw(members.len())
                .raw(shared)
                .time(*at)
                .time(*at);
        }
        let rows = copy!(
            write_auth.then_some(&mut *auth),
            t::teams,
            (
                t::id,
                t::name,
                t::description,
                t::owner_id,
                t::member_count,
                t::project_count,
                t::created_at,
                t::updated_at
            ),
            team_csv
        );
        report.tables.push(("teams", rows));
        let rows = copy!(
            write_auth.then_some(&mut *auth),
            m::team_members,
            (
                m::id,
                m::team_id,
                m::user_id,
                m::role,
                m::status,
                m::joined_at,
                m::created_at,
                m::updated_at
            ),
            member_csv
        );
        report.tables.push(("team_members", rows));
    }
    {
        use specs_db::schema::project_shares::dsl as s;
        use specs_db::schema::projects::dsl as p;
        let rows = copy!(
            Some(&mut *specs),
            p::projects,
            (
                p::id,
                p::owner_id,
                p::creator_id,
                p::name,
                p::description,
                p::current_phase,
                p::status,
                p::created_at,
                p::updated_at
            ),
            project_csv
        );
        report.tables.push(("projects", rows));
        let rows = copy!(
            Some(&mut *specs),
            s::project_shares,
            (
                s::id,
                s::project_id,
                s::access_type,
                s::shared_with_user_id,
                s::shared_with_team_id,
                s::shared_by_id,
                s::permission_level,
                s::created_at,
                s::updated_at
            ),
            share_csv
        );
        report.tables.push(("project_shares", rows));
    }

    let (mut session_csv, mut message_csv, mut question_csv, mut usage_csv) = (
        Csv::default(),
        Csv::default(),
        Csv::default(),
        Csv::default(),
    );
    let (mut spec_csv, mut conflict_csv, mut doc_csv, mut activity_csv) = (
        Csv::default(),
        Csv::default(),
        Csv::default(),
        Csv::default(),
    );
    for &(project, owner, created) in &projects {
        for _ in 0..g.rng.random_range(1..=5) {
            let start = created + Duration::seconds(g.rng.random_range(0..86_400 * 20));
            let session = g.id(start);
            let messages = g.rng.random_range(6..=20);
            let mut at = start;
            for m in 0..messages {
                at += Duration::seconds(g.rng.random_range(5..300));
                let (role, user) = if m % 2 == 0 {
                    ("user", Some(owner))
                } else {
                    ("assistant", None)
                };
                let kind = if m % 2 == 0 { "answer" } else { "question" };
                message_csv
                    .row()
                    .raw(g.id(at))
                    .raw(session)
                    .opt_raw(user)
                    .text(role)
                    .text(&g.words(12))
                    .text(kind)
                    .raw(g.rng.random_range(20..400))
                    .time(at);
                if m % 4 == 1 {
                    let (input, output) =
                        (g.rng.random_range(200..4000), g.rng.random_range(50..1200));
                    let provider = g.one(&["claude", "claude", "openai", "gemini"]);
                    let cost = f64::from(input) * 0.000_003 + f64::from(output) * 0.000_015;
                    usage_csv
                        .row()
                        .raw(g.id(at))
                        .raw(owner)
                        .raw(project)
                        .raw(session)
                        .text(provider)
                        .text(&format!("{provider}-model"))
                        .text("question_generation")
                        .raw(input)
                        .raw(output)
                        .raw(input + output)
                        .raw(format!("{cost:.6}"))
                        .raw(g.rng.random_range(200..5000))
                        .text("success")
                        .time(at);
                }
            }
            let ended = g.chance(0.7).then_some(at + Duration::seconds(60));
            let status = if ended.is_some() {
                "completed"
            } else {
                "active"
            };
            session_csv
                .row()
                .raw(session)
                .raw(project)
                .raw(owner)
                .text(&format!("Session on {}", g.words(2)))
                .text("socratic")
                .text(status)
                .raw(messages)
                .time(start)
                .opt_time(ended)
                .time(start)
                .time(start);
            for _ in 0..g.rng.random_range(2..=6) {
                let asked = start + Duration::seconds(g.rng.random_range(0..3600));
                let category = *g.pick(CATEGORIES);
                let status = g.one(&["pending", "answered", "answered", "skipped"]);
                let answer = (status == "answered").then(|| g.words(15));
                let template = format!("{category}.t{}", g.rng.random_range(0..3));
                let quality = (g.rng.random_range(30..=100) as f64) / 100.0;
                question_csv
                    .row()
                    .raw(g.id(asked))
                    .raw(project)
                    .raw(session)
                    .text(&format!("What about {}?", g.words(4)))
                    .text(category)
                    .text(g.one(&["low", "medium", "high"]))
                    .text(status)
                    .opt_text(answer.as_deref())
                    .raw(quality)
                    .text(&format!("{{\"template_id\":\"{template}\"}}"))
                    .time(asked)
                    .time(asked);
            }
        }
        let mut current_specs = Vec::new();
        for k in 0..g.rng.random_range(5..=12) {
            let category = *g.pick(CATEGORIES);
            let key = format!("{}_{k}", g.pick(WORDS));
            let versions = g.rng.random_range(1..=3);
            let mut at = created + Duration::seconds(g.rng.random_range(0..86_400 * 10));
            let ids: Vec<Uuid> = (0..versions)
                .map(|v| g.id(at + Duration::hours(v)))
                .collect();
            for v in 0..versions {
                let id = ids[v as usize];
                let current = v + 1 == versions;
                let next = (!current).then(|| ids[(v + 1) as usize]);
                let superseded_at = next.map(|_| at + Duration::hours(1));
                let metadata = if v == 0 {
                    "{}".to_owned()
                } else {
                    format!("{{\"supersedes\":\"{}\"}}", ids[(v - 1) as usize])
                };
                let confidence = g
                    .chance(0.7)
                    .then(|| (g.rng.random_range(50..=100) as f64) / 100.0);
                spec_csv
                    .row()
                    .raw(id)
                    .raw(project)
                    .null()
                    .text(category)
                    .text(&key)
                    .text(&g.words(10))
                    .text(g.one(&[
                        "functional",
                        "non_functional",
                        "security",
                        "performance",
                        "deployment",
                    ]))
                    .text(g.one(&["user_input", "extracted", "inferred"]))
                    .text(g.one(&["draft", "approved", "implemented", "deprecated"]))
                    .raw(v + 1)
                    .opt_raw(confidence)
                    .raw(current)
                    .opt_time(superseded_at)
                    .opt_raw(next)
                    .text(&metadata)
                    .time(at)
                    .time(at);
                if current {
                    current_specs.push(id);
                }
                at += Duration::hours(1);
            }
        }
        if current_specs.len() >= 2 && g.chance(0.5) {
            let at = created + Duration::days(12);
            let pair = [current_specs[0], current_specs[1]];
            conflict_csv
                .row()
                .raw(g.id(at))
                .raw(project)
                .text("Contradiction")
                .text(&g.words(12))
                .text(g.one(&["technology", "requirement", "timeline", "resource"]))
                .text(g.one(&["low", "medium", "high", "critical"]))
                .text("open")
                .uuids(&pair)
                .time(at)
                .time(at);
        }
        for d in 0..2 {
            let at = created + Duration::days(d + 1);
            let paragraphs: Vec<String> = (0..g.rng.random_range(3..=8))
                .map(|_| g.words(40))
                .collect();
            let body = format!("# {}\n\n{}", g.words(3), paragraphs.join("\n\n"));
            doc_csv
                .row()
                .raw(g.id(at))
                .raw(project)
                .raw(owner)
                .text(&format!("Notes {d}"))
                .text(&body)
                .text("notes")
                .raw(false)
                .text("processed")
                .raw(body.len())
                .time(at)
                .time(at);
        }
        for action in [
            "project.created",
            "specification.created",
            "session.completed",
        ] {
            let at = created + Duration::minutes(g.rng.random_range(1..10_000));
            activity_csv
                .row()
                .raw(g.id(at))
                .raw(owner)
                .raw(project)
                .text(action)
                .text("project")
                .raw(project)
                .text("project")
                .text("info")
                .time(at);
        }
    }
    for d in 0..n {
        let at = g.time(30);
        let body = format!(
            "# Guide {d}\n\n{}",
            (0..5).map(|_| g.words(40)).collect::<Vec<_>>().join("\n\n")
        );
        doc_csv
            .row()
            .raw(g.id(at))
            .null()
            .null()
            .text(&format!("Global guide {d}"))
            .text(&body)
            .text("guide")
            .raw(true)
            .text("processed")
            .raw(body.len())
            .time(at)
            .time(at);
    }
    let (mut sub_csv, mut invoice_csv, mut pref_csv) =
        (Csv::default(), Csv::default(), Csv::default());
    let mut invoice_number = 0;
    for &(user, joined) in &users {
        if g.chance(0.5) {
            let start = joined + Duration::days(1);
            let sub = g.id(start);
            let plan = g.one(&["free", "starter", "professional", "enterprise"]);
            let price = match plan {
                "free" => "0.00",
                "starter" => "9.00",
                "professional" => "49.00",
                _ => "499.00",
            };
            sub_csv
                .row()
                .raw(sub)
                .raw(user)
                .text(plan)
                .text("monthly")
                .text("active")
                .raw(price)
                .time(start)
                .time(start + Duration::days(30))
                .raw(true)
                .time(start)
                .time(start);
            for month in 0..g.rng.random_range(0..=3) {
                invoice_number += 1;
                let issued = start + Duration::days(30 * month);
                let status = if month == 0 {
                    "paid"
                } else {
                    g.one(&["paid", "sent", "overdue"])
                };
                let paid = (status == "paid").then_some(issued + Duration::days(3));
                invoice_csv
                    .row()
                    .raw(g.id(issued))
                    .raw(user)
                    .raw(sub)
                    .text(&format!("INV-{:06}", invoice_number))
                    .raw(price)
                    .text("USD")
                    .text(status)
                    .time(issued)
                    .time(issued + Duration::days(14))
                    .opt_time(paid)
                    .text(&format!("[{{\"plan\":\"{plan}\",\"amount\":\"{price}\"}}]"))
                    .time(issued)
                    .time(issued);
            }
        }
        for kind in ["conflict", "mention"] {
            if g.chance(0.6) {
                pref_csv
                    .row()
                    .raw(g.id(joined))
                    .raw(user)
                    .text(kind)
                    .raw(g.chance(0.8))
                    .text(g.one(&["immediate", "daily", "weekly"]))
                    .time(joined)
                    .time(joined);
            }
        }
    }
    {
        use specs_db::schema::{
            activity_logs::dsl as a, conflicts::dsl as c, conversation_history::dsl as m,
            invoices::dsl as i, knowledge_base_documents::dsl as d, llm_usage_tracking::dsl as l,
            notification_preferences::dsl as np, questions::dsl as q, sessions::dsl as s,
            specifications::dsl as sp, subscriptions::dsl as sb,
        };
        let conn = &mut *specs;
        let mut push = |table, rows| report.tables.push((table, rows));
        push(
            "sessions",
            copy!(
                Some(&mut *conn),
                s::sessions,
                (
                    s::id,
                    s::project_id,
                    s::user_id,
                    s::title,
                    s::mode,
                    s::status,
                    s::message_count,
                    s::started_at,
                    s::ended_at,
                    s::created_at,
                    s::updated_at
                ),
                session_csv
            ),
        );
        push(
            "conversation_history",
            copy!(
                Some(&mut *conn),
                m::conversation_history,
                (
                    m::id,
                    m::session_id,
                    m::user_id,
                    m::role,
                    m::content,
                    m::message_type,
                    m::tokens_used,
                    m::created_at
                ),
                message_csv
            ),
        );
        push(
            "questions",
            copy!(
                Some(&mut *conn),
                q::questions,
                (
                    q::id,
                    q::project_id,
                    q::session_id,
                    q::text,
                    q::category,
                    q::priority,
                    q::status,
                    q::answer,
                    q::quality_score,
                    q::metadata,
                    q::created_at,
                    q::updated_at
                ),
                question_csv
            ),
        );
        push(
            "specifications",
            copy!(
                Some(&mut *conn),
                sp::specifications,
                (
                    sp::id,
                    sp::project_id,
                    sp::session_id,
                    sp::category,
                    sp::key,
                    sp::value,
                    sp::spec_type,
                    sp::source,
                    sp::status,
                    sp::version,
                    sp::confidence,
                    sp::is_current,
                    sp::superseded_at,
                    sp::superseded_by,
                    sp::metadata,
                    sp::created_at,
                    sp::updated_at
                ),
                spec_csv
            ),
        );
        push(
            "conflicts",
            copy!(
                Some(&mut *conn),
                c::conflicts,
                (
                    c::id,
                    c::project_id,
                    c::title,
                    c::description,
                    c::conflict_type,
                    c::severity,
                    c::status,
                    c::spec_ids,
                    c::created_at,
                    c::updated_at
                ),
                conflict_csv
            ),
        );
        push(
            "knowledge_base_documents",
            copy!(
                Some(&mut *conn),
                d::knowledge_base_documents,
                (
                    d::id,
                    d::project_id,
                    d::user_id,
                    d::title,
                    d::content,
                    d::document_type,
                    d::is_approved,
                    d::status,
                    d::file_size,
                    d::created_at,
                    d::updated_at
                ),
                doc_csv
            ),
        );
        push(
            "llm_usage_tracking",
            copy!(
                Some(&mut *conn),
                l::llm_usage_tracking,
                (
                    l::id,
                    l::user_id,
                    l::project_id,
                    l::session_id,
                    l::provider,
                    l::model_name,
                    l::operation_type,
                    l::input_tokens,
                    l::output_tokens,
                    l::total_tokens,
                    l::cost_usd,
                    l::latency_ms,
                    l::status,
                    l::created_at
                ),
                usage_csv
            ),
        );
        push(
            "subscriptions",
            copy!(
                Some(&mut *conn),
                sb::subscriptions,
                (
                    sb::id,
                    sb::user_id,
                    sb::plan_name,
                    sb::plan_type,
                    sb::status,
                    sb::price_usd,
                    sb::billing_cycle_start,
                    sb::billing_cycle_end,
                    sb::auto_renew,
                    sb::created_at,
                    sb::updated_at
                ),
                sub_csv
            ),
        );
        push(
            "invoices",
            copy!(
                Some(&mut *conn),
                i::invoices,
                (
                    i::id,
                    i::user_id,
                    i::subscription_id,
                    i::invoice_number,
                    i::amount,
                    i::currency,
                    i::status,
                    i::issued_at,
                    i::due_at,
                    i::paid_at,
                    i::line_items,
                    i::created_at,
                    i::updated_at
                ),
                invoice_csv
            ),
        );
        push(
            "notification_preferences",
            copy!(
                Some(&mut *conn),
                np::notification_preferences,
                (
                    np::id,
                    np::user_id,
                    np::notification_type,
                    np::email_enabled,
                    np::frequency,
                    np::created_at,
                    np::updated_at
                ),
                pref_csv
            ),
        );
        push(
            "activity_logs",
            copy!(
                Some(&mut *conn),
                a::activity_logs,
                (
                    a::id,
                    a::user_id,
                    a::project_id,
                    a::action,
                    a::resource_type,
                    a::resource_id,
                    a::resource_name,
                    a::severity,
                    a::created_at
                ),
                activity_csv
            ),
        );
    }
    let _ = std::io::stdout().flush();
    Ok(report)
}
