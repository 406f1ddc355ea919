//! Logs of the libraries' `tracing` spans and events, on stderr.
//!
//! Off unless asked for (`--log FILTER` or `RUST_LOG`, both in `RUST_LOG`'s
//! syntax: `warn`, `db_core::slow_query=warn,jobs=info` ...), so a command's
//! one-line error stays one line. `--log-format json` writes one JSON object
//! per line, for collectors; `text` (the default) is for people, coloured on
//! a terminal. Progress bars stay on the terminal's stderr beside the logs.

use clap::{Args, ValueEnum};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// How logs are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Logging options shared by every command.
#[derive(Debug, Clone, Args)]
pub(crate) struct LogArgs {
    /// Log filter in RUST_LOG's syntax (default: $RUST_LOG, else no logs), e.g. warn or jobs=info,db_core::slow_query=warn
    #[arg(long = "log", global = true, value_name = "FILTER")]
    pub(crate) filter: Option<String>,
    /// Log format on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
}

/// Installs the subscriber `args` ask for; returns an error line for a bad filter.
pub(crate) fn init(args: &LogArgs) -> Result<(), String> {
    let filter = match (&args.filter, std::env::var("RUST_LOG")) {
        (Some(filter), _) => filter.clone(),
        (None, Ok(env)) if !env.is_empty() => env,
        _ => return Ok(()),
    };
    let filter = EnvFilter::try_new(&filter).map_err(|e| format!("--log {filter:?}: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_span_events(FmtSpan::CLOSE);
    let installed = match args.log_format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
    installed.map_err(|e| e.to_string())
}
