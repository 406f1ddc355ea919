//! Helpers for the end-to-end tests of the data layer: schema dumps, catalog
//! queries, and a reader for `docs/SCHEMA.md`, the canonical schema the
//! migrations are checked against.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test helpers fail the calling test by panicking"
)]

use std::collections::BTreeMap;
use std::process::Command;

use db_core::DbUrl;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Nullable, Text};

/// `pg_dump --schema-only` of `url`, without the runner's and Diesel's own
/// tables and without the random `\restrict` keys newer pg_dump versions print.
pub fn schema_dump(url: &DbUrl) -> String {
    dump(url, &["--exclude-table=__*"])
}

/// The same, the runner's and Diesel's bookkeeping included.
pub fn full_schema_dump(url: &DbUrl) -> String {
    dump(url, &[])
}

fn dump(url: &DbUrl, extra: &[&str]) -> String {
    let output = Command::new("pg_dump")
        .args(["--schema-only", "--no-owner", "--no-privileges"])
        .args(extra)
        .arg(format!("--dbname={}", url.as_str()))
        .output()
        .expect("pg_dump must be installed (PostgreSQL client tools)");
    assert!(
        output.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("pg_dump prints UTF-8")
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One column of a table as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct CatalogColumn {
    /// Table name.
    #[diesel(sql_type = Text)]
    pub table_name: String,
    /// Column name.
    #[diesel(sql_type = Text)]
    pub column_name: String,
    /// 1-based position.
    #[diesel(sql_type = Integer)]
    pub position: i32,
    /// `format_type` output, e.g. `character varying(255)`.
    #[diesel(sql_type = Text)]
    pub data_type: String,
    /// Whether NULL is allowed.
    #[diesel(sql_type = Bool)]
    pub nullable: bool,
    /// Default expression, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub default: Option<String>,
    /// Column comment, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub comment: Option<String>,
}

/// Every column of every ordinary table in `public` (the runner's `__` tables excluded).
pub fn catalog_columns(conn: &mut PgConnection) -> Vec<CatalogColumn> {
    diesel::sql_query(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name, a.attnum::int AS position, \
                format_type(a.atttypid, a.atttypmod) AS data_type, NOT a.attnotnull AS nullable, \
                pg_get_expr(d.adbin, d.adrelid) AS default, col_description(c.oid, a.attnum) AS comment \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum \
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE '\\_\\_%' \
         ORDER BY c.relname, a.attnum",
    )
    .load(conn)
    .expect("catalog columns")
}

/// A name and a text, from a catalog query.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Named {
    /// Table the object belongs to.
    #[diesel(sql_type = Text)]
    pub table_name: String,
    /// Object name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Definition or detail.
    #[diesel(sql_type = Text)]
    pub detail: String,
}

/// Runs a catalog query returning `table_name, name, detail`.
pub fn named(conn: &mut PgConnection, sql: &str) -> Vec<Named> {
    diesel::sql_query(sql).load(conn).expect("catalog query")
}

/// Constraint name and definition of every constraint in `public`.
pub fn catalog_constraints(conn: &mut PgConnection) -> Vec<Named> {
    named(
        conn,
        "SELECT c.relname::text AS table_name, k.conname::text AS name, pg_get_constraintdef(k.oid) AS detail \
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relname NOT LIKE '\\_\\_%' ORDER BY 1, 2",
    )
}

/// Index name and definition of every index in `public`.
pub fn catalog_indexes(conn: &mut PgConnection) -> Vec<Named> {
    named(
        conn,
        "SELECT tablename::text AS table_name, indexname::text AS name, indexdef AS detail \
         FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_%' ORDER BY 1, 2",
    )
}

/// One column as SCHEMA.md lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocColumn {
    /// Column name.
    pub name: String,
    /// Type as written (`varchar(255)`, `float8`, `timestamptz`, ...).
    pub data_type: String,
    /// `NULL` allowed.
    pub nullable: bool,
    /// Default as written, if any.
    pub default: Option<String>,
}

/// One table as SCHEMA.md lists it.
#[derive(Debug, Clone, Default)]
pub struct DocTable {
    /// Columns in order, `id` first (implicit in the document).
    pub columns: Vec<DocColumn>,
    /// Every named constraint and index (primary key included).
    pub names: Vec<String>,
}

/// The tables of one database in SCHEMA.md, by name.
pub fn schema_doc(database: &str) -> BTreeMap<String, DocTable> {
    let text = include_str!("../docs/SCHEMA.md");
    let heading = format!("Database `{database}`");
    let mut tables: BTreeMap<String, DocTable> = BTreeMap::new();
    let mut in_db = false;
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("## ") {
            in_db = line.contains(&heading);
            current = None;
            continue;
        }
        if !in_db {
            continue;
        }
        if let Some(rest) = line.strip_prefix("### ") {
            let name = rest
                .split('`')
                .nth(1)
                .expect("table heading names a table")
                .to_owned();
            let table = tables.entry(name.clone()).or_default();
            table.columns.push(DocColumn {
                name: "id".into(),
                data_type: "uuid".into(),
                nullable: false,
                default: Some("gen_random_uuid()".into()),
            });
            table.names.push(format!("{name}_pkey"));
            current = Some(name);
            continue;
        }
        let Some(name) = current.clone() else {
            continue;
        };
        if line.starts_with("Identical to §3.") {
            // A specs table documented as a copy of the auth table of the same name.
            let auth = schema_doc("socrates_auth");
            let source = auth
                .get(&name)
                .unwrap_or_else(|| panic!("auth {name}"))
                .clone();
            tables.insert(name, source);
            continue;
        }
        let table = tables.get_mut(&name).expect("current table");
        if line.starts_with('|') && !line.starts_with("|column|") && !line.starts_with("|---") {
            let cells: Vec<&str> = line[1..line.len() - 1].split('|').map(str::trim).collect();
            if cells.len() == 5 {
                table.columns.push(DocColumn {
                    name: cells[0].to_owned(),
                    data_type: cells[1].to_owned(),
                    nullable: cells[2] == "NULL",
                    default: (!cells[3].is_empty()).then(|| cells[3].to_owned()),
                });
            }
        } else if let Some(rest) = line.strip_prefix("- **Enum CHECKs:** ") {
            for column in split_top_level(rest)
                .iter()
                .filter_map(|p| p.split_whitespace().next())
            {
                table.names.push(format!("ck_{name}_{column}"));
            }
        } else if let Some(rest) = line.strip_prefix("- **FK:** ") {
            for part in split_top_level(rest) {
                let column = part
                    .trim_start_matches('(')
                    .split(')')
                    .next()
                    .expect("FK column");
                table.names.push(format!("fk_{name}_{column}"));
            }
        } else if line.starts_with("- **UNIQUE:**")
            || line.starts_with("- **CHECK:**")
            || line.starts_with("- **Indexes:**")
        {
            // Names are the backticked words that open each item.
            for part in line.split("; ") {
                if let Some(n) = part.split('`').nth(1)
                    && (n.starts_with("uq_") || n.starts_with("ck_") || n.starts_with("idx_"))
                {
                    table.names.push(n.to_owned());
                }
            }
        }
    }
    tables
}

/// Splits on `;` outside parentheses and quotes.
fn split_top_level(text: &str) -> Vec<String> {
    let (mut out, mut current, mut depth, mut quoted) = (Vec::new(), String::new(), 0i32, false);
    for c in text.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ';' if !quoted && depth == 0 => {
                out.push(std::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// Renders a catalog type the way SCHEMA.md writes it.
pub fn doc_type(catalog_type: &str) -> String {
    match catalog_type {
        "double precision" => "float8".into(),
        "timestamp with time zone" => "timestamptz".into(),
        "time without time zone" => "time".into(),
        other => other.replace("character varying", "varchar"),
    }
}

/// Renders a catalog default the way SCHEMA.md writes it.
pub fn doc_default(catalog_default: &str) -> String {
    catalog_default
        .trim_end_matches("::character varying")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_schema_md() {
        let auth = schema_doc("socrates_auth");
        let specs = schema_doc("socrates_specs");
        assert_eq!(auth.len(), 18, "SCHEMA.md: socrates_auth has 18 tables");
        assert_eq!(specs.len(), 28, "SCHEMA.md: socrates_specs has 28 tables");
        let users = &auth["users"];
        assert_eq!(users.columns[0].name, "id");
        assert_eq!(users.columns[1].name, "email");
        assert_eq!(users.columns.len(), 16);
        assert!(users.names.contains(&"ck_users_role".to_owned()));
        assert!(users.names.contains(&"idx_users_created_at".to_owned()));
        assert_eq!(
            specs["job_checkpoints"].columns,
            auth["job_checkpoints"].columns
        );
        let shares = &specs["project_shares"];
        assert!(
            shares
                .names
                .contains(&"ck_project_shares_target".to_owned())
        );
        assert!(
            shares
                .names
                .contains(&"uq_project_shares_link_token_hash".to_owned())
        );
    }
}
