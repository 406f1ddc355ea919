//! Which databases to talk to.
//!
//! Precedence, per database: the `--auth-url` / `--specs-url` flag, then the
//! `SOCRATES_AUTH_DATABASE_URL` / `SOCRATES_SPECS_DATABASE_URL` environment
//! variable, then the same key in a `.env` file (in the current directory or
//! an ancestor), then the local default `postgres://postgres@localhost:5432/<db>`
//! (`$PGPORT` changes the port). When a database falls through to the local
//! default and no server answers there, the private cluster is started (or
//! reused) and used instead, and we say so on stderr.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use db_core::DbUrl;
use db_core::migrate::MigrationSet;
use dev_cluster::{Cluster, ClusterStart, DefaultServer};

/// The longest `--lock-timeout`: PostgreSQL's `lock_timeout` takes at most
/// 2147483647 ms.
pub(crate) const MAX_LOCK_TIMEOUT_SECS: u64 = i32::MAX as u64 / 1000;

/// The parser of a `--batch-size`: 1 to 1,000,000 rows (a value out of range
/// is a usage error, never clamped).
pub(crate) fn batch_size() -> clap::builder::RangedI64ValueParser<i64> {
    clap::value_parser!(i64).range(1..=1_000_000)
}

/// The most `--max-batches` a run may be given.
pub(crate) const MAX_BATCHES: u64 = 1_000_000_000;

/// The parser of a count option (`--threads`, `--max-batches` ...): 1 to `max`.
pub(crate) fn count(max: u64) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(1..=max)
}

/// Connection options shared by every command.
#[derive(Debug, Clone, Args)]
pub(crate) struct DbArgs {
    /// URL of the auth database (default: $SOCRATES_AUTH_DATABASE_URL, .env, then postgres://postgres@localhost:5432/socrates_auth)
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) auth_url: Option<String>,
    /// URL of the specs database (default: $SOCRATES_SPECS_DATABASE_URL, .env, then postgres://postgres@localhost:5432/socrates_specs)
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) specs_url: Option<String>,
    /// Data directory of the private PostgreSQL cluster started when no server answers
    #[arg(long, global = true, value_name = "DIR", env = "SOCRATES_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Seconds to wait for another runner's lock (1 to 2147483: the most PostgreSQL's lock_timeout accepts)
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 300, allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..=MAX_LOCK_TIMEOUT_SECS))]
    pub(crate) lock_timeout: u64,
}

/// Which of the two databases a command acts on.
#[derive(Debug, Clone, Copy, Default, Args)]
pub(crate) struct Only {
    /// Act on the auth database only
    #[arg(long, conflicts_with = "specs_only")]
    pub(crate) auth_only: bool,
    /// Act on the specs database only
    #[arg(long)]
    pub(crate) specs_only: bool,
}

impl Only {
    /// The sets selected, auth first.
    pub(crate) fn sets(self) -> Vec<&'static MigrationSet> {
        let mut sets = Vec::new();
        if !self.specs_only {
            sets.push(&auth_db::MIGRATION_SET);
        }
        if !self.auth_only {
            sets.push(&specs_db::MIGRATION_SET);
        }
        sets
    }

    /// True when exactly one database is selected.
    pub(crate) fn is_single(self) -> bool {
        self.auth_only || self.specs_only
    }
}

/// Where a URL came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A command-line flag.
    Flag,
    /// The environment variable of that name.
    Env(&'static str),
    /// A `.env` file.
    DotEnv(PathBuf),
    /// The local default server.
    LocalDefault,
    /// The private cluster.
    Embedded,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag => f.write_str("command line"),
            Self::Env(var) => write!(f, "${var}"),
            Self::DotEnv(path) => write!(f, "{}", path.display()),
            Self::LocalDefault => f.write_str("local default"),
            Self::Embedded => f.write_str("private cluster"),
        }
    }
}

/// A database to act on.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Its migration set.
    pub(crate) set: &'static MigrationSet,
    /// Its URL.
    pub(crate) url: DbUrl,
    /// Where the URL came from.
    pub(crate) source: Source,
}

impl DbArgs {
    fn flag(&self, set: &MigrationSet) -> Option<&String> {
        if set.name == "auth" {
            self.auth_url.as_ref()
        } else {
            self.specs_url.as_ref()
        }
    }

    /// The cluster directory in effect.
    pub(crate) fn cluster_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(Cluster::default_dir)
    }

    /// Resolves the URLs of `sets`, starting the private cluster if a default is needed and nothing answers.
    pub(crate) fn targets(&self, sets: &[&'static MigrationSet]) -> Result<Vec<Target>> {
        let dotenv = read_dotenv()?;
        let mut targets = Vec::new();
        let mut server: Option<DefaultServer> = None;
        for &set in sets {
            let var = env_var(set);
            let (url, source) = if let Some(url) = self.flag(set) {
                (url.clone(), Source::Flag)
            } else if let Ok(url) = std::env::var(var) {
                (url, Source::Env(var))
            } else if let Some((url, path)) = dotenv.get(var) {
                (url.clone(), Source::DotEnv(path.clone()))
            } else {
                let server = match &mut server {
                    Some(s) => s,
                    None => server.insert(resolve_default(&self.cluster_dir())?),
                };
                let source = match server {
                    DefaultServer::Local => Source::LocalDefault,
                    DefaultServer::Embedded { .. } => Source::Embedded,
                };
                (server.url(set.default_database).as_str().to_owned(), source)
            };
            let url = DbUrl::parse(&url)
                .with_context(|| format!("{} database URL (from {source})", set.name))?;
            targets.push(Target { set, url, source });
        }
        Ok(targets)
    }
}

fn env_var(set: &MigrationSet) -> &'static str {
    if set.name == "auth" {
        "SOCRATES_AUTH_DATABASE_URL"
    } else {
        "SOCRATES_SPECS_DATABASE_URL"
    }
}

/// The local default, or the private cluster (announced on stderr).
fn resolve_default(dir: &std::path::Path) -> Result<DefaultServer> {
    let server = DefaultServer::resolve(dir).context("starting the private PostgreSQL cluster")?;
    if let DefaultServer::Embedded { cluster, start } = &server {
        let what = match start {
            ClusterStart::Created => "created and started",
            ClusterStart::Started => "started",
            ClusterStart::AlreadyRunning => "reusing the running",
        };
        eprintln!(
            "socrates-db: nothing is configured and no server answers at {}; {what} private PostgreSQL cluster in {} (127.0.0.1:{})",
            dev_cluster::local_default("postgres").redacted(),
            cluster.dir().display(),
            cluster.port()
        );
    }
    Ok(server)
}

/// The SOCRATES_* keys of the nearest `.env`, without touching the process environment.
fn read_dotenv() -> Result<BTreeMap<&'static str, (String, PathBuf)>> {
    let mut found = BTreeMap::new();
    let Some(path) = find_dotenv() else {
        return Ok(found);
    };
    for item in
        dotenvy::from_path_iter(&path).with_context(|| format!("reading {}", path.display()))?
    {
        let (key, value) = item.with_context(|| format!("parsing {}", path.display()))?;
        for var in ["SOCRATES_AUTH_DATABASE_URL", "SOCRATES_SPECS_DATABASE_URL"] {
            if key == var {
                found.insert(var, (value.clone(), path.clone()));
            }
        }
    }
    Ok(found)
}

/// The first `.env` in the current directory or its ancestors.
fn find_dotenv() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|d| d.join(".env"))
        .find(|p| p.is_file())
}
