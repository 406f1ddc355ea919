//! Progress of a batch job: a bar with rate and ETA on a terminal, plain log
//! lines (at most every two seconds, and a last one) otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Reports rows done against an optional total.
pub struct Progress {
    label: String,
    total: Option<u64>,
    done: u64,
    started: Instant,
    last_line: Instant,
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// Starts reporting; `quiet` prints nothing at all.
    pub fn new(label: impl Into<String>, total: Option<u64>, quiet: bool) -> Self {
        let label = label.into();
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = total.map_or_else(ProgressBar::new_spinner, ProgressBar::new);
            let template = "{prefix:>28} [{bar:32}] {pos}/{len} rows  {per_sec}  ETA {eta}";
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(label.clone());
            bar
        });
        let now = Instant::now();
        Self {
            label,
            total,
            done: 0,
            started: now,
            last_line: now,
            bar,
            quiet,
        }
    }

    /// Counts `rows` more done.
    pub fn advance(&mut self, rows: u64) {
        self.done += rows;
        if let Some(bar) = &self.bar {
            bar.inc(rows);
        } else if !self.quiet && self.last_line.elapsed() >= Duration::from_secs(2) {
            self.last_line = Instant::now();
            eprintln!("{}", self.line());
        }
    }

    fn line(&self) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let rate = self.done as f64 / secs;
        match self.total {
            Some(total) if total > 0 => {
                let left = total.saturating_sub(self.done) as f64 / rate.max(1e-9);
                format!(
                    "{}: {}/{} rows ({:.0}%), {:.0} rows/s, ETA {:.0}s",
                    self.label,
                    self.done,
                    total,
                    100.0 * self.done as f64 / total as f64,
                    rate,
                    left
                )
            }
            _ => format!("{}: {} rows, {:.0} rows/s", self.label, self.done, rate),
        }
    }

    /// Ends the report; a `complete` run did all there was, whatever the
    /// estimate said (rows may have come or gone, or the total was a bound).
    pub fn finish(mut self, complete: bool) {
        if complete {
            self.total = Some(self.done);
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if !self.quiet {
            eprintln!("{}", self.line());
        }
    }
}
