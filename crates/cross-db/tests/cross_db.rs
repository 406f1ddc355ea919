//! Integrity across the two databases, against real PostgreSQL.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

use auth_db::enums::{MembershipStatus, TeamRole, UserStatus};
use auth_db::ids::AdminAuditLogId;
use auth_db::models::NewAdminAuditLog;
use auth_db::schema::{admin_audit_logs, cross_db_outbox, team_members, teams, users};
use cross_db::{DrainOptions, OwnedTeams, Policy, REFERENCES, Refs, ScanOptions, XdbError};
use db_core::{TeamId, UserId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use specs_db::ids::ProjectId;
use specs_db::models::NewProject;
use specs_db::schema::projects;
use test_db::world::{team, user};
use test_db::{Pair, TestDatabase, count};
use uuid::Uuid;

fn pair() -> Pair {
    Pair::new()
}

/// Inserts a project through the checked write path.
fn create_project(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    owner: UserId,
) -> Result<ProjectId, XdbError> {
    cross_db::write(auth, specs, &Refs::new().user(owner), |w| {
        let id = ProjectId::new();
        diesel::insert_into(projects::table)
            .values(NewProject::new(id, owner, owner, "project"))
            .execute(w.specs)?;
        Ok(id)
    })
}

/// The registry and the catalog agree: every column whose comment says
/// `Cross-DB ref to socrates_auth...` is registered with that target and policy,
/// and every registered column exists with that comment and nullability.
#[test]
fn registry_matches_the_catalog() {
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    #[derive(QueryableByName)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        nullable: bool,
        #[diesel(sql_type = diesel::sql_types::Text)]
        comment: String,
    }
    let columns: Vec<Col> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name, NOT a.attnotnull AS nullable, \
                coalesce(col_description(c.oid, a.attnum), '') AS comment \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         WHERE n.nspname = 'public' AND c.relkind = 'r'",
    )
    .load(&mut specs.conn())
    .expect("catalog");
    let in_catalog: BTreeMap<(String, String), &Col> = columns
        .iter()
        .filter(|c| c.comment.starts_with("Cross-DB ref to socrates_auth."))
        .map(|c| ((c.table_name.clone(), c.column_name.clone()), c))
        .collect();
    for r in REFERENCES {
        let col = in_catalog.get(&(r.table.to_owned(), r.column.to_owned()));
        let col = col.unwrap_or_else(|| {
            panic!(
                "{}.{} is registered but not a cross-db column in the catalog",
                r.table, r.column
            )
        });
        assert!(
            col.comment.starts_with(&r.comment_prefix()),
            "{}.{}: {:?}",
            r.table,
            r.column,
            col.comment
        );
        assert_eq!(
            col.nullable, r.nullable,
            "{}.{} nullability",
            r.table, r.column
        );
    }
    for (table, column) in in_catalog.keys() {
        assert!(
            REFERENCES
                .iter()
                .any(|r| r.table == table && r.column == column),
            "{table}.{column} refers to auth but the registry does not know it"
        );
    }
    assert_eq!(in_catalog.len(), REFERENCES.len());
}

/// Writes naming a missing user, a soft-deleted user or a missing team are refused
/// with their typed error before the body runs, and nothing is written.
#[test]
fn checked_writes_refuse_missing_and_deleted_references() {
    let p = pair();
    let (mut auth, mut specs) = (p.auth.conn(), p.specs.conn());
    let ghost = UserId::new();
    let err = create_project(&mut auth, &mut specs, ghost).expect_err("unknown user");
    assert!(
        matches!(err, XdbError::UnknownUser(u) if u == ghost),
        "{err:?}"
    );

    let gone = user(&mut auth, "gone@example.com");
    diesel::update(users::table.find(gone))
        .set(users::status.eq(UserStatus::Deleted))
        .execute(&mut auth)
        .expect("soft delete");
    let err = create_project(&mut auth, &mut specs, gone).expect_err("deleted user");
    assert!(
        matches!(err, XdbError::DeletedUser(u) if u == gone),
        "{err:?}"
    );

    let alive = user(&mut auth, "alive@example.com");
    let ghost_team = TeamId::new();
    let mut ran = false;
    let err = cross_db::write::<(), XdbError>(
        &mut auth,
        &mut specs,
        &Refs::new().user(alive).team(ghost_team),
        |_| {
            ran = true;
            Ok(())
        },
    )
    .expect_err("unknown team");
    assert!(
        matches!(err, XdbError::UnknownTeam(t) if t == ghost_team),
        "{err:?}"
    );
    assert!(!ran, "the body never runs for a refused write");
    assert_eq!(count(&mut specs, "SELECT count(*) AS n FROM projects"), 0);

    // The write must own the specs transaction, so it can commit before the locks go.
    let err = specs
        .transaction::<_, XdbError, _>(|specs| create_project(&mut auth, specs, alive).map(drop))
        .expect_err("nested");
    assert!(matches!(err, XdbError::SpecsTransactionOpen), "{err:?}");
    create_project(&mut auth, &mut specs, alive).expect("a valid write goes through");
}

/// The bulk form hands the body the usable ids instead of failing the batch.
#[test]
fn bulk_writes_see_which_references_exist() {
    let p = pair();
    let (mut auth, mut specs) = (p.auth.conn(), p.specs.conn());
    let a = user(&mut auth, "a@example.com");
    let b = user(&mut auth, "b@example.com");
    let ghost = UserId::new();
    let written = cross_db::write_present::<usize, XdbError>(
        &mut auth,
        &mut specs,
        &Refs::new().users([a, b, ghost]),
        |w, present| {
            let rows: Vec<NewProject> = [a, b, ghost]
                .into_iter()
                .filter(|u| present.has_user(*u))
                .map(|u| NewProject::new(ProjectId::new(), u, u, "bulk"))
                .collect();
            Ok(diesel::insert_into(projects::table)
                .values(&rows)
                .execute(w.specs)?)
        },
    )
    .expect("bulk");
    assert_eq!(written, 2);
}

/// Deleting a user passes their teams to the most senior member (or deletes them),
/// keeps member counts right, and writes the outbox entry in the same transaction.
#[test]
fn delete_user_handles_owned_teams_and_counters() {
    let p = pair();
    let mut auth = p.auth.conn();
    let owner = user(&mut auth, "owner@example.com");
    let lead = user(&mut auth, "lead@example.com");
    let viewer = user(&mut auth, "viewer@example.com");
    let shared = team(
        &mut auth,
        owner,
        "shared",
        &[(viewer, TeamRole::Viewer), (lead, TeamRole::Lead)],
    );
    let solo = team(&mut auth, owner, "solo", &[]);
    let other = team(&mut auth, lead, "other", &[(owner, TeamRole::Developer)]);

    let report =
        cross_db::delete_user(&mut auth, owner, OwnedTeams::TransferOrDelete).expect("delete");
    assert_eq!(report.teams_transferred, vec![(shared, lead)]);
    assert_eq!(report.teams_deleted, vec![solo]);
    let owner_of: UserId = teams::table
        .find(shared)
        .select(teams::owner_id)
        .first(&mut auth)
        .expect("team");
    assert_eq!(owner_of, lead);
    let role: TeamRole = team_members::table
        .filter(
            team_members::team_id
                .eq(shared)
                .and(team_members::user_id.eq(lead)),
        )
        .select(team_members::role)
        .first(&mut auth)
        .expect("member");
    assert_eq!(role, TeamRole::Owner);
    for (t, members) in [(shared, 2), (other, 1)] {
        let cached: i32 = teams::table
            .find(t)
            .select(teams::member_count)
            .first(&mut auth)
            .expect("team");
        let real: i64 = team_members::table
            .filter(
                team_members::team_id
                    .eq(t)
                    .and(team_members::status.eq(MembershipStatus::Active)),
            )
            .count()
            .get_result(&mut auth)
            .expect("count");
        assert_eq!((i64::from(cached), real), (members, members), "team {t}");
    }
    let pending: Vec<(auth_db::enums::OutboxKind, Uuid)> = cross_db_outbox::table
        .select((cross_db_outbox::kind, cross_db_outbox::subject_id))
        .order(cross_db_outbox::kind)
        .load(&mut auth)
        .expect("outbox");
    assert_eq!(pending.len(), 2);
    assert!(pending.contains(&(auth_db::enums::OutboxKind::UserDeleted, owner.into_uuid())));
    assert!(pending.contains(&(auth_db::enums::OutboxKind::TeamDeleted, solo.into_uuid())));

    let err = cross_db::delete_user(&mut auth, owner, OwnedTeams::Delete).expect_err("gone");
    assert!(matches!(err, XdbError::UnknownUser(_)));
}

/// An admin with audit records cannot be hard-deleted; nothing changes.
#[test]
fn delete_user_refuses_admins_with_an_audit_trail() {
    let p = pair();
    let mut auth = p.auth.conn();
    let admin = user(&mut auth, "admin@example.com");
    let victim = user(&mut auth, "victim@example.com");
    diesel::insert_into(admin_audit_logs::table)
        .values(NewAdminAuditLog::new(
            AdminAuditLogId::new(),
            admin,
            "user.suspend",
            "user",
            &victim.to_string(),
        ))
        .execute(&mut auth)
        .expect("audit");
    let err = cross_db::delete_user(&mut auth, admin, OwnedTeams::Delete).expect_err("refused");
    assert!(
        matches!(err, XdbError::AdminAuditTrail(u) if u == admin),
        "{err:?}"
    );
    assert_eq!(
        count(&mut auth, "SELECT count(*) AS n FROM cross_db_outbox"),
        0
    );
    assert_eq!(count(&mut auth, "SELECT count(*) AS n FROM users"), 2);
}

/// Like `create_project`, but holds the write open a moment (as a slow request
/// would), so a deletion that ignored the locks would slip into the gap.
fn create_project_slowly(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    owner: UserId,
) -> Result<ProjectId, XdbError> {
    cross_db::write(auth, specs, &Refs::new().user(owner), |w| {
        let id = ProjectId::new();
        w.specs.batch_execute("SELECT pg_sleep(0.005)")?;
        diesel::insert_into(projects::table)
            .values(NewProject::new(id, owner, owner, "project"))
            .execute(w.specs)?;
        Ok(id)
    })
}

/// 200 rounds of "create a project for U" racing "delete U, then drain at once":
/// afterwards no project refers to a deleted user, and no project of a surviving
/// user is lost.
#[test]
fn creating_and_deleting_at_once_leaves_no_orphan() {
    const ROUNDS: usize = 200;
    let p = pair();
    let mut setup = p.auth.conn();
    let survivor = user(&mut setup, "survivor@example.com");
    let doomed: Vec<UserId> = (0..ROUNDS)
        .map(|i| user(&mut setup, &format!("doomed{i}@example.com")))
        .collect();
    let (auth_url, specs_url) = (p.auth.url().clone(), p.specs.url().clone());
    let connect = |url: &db_core::DbUrl| db_core::connect(url).expect("connect");
    let (mut wa, mut ws) = (connect(&auth_url), connect(&specs_url));
    let (mut da, mut ds) = (connect(&auth_url), connect(&specs_url));
    let mut survivor_projects = 0;
    let mut refused = 0;
    for &u in &doomed {
        let barrier = Arc::new(Barrier::new(2));
        let b = Arc::clone(&barrier);
        let (created, survived) = std::thread::scope(|s| {
            let writer = s.spawn(|| {
                b.wait();
                let doomed_project = create_project_slowly(&mut wa, &mut ws, u);
                let survivor_project =
                    create_project(&mut wa, &mut ws, survivor).expect("survivor's project");
                (doomed_project, survivor_project)
            });
            barrier.wait();
            cross_db::delete_user(&mut da, u, OwnedTeams::Delete).expect("delete");
            cross_db::drain(&mut da, &mut ds, DrainOptions::default()).expect("drain");
            let (doomed_project, _) = writer.join().expect("writer");
            (doomed_project, 1)
        });
        survivor_projects += survived;
        match created {
            Ok(_) => {}
            Err(XdbError::UnknownUser(_)) => refused += 1,
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    let pending = count(
        &mut setup,
        "SELECT count(*) AS n FROM cross_db_outbox WHERE processed_at IS NULL",
    );
    assert_eq!(pending, 0, "every deletion was drained as it happened");
    let mut specs = p.specs.conn();
    let owners: Vec<UserId> = projects::table
        .select(projects::owner_id)
        .load(&mut specs)
        .expect("projects");
    assert!(
        owners.iter().all(|o| *o == survivor),
        "a deleted user still owns a project"
    );
    assert_eq!(owners.len(), survivor_projects);
    let scan =
        cross_db::scan(&mut p.auth.conn(), &mut specs, &ScanOptions::default()).expect("scan");
    assert!(!scan.has_orphans(), "{scan:?}");
    eprintln!(
        "race: {refused} of {ROUNDS} writes were refused; the rest were cleaned up by the drain"
    );
}

/// A missing id injected (by raw SQL) into every registered column is found by
/// the scan; repair + drain then leaves each column as its policy says.
#[test]
fn scan_finds_orphans_in_every_column_and_repair_applies_policies() {
    let p = pair();
    let (mut auth, mut specs) = (p.auth.conn(), p.specs.conn());
    let real = user(&mut auth, "real@example.com");
    let healthy = create_project(&mut auth, &mut specs, real).expect("project");
    let session = Uuid::now_v7();
    specs
        .batch_execute(&format!(
            "INSERT INTO sessions (id, project_id) VALUES ('{session}', '{healthy}');\
             INSERT INTO knowledge_base_documents (id, project_id, title) VALUES (gen_random_uuid(), '{healthy}', 'doc');"
        ))
        .expect("parents");
    // One row per registered column, each holding its own missing id.
    let mut injected: Vec<(&cross_db::CrossRef, Uuid)> = Vec::new();
    for r in REFERENCES {
        let ghost = Uuid::now_v7();
        let (g, h, r_id, s) = (ghost, healthy, real, session);
        let sql = match (r.table, r.column) {
            ("projects", "owner_id") => format!(
                "INSERT INTO projects (id, owner_id, creator_id, name) VALUES (gen_random_uuid(), '{g}', '{r_id}', 'orphan')"
            ),
            ("projects", "creator_id") => format!(
                "INSERT INTO projects (id, owner_id, creator_id, name) VALUES (gen_random_uuid(), '{r_id}', '{g}', 'created by ghost')"
            ),
            ("sessions", "user_id") => format!(
                "INSERT INTO sessions (id, project_id, user_id) VALUES (gen_random_uuid(), '{h}', '{g}')"
            ),
            ("conversation_history", "user_id") => format!(
                "INSERT INTO conversation_history (id, session_id, user_id, role, content) VALUES (gen_random_uuid(), '{s}', '{g}', 'user', 'hi')"
            ),
            ("user_behavior_patterns", "user_id") => format!(
                "INSERT INTO user_behavior_patterns (id, user_id, pattern_type, confidence) VALUES (gen_random_uuid(), '{g}', 'style', 0.5)"
            ),
            ("question_effectiveness", "user_id") => format!(
                "INSERT INTO question_effectiveness (id, user_id, question_template_id) VALUES (gen_random_uuid(), '{g}', 'tpl')"
            ),
            ("knowledge_base_documents", "user_id") => format!(
                "INSERT INTO knowledge_base_documents (id, project_id, user_id, title) VALUES (gen_random_uuid(), '{h}', '{g}', 'upload')"
            ),
            ("project_shares", "shared_with_user_id") => format!(
                "INSERT INTO project_shares (id, project_id, access_type, shared_with_user_id, shared_by_id) VALUES (gen_random_uuid(), '{h}', 'user', '{g}', '{r_id}')"
            ),
            ("project_shares", "shared_by_id") => format!(
                "INSERT INTO project_shares (id, project_id, access_type, shared_by_id) VALUES (gen_random_uuid(), '{h}', 'public', '{g}')"
            ),
            ("project_shares", "shared_with_team_id") => format!(
                "INSERT INTO project_shares (id, project_id, access_type, shared_with_team_id, shared_by_id) VALUES (gen_random_uuid(), '{h}', 'team', '{g}', '{r_id}')"
            ),
            ("project_invitations", "invited_user_id") => format!(
                "INSERT INTO project_invitations (id, project_id, invited_user_id, invited_by_id, token_hash, expires_at) VALUES (gen_random_uuid(), '{h}', '{g}', '{r_id}', sha256('{g}'::text::bytea), now() + interval '1 day')"
            ),
            ("project_invitations", "invited_by_id") => format!(
                "INSERT INTO project_invitations (id, project_id, invited_email, invited_by_id, token_hash, expires_at) VALUES (gen_random_uuid(), '{h}', 'x@example.com', '{g}', sha256('{g}'::text::bytea), now() + interval '1 day')"
            ),
            ("llm_usage_tracking", "user_id") => format!(
                "INSERT INTO llm_usage_tracking (id, user_id, provider, model_name) VALUES (gen_random_uuid(), '{g}', 'claude', 'm')"
            ),
            ("subscriptions", "user_id") => format!(
                "INSERT INTO subscriptions (id, user_id, plan_name) VALUES (gen_random_uuid(), '{g}', 'free')"
            ),
            ("invoices", "user_id") => format!(
                "INSERT INTO invoices (id, user_id, invoice_number, amount) VALUES (gen_random_uuid(), '{g}', 'INV-{g}', 1)"
            ),
            ("notification_preferences", "user_id") => format!(
                "INSERT INTO notification_preferences (id, user_id, notification_type) VALUES (gen_random_uuid(), '{g}', 'conflict')"
            ),
            ("activity_logs", "user_id") => format!(
                "INSERT INTO activity_logs (id, user_id, action, resource_type) VALUES (gen_random_uuid(), '{g}', 'x.y', 'x')"
            ),
            (table, column) => panic!("no injection for {table}.{column}: extend this test"),
        };
        specs
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        injected.push((r, ghost));
    }

    let report = cross_db::scan(&mut auth, &mut specs, &ScanOptions::default()).expect("scan");
    for (r, ghost) in &injected {
        let col = report
            .columns
            .iter()
            .find(|c| c.table == r.table && c.column == r.column)
            .expect("column");
        assert_eq!(col.missing_ids, 1, "{}.{}", r.table, r.column);
        assert_eq!(col.samples, vec![*ghost], "{}.{}", r.table, r.column);
    }
    let orphaned = injected
        .iter()
        .filter(|(r, _)| r.policy != Policy::Keep)
        .count();
    assert_eq!(report.orphan_users + report.orphan_teams, orphaned);
    assert!(report.has_orphans());

    let repaired = cross_db::scan(
        &mut auth,
        &mut specs,
        &ScanOptions {
            repair: true,
            ..ScanOptions::default()
        },
    )
    .expect("repair");
    assert_eq!(repaired.enqueued, orphaned);
    let drained = cross_db::drain(&mut auth, &mut specs, DrainOptions::default()).expect("drain");
    assert_eq!((drained.processed, drained.failed), (orphaned, 0));

    for (r, ghost) in &injected {
        let holding = count(
            &mut specs,
            &format!(
                "SELECT count(*) AS n FROM {} WHERE {} = '{ghost}'",
                r.table, r.column
            ),
        );
        match r.policy {
            Policy::Keep => assert_eq!(holding, 1, "{}.{} keeps its tombstone", r.table, r.column),
            Policy::Cascade | Policy::SetNull => assert_eq!(holding, 0, "{}.{}", r.table, r.column),
        }
    }
    // set_null rows survive with the column cleared.
    assert_eq!(
        count(
            &mut specs,
            "SELECT count(*) AS n FROM sessions WHERE user_id IS NULL"
        ),
        2
    );
    assert_eq!(
        count(
            &mut specs,
            "SELECT count(*) AS n FROM conversation_history WHERE user_id IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &mut specs,
            "SELECT count(*) AS n FROM knowledge_base_documents WHERE user_id IS NULL"
        ),
        2
    );
    assert_eq!(
        count(
            &mut specs,
            "SELECT count(*) AS n FROM projects WHERE name = 'orphan'"
        ),
        0
    );

    let after = cross_db::scan(&mut auth, &mut specs, &ScanOptions::default()).expect("rescan");
    assert!(!after.has_orphans(), "{after:?}");
    assert_eq!(
        after.tombstone_rows,
        injected
            .iter()
            .filter(|(r, _)| r.policy == Policy::Keep)
            .count() as i64
    );
    let again =
        cross_db::drain(&mut auth, &mut specs, DrainOptions::default()).expect("drain again");
    assert_eq!(
        again,
        cross_db::DrainReport::default(),
        "nothing left to drain"
    );
}

/// Applying a deletion twice changes nothing the second time.
#[test]
fn applying_a_deletion_is_idempotent() {
    let p = pair();
    let (mut auth, mut specs) = (p.auth.conn(), p.specs.conn());
    let u = user(&mut auth, "twice@example.com");
    create_project(&mut auth, &mut specs, u).expect("project");
    let first =
        cross_db::outbox::apply_deletion(&mut specs, cross_db::Target::Users, u.into_uuid())
            .expect("first");
    assert_eq!(first.deleted, 1);
    let second =
        cross_db::outbox::apply_deletion(&mut specs, cross_db::Target::Users, u.into_uuid())
            .expect("second");
    assert_eq!(second, cross_db::outbox::Cleanup::default());
}
