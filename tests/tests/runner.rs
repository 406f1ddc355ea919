//! The migration runner's guarantees: concurrent runners apply each migration
//! once, and each guard (identity, checksum, rollback data loss, lock) refuses
//! with its message and changes nothing.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::sync::{Arc, Barrier};
use std::time::Duration;

use auth_db::models::NewUser;
use db_core::UserId;
use db_core::migrate::{
    ChecksumState, MigrateError, MigrateOptions, MigrationSet, RollbackOptions, RollbackTarget,
    Runner, SqlMigration,
};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use test_db::{TestDatabase, count};
use tests::schema_dump;

static AUTH: &MigrationSet = &auth_db::MIGRATION_SET;
static SPECS: &MigrationSet = &specs_db::MIGRATION_SET;

fn rollback(target: RollbackTarget, allow_data_loss: bool) -> RollbackOptions {
    RollbackOptions {
        target,
        allow_data_loss,
        dry_run: false,
    }
}

fn insert_user(conn: &mut PgConnection, email: &str) -> UserId {
    let id = UserId::new();
    diesel::insert_into(auth_db::schema::users::table)
        .values(NewUser::new(
            id,
            email,
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        ))
        .execute(conn)
        .expect("insert user");
    id
}

/// A copy of `base` whose migration `index` has a different up.sql, as if edited after being applied.
fn edited(base: &'static MigrationSet, index: usize) -> &'static MigrationSet {
    let mut migrations: Vec<SqlMigration> = base.migrations.to_vec();
    let up: &'static str =
        Box::leak(format!("{}\n-- edited afterwards\n", migrations[index].up).into_boxed_str());
    migrations[index].up = up;
    Box::leak(Box::new(MigrationSet {
        name: base.name,
        default_database: base.default_database,
        migrations: Box::leak(migrations.into_boxed_slice()),
    }))
}

/// Eight runners started at once on two fresh databases all succeed, and every
/// migration is applied exactly once.
#[test]
fn eight_concurrent_runners_apply_each_migration_once() {
    let auth = TestDatabase::empty();
    let specs = TestDatabase::empty();
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (auth_url, specs_url) = (auth.direct_url().clone(), specs.direct_url().clone());
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut a = db_core::connect(&auth_url).expect("connect");
                let mut s = db_core::connect(&specs_url).expect("connect");
                barrier.wait();
                let ra = Runner::new(AUTH).migrate(&mut a, &MigrateOptions::default());
                let rs = Runner::new(SPECS).migrate(&mut s, &MigrateOptions::default());
                (
                    ra.expect("auth runner").steps.len(),
                    rs.expect("specs runner").steps.len(),
                )
            })
        })
        .collect();
    let results: Vec<(usize, usize)> = handles
        .into_iter()
        .map(|h| h.join().expect("runner thread"))
        .collect();
    assert_eq!(
        results.iter().map(|r| r.0).sum::<usize>(),
        AUTH.migrations.len()
    );
    assert_eq!(
        results.iter().map(|r| r.1).sum::<usize>(),
        SPECS.migrations.len()
    );
    for (db, set) in [(&auth, AUTH), (&specs, SPECS)] {
        let mut conn = db.connect_direct();
        let n = set.migrations.len() as i64;
        assert_eq!(
            count(
                &mut conn,
                "SELECT count(*) AS n FROM __diesel_schema_migrations"
            ),
            n
        );
        assert_eq!(
            count(
                &mut conn,
                "SELECT count(DISTINCT version) AS n FROM __socrates_migrations"
            ),
            n
        );
        assert!(
            Runner::new(set)
                .status(&mut conn)
                .expect("status")
                .is_current()
        );
    }
}

/// The auth set refuses the specs database (marked by the runner) and vice versa, changing nothing.
#[test]
fn identity_guard_refuses_the_other_database() {
    for (db_set, wrong_set) in [(SPECS, AUTH), (AUTH, SPECS)] {
        let db = TestDatabase::new(db_set);
        let mut conn = db.connect_direct();
        let before = schema_dump(db.direct_url());
        let err = Runner::new(wrong_set)
            .migrate(&mut conn, &MigrateOptions::default())
            .expect_err("the wrong set must be refused");
        assert!(matches!(err, MigrateError::WrongDatabase { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with(&format!(
                "refusing to run the {} migrations on database {}",
                wrong_set.name,
                db.name()
            )),
            "{message}"
        );
        let article = if db_set.name == "auth" { "an" } else { "a" };
        assert!(
            message.contains(&format!(
                "it is marked as {article} {} database",
                db_set.name
            )),
            "{message}"
        );
        let status = Runner::new(wrong_set).status(&mut conn).expect("status");
        assert!(status.identity_problem.is_some());
        let err = Runner::new(wrong_set)
            .rollback(&mut conn, &rollback(RollbackTarget::All, true))
            .expect_err("rollback of the wrong set must be refused too");
        assert!(matches!(err, MigrateError::WrongDatabase { .. }), "{err:?}");
        assert_eq!(
            schema_dump(db.direct_url()),
            before,
            "a refusal changes nothing"
        );
    }
}

/// A specs database migrated by the stock diesel harness (no marker) is still
/// recognised: it has migrations the auth set does not contain.
#[test]
fn identity_guard_recognises_databases_migrated_by_diesel() {
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    conn.run_pending_migrations(specs_db::MIGRATIONS)
        .expect("stock harness");
    let err = Runner::new(AUTH)
        .migrate(&mut conn, &MigrateOptions::default())
        .expect_err("refused");
    let message = err.to_string();
    assert!(
        message.contains("it has applied migrations the auth set does not contain"),
        "{message}"
    );
    assert!(message.contains("20251111000003"), "{message}");
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'users'"
        ),
        0
    );
}

/// A database holding foreign tables and no migration history is refused, not merged into.
#[test]
fn identity_guard_refuses_unknown_tables() {
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    conn.batch_execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        .expect("legacy table");
    let err = Runner::new(AUTH)
        .migrate(&mut conn, &MigrateOptions::default())
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("it already holds tables the auth set does not create (alembic_version)"),
        "{err}"
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE '\\_\\_%'"
        ),
        0
    );
}

/// Migrations applied by the diesel CLI are adopted into the ledger on the next run.
#[test]
fn migrations_applied_by_diesel_are_adopted() {
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    conn.run_pending_migrations(auth_db::MIGRATIONS)
        .expect("stock harness");
    let runner = Runner::new(AUTH);
    let status = runner.status(&mut conn).expect("status");
    assert!(
        status
            .migrations
            .iter()
            .all(|m| m.checksum_state == ChecksumState::Unrecorded)
    );
    assert_eq!(status.marker, None);
    let report = runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("migrate");
    assert_eq!(report.adopted.len(), AUTH.migrations.len());
    assert!(report.steps.is_empty());
    let status = runner.status(&mut conn).expect("status");
    assert!(status.is_current());
    assert_eq!(status.marker.as_deref(), Some("auth"));
    assert!(
        status
            .migrations
            .iter()
            .all(|m| m.recorded_by.as_deref() == Some("adopted"))
    );
}

/// An applied migration edited afterwards is reported, blocks migrate and rollback,
/// and is accepted again only once acknowledged.
#[test]
fn checksum_guard_blocks_edited_migrations_until_acknowledged() {
    let db = TestDatabase::new(AUTH);
    let mut conn = db.connect_direct();
    let changed = edited(AUTH, 3);
    let runner = Runner::new(changed);
    let status = runner.status(&mut conn).expect("status");
    assert_eq!(status.modified, 1);
    assert_eq!(status.migrations[3].checksum_state, ChecksumState::Modified);
    assert_ne!(
        status.migrations[3].recorded_checksum.as_deref(),
        Some(status.migrations[3].checksum.as_str())
    );

    let err = runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect_err("blocked");
    let message = err.to_string();
    assert!(matches!(err, MigrateError::ChecksumMismatch { .. }));
    assert!(message.contains(AUTH.migrations[3].name), "{message}");
    assert!(message.contains("acknowledge"), "{message}");
    let err = runner
        .rollback(&mut conn, &rollback(RollbackTarget::Steps(1), true))
        .expect_err("rollback is blocked too");
    assert!(matches!(err, MigrateError::ChecksumMismatch { .. }));
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM __diesel_schema_migrations"
        ),
        AUTH.migrations.len() as i64
    );

    let acknowledged = runner.acknowledge(&mut conn, &[]).expect("acknowledge");
    assert_eq!(acknowledged, vec![AUTH.migrations[3].name.to_owned()]);
    let status = runner.status(&mut conn).expect("status");
    assert!(status.is_current());
    assert_eq!(
        status.migrations[3].recorded_by.as_deref(),
        Some("acknowledged")
    );
    runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("unblocked");
    // The original build now sees its own SQL as the edited one.
    assert_eq!(
        Runner::new(AUTH)
            .status(&mut conn)
            .expect("status")
            .modified,
        1
    );
}

/// Rolling back over tables that hold rows is refused with the tables and row
/// counts, changes nothing, and goes through only with data loss allowed.
#[test]
fn rollback_guard_refuses_to_destroy_rows() {
    let db = TestDatabase::new(AUTH);
    let mut conn = db.connect_direct();
    insert_user(&mut conn, "ada@example.com");
    insert_user(&mut conn, "grace@example.com");
    let before = schema_dump(db.direct_url());
    let runner = Runner::new(AUTH);
    let err = runner
        .rollback(&mut conn, &rollback(RollbackTarget::All, false))
        .expect_err("refused");
    let message = err.to_string();
    assert!(matches!(err, MigrateError::DataLoss { .. }));
    assert!(
        message.contains("would destroy data: users (2 rows)"),
        "{message}"
    );
    assert!(message.contains("--allow-data-loss"), "{message}");
    assert_eq!(
        schema_dump(db.direct_url()),
        before,
        "the refusal reverted nothing"
    );

    // The newest migrations hold no rows: reverting them is fine without the flag.
    let report = runner
        .rollback(&mut conn, &rollback(RollbackTarget::Steps(2), false))
        .expect("empty tables may go");
    assert_eq!(report.steps.len(), 2);
    assert!(report.data_loss.is_empty());

    let report = runner
        .rollback(&mut conn, &rollback(RollbackTarget::All, true))
        .expect("allowed");
    assert_eq!(report.data_loss.len(), 1);
    assert_eq!(report.data_loss[0].object, "users");
    assert_eq!(report.data_loss[0].rows, 2);
    assert_eq!(runner.status(&mut conn).expect("status").applied, 0);
}

/// Dropping a column that holds values is data loss; a column of NULLs is not.
#[test]
fn rollback_guard_counts_dropped_columns() {
    static SET: MigrationSet = MigrationSet {
        name: "widgets",
        default_database: "widgets",
        migrations: &[
            SqlMigration {
                name: "2025-01-01-000001_widgets",
                version: "20250101000001",
                up: "CREATE TABLE widgets (id int PRIMARY KEY);",
                down: "DROP TABLE widgets;",
                run_in_transaction: true,
            },
            SqlMigration {
                name: "2025-01-01-000002_widget_notes",
                version: "20250101000002",
                up: "ALTER TABLE widgets ADD COLUMN note text;",
                down: "ALTER TABLE widgets DROP COLUMN note;",
                run_in_transaction: true,
            },
        ],
    };
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    let runner = Runner::new(&SET);
    runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("migrate");
    conn.batch_execute("INSERT INTO widgets VALUES (1, NULL), (2, 'keep me'), (3, 'me too')")
        .expect("rows");
    let err = runner
        .rollback(&mut conn, &rollback(RollbackTarget::Steps(1), false))
        .expect_err("refused");
    assert!(err.to_string().contains("widgets.note (2 rows)"), "{err}");
    conn.batch_execute("UPDATE widgets SET note = NULL")
        .expect("clear");
    runner
        .rollback(&mut conn, &rollback(RollbackTarget::Steps(1), false))
        .expect("a column of NULLs holds no data");
}

/// A migration whose `metadata.toml` says `run_in_transaction = false` runs
/// on its own (PostgreSQL refuses `CREATE INDEX CONCURRENTLY` in a
/// transaction), forward, back and forward again, between transactional ones;
/// how it runs is part of its checksum.
#[test]
fn migrations_outside_a_transaction_run_on_their_own() {
    static SET: MigrationSet = MigrationSet {
        name: "gadgets",
        default_database: "gadgets",
        migrations: &[
            SqlMigration {
                name: "2025-01-01-000001_gadgets",
                version: "20250101000001",
                up: "CREATE TABLE gadgets (id int PRIMARY KEY, name text);",
                down: "DROP TABLE gadgets;",
                run_in_transaction: true,
            },
            SqlMigration {
                name: "2025-01-01-000002_gadgets_name_index",
                version: "20250101000002",
                up: "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_gadgets_name ON gadgets (name);",
                down: "DROP INDEX CONCURRENTLY IF EXISTS idx_gadgets_name;",
                run_in_transaction: false,
            },
            SqlMigration {
                name: "2025-01-01-000003_gadget_notes",
                version: "20250101000003",
                up: "ALTER TABLE gadgets ADD COLUMN note text;",
                down: "ALTER TABLE gadgets DROP COLUMN note;",
                run_in_transaction: true,
            },
        ],
    };
    let valid_index = |conn: &mut PgConnection| {
        count(
            conn,
            "SELECT count(*) AS n FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
             WHERE i.relname = 'idx_gadgets_name' AND x.indisvalid",
        )
    };
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    let runner = Runner::new(&SET);
    let report = runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("a first run with a migration outside a transaction");
    assert_eq!(report.steps.len(), 3);
    assert_eq!(valid_index(&mut conn), 1);
    assert_eq!(runner.status(&mut conn).expect("status").applied, 3);
    runner
        .rollback(&mut conn, &rollback(RollbackTarget::Steps(2), false))
        .expect("back past it");
    assert_eq!(valid_index(&mut conn), 0);
    assert_eq!(runner.status(&mut conn).expect("status").applied, 1);
    runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("forward again");
    runner
        .redo(&mut conn, &rollback(RollbackTarget::All, false))
        .expect("redo all");
    assert_eq!(valid_index(&mut conn), 1);
    assert_eq!(runner.status(&mut conn).expect("status").applied, 3);
    let in_transaction = SqlMigration {
        run_in_transaction: true,
        ..SET.migrations[1]
    };
    assert_ne!(in_transaction.checksum(), SET.migrations[1].checksum());
}

/// Dry runs return the SQL per migration and write nothing, not even bookkeeping tables.
#[test]
fn dry_runs_write_nothing() {
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    let report = Runner::new(AUTH)
        .migrate(
            &mut conn,
            &MigrateOptions {
                dry_run: true,
                target: None,
            },
        )
        .expect("dry run");
    assert!(report.dry_run);
    assert_eq!(report.steps.len(), AUTH.migrations.len());
    for (step, m) in report.steps.iter().zip(AUTH.migrations) {
        assert_eq!(step.sql.as_deref(), Some(m.up));
    }
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        ),
        0
    );

    let migrated = TestDatabase::new(AUTH);
    let mut conn = migrated.connect_direct();
    insert_user(&mut conn, "linus@example.com");
    let before = schema_dump(migrated.direct_url());
    let options = RollbackOptions {
        target: RollbackTarget::To("2025-11-11-000001".into()),
        allow_data_loss: false,
        dry_run: true,
    };
    let report = Runner::new(AUTH)
        .redo(&mut conn, &options)
        .expect("dry run");
    let downs = AUTH.migrations.len() - 2;
    assert_eq!(report.steps.len(), 2 * downs, "down then up again");
    assert_eq!(
        report.steps[0].sql.as_deref(),
        Some(AUTH.migrations.last().expect("migrations").down)
    );
    assert!(
        report.data_loss.is_empty(),
        "users is not dropped by reverting past 000001"
    );
    assert_eq!(schema_dump(migrated.direct_url()), before);
}

/// `migrate --to` stops at the target; `rollback --to` keeps it applied.
#[test]
fn targets_bound_migrate_and_rollback() {
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    let runner = Runner::new(SPECS);
    let report = runner
        .migrate(
            &mut conn,
            &MigrateOptions {
                dry_run: false,
                target: Some("2025-11-11-000005".into()),
            },
        )
        .expect("migrate to 005");
    assert_eq!(
        report.steps.last().map(|s| s.version.as_str()),
        Some("20251111000005")
    );
    assert_eq!(runner.status(&mut conn).expect("status").applied, 4);
    runner
        .migrate(&mut conn, &MigrateOptions::default())
        .expect("rest");
    runner
        .rollback(
            &mut conn,
            &rollback(RollbackTarget::To("20251111000003".into()), false),
        )
        .expect("rollback to 003");
    assert_eq!(runner.status(&mut conn).expect("status").applied, 2);
    let err = runner
        .rollback(
            &mut conn,
            &rollback(RollbackTarget::To("2025-11-11-000009".into()), false),
        )
        .expect_err("not applied");
    assert!(matches!(err, MigrateError::NotApplied { .. }), "{err:?}");
    let err = runner
        .migrate(
            &mut conn,
            &MigrateOptions {
                dry_run: false,
                target: Some("nope".into()),
            },
        )
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "the specs migration set has no migration \"nope\""
    );
}

/// A runner that cannot get the lock in time says who holds it.
#[test]
fn lock_timeout_names_the_holder() {
    let db = TestDatabase::empty();
    let mut holder = db.connect_direct();
    diesel::sql_query(format!(
        "SELECT pg_advisory_lock({})",
        db_core::migrate::LOCK_KEY
    ))
    .execute(&mut holder)
    .expect("take the lock");
    #[derive(QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    let pid = diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(&mut holder)
        .expect("pid")
        .pid;
    let mut conn = db.connect_direct();
    let err = Runner::new(AUTH)
        .lock_timeout(Duration::from_millis(300))
        .migrate(&mut conn, &MigrateOptions::default())
        .expect_err("times out");
    assert!(
        matches!(err, MigrateError::LockTimeout { holder_pid: Some(p), .. } if p == pid),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains(&format!("held by server process {pid}")),
        "{err}"
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        ),
        0
    );
}
