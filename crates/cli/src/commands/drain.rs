//! `socrates-db drain-outbox`: carry auth deletions into specs.

use anyhow::Result;
use clap::Args;
use cross_db::DrainOptions;

use super::{Failure, connect_both};
use crate::config::DbArgs;

/// Options of `drain-outbox`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Outbox entries claimed per auth transaction
    #[arg(long, value_name = "N", default_value_t = 100, allow_negative_numbers = true, value_parser = crate::config::batch_size())]
    batch_size: i64,
}

/// Applies every pending outbox entry once; exits with status 3 if any failed.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let (mut auth, mut specs) = connect_both(args)?;
    let report = cross_db::drain(
        &mut auth,
        &mut specs,
        DrainOptions {
            batch_size: opts.batch_size,
        },
    )?;
    print(&report);
    if report.failed > 0 {
        return Err(Failure::new(
            3,
            format!("{} outbox entries failed and stay pending", report.failed),
        )
        .into());
    }
    Ok(())
}

/// Prints a drain report.
pub(crate) fn print(report: &cross_db::DrainReport) {
    outln!(
        "outbox: {} entries processed ({} specs rows deleted, {} cleared), {} failed",
        report.processed,
        report.rows_deleted,
        report.rows_nulled,
        report.failed
    );
    for (subject, error) in &report.errors {
        outln!("  {subject}: {error}");
    }
}
