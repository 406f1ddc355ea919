//! The fixture's legacy databases against `SOCRATES2_SCHEMA.md` (vendored
//! beside this crate from `legacy/`): every table, every column in order
//! with its type, nullability and default, and every constraint and index
//! name, read back from the fixture's catalog.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::LegacyPair;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable, Text};

#[derive(Debug, Default, PartialEq)]
struct Table {
    /// (name, type, nullable, default)
    columns: Vec<(String, String, bool, Option<String>)>,
    names: BTreeSet<String>,
}

/// The tables of one `## N. Database` section of the document.
fn documented(section: &str) -> BTreeMap<String, Table> {
    let doc = include_str!("../SOCRATES2_SCHEMA.md");
    let start = doc.find(section).expect("section");
    let body = &doc[start + section.len()..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    let mut tables = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in body.lines() {
        if let Some(rest) = line.strip_prefix("#### `") {
            let name = rest.trim_end_matches('`').to_owned();
            let mut table = Table::default();
            table.names.insert(format!("{name}_pkey"));
            table.columns.push((
                "id".into(),
                "uuid".into(),
                false,
                Some("gen_random_uuid()".into()),
            ));
            tables.insert(name.clone(), table);
            current = Some(name);
            continue;
        }
        let Some(name) = current.clone() else {
            continue;
        };
        let table = tables.get_mut(&name).unwrap();
        if line.starts_with("| ") && !line.starts_with("| column") {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            table.columns.push((
                cells[0].to_owned(),
                cells[1].to_owned(),
                cells[2] == "yes",
                (!cells[3].is_empty()).then(|| cells[3].to_owned()),
            ));
        } else if let Some(rest) = line.strip_prefix("- ") {
            let Some((_, list)) = rest.split_once(": ") else {
                continue;
            };
            for part in list.split("; ") {
                let Some(quoted) = part.split('`').nth(1) else {
                    continue;
                };
                if let Some(prefix) = quoted.strip_suffix("<col>") {
                    // `ix_t_<col>` on a, b UNIQUE [dup of ...], c
                    let columns = part.split(" on ").nth(1).unwrap_or("");
                    for column in columns.split(", ") {
                        let column = column.split_whitespace().next().unwrap_or("");
                        table.names.insert(format!("{prefix}{column}"));
                    }
                } else {
                    table.names.insert(quoted.to_owned());
                }
            }
        }
    }
    tables
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    sql_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
    #[diesel(sql_type = Nullable<Text>)]
    default: Option<String>,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
}

/// The catalog's type in the document's abbreviations.
fn abbreviated(sql_type: &str) -> String {
    sql_type
        .replace("character varying", "varchar")
        .replace("timestamp with time zone", "timestamptz")
        .replace("double precision", "float8")
}

/// A default as the document writes it: without `::character varying` casts.
fn default_as_documented(default: &str) -> String {
    default
        .replace("::character varying[]", "::varchar[]")
        .replace("::character varying", "")
}

fn catalog(conn: &mut PgConnection) -> BTreeMap<String, Table> {
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name, \
           format_type(a.atttypid, a.atttypmod) AS sql_type, NOT a.attnotnull AS nullable, \
           pg_get_expr(d.adbin, d.adrelid) AS default \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version' \
           AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
    )
    .load(conn)
    .unwrap();
    let names: Vec<Name> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, k.conname::text AS name FROM pg_constraint k \
           JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
           WHERE n.nspname = 'public' AND t.relname <> 'alembic_version' AND k.contype <> 'n' \
         UNION SELECT tablename::text, indexname::text FROM pg_indexes \
           WHERE schemaname = 'public' AND tablename <> 'alembic_version'",
    )
    .load(conn)
    .unwrap();
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for c in columns {
        tables.entry(c.table_name).or_default().columns.push((
            c.column_name,
            abbreviated(&c.sql_type),
            c.nullable,
            c.default.as_deref().map(default_as_documented),
        ));
    }
    for n in names {
        tables.entry(n.table_name).or_default().names.insert(n.name);
    }
    tables
}

#[test]
fn the_fixture_is_socrates2_at_its_heads_exactly_as_documented() {
    let legacy = LegacyPair::new();
    for (section, db, count) in [
        ("## 1. Database `socrates_auth` (5 tables)", &legacy.auth, 5),
        (
            "## 2. Database `socrates_specs` (24 tables)",
            &legacy.specs,
            24,
        ),
    ] {
        let doc = documented(section);
        assert_eq!(doc.len(), count, "{section}");
        let ours = catalog(&mut db.connect_direct());
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            doc.keys().collect::<Vec<_>>(),
            "{section}: tables"
        );
        for (name, table) in &doc {
            assert_eq!(ours[name].columns, table.columns, "{name}: columns");
            assert_eq!(
                ours[name].names, table.names,
                "{name}: constraint and index names"
            );
        }
    }
}
