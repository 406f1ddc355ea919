//! `socrates-db cluster`: the private PostgreSQL cluster.

use anyhow::{Context, Result};
use clap::Subcommand;
use dev_cluster::{Cluster, ClusterStart};

use crate::config::DbArgs;

/// Subcommands of `cluster`.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create the cluster if needed and start it
    Start,
    /// Say whether the cluster exists and runs, and where
    Status,
    /// Stop the cluster (its data stays)
    Stop,
}

/// Runs a `cluster` subcommand on the cluster in `--data-dir`.
pub(crate) fn run(args: &DbArgs, command: &Command) -> Result<()> {
    let dir = args.cluster_dir();
    match command {
        Command::Start => {
            let (cluster, start) = Cluster::ensure(&dir).context("starting the private cluster")?;
            let what = match start {
                ClusterStart::Created => "created and started",
                ClusterStart::Started => "started",
                ClusterStart::AlreadyRunning => "already running",
            };
            outln!(
                "{what}: {} ({})",
                cluster.dir().display(),
                cluster.url("postgres")
            );
        }
        Command::Status => match Cluster::open(&dir)? {
            None => outln!("no private cluster in {}", dir.display()),
            Some(cluster) => {
                let state = if cluster.is_running() {
                    "running"
                } else {
                    "stopped"
                };
                outln!(
                    "{state}: {} ({})",
                    cluster.dir().display(),
                    cluster.url("postgres")
                );
            }
        },
        Command::Stop => match Cluster::open(&dir)? {
            None => outln!("no private cluster in {}", dir.display()),
            Some(cluster) => {
                cluster.stop().context("stopping the private cluster")?;
                outln!("stopped: {}", cluster.dir().display());
            }
        },
    }
    Ok(())
}
