//! What an import did, per legacy table, read back from the bookkeeping it
//! wrote in the same transactions as the rows.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::ImportError;
use crate::plan::{Db, plan};

/// The report of a run: every legacy table, in the order they were moved.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Nothing was kept (`--dry-run`).
    pub dry_run: bool,
    /// One entry per legacy table.
    pub tables: Vec<TableReport>,
}

/// One legacy table: read = imported + merged + rejected.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TableReport {
    /// The legacy table, e.g. `specs.teams`.
    pub table: String,
    /// Ours, e.g. `auth.teams`.
    pub into: String,
    /// Legacy rows read.
    pub read: i64,
    /// Rows of ours with the legacy id.
    pub imported: i64,
    /// Rows merged into a row they duplicate.
    pub merged: i64,
    /// Rows rejected into the quarantine.
    pub rejected: i64,
    /// Merged rows by reason.
    pub merged_by_reason: BTreeMap<String, i64>,
    /// Rejected rows by reason.
    pub rejected_by_reason: BTreeMap<String, i64>,
}

impl TableReport {
    /// Whether the counts add up: read = imported + merged + rejected, and the
    /// reasons account for every merged and rejected row.
    pub fn adds_up(&self) -> bool {
        self.read == self.imported + self.merged + self.rejected
            && self.merged == self.merged_by_reason.values().sum::<i64>()
            && self.rejected == self.rejected_by_reason.values().sum::<i64>()
    }
}

impl Report {
    /// Whether every table's counts add up.
    pub fn adds_up(&self) -> bool {
        self.tables.iter().all(TableReport::adds_up)
    }

    /// The report of one legacy table (`auth.users`, `specs.teams`, ...).
    pub fn table(&self, name: &str) -> Option<&TableReport> {
        self.tables.iter().find(|t| t.table == name)
    }

    /// Rows read, imported, merged and rejected over all tables.
    pub fn totals(&self) -> (i64, i64, i64, i64) {
        self.tables.iter().fold((0, 0, 0, 0), |(r, i, m, x), t| {
            (r + t.read, i + t.imported, m + t.merged, x + t.rejected)
        })
    }
}

#[derive(QueryableByName)]
struct Progress {
    #[diesel(sql_type = Text)]
    source_table: String,
    #[diesel(sql_type = BigInt)]
    read_count: i64,
    #[diesel(sql_type = BigInt)]
    imported_count: i64,
    #[diesel(sql_type = BigInt)]
    merged_count: i64,
    #[diesel(sql_type = BigInt)]
    rejected_count: i64,
}

#[derive(QueryableByName)]
struct Reason {
    #[diesel(sql_type = Text)]
    source_table: String,
    #[diesel(sql_type = Text)]
    outcome: String,
    #[diesel(sql_type = Text)]
    reason: String,
    #[diesel(sql_type = BigInt)]
    rows: i64,
}

/// Reads the report of the last run from both databases.
pub(crate) fn read_report(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    dry_run: bool,
) -> Result<Report, ImportError> {
    let mut tables: Vec<TableReport> = plan()
        .iter()
        .map(|s| TableReport {
            table: s.source_table(),
            into: format!("{}.{}", s.target.as_str(), s.into),
            ..TableReport::default()
        })
        .collect();
    for (db, conn) in [(Db::Auth, auth), (Db::Specs, specs)] {
        let progress: Vec<Progress> = diesel::sql_query(
            "SELECT source_table::text, read_count, imported_count, merged_count, rejected_count \
             FROM legacy_import_progress",
        )
        .load(conn)?;
        let reasons: Vec<Reason> = diesel::sql_query(
            "SELECT source_table::text, outcome::text, reason::text, count(*) AS rows \
             FROM legacy_import_quarantine GROUP BY 1, 2, 3",
        )
        .load(conn)?;
        for t in tables
            .iter_mut()
            .filter(|t| t.into.starts_with(&format!("{}.", db.as_str())))
        {
            if let Some(p) = progress.iter().find(|p| p.source_table == t.table) {
                t.read = p.read_count;
                t.imported = p.imported_count;
                t.merged = p.merged_count;
                t.rejected = p.rejected_count;
            }
            for r in reasons.iter().filter(|r| r.source_table == t.table) {
                let by = if r.outcome == "merged" {
                    &mut t.merged_by_reason
                } else {
                    &mut t.rejected_by_reason
                };
                by.insert(r.reason.clone(), r.rows);
            }
        }
    }
    Ok(Report { dry_run, tables })
}
