//! `docs/SCALE-OUT.md` against the catalog: the plan to distribute
//! `socrates_specs` names every table, and every key that lacks `project_id`
//! today, with what it becomes; a schema change that adds a table or a key
//! fails here until the plan says what happens to it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::{Array, Text};
use test_db::TestDatabase;

/// The rows of the markdown table that follows `heading`, as cells without
/// their backticks (header and separator rows left out).
fn table_after(doc: &str, heading: &str) -> Vec<Vec<String>> {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("SCALE-OUT.md has no section {heading:?}"));
    doc[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace('`', ""))
                .collect()
        })
        .collect()
}

fn plan() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/SCALE-OUT.md");
    std::fs::read_to_string(path).expect("docs/SCALE-OUT.md")
}

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    key_name: String,
    #[diesel(sql_type = Array<Text>)]
    columns: Vec<String>,
}

/// Every primary key, unique constraint and unique index of the migrated
/// specs database, with its columns.
fn unique_keys(conn: &mut PgConnection) -> Vec<Key> {
    diesel::sql_query(
        "SELECT c.relname::text AS table_name, i.relname::text AS key_name, \
                array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(n, o) \
                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n ORDER BY k.o) AS columns \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND x.indisunique AND c.relname NOT LIKE '\\_\\_%' \
         ORDER BY 1, 2",
    )
    .load(conn)
    .expect("unique keys")
}

#[test]
fn the_scale_out_plan_matches_the_catalog() {
    let doc = plan();
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut conn = db.conn();

    // Every table is planned, once, as distributed (with its column), reference or local.
    let tables: BTreeSet<String> = diesel::sql_query(
        "SELECT tablename::text AS key_name, tablename::text AS table_name, ARRAY[]::text[] AS columns \
         FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_%'",
    )
    .load::<Key>(&mut conn)
    .expect("tables")
    .into_iter()
    .map(|k| k.table_name)
    .collect();
    assert!(tables.len() >= 24, "the catalog was not read: {tables:?}");
    let mut planned: BTreeMap<String, (String, String)> = BTreeMap::new();
    for row in table_after(&doc, "## Tables") {
        let [table, kind, column, ..] = row.as_slice() else {
            panic!("a row of ## Tables has too few cells: {row:?}");
        };
        assert!(
            ["distributed", "reference", "local"].contains(&kind.as_str()),
            "{table}: kind {kind:?}"
        );
        assert_eq!(
            kind == "distributed",
            !column.is_empty(),
            "{table}: a distributed table, and only one, names its distribution column"
        );
        assert!(
            planned
                .insert(table.clone(), (kind.clone(), column.clone()))
                .is_none(),
            "{table} is planned twice"
        );
    }
    let planned_tables: BTreeSet<String> = planned.keys().cloned().collect();
    assert_eq!(
        planned_tables, tables,
        "the tables of SCALE-OUT.md (left) and of the catalog (right) differ"
    );

    // Every key without project_id is listed with what it becomes, and nothing else is.
    let lacking: BTreeMap<(String, String), Vec<String>> = unique_keys(&mut conn)
        .into_iter()
        .filter(|k| !k.columns.iter().any(|c| c == "project_id"))
        .map(|k| ((k.table_name, k.key_name), k.columns))
        .collect();
    assert!(
        lacking.contains_key(&("projects".to_owned(), "projects_pkey".to_owned())),
        "the keys were not read: {lacking:?}"
    );
    let mut listed: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for row in table_after(&doc, "## Keys without project_id") {
        let [table, key, today, becomes, ..] = row.as_slice() else {
            panic!("a row of ## Keys without project_id has too few cells: {row:?}");
        };
        listed.insert(
            (table.clone(), key.clone()),
            (today.clone(), becomes.clone()),
        );
    }
    let want: BTreeSet<&(String, String)> = lacking.keys().collect();
    let got: BTreeSet<&(String, String)> = listed.keys().collect();
    assert_eq!(
        got, want,
        "the keys SCALE-OUT.md lists (left) and the catalog's keys without project_id (right) differ"
    );
    for ((table, key), (today, becomes)) in &listed {
        assert_eq!(
            today,
            &lacking[&(table.clone(), key.clone())].join(", "),
            "{table}.{key}: its columns today"
        );
        let (kind, column) = &planned[table];
        if kind == "distributed" {
            assert!(
                becomes.contains(column.as_str()),
                "{table}.{key}: a key of a table distributed by {column} must include it, \
                 but the plan says it becomes {becomes:?}"
            );
        } else {
            assert!(
                becomes.starts_with("unchanged"),
                "{table}.{key}: keys of {kind} tables stay as they are"
            );
        }
    }
}
