//! The migrated schemas, read back from the catalog: the house rules hold, the
//! tables and columns are those SCHEMA.md specifies, and every Rust enum has
//! exactly its CHECK constraint's values.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::collections::{BTreeMap, BTreeSet};

use db_core::EnumColumn;
use db_core::migrate::MigrationSet;
use diesel::prelude::*;
use test_db::TestDatabase;
use tests::{
    catalog_columns, catalog_constraints, catalog_indexes, doc_default, doc_type, named, schema_doc,
};

fn both() -> [(&'static MigrationSet, &'static str); 2] {
    [
        (&auth_db::MIGRATION_SET, "socrates_auth"),
        (&specs_db::MIGRATION_SET, "socrates_specs"),
    ]
}

/// Every table's primary key is `<table>_pkey` on a `uuid id` that defaults to `gen_random_uuid()`.
#[test]
fn every_table_has_a_uuid_primary_key_with_a_default() {
    for (set, _) in both() {
        let db = TestDatabase::new(set);
        let mut conn = db.conn();
        let columns = catalog_columns(&mut conn);
        let tables: BTreeSet<&str> = columns.iter().map(|c| c.table_name.as_str()).collect();
        let pkeys = named(
            &mut conn,
            "SELECT c.relname::text AS table_name, k.conname::text AS name, pg_get_constraintdef(k.oid) AS detail \
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE k.contype = 'p' AND n.nspname = 'public' AND c.relname NOT LIKE '\\_\\_%'",
        );
        for table in &tables {
            let pkey = pkeys.iter().find(|p| p.table_name == *table);
            let pkey = pkey.unwrap_or_else(|| panic!("{table} has no primary key"));
            assert_eq!(pkey.name, format!("{table}_pkey"));
            assert_eq!(pkey.detail, "PRIMARY KEY (id)", "{table}");
            let id = columns
                .iter()
                .find(|c| c.table_name == *table && c.column_name == "id");
            let id = id.unwrap_or_else(|| panic!("{table} has no id"));
            assert_eq!(
                (id.position, id.data_type.as_str()),
                (1, "uuid"),
                "{table}.id"
            );
            assert_eq!(
                id.default.as_deref(),
                Some("gen_random_uuid()"),
                "{table}.id"
            );
        }
    }
}

/// No `timestamp without time zone` (nor `json`, nor `varchar[]`) anywhere.
#[test]
fn every_timestamp_is_timestamptz() {
    for (set, _) in both() {
        let db = TestDatabase::new(set);
        for c in catalog_columns(&mut db.conn()) {
            let t = c.data_type.as_str();
            assert!(
                !t.starts_with("timestamp without")
                    && t != "json"
                    && !t.starts_with("character varying[]"),
                "{}.{} is {t}",
                c.table_name,
                c.column_name
            );
        }
    }
}

#[derive(QueryableByName, Debug)]
struct KeyRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    /// Column numbers, space separated.
    #[diesel(sql_type = diesel::sql_types::Text)]
    keys: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    partial: bool,
}

fn indexes(conn: &mut PgConnection) -> Vec<KeyRow> {
    diesel::sql_query(
        "SELECT t.relname::text AS table_name, i.relname::text AS name, \
                array_to_string(x.indkey::int2[], ' ') || coalesce(' expr:' || pg_get_expr(x.indexprs, x.indrelid), '') AS keys, \
                x.indpred IS NOT NULL AS partial \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname NOT LIKE '\\_\\_%'",
    )
    .load(conn)
    .expect("indexes")
}

/// Every foreign key's columns lead a (non-partial) index, so parent deletes and joins never scan.
#[test]
fn every_foreign_key_column_is_indexed() {
    for (set, _) in both() {
        let db = TestDatabase::new(set);
        let mut conn = db.conn();
        let fks: Vec<KeyRow> = diesel::sql_query(
            "SELECT c.relname::text AS table_name, k.conname::text AS name, \
                    array_to_string(k.conkey, ' ') AS keys, false AS partial \
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE k.contype = 'f' AND n.nspname = 'public'",
        )
        .load(&mut conn)
        .expect("foreign keys");
        assert!(!fks.is_empty());
        let indexes = indexes(&mut conn);
        for fk in &fks {
            let covered = indexes.iter().any(|i| {
                i.table_name == fk.table_name
                    && !i.partial
                    && (i.keys == fk.keys || i.keys.starts_with(&format!("{} ", fk.keys)))
            });
            assert!(
                covered,
                "{}: foreign key {} has no index leading with its columns",
                fk.table_name, fk.name
            );
        }
    }
}

/// Every cross-database reference column (specs -> auth) leads an index too (SCHEMA.md 5).
#[test]
fn every_cross_database_column_is_indexed() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut conn = db.conn();
    let columns = catalog_columns(&mut conn);
    let indexes = indexes(&mut conn);
    let xdb: Vec<_> = columns
        .iter()
        .filter(|c| {
            c.comment
                .as_deref()
                .unwrap_or("")
                .starts_with("Cross-DB ref to socrates_auth.")
        })
        .collect();
    assert_eq!(
        xdb.len(),
        17,
        "SCHEMA.md 5.1 and 5.2 list 17 cross-database columns"
    );
    for c in xdb {
        let leads = indexes.iter().any(|i| {
            i.table_name == c.table_name
                && i.keys.split(' ').next() == Some(c.position.to_string().as_str())
        });
        assert!(
            leads,
            "{}.{} is not the first column of any index",
            c.table_name, c.column_name
        );
    }
}

/// No two indexes of a table (unique constraints and primary keys included) share a column list.
#[test]
fn no_two_indexes_share_a_column_list() {
    for (set, _) in both() {
        let db = TestDatabase::new(set);
        let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
        for i in indexes(&mut db.conn()) {
            if let Some(other) = seen.insert((i.table_name.clone(), i.keys.clone()), i.name.clone())
            {
                panic!(
                    "{}: indexes {other} and {} have the same columns",
                    i.table_name, i.name
                );
            }
        }
    }
}

/// Every table and every column carries a comment (they become schema.rs docs).
#[test]
fn every_table_and_column_has_a_comment() {
    for (set, _) in both() {
        let db = TestDatabase::new(set);
        let mut conn = db.conn();
        for c in catalog_columns(&mut conn) {
            assert!(
                c.comment.as_deref().is_some_and(|t| !t.trim().is_empty()),
                "{}.{} has no comment",
                c.table_name,
                c.column_name
            );
        }
        let tables = named(
            &mut conn,
            "SELECT c.relname::text AS table_name, c.relname::text AS name, coalesce(obj_description(c.oid, 'pg_class'), '') AS detail \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE '\\_\\_%'",
        );
        for t in tables {
            assert!(
                !t.detail.trim().is_empty(),
                "table {} has no comment",
                t.name
            );
        }
    }
}

/// A table has the `set_updated_at` trigger if and only if it has an `updated_at` column.
#[test]
fn every_updated_at_has_its_trigger() {
    for (set, _) in both() {
        let db = TestDatabase::new(set);
        let mut conn = db.conn();
        let with_column: BTreeSet<String> = catalog_columns(&mut conn)
            .into_iter()
            .filter(|c| c.column_name == "updated_at")
            .map(|c| c.table_name)
            .collect();
        let triggers = named(
            &mut conn,
            "SELECT c.relname::text AS table_name, t.tgname::text AS name, pg_get_triggerdef(t.oid) AS detail \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal",
        );
        let with_trigger: BTreeSet<String> = triggers
            .iter()
            .filter(|t| t.name == "set_updated_at")
            .inspect(|t| {
                assert!(
                    t.detail.contains("BEFORE UPDATE")
                        && t.detail.contains("diesel_set_updated_at()"),
                    "{}: {}",
                    t.table_name,
                    t.detail
                );
            })
            .map(|t| t.table_name.clone())
            .collect();
        assert!(!with_column.is_empty());
        assert_eq!(with_column, with_trigger);
    }
}

/// The two audit tables refuse UPDATE and DELETE through their append-only triggers.
#[test]
fn audit_tables_have_append_only_triggers() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let triggers = named(
        &mut db.conn(),
        "SELECT c.relname::text AS table_name, t.tgname::text AS name, pg_get_triggerdef(t.oid) AS detail \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'trg\\_%'",
    );
    let defs: BTreeMap<&str, &str> = triggers
        .iter()
        .map(|t| (t.name.as_str(), t.detail.as_str()))
        .collect();
    assert_eq!(defs.len(), 2, "{defs:?}");
    assert!(defs["trg_audit_logs_append_only"].contains("forbid_append_only_mutation('user_id')"));
    assert!(
        defs["trg_admin_audit_logs_append_only"]
            .contains("BEFORE DELETE OR UPDATE ON public.admin_audit_logs")
    );
}

/// No foreign key leaves socrates_specs: every one points at a specs table, none
/// sits on a cross-database column, and no auth table lives in specs.
#[test]
fn no_foreign_key_crosses_from_specs_to_auth() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut conn = db.conn();
    let specs_tables = specs_db::MIGRATION_SET.tables();
    let auth_only: BTreeSet<String> = auth_db::MIGRATION_SET
        .tables()
        .difference(&specs_tables)
        .cloned()
        .collect();
    let refs = named(
        &mut conn,
        "SELECT c.relname::text AS table_name, k.conname::text AS name, r.relname::text AS detail \
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid \
         WHERE k.contype = 'f'",
    );
    for fk in &refs {
        assert!(
            specs_tables.contains(&fk.detail),
            "{} points outside specs: {}",
            fk.name,
            fk.detail
        );
        assert!(
            !auth_only.contains(&fk.detail),
            "{} points at an auth table",
            fk.name
        );
    }
    let fk_columns = named(
        &mut conn,
        "SELECT c.relname::text AS table_name, a.attname::text AS name, '' AS detail \
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey) WHERE k.contype = 'f'",
    );
    for c in catalog_columns(&mut conn) {
        if c.comment
            .as_deref()
            .unwrap_or("")
            .starts_with("Cross-DB ref")
        {
            assert!(
                !fk_columns
                    .iter()
                    .any(|f| f.table_name == c.table_name && f.name == c.column_name),
                "{}.{} is a cross-database reference with a foreign key",
                c.table_name,
                c.column_name
            );
        }
    }
    let present: BTreeSet<String> = catalog_columns(&mut conn)
        .into_iter()
        .map(|c| c.table_name)
        .collect();
    assert!(
        present.is_disjoint(&auth_only),
        "auth tables in specs: {present:?}"
    );
}

/// The catalog holds exactly SCHEMA.md's tables, each with its columns in order
/// (type, nullability, default), and exactly its named constraints and indexes.
#[test]
fn catalog_matches_schema_md() {
    for (set, database) in both() {
        let doc = schema_doc(database);
        let db = TestDatabase::new(set);
        let mut conn = db.conn();
        let columns = catalog_columns(&mut conn);
        let tables: BTreeSet<String> = columns.iter().map(|c| c.table_name.clone()).collect();
        let documented: BTreeSet<String> = doc.keys().cloned().collect();
        assert_eq!(tables, documented, "{database}: table list");
        let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for n in catalog_constraints(&mut conn)
            .into_iter()
            .chain(catalog_indexes(&mut conn))
        {
            names.entry(n.table_name).or_default().insert(n.name);
        }
        for (table, spec) in &doc {
            let actual: Vec<(String, String, bool, Option<String>)> = columns
                .iter()
                .filter(|c| &c.table_name == table)
                .map(|c| {
                    (
                        c.column_name.clone(),
                        doc_type(&c.data_type),
                        c.nullable,
                        c.default.as_deref().map(doc_default),
                    )
                })
                .collect();
            let expected: Vec<(String, String, bool, Option<String>)> = spec
                .columns
                .iter()
                .map(|c| {
                    (
                        c.name.clone(),
                        c.data_type.clone(),
                        c.nullable,
                        c.default.clone(),
                    )
                })
                .collect();
            assert_eq!(actual, expected, "{database}.{table}: columns");
            let documented_names: BTreeSet<String> = spec.names.iter().cloned().collect();
            assert_eq!(
                names.get(table).cloned().unwrap_or_default(),
                documented_names,
                "{database}.{table}: constraint and index names"
            );
        }
    }
}

/// The literals of an enumeration CHECK, in order (`col IN ('a', 'b')` as PostgreSQL prints it).
fn check_values(definition: &str) -> Vec<String> {
    definition
        .split('\'')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, v)| v.to_owned())
        .collect()
}

fn enums_match_catalog(set: &'static MigrationSet, registry: &[EnumColumn]) {
    let db = TestDatabase::new(set);
    let checks = catalog_constraints(&mut db.conn());
    for e in registry {
        let name = e.constraint();
        let check = checks
            .iter()
            .find(|c| c.table_name == e.table && c.name == name);
        let check = check.unwrap_or_else(|| panic!("{}: no constraint {name}", e.type_name));
        assert_eq!(
            check_values(&check.detail),
            e.values,
            "{} vs {name}",
            e.type_name
        );
    }
    // And the other way round: every enumeration CHECK has its Rust enum.
    for c in checks.iter().filter(|c| c.detail.contains("= ANY (ARRAY[")) {
        assert!(
            registry
                .iter()
                .any(|e| e.table == c.table_name && e.constraint() == c.name),
            "{}: CHECK {} has no Rust enum in ENUM_COLUMNS",
            c.table_name,
            c.name
        );
    }
}

/// Each auth enum has exactly its CHECK's values, and each enum CHECK has an enum.
#[test]
fn auth_enums_match_their_check_constraints() {
    enums_match_catalog(&auth_db::MIGRATION_SET, auth_db::ENUM_COLUMNS);
}

/// Each specs enum has exactly its CHECK's values, and each enum CHECK has an enum.
#[test]
fn specs_enums_match_their_check_constraints() {
    enums_match_catalog(&specs_db::MIGRATION_SET, specs_db::ENUM_COLUMNS);
}

/// The constraint names code relies on (`auth_db::constraints`,
/// `specs_db::constraints`) exist in the migrated catalog, as constraints or
/// (for partial unique indexes) as indexes.
#[test]
fn constraint_names_in_code_exist_in_the_catalog() {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    for (set, names) in [
        (&auth_db::MIGRATION_SET, auth_db::constraints::ALL),
        (&specs_db::MIGRATION_SET, specs_db::constraints::ALL),
    ] {
        let db = TestDatabase::new(set);
        let known: BTreeSet<String> = diesel::sql_query(
            "SELECT conname::text AS name FROM pg_constraint c \
               JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' \
             UNION SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'",
        )
        .load::<Name>(&mut db.conn())
        .expect("constraint names")
        .into_iter()
        .map(|n| n.name)
        .collect();
        assert!(known.len() > 50, "the catalog was not read: {known:?}");
        for name in names {
            assert!(
                known.contains(*name),
                "{}: {name} is not a constraint or index of the migrated database",
                set.name
            );
        }
    }
}
