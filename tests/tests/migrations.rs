//! Every migration is exactly reversible, and the embedded sets agree with each other.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use db_core::migrate::{MigrateOptions, MigrationSet, RollbackOptions, RollbackTarget, Runner};
use diesel::migration::{MigrationConnection, MigrationSource};
use diesel::pg::Pg;
use diesel_migrations::MigrationHarness;
use test_db::TestDatabase;
use tests::schema_dump;

/// Panics with the lines each dump has that the other lacks.
fn assert_same_schema(expected: &str, actual: &str, what: &str) {
    if expected == actual {
        return;
    }
    let only = |a: &str, b: &str| -> Vec<String> {
        let theirs: std::collections::BTreeSet<&str> = b.lines().collect();
        a.lines()
            .filter(|l| !theirs.contains(l))
            .map(str::to_owned)
            .collect()
    };
    panic!(
        "{what}: schemas differ\n--- only before:\n{}\n--- only after:\n{}",
        only(expected, actual).join("\n"),
        only(actual, expected).join("\n")
    );
}

/// For each migration in order: dump, up, down, dump again; the dumps must be equal.
fn each_down_undoes_its_up(set: &'static MigrationSet) {
    let db = TestDatabase::empty();
    let mut conn = db.connect();
    conn.setup().expect("create __diesel_schema_migrations");
    for m in set.migrations {
        let before = schema_dump(db.url());
        conn.run_migration(m)
            .unwrap_or_else(|e| panic!("{} up: {e}", m.name));
        let after_up = schema_dump(db.url());
        assert_ne!(before, after_up, "{} changes nothing", m.name);
        conn.revert_migration(m)
            .unwrap_or_else(|e| panic!("{} down: {e}", m.name));
        assert_same_schema(
            &before,
            &schema_dump(db.url()),
            &format!("{} up then down", m.name),
        );
        conn.run_migration(m)
            .unwrap_or_else(|e| panic!("{} up again: {e}", m.name));
        assert_same_schema(
            &after_up,
            &schema_dump(db.url()),
            &format!("{} up again", m.name),
        );
    }
}

/// Every auth migration's down.sql restores the schema its up.sql found.
#[test]
fn auth_migrations_are_reversible_one_by_one() {
    each_down_undoes_its_up(&auth_db::MIGRATION_SET);
}

/// Every specs migration's down.sql restores the schema its up.sql found.
#[test]
fn specs_migrations_are_reversible_one_by_one() {
    each_down_undoes_its_up(&specs_db::MIGRATION_SET);
}

/// Up to head, down to nothing, up again: the empty and the full schema come back identical.
fn full_round_trip(set: &'static MigrationSet) {
    let db = TestDatabase::empty();
    let mut conn = db.connect();
    let runner = Runner::new(set);
    let empty = schema_dump(db.url());
    let report = runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("migrate");
    assert_eq!(report.steps.len(), set.migrations.len());
    let full = schema_dump(db.url());
    let all = RollbackOptions {
        target: RollbackTarget::All,
        allow_data_loss: false,
        dry_run: false,
    };
    let report = runner.rollback(&mut conn, &all).expect("rollback to zero");
    assert_eq!(report.steps.len(), set.migrations.len());
    assert_same_schema(
        &empty,
        &schema_dump(db.url()),
        "after rolling everything back",
    );
    assert_eq!(runner.status(&mut conn).expect("status").applied, 0);
    runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("migrate again");
    assert_same_schema(&full, &schema_dump(db.url()), "after migrating again");
    assert!(runner.status(&mut conn).expect("status").is_current());
}

/// socrates_auth survives up -> down to zero -> up unchanged.
#[test]
fn auth_full_round_trip() {
    full_round_trip(&auth_db::MIGRATION_SET);
}

/// socrates_specs survives up -> down to zero -> up unchanged.
#[test]
fn specs_full_round_trip() {
    full_round_trip(&specs_db::MIGRATION_SET);
}

/// `MIGRATIONS` (embed_migrations!) and `MIGRATION_SET` (the runner's) are the same
/// migrations, and Diesel's stock harness produces the same schema as the runner.
fn stock_harness_agrees(
    set: &'static MigrationSet,
    embedded: diesel_migrations::EmbeddedMigrations,
) {
    let stock: Vec<String> = MigrationSource::<Pg>::migrations(&embedded)
        .expect("embedded migrations")
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let ours: Vec<String> = set
        .migrations
        .iter()
        .map(|m| m.version.to_owned())
        .collect();
    assert_eq!(stock, ours);

    let by_diesel = TestDatabase::empty();
    by_diesel
        .connect()
        .run_pending_migrations(embedded)
        .expect("diesel's harness applies the set");
    let by_runner = TestDatabase::new(set);
    assert_same_schema(
        &schema_dump(by_runner.url()),
        &schema_dump(by_diesel.url()),
        "runner vs diesel harness",
    );
}

/// auth: the stock harness and the runner agree.
#[test]
fn auth_stock_harness_agrees_with_runner() {
    stock_harness_agrees(&auth_db::MIGRATION_SET, auth_db::MIGRATIONS);
}

/// specs: the stock harness and the runner agree.
#[test]
fn specs_stock_harness_agrees_with_runner() {
    stock_harness_agrees(&specs_db::MIGRATION_SET, specs_db::MIGRATIONS);
}
