//! Helpers of the model round-trip tests of both database crates.

use chrono::{DateTime, Duration, TimeZone, Utc};

/// A fixed time with microseconds, which PostgreSQL keeps exactly.
pub fn fixed_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
        .single()
        .expect("valid time")
        + Duration::microseconds(123_456)
}

/// The `job_checkpoints` round trip, for the model tests of both databases:
/// the same table (and the same macro-made models) in each, so one body serves
/// both. `$db` is `auth_db` or `specs_db`; the caller has `diesel::prelude::*`
/// in scope.
#[macro_export]
macro_rules! job_checkpoints_round_trip {
    ($conn:expr, $db:ident) => {{
        use $db::models::{JobCheckpoint, JobCheckpointChanges, NewJobCheckpoint};
        use $db::schema::job_checkpoints;
        let conn = $conn;
        // job_checkpoints
        let id = db_core::JobCheckpointId::new();
        diesel::insert_into(job_checkpoints::table)
            .values(NewJobCheckpoint {
                id,
                job_name: "job_checkpoints.job_name",
                status: Some(db_core::JobStatus::Running),
                cursor: Some("job_checkpoints.cursor"),
                processed_count: Some(7),
                failed_count: Some(7),
                total_count: Some(7),
                last_error: Some("job_checkpoints.last_error"),
                started_at: Some($crate::models::fixed_time()),
                finished_at: Some($crate::models::fixed_time()),
                created_at: Some($crate::models::fixed_time()),
            })
            .execute(conn)
            .expect("insert job_checkpoints");
        let row: JobCheckpoint = job_checkpoints::table
            .find(id)
            .select(JobCheckpoint::as_select())
            .first(conn)
            .expect("read job_checkpoints");
        assert_eq!(row.id, id);
        assert_eq!(row.job_name, "job_checkpoints.job_name");
        assert_eq!(row.status, db_core::JobStatus::Running);
        assert_eq!(row.cursor.as_deref(), Some("job_checkpoints.cursor"));
        assert_eq!(row.processed_count, 7);
        assert_eq!(row.failed_count, 7);
        assert_eq!(row.total_count, Some(7));
        assert_eq!(
            row.last_error.as_deref(),
            Some("job_checkpoints.last_error")
        );
        assert_eq!(row.started_at, Some($crate::models::fixed_time()));
        assert_eq!(row.finished_at, Some($crate::models::fixed_time()));
        assert_eq!(row.created_at, $crate::models::fixed_time());
        let changed_row: JobCheckpoint = diesel::update(job_checkpoints::table.find(id))
            .set(JobCheckpointChanges {
                job_name: Some("changed"),
                ..Default::default()
            })
            .returning(JobCheckpoint::as_returning())
            .get_result(conn)
            .expect("update job_checkpoints");
        assert_eq!(changed_row.job_name, "changed");
        assert!(
            changed_row.updated_at > row.updated_at,
            "set_updated_at trigger"
        );
    }};
}
