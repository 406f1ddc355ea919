//! pgbench, the limit of the hot paths: the statements the crates sent, as a
//! pgbench script, run with as many clients, timed from its per-transaction log.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

use crate::hot_paths::{Opts, Stats};

/// `sql` with `$1`, `$2`, ... replaced by `params` (highest first, so `$1` never eats `$10`).
pub(crate) fn substitute(sql: &str, params: &[&str]) -> Result<String> {
    let highest = (1..=99)
        .rev()
        .find(|n| sql.contains(&format!("${n}")))
        .unwrap_or(0);
    ensure!(
        highest == params.len(),
        "the statement has {highest} parameters, {} given: {sql}",
        params.len()
    );
    let mut out = sql.to_owned();
    for (i, p) in params.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), p);
    }
    Ok(out)
}

/// The pgbench program.
pub(crate) fn pgbench_program(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_owned());
    }
    if Command::new("pgbench")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(PathBuf::from("pgbench"));
    }
    let out = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .context("pgbench is not on PATH and pg_config is missing")?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("pgbench");
    ensure!(
        path.exists(),
        "pgbench not found (looked on PATH and in {})",
        path.display()
    );
    Ok(path)
}

/// How pgbench talks to the server: `-M prepared` directly, `-M extended`
/// (unnamed statements) through a transaction pooler.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clients {
    pub(crate) count: usize,
    pub(crate) protocol: &'static str,
}

/// Runs one pgbench script for `seconds` and reads its per-transaction log.
pub(crate) fn pgbench(
    program: &Path,
    url: &str,
    opts: &Opts,
    clients: Clients,
    name: &str,
    script: &str,
    sessions: usize,
) -> Result<Stats> {
    let dir = std::env::temp_dir().join(format!("socrates-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("script.sql");
    std::fs::write(&file, script)?;
    let jobs = clients.count.clamp(
        1,
        std::thread::available_parallelism().map_or(2, usize::from),
    );
    // The helper tables are found through the database's search_path (set by
    // the load), which also holds through a pooler that ignores PGOPTIONS.
    let out = Command::new(program)
        .args(["-n", "-M", clients.protocol, "-l"])
        .arg(format!("--log-prefix={}", dir.join("log").display()))
        .arg(format!("--client={}", clients.count))
        .arg(format!("--jobs={jobs}"))
        .arg(format!("--time={}", opts.seconds))
        .arg(format!("--define=nsessions={sessions}"))
        .arg(format!("--define=nusers={}", opts.users))
        .arg(format!("--define=last={}", opts.last))
        .arg(format!("--file={}", file.display()))
        .arg(url)
        .output()
        .with_context(|| format!("running {}", program.display()))?;
    if !out.status.success() {
        bail!(
            "pgbench failed on {name}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failed = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("number of failed transactions: "))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    ensure!(
        failed == 0,
        "pgbench: {failed} transactions failed on {name}:\n{stdout}"
    );
    let mut micros = Vec::new();
    let (mut first, mut last) = (f64::MAX, f64::MIN);
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("log"))
        {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines() {
            // client_id transaction_no time script_no time_epoch time_us
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 6 {
                continue;
            }
            let latency: u64 = f[2].parse().context("pgbench log: latency")?;
            let end = f[4].parse::<f64>().unwrap_or(0.0) + f[5].parse::<f64>().unwrap_or(0.0) / 1e6;
            first = first.min(end - latency as f64 / 1e6);
            last = last.max(end);
            micros.push(latency);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Stats::from_micros(micros, (last - first).max(1e-9))
}
