//! Rows written as CSV text and loaded with `COPY ... (FORMAT csv)`, one
//! statement per table.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A CSV text being written for `COPY ... (FORMAT csv)`: quoted text, unquoted NULLs.
#[derive(Default)]
pub(crate) struct Csv {
    pub(crate) out: String,
    first: bool,
    rows: usize,
}

impl Csv {
    /// Starts a row.
    pub(crate) fn row(&mut self) -> &mut Self {
        if self.rows > 0 {
            self.out.push('\n');
        }
        self.rows += 1;
        self.first = true;
        self
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// A value written as it displays (numbers, ids, booleans).
    pub(crate) fn raw(&mut self, value: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let _ = write!(self.out, "{value}");
        self
    }

    /// A quoted text.
    pub(crate) fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        self.out.push('"');
        self.out.push_str(&value.replace('"', "\"\""));
        self.out.push('"');
        self
    }

    /// NULL.
    pub(crate) fn null(&mut self) -> &mut Self {
        self.sep();
        self
    }

    /// A value, or NULL.
    pub(crate) fn opt_raw(&mut self, value: Option<impl std::fmt::Display>) -> &mut Self {
        match value {
            Some(v) => self.raw(v),
            None => self.null(),
        }
    }

    /// A text, or NULL.
    pub(crate) fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    /// A time, to the microsecond.
    pub(crate) fn time(&mut self, at: DateTime<Utc>) -> &mut Self {
        self.raw(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    }

    /// A time, or NULL.
    pub(crate) fn opt_time(&mut self, at: Option<DateTime<Utc>>) -> &mut Self {
        self.opt_raw(at.map(|a| a.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)))
    }

    /// A `uuid[]`.
    pub(crate) fn uuids(&mut self, ids: &[Uuid]) -> &mut Self {
        let list: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        self.text(&format!("{{{}}}", list.join(",")))
    }

    /// Rows written (fields may hold newlines, so lines are not rows).
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }
}

/// Loads `$csv` into `$table` on `$conn` (an `Option<&mut PgConnection>`:
/// `None` generates the rows without loading them); evaluates to the row count.
macro_rules! copy {
    ($conn:expr, $table:expr, ($($col:expr),+ $(,)?), $csv:expr) => {{
        if let Some(conn) = $conn {
            let data = $csv.out.clone();
            diesel::copy_from($table)
                .from_raw_data(($($col,)+), move |w| {
                    std::io::Write::write_all(w, data.as_bytes())
                        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
                })
                .with_format(diesel::pg::CopyFormat::Csv)
                .execute(conn)?;
        }
        $csv.rows()
    }};
}
pub(crate) use copy;
