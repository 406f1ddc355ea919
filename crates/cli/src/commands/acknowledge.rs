//! `socrates-db acknowledge`: accept edits to applied migrations.

use anyhow::Result;
use clap::Args;

use super::{connect, runner};
use crate::config::{DbArgs, Only};

/// Options of `acknowledge`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    #[command(flatten)]
    only: Only,
    /// Migrations to acknowledge (directory name or version; default: every edited one)
    #[arg(value_name = "VERSION")]
    versions: Vec<String>,
}

/// Records the current checksum of edited migrations, keeping the previous one.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    for target in args.targets(&opts.only.sets())? {
        let mut conn = connect(&target)?;
        let done = runner(&target, args).acknowledge(&mut conn, &opts.versions)?;
        let db = target.url.database();
        if done.is_empty() {
            outln!("{db}: no edited migration to acknowledge");
        }
        for name in done {
            outln!("{db}: acknowledged the current SQL of {name}");
        }
    }
    Ok(())
}
