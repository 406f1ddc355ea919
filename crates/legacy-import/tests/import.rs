//! The import as a whole: nothing lost, ids kept, reports that add up, reruns
//! and dry runs that change nothing, refusals that touch nothing.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use common::{LegacyPair, Ours, legacy_ids, small_batches};
use diesel::connection::SimpleConnection;
use legacy_import::{ImportError, Options};
use test_db::count;

/// Every legacy row ends in exactly one place: a row of ours with its id, or
/// the quarantine (merged or rejected), and the report says so per table.
#[test]
fn every_legacy_row_ends_in_exactly_one_place_and_the_report_adds_up() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    let report = ours.import(&legacy, &small_batches());
    assert!(report.adds_up(), "{report:#?}");
    assert_eq!(report.tables.len(), 29);
    for t in &report.tables {
        let (db, table) = t.table.split_once('.').unwrap();
        let mut source = match db {
            "auth" => legacy.auth.connect_direct(),
            _ => legacy.specs.connect_direct(),
        };
        let ids = legacy_ids(&mut source, table);
        assert_eq!(t.read, ids.len() as i64, "{}: read", t.table);
        let (into_db, into) = t.into.split_once('.').unwrap();
        let mut target = match into_db {
            "auth" => ours.auth.connect_direct(),
            _ => ours.specs.connect_direct(),
        };
        let list: Vec<String> = ids.iter().map(|i| format!("'{i}'")).collect();
        let list = if list.is_empty() {
            "NULL".to_owned()
        } else {
            list.join(",")
        };
        let imported = count(
            &mut target,
            &format!("SELECT count(*) AS n FROM {into} WHERE id IN ({list})"),
        );
        let quarantined = count(
            &mut target,
            &format!(
                "SELECT count(*) AS n FROM legacy_import_quarantine \
                 WHERE source_table = '{}' AND legacy_id IN ({list})",
                t.table
            ),
        );
        let both = count(
            &mut target,
            &format!(
                "SELECT count(*) AS n FROM legacy_import_quarantine q \
                 WHERE q.source_table = '{}' AND EXISTS (SELECT 1 FROM {into} o WHERE o.id = q.legacy_id)",
                t.table
            ),
        );
        assert_eq!(imported, t.imported, "{}: imported rows", t.table);
        assert_eq!(
            quarantined,
            t.merged + t.rejected,
            "{}: quarantined",
            t.table
        );
        assert_eq!(both, 0, "{}: a row both imported and quarantined", t.table);
        assert_eq!(
            imported + quarantined,
            t.read,
            "{}: every row somewhere",
            t.table
        );
    }
    let (read, imported, merged, rejected) = report.totals();
    assert_eq!(read, imported + merged + rejected);
    assert!(merged > 5 && rejected > 30, "{report:#?}");
}

/// A second run changes nothing and reports the same; a dry run writes
/// nothing and reports what a real run does.
#[test]
fn a_second_run_changes_nothing_and_a_dry_run_writes_nothing() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    let dry = ours.import(
        &legacy,
        &Options {
            dry_run: true,
            ..Options::default()
        },
    );
    assert!(dry.dry_run);
    let untouched = (ours.auth.fingerprint(), ours.specs.fingerprint());
    let fresh = Ours::new();
    assert_eq!(
        untouched,
        (fresh.auth.fingerprint(), fresh.specs.fingerprint()),
        "the dry run wrote"
    );
    let first = ours.import(&legacy, &Options::default());
    let after_first = ours.content();
    let second = ours.import(&legacy, &small_batches());
    assert_eq!(
        ours.content(),
        after_first,
        "the second run changed something"
    );
    let counts = |r: &legacy_import::Report| {
        r.tables
            .iter()
            .map(|t| {
                (
                    t.table.clone(),
                    t.read,
                    t.imported,
                    t.merged,
                    t.rejected,
                    t.rejected_by_reason.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&first), counts(&second));
    assert_eq!(
        counts(&dry),
        counts(&first),
        "the dry run reported otherwise"
    );
}

/// Batch size changes nothing: merges and version chains come out the same
/// whether duplicates meet in one batch or in two.
#[test]
fn batch_size_changes_nothing() {
    let legacy = LegacyPair::new();
    let one = Ours::new();
    one.import(
        &legacy,
        &Options {
            batch_size: 1,
            ..Options::default()
        },
    );
    let many = Ours::new();
    many.import(&legacy, &Options::default());
    assert_eq!(one.content(), many.content());
}

/// The legacy databases are only read.
#[test]
fn the_legacy_databases_are_never_written() {
    let legacy = LegacyPair::new();
    let before = (legacy.auth.fingerprint(), legacy.specs.fingerprint());
    Ours::new().import(&legacy, &small_batches());
    assert_eq!(
        before,
        (legacy.auth.fingerprint(), legacy.specs.fingerprint())
    );
}

/// A source at another Alembic revision, or no Socrates2 database at all, is
/// refused with one line saying what was found, before anything is written.
#[test]
fn a_source_not_at_the_heads_is_refused_and_nothing_is_written() {
    let legacy = LegacyPair::new();
    legacy
        .specs
        .connect_direct()
        .batch_execute("UPDATE alembic_version SET version_num = '016'")
        .unwrap();
    let ours = Ours::new();
    let before = (ours.auth.fingerprint(), ours.specs.fingerprint());
    let err = ours.try_import(&legacy, &Options::default()).unwrap_err();
    assert!(matches!(err, ImportError::Source(_)), "{err:?}");
    let line = err.to_string();
    assert!(
        line.contains("legacy specs database is at Alembic revision 016") && !line.contains('\n'),
        "{line}"
    );
    legacy
        .auth
        .connect_direct()
        .batch_execute("DROP TABLE alembic_version")
        .unwrap();
    let err = ours.try_import(&legacy, &Options::default()).unwrap_err();
    assert!(
        err.to_string().contains("no alembic_version table"),
        "{err}"
    );
    assert_eq!(before, (ours.auth.fingerprint(), ours.specs.fingerprint()));
}

/// Two imports at once: the second waits for the first, and the result is
/// one import's.
#[test]
fn two_runs_at_once_end_as_one() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    std::thread::scope(|s| {
        let a = s.spawn(|| ours.import(&legacy, &small_batches()));
        let b = s.spawn(|| ours.import(&legacy, &small_batches()));
        let (a, b) = (a.join().unwrap(), b.join().unwrap());
        assert!(a.adds_up() && b.adds_up());
    });
    let single = Ours::new();
    single.import(&legacy, &Options::default());
    assert_eq!(ours.content(), single.content());
}

/// A run that holds the import makes another wait, then refuse with one line.
#[test]
fn a_run_blocked_past_its_lock_timeout_is_refused() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    let mut holder = ours.auth.connect_direct();
    db_core::work_lock::acquire(
        &mut holder,
        legacy_import::WORK,
        std::time::Duration::from_secs(1),
    )
    .unwrap();
    let err = ours
        .try_import(
            &legacy,
            &Options {
                lock_timeout: std::time::Duration::from_millis(300),
                ..Options::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, ImportError::Lock(_)), "{err:?}");
    assert!(
        err.to_string().contains("import-legacy is already running"),
        "{err}"
    );
    assert_eq!(
        count(
            &mut ours.specs.connect_direct(),
            "SELECT count(*) AS n FROM legacy_import_progress"
        ),
        0
    );
}

/// A user deleted (and drained) while the import writes specs: the import's
/// batches lock the users they refer to and drop the ones that are gone, so
/// no row of the import names the deleted user, and check-refs stays clean.
#[test]
fn a_user_deleted_during_the_import_leaves_no_orphan() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    let bob: db_core::UserId = "11000000-0000-4000-8000-000000000003".parse().unwrap();
    std::thread::scope(|s| {
        let import = s.spawn(|| {
            ours.import(
                &legacy,
                &Options {
                    batch_size: 1,
                    ..Options::default()
                },
            )
        });
        let mut specs = ours.specs.connect_direct();
        test_db::wait_until(
            &mut specs,
            "SELECT count(*) AS n FROM legacy_import_progress WHERE source_table = 'specs.projects'",
            |n| n > 0,
            std::time::Instant::now() + std::time::Duration::from_secs(120),
            "the import reached specs",
        );
        let mut auth = ours.auth.connect_direct();
        cross_db::outbox::delete_user(&mut auth, bob, cross_db::outbox::OwnedTeams::Delete)
            .expect("delete bob");
        cross_db::outbox::drain(
            &mut auth,
            &mut specs,
            cross_db::outbox::DrainOptions::default(),
        )
        .expect("drain");
        let report = import.join().unwrap();
        assert!(report.adds_up(), "{report:#?}");
    });
    let (mut auth, mut specs) = (ours.auth.connect_direct(), ours.specs.connect_direct());
    cross_db::outbox::drain(
        &mut auth,
        &mut specs,
        cross_db::outbox::DrainOptions::default(),
    )
    .expect("drain again");
    let scan = cross_db::scan(&mut auth, &mut specs, &cross_db::ScanOptions::default()).unwrap();
    assert!(!scan.has_orphans(), "{scan:#?}");
    for (table, column) in [
        ("project_shares", "shared_with_user_id"),
        ("project_invitations", "invited_user_id"),
        ("sessions", "user_id"),
    ] {
        assert_eq!(
            count(
                &mut specs,
                &format!("SELECT count(*) AS n FROM {table} WHERE {column} = '{bob}'")
            ),
            0,
            "{table}.{column}"
        );
    }
}
