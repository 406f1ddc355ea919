//! `socrates-db`: create, migrate, inspect and roll back the two Socrates databases.
//!
//! The only crate that uses `anyhow`: library errors are typed; here they
//! become one line on stderr and a non-zero exit status.

/// `println!` that ends the process quietly when stdout is a closed pipe
/// (`socrates-db status | head`), as a SIGPIPE would, instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(err) = writeln!(std::io::stdout(), $($arg)*) {
            $crate::stdout_failed(err);
        }
    }};
}

mod commands;
mod config;
mod logging;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Create, migrate, inspect and roll back socrates_auth and socrates_specs.
#[derive(Debug, Parser)]
#[command(name = "socrates-db", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    db: config::DbArgs,
    #[command(flatten)]
    log: logging::LogArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create both databases if missing, migrate both, print their status
    Setup(commands::setup::Opts),
    /// Apply pending migrations
    Migrate(commands::migrate::Opts),
    /// Show applied and pending migrations, checksums and identity
    Status(commands::status::Opts),
    /// Revert applied migrations (default: the last one)
    Rollback(commands::rollback::Opts),
    /// Revert, then re-apply migrations (default: the last one)
    Redo(commands::rollback::Opts),
    /// Accept the current SQL of applied migrations that were edited
    Acknowledge(commands::acknowledge::Opts),
    /// Manage the private PostgreSQL cluster used when no server answers
    #[command(subcommand)]
    Cluster(commands::cluster::Command),
    /// Check every cross-database reference for orphans (exit status 3 when some exist)
    CheckRefs(commands::check_refs::Opts),
    /// Apply pending user and team deletions to the specs database
    DrainOutbox(commands::drain::Opts),
    /// Account maintenance
    #[command(subcommand)]
    Users(commands::users::Command),
    /// Master key maintenance for encrypted provider keys
    #[command(subcommand)]
    Keys(commands::keys::Command),
    /// Recompute derived data in resumable batches (embeddings, chunks, maturity, counters ...)
    Backfill(commands::backfill::Opts),
    /// Search the knowledge base by similarity (counts nothing)
    Search(commands::search::Opts),
    /// Fill empty databases with deterministic synthetic data
    Seed(commands::seed::Opts),
    /// Import a Socrates2 installation (its auth and specs databases), with nothing lost
    ImportLegacy(commands::import_legacy::Opts),
}

/// Exits after a failed write to stdout: 141 (128 + SIGPIPE) for a closed pipe.
fn stdout_failed(err: std::io::Error) -> ! {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(141);
    }
    eprintln!("socrates-db: error: writing to stdout: {err}");
    std::process::exit(1);
}

/// Parses the command line; a usage error is one line on stderr and exit 2
/// (`--help` and `--version` print as usual and exit 0).
fn parse() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(err)
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = err.print();
            Err(ExitCode::SUCCESS)
        }
        Err(err) if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("socrates-db: usage error: a command is missing (see socrates-db --help)");
            Err(ExitCode::from(2))
        }
        Err(err) => {
            let rendered = err.render().to_string();
            let first = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments")
                .trim()
                .trim_start_matches("error: ");
            let line = first.split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("socrates-db: usage error: {line} (see socrates-db --help)");
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    if let Err(line) = logging::init(&cli.log) {
        eprintln!("socrates-db: usage error: {line}");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Setup(opts) => commands::setup::run(&cli.db, &opts),
        Command::Migrate(opts) => commands::migrate::run(&cli.db, &opts),
        Command::Status(opts) => commands::status::run(&cli.db, &opts),
        Command::Rollback(opts) => commands::rollback::run(&cli.db, &opts, false),
        Command::Redo(opts) => commands::rollback::run(&cli.db, &opts, true),
        Command::Acknowledge(opts) => commands::acknowledge::run(&cli.db, &opts),
        Command::Cluster(cmd) => commands::cluster::run(&cli.db, &cmd),
        Command::CheckRefs(opts) => commands::check_refs::run(&cli.db, &opts),
        Command::DrainOutbox(opts) => commands::drain::run(&cli.db, &opts),
        Command::Users(cmd) => commands::users::run(&cli.db, &cmd),
        Command::Keys(cmd) => commands::keys::run(&cli.db, &cmd),
        Command::Backfill(opts) => commands::backfill::run(&cli.db, &opts),
        Command::Search(opts) => commands::search::run(&cli.db, &opts),
        Command::Seed(opts) => commands::seed::run(&cli.db, &opts),
        Command::ImportLegacy(opts) => commands::import_legacy::run(&cli.db, &opts),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line: the error and its causes, joined, every run of white
            // space (libpq's newlines and tabs included) folded to one space.
            let line = format!("{err:#}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!("socrates-db: error: {line}");
            match err.downcast_ref::<commands::Failure>() {
                Some(failure) => ExitCode::from(failure.code),
                None => ExitCode::FAILURE,
            }
        }
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
