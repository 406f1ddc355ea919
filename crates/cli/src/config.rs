//! Which databases to talk to.
//!
//! Precedence, per database: the `--auth-url` / `--specs-url` flag, then the
//! `SOCRATES_AUTH_DATABASE_URL` / `SOCRATES_SPECS_DATABASE_URL` environment
//! variable, then the same key in a `.env` file (in the current directory or
//! an ancestor), then the local default `postgres://postgres@localhost:5432/<db>`
//! (`$PGPORT` changes the port). When a database falls through to the local
//! default and no server answers there, the private cluster is started (or
//! reused) and used instead, and we say so on stderr.
//!
//! Behind a transaction pooler (PgBouncer's `pool_mode = transaction`), a URL
//! says so with `?pool_mode=transaction` (or `SOCRATES_POOL_MODE`); a URL that
//! says nothing is probed ([`db_core::pooler::probe`]). Commands that need a
//! session for their whole run (the migration runner: `setup`, `migrate`,
//! `rollback`, `redo`, `acknowledge`) then use the direct URL
//! (`--auth-direct-url` / `$SOCRATES_AUTH_DIRECT_DATABASE_URL`, and the
//! same for specs), and refuse to run without one. Read replicas
//! (`--auth-replica-url` / `$SOCRATES_AUTH_REPLICA_URLS`, comma-separated)
//! serve the reads that tolerate lag (`check-refs`'s scan).

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
    /// Direct URL of the auth database when --auth-url reaches a transaction pooler (default: $SOCRATES_AUTH_DIRECT_DATABASE_URL, .env); needed by setup, migrate, rollback, redo and acknowledge
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) auth_direct_url: Option<String>,
    /// Direct URL of the specs database when --specs-url reaches a transaction pooler (default: $SOCRATES_SPECS_DIRECT_DATABASE_URL, .env)
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) specs_direct_url: Option<String>,
    /// URL of a read replica of the auth database, for reads that tolerate lag (repeatable; default: $SOCRATES_AUTH_REPLICA_URLS, comma-separated)
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) auth_replica_url: Vec<String>,
    /// URL of a read replica of the specs database (repeatable; default: $SOCRATES_SPECS_REPLICA_URLS, comma-separated)
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) specs_replica_url: Vec<String>,
    /// Skip a replica further behind its primary than this many milliseconds of replay
    #[arg(long, global = true, value_name = "MS", default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(0..=86_400_000))]
    pub(crate) replica_max_lag_ms: u64,
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
    /// The server's direct URL, when `url` reaches a transaction pooler.
    pub(crate) direct: Option<(DbUrl, Source)>,
    /// Read replicas, for reads that tolerate lag.
    pub(crate) replicas: Vec<DbUrl>,
    /// What the probe saw when it found `url` to reach a transaction pooler.
    pub(crate) found_pooler: Option<db_core::pooler::Probed>,
}

impl Target {
    /// The URL to run `what` on when it needs a server session for its whole
    /// run: the direct URL if one is given, else `url` unless it reaches a
    /// transaction pooler (declared, or found by the probe).
    pub(crate) fn session_url(&self, what: &str) -> Result<&DbUrl> {
        if let Some((direct, _)) = &self.direct {
            return Ok(direct);
        }
        if self.url.pool_mode() == db_core::PoolMode::Session {
            return Ok(&self.url);
        }
        let (flag, var) = direct_names(self.set);
        let direct = format!("--{flag} or ${var}");
        Err(
            db_core::pooler::SessionError::refusing(&self.url, what, &direct, self.found_pooler)
                .into(),
        )
    }
}

/// The flag and variable that give a set's direct URL.
fn direct_names(set: &MigrationSet) -> (&'static str, &'static str) {
    if set.name == "auth" {
        ("auth-direct-url", "SOCRATES_AUTH_DIRECT_DATABASE_URL")
    } else {
        ("specs-direct-url", "SOCRATES_SPECS_DIRECT_DATABASE_URL")
    }
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
        if let Err(err) = db_core::PoolMode::from_env() {
            anyhow::bail!("{err}");
        }
        let dotenv = read_dotenv()?;
        let mut targets = Vec::new();
        let mut server: Option<DefaultServer> = None;
        for &set in sets {
            let (url, source) = if let Some(given) = given(self.flag(set), env_var(set), &dotenv) {
                given
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
            let mut url = DbUrl::parse(&url)
                .with_context(|| format!("{} database URL (from {source})", set.name))?;
            // A URL of ours (local default, private cluster) is a server; one
            // given that says nothing of a pooler is probed.
            let mut found_pooler = None;
            if matches!(source, Source::Flag | Source::Env(_) | Source::DotEnv(_))
                && url.declared_pool_mode().is_none()
                && let Ok(probed) = db_core::pooler::probe(&url)
                && probed.is_pooler()
            {
                found_pooler = Some(probed);
                url = url.with_pool_mode(db_core::PoolMode::Transaction);
            }
            let (flag, var) = direct_names(set);
            let direct = given(self.direct_flag(set), var, &dotenv)
                .map(|(text, source)| {
                    DbUrl::parse(&text)
                        .map(|url| {
                            (
                                url.with_pool_mode(db_core::PoolMode::Session),
                                source.clone(),
                            )
                        })
                        .with_context(|| {
                            format!("{} direct URL (--{flag}, from {source})", set.name)
                        })
                })
                .transpose()?;
            let replicas = self.replica_urls(set)?;
            targets.push(Target {
                set,
                url,
                source,
                direct,
                replicas,
                found_pooler,
            });
        }
        Ok(targets)
    }

    fn direct_flag(&self, set: &MigrationSet) -> Option<&String> {
        if set.name == "auth" {
            self.auth_direct_url.as_ref()
        } else {
            self.specs_direct_url.as_ref()
        }
    }

    /// The replicas of `set`: the flags, else the environment's comma-separated list.
    fn replica_urls(&self, set: &MigrationSet) -> Result<Vec<DbUrl>> {
        let (flags, var) = if set.name == "auth" {
            (&self.auth_replica_url, "SOCRATES_AUTH_REPLICA_URLS")
        } else {
            (&self.specs_replica_url, "SOCRATES_SPECS_REPLICA_URLS")
        };
        let texts: Vec<String> = if flags.is_empty() {
            std::env::var(var)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        } else {
            flags.clone()
        };
        texts
            .iter()
            .map(|t| DbUrl::parse(t).with_context(|| format!("{} replica URL", set.name)))
            .collect()
    }

    /// How far behind its primary a replica may be and still be read.
    pub(crate) fn replica_max_lag(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.replica_max_lag_ms)
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

/// The SOCRATES_* keys of a `.env`, with the file's path.
type DotEnv = BTreeMap<&'static str, (String, PathBuf)>;

/// A URL given by `flag`, else by the variable `var`, else by the same key in
/// `.env`, with where it came from.
fn given(flag: Option<&String>, var: &'static str, dotenv: &DotEnv) -> Option<(String, Source)> {
    if let Some(url) = flag {
        Some((url.clone(), Source::Flag))
    } else if let Ok(url) = std::env::var(var) {
        Some((url, Source::Env(var)))
    } else {
        dotenv
            .get(var)
            .map(|(url, path)| (url.clone(), Source::DotEnv(path.clone())))
    }
}

/// The SOCRATES_* keys of the nearest `.env`, without touching the process environment.
fn read_dotenv() -> Result<DotEnv> {
    let mut found = BTreeMap::new();
    let Some(path) = find_dotenv() else {
        return Ok(found);
    };
    for item in
        dotenvy::from_path_iter(&path).with_context(|| format!("reading {}", path.display()))?
    {
        let (key, value) = item.with_context(|| format!("parsing {}", path.display()))?;
        for var in [
            "SOCRATES_AUTH_DATABASE_URL",
            "SOCRATES_SPECS_DATABASE_URL",
            "SOCRATES_AUTH_DIRECT_DATABASE_URL",
            "SOCRATES_SPECS_DIRECT_DATABASE_URL",
        ] {
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
