//! The runner's guards refuse before they write: a foreign database is left
//! exactly as it was (bookkeeping included), a first run that fails leaves
//! nothing behind, and reading commands and no-ops write nothing.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use db_core::migrate::{
    MigrateError, MigrateOptions, MigrationSet, RollbackOptions, RollbackTarget, Runner,
    SqlMigration,
};
use diesel::connection::SimpleConnection;
use test_db::TestDatabase;
use tests::full_schema_dump;

static AUTH: &MigrationSet = &auth_db::MIGRATION_SET;
static SPECS: &MigrationSet = &specs_db::MIGRATION_SET;

fn rollback(target: RollbackTarget) -> RollbackOptions {
    RollbackOptions {
        target,
        allow_data_loss: true,
        dry_run: false,
    }
}

/// Item 2: another application's database is refused by every set, whatever
/// it holds (a table whose name collides with ours, a function, a type), and
/// nothing is written: no `__diesel_schema_migrations`, no `__socrates_*`, no
/// `diesel_*` function; `status` says why, and `rollback --all` refuses too.
#[test]
fn a_foreign_database_is_refused_before_any_write() {
    let foreign = [
        ("a table named like ours", "CREATE TABLE users (id int)"),
        ("a table named like ours", "CREATE TABLE projects (id int)"),
        (
            "a function",
            "CREATE FUNCTION their_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        ),
        ("a type", "CREATE TYPE mood AS ENUM ('happy')"),
        ("a view", "CREATE VIEW their_view AS SELECT 1 AS one"),
        ("a sequence", "CREATE SEQUENCE their_seq"),
        ("a schema", "CREATE SCHEMA theirs"),
    ];
    for (what, sql) in foreign {
        for set in [AUTH, SPECS] {
            let db = TestDatabase::empty();
            let mut conn = db.conn();
            conn.batch_execute(sql).expect("foreign object");
            let before = full_schema_dump(db.url());
            let err = Runner::new(set)
                .migrate(&mut conn, &MigrateOptions::default())
                .expect_err("a foreign database must be refused");
            assert!(
                matches!(err, MigrateError::WrongDatabase { .. }),
                "{what}, {}: {err:?}",
                set.name
            );
            assert!(
                err.to_string()
                    .contains("it is not marked as a Socrates database"),
                "{what}: {err}"
            );
            let status = Runner::new(set).status(&mut conn).expect("status");
            assert!(
                status.identity_problem.is_some(),
                "{what}: status calls it ours"
            );
            assert!(!status.is_current());
            let err = Runner::new(set)
                .rollback(&mut conn, &rollback(RollbackTarget::All))
                .expect_err("rollback --all must be refused");
            assert!(matches!(err, MigrateError::WrongDatabase { .. }), "{err:?}");
            assert_eq!(
                full_schema_dump(db.url()),
                before,
                "{what}, {}: the refusal wrote to the database",
                set.name
            );
        }
    }
}

/// Item 2: on a database that holds nothing yet, a first run whose migration
/// fails leaves nothing behind: no bookkeeping, no earlier migration's objects.
#[test]
fn a_first_run_that_fails_leaves_nothing_behind() {
    let mut migrations: Vec<SqlMigration> = AUTH.migrations.to_vec();
    let broken: &'static str =
        Box::leak(format!("{}\nSELECT no_such_function();\n", migrations[2].up).into_boxed_str());
    migrations[2].up = broken;
    let set: &'static MigrationSet = Box::leak(Box::new(MigrationSet {
        name: AUTH.name,
        default_database: AUTH.default_database,
        migrations: Box::leak(migrations.into_boxed_slice()),
    }));
    let db = TestDatabase::empty();
    let mut conn = db.conn();
    let before = full_schema_dump(db.url());
    let err = Runner::new(set)
        .migrate(&mut conn, &MigrateOptions::default())
        .expect_err("the broken migration fails");
    assert!(matches!(err, MigrateError::Failed { .. }), "{err:?}");
    assert_eq!(
        full_schema_dump(db.url()),
        before,
        "the failed first run left objects"
    );
    // Fixed, it runs from the start.
    let report = Runner::new(AUTH)
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("migrate");
    assert_eq!(report.steps.len(), AUTH.migrations.len());
}

/// Item 4: reading commands and no-ops write nothing, not even bookkeeping, on
/// an empty database and on a migrated one.
#[test]
fn reads_and_no_ops_write_nothing() {
    for set in [AUTH, SPECS] {
        let db = TestDatabase::empty();
        let mut conn = db.conn();
        let before = full_schema_dump(db.url());
        let runner = Runner::new(set);
        runner.status(&mut conn).expect("status");
        let dry = MigrateOptions {
            dry_run: true,
            target: None,
        };
        assert_eq!(
            runner
                .migrate(&mut conn, &dry)
                .expect("dry run")
                .steps
                .len(),
            set.migrations.len()
        );
        for target in [RollbackTarget::Steps(1), RollbackTarget::All] {
            let report = runner
                .rollback(&mut conn, &rollback(target.clone()))
                .expect("rollback");
            assert!(report.steps.is_empty() && report.adopted.is_empty());
            let report = runner.redo(&mut conn, &rollback(target)).expect("redo");
            assert!(report.steps.is_empty());
        }
        assert!(runner.acknowledge(&mut conn, &[]).expect("ack").is_empty());
        assert_eq!(
            full_schema_dump(db.url()),
            before,
            "{}: a no-op on an empty database wrote",
            set.name
        );

        runner
            .migrate(&mut conn, &MigrateOptions::default())
            .expect("migrate");
        let migrated = full_schema_dump(db.url());
        let report = runner
            .migrate(&mut conn, &MigrateOptions::default())
            .expect("again");
        assert!(report.steps.is_empty() && report.adopted.is_empty());
        runner.status(&mut conn).expect("status");
        assert!(runner.acknowledge(&mut conn, &[]).expect("ack").is_empty());
        assert_eq!(
            full_schema_dump(db.url()),
            migrated,
            "{}: a no-op wrote",
            set.name
        );
    }
}
