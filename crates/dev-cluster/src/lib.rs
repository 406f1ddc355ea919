//! A private PostgreSQL cluster, for machines where no server answers.
//!
//! When nothing is configured and nothing listens at the local default, the CLI
//! and the test harness start a cluster of their own from the PostgreSQL
//! binaries installed on the machine (`initdb`, `pg_ctl`), in a data directory
//! of ours, on a port of its own; later runs find it and reuse it. It listens
//! on 127.0.0.1 only and trusts local connections: a development convenience,
//! not a production server.
//!
//! PostgreSQL refuses to run as root; when we are root the server runs as the
//! `postgres` system user, which must be able to reach the data directory.

use std::fs::{self, OpenOptions};
use std::io;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use db_core::DbUrl;

/// Starting or finding the private cluster failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// No `initdb`/`pg_ctl` could be found.
    #[error(
        "no PostgreSQL server binaries found (looked at $SOCRATES_PG_BIN, `pg_config --bindir`, \
         /usr/lib/postgresql/*/bin and PATH); install the PostgreSQL server package"
    )]
    NoBinaries,
    /// We are root and there is no unprivileged user to run the server as.
    #[error("PostgreSQL cannot run as root and there is no `postgres` system user to run it as")]
    NoUnprivilegedUser,
    /// The server user cannot reach the data directory.
    #[error(
        "the `postgres` user cannot reach {0}: make every parent directory traversable (chmod o+x) or choose another --data-dir"
    )]
    Unreachable(PathBuf),
    /// A file operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What we were doing.
        action: &'static str,
        /// On what.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
    /// `initdb` or `pg_ctl` failed.
    #[error("{program} failed ({status}): {detail}")]
    Command {
        /// The program.
        program: String,
        /// Its exit status.
        status: String,
        /// The last lines it printed.
        detail: String,
    },
    /// The state file is unreadable.
    #[error("corrupt cluster state {path}: {source}")]
    State {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> ClusterError + 'a {
    move |source| ClusterError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// What `ensure` had to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterStart {
    /// A new cluster was initialised and started.
    Created,
    /// An existing cluster was started.
    Started,
    /// The cluster was already running.
    AlreadyRunning,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    port: u16,
    bin_dir: PathBuf,
}

/// A private cluster living in a data directory of ours.
#[derive(Debug, Clone)]
pub struct Cluster {
    dir: PathBuf,
    state: State,
}

/// The user the server runs as, when we are root.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

fn run_as() -> Result<Option<RunAs>, ClusterError> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    match nix::unistd::User::from_name("postgres") {
        Ok(Some(user)) => Ok(Some(RunAs {
            uid: user.uid.as_raw(),
            gid: user.gid.as_raw(),
        })),
        _ => Err(ClusterError::NoUnprivilegedUser),
    }
}

impl Cluster {
    /// The data directory used when none is given: `$SOCRATES_DATA_DIR`, else
    /// `/var/lib/socrates-db` for root (the server user must reach it), else
    /// `$XDG_DATA_HOME/socrates-db` or `~/.local/share/socrates-db`.
    pub fn default_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("SOCRATES_DATA_DIR") {
            return PathBuf::from(dir);
        }
        if nix::unistd::geteuid().is_root() {
            return PathBuf::from("/var/lib/socrates-db");
        }
        if let Some(xdg) = std::env::var_os("XDG_DATA_HOME") {
            return PathBuf::from(xdg).join("socrates-db");
        }
        let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
        home.join(".local/share/socrates-db")
    }

    fn pgdata(&self) -> PathBuf {
        self.dir.join("pgdata")
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The TCP port the cluster listens on (127.0.0.1 only).
    pub fn port(&self) -> u16 {
        self.state.port
    }

    /// URL of `database` on this cluster.
    pub fn url(&self, database: &str) -> DbUrl {
        // Cannot fail: the URL is well-formed and names a database.
        DbUrl::parse(&format!(
            "postgres://postgres@127.0.0.1:{}/{database}",
            self.state.port
        ))
        .unwrap_or_else(|_| unreachable!("cluster URLs are well-formed"))
    }

    /// The cluster in `dir`, if one was created there.
    pub fn open(dir: &Path) -> Result<Option<Self>, ClusterError> {
        let path = dir.join("cluster.json");
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err("reading", &path)(e)),
        };
        let state: State =
            serde_json::from_str(&text).map_err(|source| ClusterError::State { path, source })?;
        let cluster = Self {
            dir: dir.to_owned(),
            state,
        };
        Ok(cluster
            .pgdata()
            .join("PG_VERSION")
            .exists()
            .then_some(cluster))
    }

    /// Finds the cluster in `dir` and makes sure it runs, creating it if needed.
    ///
    /// Concurrent callers on the same directory serialize on a file lock.
    pub fn ensure(dir: &Path) -> Result<(Self, ClusterStart), ClusterError> {
        fs::create_dir_all(dir).map_err(io_err("creating", dir))?;
        let dir = dir.canonicalize().map_err(io_err("resolving", dir))?;
        let lock_path = dir.join(".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err("opening", &lock_path))?;
        lock.lock().map_err(io_err("locking", &lock_path))?;
        let result = Self::ensure_locked(&dir);
        drop(lock);
        result
    }

    fn ensure_locked(dir: &Path) -> Result<(Self, ClusterStart), ClusterError> {
        let user = run_as()?;
        let (cluster, created) = match Self::open(dir)? {
            Some(cluster) => (cluster, false),
            None => (Self::init(dir, user)?, true),
        };
        if cluster.is_running() {
            return Ok((cluster, ClusterStart::AlreadyRunning));
        }
        cluster.start()?;
        Ok((
            cluster,
            if created {
                ClusterStart::Created
            } else {
                ClusterStart::Started
            },
        ))
    }

    fn init(dir: &Path, user: Option<RunAs>) -> Result<Self, ClusterError> {
        let bin_dir = find_binaries().ok_or(ClusterError::NoBinaries)?;
        if let Some(user) = user {
            check_reachable(dir)?;
            nix::unistd::chown(
                dir,
                Some(nix::unistd::Uid::from_raw(user.uid)),
                Some(nix::unistd::Gid::from_raw(user.gid)),
            )
            .map_err(|e| io_err("chown", dir)(e.into()))?;
        }
        let pgdata = dir.join("pgdata");
        if pgdata.exists() {
            // A previous initdb died half-way; nothing in it is worth keeping.
            fs::remove_dir_all(&pgdata).map_err(io_err("removing", &pgdata))?;
        }
        let mut initdb = Command::new(bin_dir.join("initdb"));
        initdb.arg("-D").arg(&pgdata).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-instructions",
        ]);
        if let Some(user) = user {
            initdb.uid(user.uid).gid(user.gid);
        }
        run(&mut initdb)?;
        let port = free_port().map_err(io_err("choosing a port for", dir))?;
        let cluster = Self {
            dir: dir.to_owned(),
            state: State { port, bin_dir },
        };
        cluster.write_config()?;
        Ok(cluster)
    }

    fn write_config(&self) -> Result<(), ClusterError> {
        let conf = self.pgdata().join("postgresql.auto.conf");
        let settings = format!(
            "# Written by socrates-db: a private development cluster.\n\
             listen_addresses = '127.0.0.1'\n\
             port = {}\n\
             unix_socket_directories = ''\n\
             max_connections = 200\n\
             synchronous_commit = off\n",
            self.state.port
        );
        fs::write(&conf, settings).map_err(io_err("writing", &conf))?;
        let state_path = self.dir.join("cluster.json");
        let json =
            serde_json::to_string_pretty(&self.state).map_err(|source| ClusterError::State {
                path: state_path.clone(),
                source,
            })?;
        fs::write(&state_path, json).map_err(io_err("writing", &state_path))
    }

    /// A `pg_ctl <action> -D <pgdata>` command, run as the server user when we are root
    /// (`pg_ctl` refuses root for every action, `status` included).
    fn pg_ctl(&self, action: &str) -> Result<Command, ClusterError> {
        let mut command = Command::new(self.state.bin_dir.join("pg_ctl"));
        command.arg(action).arg("-D").arg(self.pgdata());
        if let Some(user) = run_as()? {
            command.uid(user.uid).gid(user.gid);
        }
        Ok(command)
    }

    /// Whether the cluster's server is running (`pg_ctl status`).
    pub fn is_running(&self) -> bool {
        self.pg_ctl("status").is_ok_and(|mut c| {
            c.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
    }

    fn start(&self) -> Result<(), ClusterError> {
        let mut pg_ctl = self.pg_ctl("start")?;
        pg_ctl
            .arg("-l")
            .arg(self.dir.join("postgres.log"))
            .args(["-w", "-t", "60"]);
        run(&mut pg_ctl)
    }

    /// Stops the server (fast shutdown); a stopped cluster is left as it is.
    pub fn stop(&self) -> Result<(), ClusterError> {
        if !self.is_running() {
            return Ok(());
        }
        let mut pg_ctl = self.pg_ctl("stop")?;
        pg_ctl.args(["-m", "fast", "-w", "-t", "60"]);
        run(&mut pg_ctl)
    }
}

/// Runs a PostgreSQL program, turning a failure into its last lines of output.
fn run(command: &mut Command) -> Result<(), ClusterError> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = command.get_program().to_string_lossy().into_owned();
    let output: Output = command.output().map_err(|source| ClusterError::Io {
        action: "running",
        path: PathBuf::from(&program),
        source,
    })?;
    if output.status.success() {
        return Ok(());
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let detail: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    Err(ClusterError::Command {
        program,
        status: output.status.to_string(),
        detail: detail[detail.len().saturating_sub(3)..].join(" | "),
    })
}

/// Every ancestor of `dir` must be traversable by others for the server user.
fn check_reachable(dir: &Path) -> Result<(), ClusterError> {
    for ancestor in dir.ancestors().skip(1) {
        let mode = fs::metadata(ancestor)
            .map_err(io_err("inspecting", ancestor))?
            .permissions()
            .mode();
        if mode & 0o001 == 0 {
            return Err(ClusterError::Unreachable(dir.to_owned()));
        }
    }
    Ok(())
}

fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Where `initdb` and `pg_ctl` live.
fn find_binaries() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("SOCRATES_PG_BIN").map(PathBuf::from) {
        return has_tools(&dir).then_some(dir);
    }
    if let Ok(out) = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_tools(&dir) {
            return Some(dir);
        }
    }
    let mut versioned: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versioned.sort();
    if let Some((_, dir)) = versioned.pop() {
        return Some(dir);
    }
    std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).find(|d| has_tools(d)))
}

/// The local default server: `postgres@localhost`, port `$PGPORT` or 5432.
pub fn local_default(database: &str) -> DbUrl {
    let port = std::env::var("PGPORT")
        .ok()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(5432);
    DbUrl::parse(&format!("postgres://postgres@localhost:{port}/{database}"))
        .unwrap_or_else(|_| unreachable!("the default URL is well-formed"))
}

/// Where the databases live when nothing is configured.
#[derive(Debug, Clone)]
pub enum DefaultServer {
    /// A server answers at the local default.
    Local,
    /// Nothing answered; the private cluster is used.
    Embedded {
        /// The cluster.
        cluster: Cluster,
        /// What had to be done to get it running.
        start: ClusterStart,
    },
}

impl DefaultServer {
    /// The local default if a server answers there, else the private cluster in `dir`.
    pub fn resolve(dir: &Path) -> Result<Self, ClusterError> {
        if local_default("postgres").server_answers(Duration::from_secs(2)) {
            return Ok(Self::Local);
        }
        let (cluster, start) = Cluster::ensure(dir)?;
        Ok(Self::Embedded { cluster, start })
    }

    /// URL of `database` on this server.
    pub fn url(&self, database: &str) -> DbUrl {
        match self {
            Self::Local => local_default(database),
            Self::Embedded { cluster, .. } => cluster.url(database),
        }
    }
}
