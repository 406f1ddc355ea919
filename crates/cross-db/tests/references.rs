//! The typed boundary covers every write: each registered column is written
//! by exactly the specs structs that implement `References` for it.
//!
//! The structs that write a column are read from `specs-db/src/models`: every
//! `Insertable` or `AsChangeset` struct, its `table_name` and its fields (a
//! field is a column of that name). Nothing here is listed by hand, so a new
//! model struct with a cross-database column, or a new registered column,
//! fails this test until `cross_db::references` covers it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cross_db::REFERENCES;
use cross_db::references::WRITERS;

/// A struct of the models that writes rows, with its table and fields.
#[derive(Debug)]
struct Model {
    name: String,
    table: String,
    fields: Vec<String>,
}

/// The writing structs (`Insertable`, `AsChangeset`) of one models file.
fn writing_structs(source: &str) -> Vec<Model> {
    let mut found = Vec::new();
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let mut derives = String::new();
    let mut table = None;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("#[derive(") {
            derives = (*line).to_owned();
            table = None;
        } else if let Some(rest) = line.strip_prefix("#[diesel(table_name = ") {
            table = rest.split([',', ')']).next().map(|t| t.trim().to_owned());
        } else if let Some(rest) = line.strip_prefix("pub struct ") {
            let writes = derives.contains("Insertable") || derives.contains("AsChangeset");
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if let (true, Some(table)) = (writes, table.take()) {
                let fields = lines[i + 1..]
                    .iter()
                    .take_while(|l| **l != "}")
                    .filter_map(|l| l.strip_prefix("pub "))
                    .filter_map(|l| l.split(':').next())
                    .map(str::to_owned)
                    .collect();
                found.push(Model {
                    name,
                    table,
                    fields,
                });
            }
            derives.clear();
        }
    }
    found
}

fn models() -> Vec<Model> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs-db/src/models");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("specs-db models") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            all.extend(writing_structs(
                &std::fs::read_to_string(&path).expect("model source"),
            ));
        }
    }
    assert!(
        all.len() > 40,
        "the models were not read: {} writing structs found",
        all.len()
    );
    all
}

#[test]
fn every_registered_column_is_covered_by_exactly_the_structs_that_write_it() {
    let models = models();
    // (table, column) -> structs that write it, from the models' source.
    let mut writes: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for m in &models {
        for f in &m.fields {
            writes
                .entry((m.table.clone(), f.clone()))
                .or_default()
                .insert(m.name.clone());
        }
    }
    // (table, column) -> structs whose `References` covers it.
    let mut covered: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for w in WRITERS {
        for (table, column) in w.columns {
            covered
                .entry(((*table).to_owned(), (*column).to_owned()))
                .or_default()
                .insert(w.name.to_owned());
        }
        for (entry, (table, column)) in w.entries().zip(w.columns) {
            assert!(
                entry.is_some(),
                "{} covers {table}.{column}, which is not a registered cross-database column",
                w.name
            );
        }
    }
    for r in REFERENCES {
        let key = (r.table.to_owned(), r.column.to_owned());
        let by_models = writes.get(&key).cloned().unwrap_or_default();
        let by_trait = covered.get(&key).cloned().unwrap_or_default();
        assert_eq!(
            by_models, by_trait,
            "{}.{}: the structs that write it (left) and those whose References cover it (right) differ",
            r.table, r.column
        );
    }
    // And nothing covers a column no struct writes.
    for (key, structs) in &covered {
        assert_eq!(
            writes.get(key),
            Some(structs),
            "{}.{} is covered by structs that do not write it",
            key.0,
            key.1
        );
    }
}

/// The parser is checked on a sample, so a change of the models' layout
/// cannot make the coverage test vacuous.
#[test]
fn the_models_are_read_as_written() {
    let sample = "\
/// A new row.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = widgets)]
pub struct NewWidget<'a> {
    /// doc
    pub id: WidgetId,
    pub owner_id: UserId,
    pub name: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = widgets, check_for_backend(diesel::pg::Pg))]
pub struct Widget {
    pub id: WidgetId,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = widgets)]
pub struct WidgetChanges<'a> {
    pub name: Option<&'a str>,
}
";
    let found = writing_structs(sample);
    let names: Vec<(&str, &str, Vec<&str>)> = found
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                m.table.as_str(),
                m.fields.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("NewWidget", "widgets", vec!["id", "owner_id", "name"]),
            ("WidgetChanges", "widgets", vec!["name"]),
        ]
    );
    let all = models();
    let projects = all
        .iter()
        .find(|m| m.name == "NewProject")
        .expect("NewProject is read");
    assert_eq!(projects.table, "projects");
    assert!(projects.fields.iter().any(|f| f == "owner_id"));
}

/// `Refs::of` takes what a value names, and nothing for NULL or unset columns.
#[test]
fn references_come_from_the_value() {
    use cross_db::Refs;
    use db_core::{TeamId, UserId};
    use specs_db::enums::AccessType;
    use specs_db::ids::{ProjectId, ProjectShareId};
    use specs_db::models::{NewProjectShare, ProjectChanges, ProjectShareChanges};

    let (actor, team) = (UserId::new(), TeamId::new());
    let share = NewProjectShare {
        shared_with_team_id: Some(team),
        ..NewProjectShare::new(
            ProjectShareId::new(),
            ProjectId::new(),
            AccessType::Team,
            actor,
        )
    };
    assert_eq!(Refs::of(&share), Refs::new().user(actor).team(team));
    assert!(Refs::of(&ProjectChanges::default()).is_empty());
    assert!(Refs::of(&ProjectShareChanges::default()).is_empty());
    let cleared = ProjectShareChanges {
        shared_with_user_id: Some(None),
        ..ProjectShareChanges::default()
    };
    assert!(Refs::of(&cleared).is_empty());
    let rows = vec![share.clone(), share];
    assert_eq!(Refs::of(&rows), Refs::new().user(actor).team(team));
}
