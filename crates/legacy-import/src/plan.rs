//! What moves where: one [`Spec`] per legacy table, in dependency order.
//!
//! A spec's SQL fragments are evaluated by the mapping statement
//! ([`crate::engine`]) over the staged batch: `r` is the legacy row (its
//! columns as the legacy catalog types them, plus the `_`-named values the
//! read computed) and `legacy_id` its id. `@user(x)`, `@role(x)` and
//! `@team(x)` look a legacy id up in the session map (NULL when the row was
//! not imported). `MAPPING.md` beside this crate documents every rule.

mod auth;
mod specs;

/// One of the two databases (of Socrates2, or ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Db {
    /// `socrates_auth`.
    Auth,
    /// `socrates_specs`.
    Specs,
}

impl Db {
    /// `auth` or `specs`.
    pub fn as_str(self) -> &'static str {
        match self {
            Db::Auth => "auth",
            Db::Specs => "specs",
        }
    }
}

/// How one legacy table moves.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    /// The legacy database.
    pub(crate) source: Db,
    /// The legacy table.
    pub(crate) table: &'static str,
    /// Our database.
    pub(crate) target: Db,
    /// Our table.
    pub(crate) into: &'static str,
    /// The relation the read selects from (`t`), when it is not the table
    /// itself: values computed per legacy row, before the windows.
    pub(crate) from: Option<String>,
    /// The columns `from` adds after the table's own: (name, SQL type).
    pub(crate) from_columns: Vec<(&'static str, &'static str)>,
    /// Read a group of rows with the same value of this column at a time
    /// (batches of whole groups), instead of by id.
    pub(crate) group: Option<&'static str>,
    /// Values computed over the legacy table in the read: (name, SQL type,
    /// expression over `t`, which may use windows).
    pub(crate) extras: Vec<(&'static str, &'static str, String)>,
    /// The extras' windows range over the whole table, not over the batch.
    pub(crate) whole_table: bool,
    /// Our columns (after `id`, which is the legacy id) and their values.
    pub(crate) columns: Vec<(&'static str, String)>,
    /// Why a row is rejected: (reason as an SQL text value, condition over
    /// `r` and the mapped columns `o_<column>`); the first that holds wins.
    pub(crate) rejects: Vec<(String, String)>,
    /// Merging: (reason, the id of the row it duplicates, or NULL), evaluated
    /// only for rows not rejected and not imported yet; may use windows over
    /// the batch.
    pub(crate) merge: Option<(&'static str, String)>,
    /// Legacy columns holding raw secrets: the quarantine keeps their SHA-256.
    pub(crate) secrets: &'static [&'static str],
    /// One more data-modifying step, over the inserted rows (`ins`).
    pub(crate) after: Option<String>,
}

impl Spec {
    pub(crate) fn new(source: Db, table: &'static str, target: Db, into: &'static str) -> Self {
        Self {
            source,
            table,
            target,
            into,
            from: None,
            from_columns: Vec::new(),
            group: None,
            extras: Vec::new(),
            whole_table: false,
            columns: Vec::new(),
            rejects: Vec::new(),
            merge: None,
            secrets: &[],
            after: None,
        }
    }

    /// `auth.users`, `specs.teams`: how the bookkeeping names the legacy table.
    pub(crate) fn source_table(&self) -> String {
        format!("{}.{}", self.source.as_str(), self.table)
    }

    pub(crate) fn col(mut self, column: &'static str, value: impl Into<String>) -> Self {
        self.columns.push((column, value.into()));
        self
    }

    /// The same column, legacy to ours, unchanged.
    pub(crate) fn same(self, columns: &[&'static str]) -> Self {
        columns
            .iter()
            .fold(self, |spec, c| spec.col(c, format!("r.{c}")))
    }

    /// `metadata` (or another jsonb column) with NULL as `{}`.
    pub(crate) fn json(self, column: &'static str) -> Self {
        self.col(column, format!("coalesce(r.{column}, '{{}}'::jsonb)"))
    }

    pub(crate) fn reject(mut self, reason: &'static str, condition: impl Into<String>) -> Self {
        self.rejects.push((format!("'{reason}'"), condition.into()));
        self
    }

    /// Rejects with the reason the legacy read computed (`r.<column>`), when it has one.
    pub(crate) fn reject_as_read(mut self, column: &'static str) -> Self {
        self.rejects
            .push((format!("r.{column}"), format!("r.{column} IS NOT NULL")));
        self
    }

    /// Rejects `reason` unless `value` (a mapped column) is set whenever `legacy` is.
    pub(crate) fn unmapped(self, reason: &'static str, legacy: &str, mapped: &str) -> Self {
        self.reject(
            reason,
            format!("r.{legacy} IS NOT NULL AND o_{mapped} IS NULL"),
        )
    }

    pub(crate) fn merge(mut self, reason: &'static str, target: impl Into<String>) -> Self {
        self.merge = Some((reason, target.into()));
        self
    }

    /// The extras' windows range over the whole legacy table.
    pub(crate) fn whole_table(mut self) -> Self {
        self.whole_table = true;
        self
    }

    /// Reads a group of rows with the same `column` at a time.
    pub(crate) fn grouped(mut self, column: &'static str) -> Self {
        self.group = Some(column);
        self
    }

    pub(crate) fn extra(
        mut self,
        name: &'static str,
        sql_type: &'static str,
        expr: impl Into<String>,
    ) -> Self {
        self.extras.push((name, sql_type, expr.into()));
        self
    }
}

/// A CASE that maps `lower(btrim(value))` through `pairs` (legacy → ours);
/// anything else (an unknown value) is NULL, for a reject rule to catch.
pub(crate) fn map(value: &str, pairs: &[(&str, &str)]) -> String {
    let arms: String = pairs
        .iter()
        .map(|(from, to)| format!(" WHEN '{from}' THEN '{to}'"))
        .collect();
    format!("(CASE lower(btrim({value})){arms} END)")
}

/// [`map`] for values that stay as they are.
pub(crate) fn within(value: &str, values: &[&str]) -> String {
    let pairs: Vec<(&str, &str)> = values.iter().map(|v| (*v, *v)).collect();
    map(value, &pairs)
}

/// `metadata` (NULL as `{}`) plus `{"legacy": {...}}` holding the legacy values
/// a transformation changed or dropped (pairs of key and SQL value; NULLs left
/// out, and no `legacy` key when nothing is left).
pub(crate) fn metadata(base: &str, notes: &[(&str, &str)]) -> String {
    let fields: Vec<String> = notes.iter().map(|(k, v)| format!("'{k}', {v}")).collect();
    format!(
        "coalesce({base}, '{{}}'::jsonb) || jsonb_strip_nulls(jsonb_build_object('legacy', \
         NULLIF(jsonb_strip_nulls(jsonb_build_object({})), '{{}}'::jsonb)))",
        fields.join(", ")
    )
}

/// A `varchar[]` with its NULL elements dropped, as `text[]` (NULL as `{}`).
pub(crate) fn text_array(value: &str) -> String {
    format!("coalesce(array_remove({value}::text[], NULL), '{{}}'::text[])")
}

/// A merge target for rows that duplicate another on `key` (our columns,
/// mapped): the row of ours with that key, else the first such row of the
/// batch (by legacy id) when it is not this one.
pub(crate) fn duplicate_of(into: &str, key: &[&str], extra: &str) -> String {
    // The first key column is NOT NULL in ours and leads the table's unique
    // index, so the lookup is an index range; the others may be NULL.
    let ours: Vec<String> = key
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                format!("o.{c} = o_{c}")
            } else {
                format!("o.{c} IS NOT DISTINCT FROM o_{c}")
            }
        })
        .collect();
    let batch: Vec<String> = key.iter().map(|c| format!("o_{c}")).collect();
    format!(
        "coalesce((SELECT o.id FROM {into} o WHERE {} AND o.id <> legacy_id{extra} ORDER BY o.id LIMIT 1), \
         NULLIF(first_value(legacy_id) OVER (PARTITION BY {}, _reason IS NULL ORDER BY legacy_id), legacy_id))",
        ours.join(" AND "),
        batch.join(", ")
    )
}

/// Every legacy table, in the order the import moves them: auth's own, then
/// the three that move from specs to auth, then specs.
pub(crate) fn plan() -> Vec<Spec> {
    let mut all = auth::plan();
    all.extend(specs::plan());
    all
}

#[cfg(test)]
mod tests {
    use super::plan;

    /// MAPPING.md names every legacy table and every reason code the plan can write.
    #[test]
    fn mapping_md_documents_every_table_and_reason() {
        let doc = include_str!("../MAPPING.md");
        let specs = plan();
        assert_eq!(
            specs.len(),
            29,
            "5 legacy auth tables and 24 legacy specs tables"
        );
        for spec in &specs {
            let heading = format!(
                "### {} → {}.{}",
                spec.source_table(),
                spec.target.as_str(),
                spec.into
            );
            assert!(doc.contains(&heading), "MAPPING.md lacks {heading:?}");
            // the reasons the read computes (specifications) are its `THEN '...'`s
            let read: Vec<&str> = spec
                .from
                .as_deref()
                .unwrap_or("")
                .split("THEN '")
                .skip(1)
                .filter_map(|rest| rest.split('\'').next())
                .filter(|r| {
                    r.starts_with("unknown_")
                        || r.ends_with("_missing")
                        || r.ends_with("_out_of_range")
                })
                .collect();
            let reasons = spec
                .rejects
                .iter()
                .filter_map(|(r, _)| r.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
                .chain(spec.merge.as_ref().map(|(r, _)| *r))
                .chain(read);
            for reason in reasons {
                assert!(
                    doc.contains(&format!("`{reason}`")),
                    "MAPPING.md does not explain {reason} ({})",
                    spec.source_table()
                );
            }
        }
    }
}
