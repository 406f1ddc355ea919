//! Synthetic data across both databases: `socrates-db seed --scale N [--seed S]`.
//!
//! A fixture, not a job: it fills empty databases for development, tests and
//! benchmarks. Realistic in shape (users in teams, projects shared with teams
//! and users, sessions of alternating messages, questions from templates,
//! specifications with superseded versions, conflicts, documents, LLM usage,
//! billing, activity) and referentially sound: every cross-database id names a
//! seeded user or team, and every cached counter matches what it counts.
//! Deterministic: ids and times come from a ChaCha8 generator seeded with
//! `--seed` and a fixed epoch, so the same seed gives the same content. One
//! generator per aggregate (users, teams, projects and their shares, the content
//! of each project, the billing of each user) draws from it in a fixed order;
//! each table is loaded with one `COPY ... (FORMAT csv)`. What the backfills
//! compute (maturity, chunks, embeddings, question effectiveness, analytics)
//! is left for them.
//!
//! Seeding refuses databases that already hold users or projects: it never
//! mixes with real data. Each database is loaded in one transaction, auth's
//! committing first, so a run killed at any point leaves nothing, auth's part
//! only (which the next run of the same seed completes), or everything (which
//! the next run of the same seed recognises and leaves alone).

mod billing;
mod content;
mod csv;
mod generator;
mod projects;
mod teams;
mod users;

use diesel::prelude::*;
use serde::Serialize;

use generator::Gen;

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

/// The password of every seeded user.
pub const SEEDED_PASSWORD: &str = "seeded-password";

/// Rows written, per table.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SeedReport {
    /// (table, rows), in load order.
    pub tables: Vec<(&'static str, usize)>,
    /// The databases already held this very seed (same scale and seed, from an
    /// earlier or a concurrent run): nothing was written.
    pub already_seeded: bool,
}

/// Seeding was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Bad options, or databases that hold other data.
    #[error("{0}")]
    Invalid(String),
    /// Another run holds the seed.
    #[error(transparent)]
    Busy(#[from] db_core::WorkLockError),
    /// A database error.
    #[error(transparent)]
    Db(#[from] db_core::DbError),
}

db_core::from_diesel_error!(SeedError);

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
fn found(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: SeedOptions,
) -> Result<Found, SeedError> {
    let mut g = Gen::new(options.seed);
    let at = g.time(60);
    let first = g.id(at);
    let n = i64::from(options.scale);
    let users: i64 = auth_db::schema::users::table.count().get_result(auth)?;
    let projects: i64 = specs_db::schema::projects::table
        .count()
        .get_result(specs)?;
    let has_first: bool = diesel::select(diesel::dsl::exists(
        auth_db::schema::users::table.filter(auth_db::schema::users::id.eq(first)),
    ))
    .get_result(auth)?;
    Ok(match (has_first && users == 40 * n, projects) {
        (true, p) if p == 15 * n => Found::All,
        (true, 0) => Found::AuthOnly,
        _ if users == 0 && projects == 0 => Found::Nothing,
        _ => {
            return Err(SeedError::Invalid(format!(
                "seed needs empty databases, but auth has {users} users and specs has {projects} projects"
            )));
        }
    })
}

/// The Argon2id hash of [`SEEDED_PASSWORD`], with a fixed salt (deterministic).
fn password_hash() -> Result<String, SeedError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::from_b64("c29jcmF0ZXNzZWVkc2FsdA")
        .map_err(|e| SeedError::Invalid(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(SEEDED_PASSWORD.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| SeedError::Invalid(e.to_string()))
}

/// Seeds both (empty) databases; see the crate documentation.
///
/// A run is one transaction per database, and takes the [`SEED_JOB`] work
/// lock inside each (auth's first), so it holds no session state and works
/// behind a transaction pooler. Runs started at once therefore seed once: the
/// first writes, the others wait for it, then find this very seed in place
/// and write nothing ([`SeedReport::already_seeded`]). Databases holding other
/// data (or another seed) are refused.
#[tracing::instrument(level = "debug", skip_all)]
pub fn seed(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: SeedOptions,
) -> Result<SeedReport, SeedError> {
    if options.scale == 0 {
        return Err(SeedError::Invalid("--scale must be at least 1".into()));
    }
    // One transaction per database, auth committing first: a run killed at
    // any point leaves nothing, or auth's part (see below), or all. The locks
    // last until the commits, so a waiting run sees what this one committed.
    specs.transaction(|specs| {
        auth.transaction(|auth| {
            use db_core::work_lock::acquire_xact;
            acquire_xact(auth, SEED_JOB, options.lock_timeout)?;
            acquire_xact(specs, SEED_JOB, options.lock_timeout)?;
            let write_auth = match found(auth, specs, options)? {
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
            generate(auth, specs, options, write_auth)
        })
    })
}

/// Generates the seed and loads it (auth's part only when `write_auth`).
fn generate(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: SeedOptions,
    write_auth: bool,
) -> Result<SeedReport, SeedError> {
    let mut g = Gen::new(options.seed);
    let n = options.scale as usize;
    let hash = password_hash()?;
    let mut report = SeedReport::default();
    let mut auth = write_auth.then_some(auth);

    let users = users::generate(&mut g, 40 * n, &hash);
    report
        .tables
        .push(("users", users::load(auth.as_deref_mut(), &users)?));
    let teams = teams::generate(&mut g, 4 * n, &users.list);
    let projects = projects::generate(&mut g, 15 * n, &users.list, &teams.list);
    report
        .tables
        .extend(teams::load(auth, &teams, &projects.per_team)?);
    report.tables.extend(projects::load(specs, &projects)?);

    let mut content = content::Content::default();
    for &project in &projects.list {
        content.project(&mut g, project);
    }
    content.guides(&mut g, n);
    let mut billing = billing::Billing::default();
    for &user in &users.list {
        billing.user(&mut g, user);
    }
    let mut loaded = content.load(specs)?;
    // Reported in the order of the tables' groups: activity last.
    let activity = loaded.pop();
    report.tables.extend(loaded);
    report.tables.extend(billing.load(specs)?);
    report.tables.extend(activity);
    Ok(report)
}
