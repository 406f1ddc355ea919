//! `socrates-db keys`: the master key ring of provider keys.

use accounts::Client;
use accounts::provider_keys::{self, KeyRing, RewrapOptions};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use super::{Failure, connect};
use crate::config::{DbArgs, Only};

/// Subcommands of `keys`.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Re-encrypt every provider key under the current master key (resumable)
    Rewrap(RewrapOpts),
}

/// Options of `keys rewrap`.
#[derive(Debug, Args)]
pub(crate) struct RewrapOpts {
    /// Rows per transaction
    #[arg(long, value_name = "N", default_value_t = 500, allow_negative_numbers = true, value_parser = crate::config::batch_size())]
    batch_size: i64,
    /// Pause after this many batches (run again to resume)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = crate::config::count(crate::config::MAX_BATCHES))]
    max_batches: Option<usize>,
}

/// Runs a `keys` subcommand; the ring comes from SOCRATES_MASTER_KEYS.
pub(crate) fn run(args: &DbArgs, command: &Command) -> Result<()> {
    let Command::Rewrap(opts) = command;
    let ring = KeyRing::from_env().context("reading the master key ring")?;
    let targets = args.targets(
        &Only {
            auth_only: true,
            specs_only: false,
        }
        .sets(),
    )?;
    let mut auth = connect(&targets[0])?;
    let options = RewrapOptions {
        batch_size: opts.batch_size,
        max_batches: opts.max_batches,
        lock_timeout: std::time::Duration::from_secs(args.lock_timeout),
        lock_on: db_core::LockOn::for_url(&targets[0].url),
    };
    let report = provider_keys::rewrap(&mut auth, &ring, options, &Client::default())?;
    outln!(
        "rewrapped {} provider keys under master key version {} ({} over the whole job){}",
        report.rewrapped,
        ring.current(),
        report.total_rewrapped,
        if report.paused {
            "; paused, run again to continue"
        } else {
            ""
        }
    );
    if report.failed > 0 {
        return Err(Failure::new(
            3,
            format!(
                "{} provider keys could not be decrypted; see job_checkpoints.last_error",
                report.failed
            ),
        )
        .into());
    }
    Ok(())
}
