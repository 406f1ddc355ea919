//! Round trips of the cross-database outbox and job checkpoints.

use super::*;
use auth_db::enums::*;
use auth_db::ids::*;
use auth_db::models::*;
use auth_db::schema::*;

/// `cross_db_outbox`: inserted with every column set, read back equal, and updated.
#[test]
fn cross_db_outbox() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let id = OutboxEntryId::new();
    let v_subject_id = Uuid::now_v7();
    diesel::insert_into(cross_db_outbox::table)
        .values(NewOutboxEntry {
            id,
            kind: OutboxKind::TeamDeleted,
            subject_id: v_subject_id,
            created_at: Some(t0()),
            processed_at: Some(t0()),
            attempts: Some(7),
            last_error: Some("cross_db_outbox.last_error"),
        })
        .execute(conn)
        .expect("insert cross_db_outbox");
    let row: OutboxEntry = cross_db_outbox::table
        .find(id)
        .select(OutboxEntry::as_select())
        .first(conn)
        .expect("read cross_db_outbox");
    assert_eq!(row.id, id);
    assert_eq!(row.kind, OutboxKind::TeamDeleted);
    assert_eq!(row.subject_id, v_subject_id);
    assert_eq!(row.created_at, t0());
    assert_eq!(row.processed_at, Some(t0()));
    assert_eq!(row.attempts, 7);
    assert_eq!(
        row.last_error.as_deref(),
        Some("cross_db_outbox.last_error")
    );
    let changed_row: OutboxEntry = diesel::update(cross_db_outbox::table.find(id))
        .set(OutboxEntryChanges {
            last_error: Some(Some("changed")),
            ..Default::default()
        })
        .returning(OutboxEntry::as_returning())
        .get_result(conn)
        .expect("update cross_db_outbox");
    assert_eq!(changed_row.last_error.as_deref(), Some("changed"));
}

/// `job_checkpoints` of socrates_auth.
#[test]
fn job_checkpoints() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    job_checkpoints_round_trip!(&mut db.conn(), auth_db);
}
