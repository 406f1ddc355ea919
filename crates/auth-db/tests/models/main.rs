//! Every table of socrates_auth, written and read back through its models, one test
//! per table: each column set to a non-default value, read back equal, and
//! (where the table has a changeset) updated through it. The rows a table
//! refers to come from [`parents`], inserted with their required columns only.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use db_core::{
    InvitationStatus, JobCheckpointId, JobStatus, LlmProvider, PermissionLevel, TeamId, UserId,
};
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::json;
use test_db::TestDatabase;
use uuid::Uuid;

/// A fixed time with microseconds, which PostgreSQL keeps exactly.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
        .single()
        .expect("valid time")
        + Duration::microseconds(123_456)
}

/// The `job_checkpoints` round trip: the same table (and the same macro-made
/// models) in both databases, so one body serves both tests.
macro_rules! job_checkpoints_round_trip {
    ($conn:expr, $db:ident) => {{
        use $db::models::{JobCheckpoint, JobCheckpointChanges, NewJobCheckpoint};
        use $db::schema::job_checkpoints;
        let conn = $conn;
        // job_checkpoints
        let id = JobCheckpointId::new();
        diesel::insert_into(job_checkpoints::table)
            .values(NewJobCheckpoint {
                id,
                job_name: "job_checkpoints.job_name",
                status: Some(JobStatus::Running),
                cursor: Some("job_checkpoints.cursor"),
                processed_count: Some(7),
                failed_count: Some(7),
                total_count: Some(7),
                last_error: Some("job_checkpoints.last_error"),
                started_at: Some(t0()),
                finished_at: Some(t0()),
                created_at: Some(t0()),
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
        assert_eq!(row.status, JobStatus::Running);
        assert_eq!(row.cursor.as_deref(), Some("job_checkpoints.cursor"));
        assert_eq!(row.processed_count, 7);
        assert_eq!(row.failed_count, 7);
        assert_eq!(row.total_count, Some(7));
        assert_eq!(
            row.last_error.as_deref(),
            Some("job_checkpoints.last_error")
        );
        assert_eq!(row.started_at, Some(t0()));
        assert_eq!(row.finished_at, Some(t0()));
        assert_eq!(row.created_at, t0());
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

/// The rows other tables refer to, with their required columns only.
mod parents {
    use auth_db::ids::AdminRoleId;
    use auth_db::models::NewAdminRole;
    use db_core::{TeamId, UserId};
    use diesel::prelude::*;

    /// A user.
    pub(crate) fn user(conn: &mut PgConnection) -> UserId {
        test_db::world::user(conn, "parent@example.com")
    }

    /// An admin role.
    pub(crate) fn admin_role(conn: &mut PgConnection) -> AdminRoleId {
        let id = AdminRoleId::new();
        diesel::insert_into(auth_db::schema::admin_roles::table)
            .values(NewAdminRole::new(id, "parent_role"))
            .execute(conn)
            .expect("insert parent admin role");
        id
    }

    /// A team owned by `owner` (no member rows: the tests add their own).
    pub(crate) fn team(conn: &mut PgConnection, owner: UserId) -> TeamId {
        let id = TeamId::new();
        diesel::insert_into(auth_db::schema::teams::table)
            .values(auth_db::models::NewTeam::new(id, "parent team", owner))
            .execute(conn)
            .expect("insert parent team");
        id
    }
}

mod accounts;
mod admin;
mod bookkeeping;
mod membership;
