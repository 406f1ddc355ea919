//! `socrates-db acknowledge`: accept edits to applied migrations.

use anyhow::{Result, bail};
use clap::Args;

use super::{RUNNER, connect_session, runner};
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
///
/// Versions named without `--auth-only`/`--specs-only` go to the set that holds
/// them; a version neither set holds is refused before anything is written.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let sets = opts.only.sets();
    for key in &opts.versions {
        if !sets.iter().any(|set| set.find(key).is_some()) {
            let names: Vec<&str> = sets.iter().map(|s| s.name).collect();
            bail!(
                "no migration {key:?} in the {} migration set{}",
                names.join(" or "),
                if names.len() > 1 { "s" } else { "" }
            );
        }
    }
    for target in args.targets(&sets)? {
        let versions: Vec<String> = opts
            .versions
            .iter()
            .filter(|key| target.set.find(key).is_some())
            .cloned()
            .collect();
        if !opts.versions.is_empty() && versions.is_empty() {
            continue;
        }
        let mut conn = connect_session(&target, RUNNER)?;
        let done = runner(&target, args).acknowledge(&mut conn, &versions)?;
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
