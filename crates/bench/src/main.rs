//! `socrates-bench`: measures the data layer against its baselines, side by side,
//! in one invocation, and prints the figures. Build with `--release`.
//!
//! Every benchmark runs on fresh databases made by the test harness (from
//! `TEST_DATABASE_URL`, the local default, or the private cluster) and dropped
//! afterwards. Figures are measurements, not pass/fail.

mod backfill;
mod check_refs;
mod corpus;
mod growth;
mod hot_paths;
mod hot_paths_pooled;
mod import_legacy;
mod pgbench;
mod report;
mod rows;
mod rss;
mod search;
mod sql;
// The CLI's logging options, one source for both binaries.
#[path = "../../cli/src/logging.rs"]
mod logging;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Benchmarks of the Socrates data layer.
#[derive(Debug, Parser)]
#[command(name = "socrates-bench", version, about)]
struct Cli {
    #[command(flatten)]
    log: logging::LogArgs,
    /// Where the growth charts are written (`<benchmark>.svg` and `.png`)
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        default_value = "target/bench-charts"
    )]
    charts: PathBuf,
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// check-refs at 1M, 3M, 10M references, against its baselines
    CheckRefs(check_refs::Opts),
    /// The maturity and embeddings backfills at 100k, 300k, 1M rows, against per-row loops and the SQL limit
    Backfill(backfill::Opts),
    /// Append, last 50, my projects at 1M, 3M, 10M messages, against the same SQL driven by pgbench
    HotPaths(hot_paths::Opts),
    /// The knowledge search at 100k and 1M chunks of real text, against the unnest scan and brute force in memory
    Search(search::Opts),
    /// import-legacy of a Socrates2 pair of 1M rows, against pg_dump --data-only | psql of the same rows
    ImportLegacy(import_legacy::Opts),
}

fn main() -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        eprintln!(
            "socrates-bench: this is a debug build; figures are only meaningful from `cargo run --release`"
        );
    }
    let cli = Cli::parse();
    logging::init(&cli.log).map_err(anyhow::Error::msg)?;
    match cli.bench {
        Bench::CheckRefs(opts) => check_refs::run(&opts, &cli.charts),
        Bench::Backfill(opts) => backfill::run(&opts, &cli.charts),
        Bench::HotPaths(opts) => hot_paths::run(&opts, &cli.charts),
        Bench::Search(opts) => search::run(&opts, &cli.charts),
        Bench::ImportLegacy(opts) => import_legacy::run(&opts),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
