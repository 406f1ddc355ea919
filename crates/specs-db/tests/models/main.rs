//! Every table of socrates_specs, written and read back through its models, one test
//! per table: each column set to a non-default value, read back equal, and
//! (where the table has a changeset) updated through it. The rows a table
//! refers to come from [`parents`], inserted with their required columns only.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
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
    use db_core::UserId;
    use diesel::prelude::*;
    use specs_db::enums::{PlanName, SpecCategory};
    use specs_db::ids::*;
    use specs_db::models::*;
    use specs_db::schema::*;

    /// A project (of an owner who exists in no database here: specs has no
    /// foreign key into auth).
    pub(crate) fn project(conn: &mut PgConnection) -> ProjectId {
        let owner = UserId::new();
        test_db::world::project(conn, owner, "parent project")
    }

    /// A session of `project`.
    pub(crate) fn session(conn: &mut PgConnection, project: ProjectId) -> SessionId {
        let id = SessionId::new();
        diesel::insert_into(sessions::table)
            .values(NewSession::new(id, project))
            .execute(conn)
            .expect("insert parent session");
        id
    }

    /// A question of `project` asked in `session`.
    pub(crate) fn question(
        conn: &mut PgConnection,
        project: ProjectId,
        session: SessionId,
    ) -> QuestionId {
        let id = QuestionId::new();
        diesel::insert_into(questions::table)
            .values(NewQuestion {
                session_id: Some(session),
                ..NewQuestion::new(id, project, "parent question?", SpecCategory::Goals)
            })
            .execute(conn)
            .expect("insert parent question");
        id
    }

    /// A specification of `project` from `session`.
    pub(crate) fn specification(
        conn: &mut PgConnection,
        project: ProjectId,
        session: SessionId,
    ) -> SpecificationId {
        let id = SpecificationId::new();
        diesel::insert_into(specifications::table)
            .values(NewSpecification {
                session_id: Some(session),
                ..NewSpecification::new(id, project, SpecCategory::Goals, "parent_key", "value")
            })
            .execute(conn)
            .expect("insert parent specification");
        id
    }

    /// A generated project of `project`.
    pub(crate) fn generated_project(
        conn: &mut PgConnection,
        project: ProjectId,
    ) -> GeneratedProjectId {
        let id = GeneratedProjectId::new();
        diesel::insert_into(generated_projects::table)
            .values(NewGeneratedProject::new(id, project, "parent generation"))
            .execute(conn)
            .expect("insert parent generated project");
        id
    }

    /// A knowledge document of `project`.
    pub(crate) fn knowledge_document(
        conn: &mut PgConnection,
        project: ProjectId,
    ) -> KnowledgeDocumentId {
        let id = KnowledgeDocumentId::new();
        diesel::insert_into(knowledge_base_documents::table)
            .values(NewKnowledgeDocument {
                project_id: Some(project),
                ..NewKnowledgeDocument::new(id, "parent document")
            })
            .execute(conn)
            .expect("insert parent document");
        id
    }

    /// A subscription.
    pub(crate) fn subscription(conn: &mut PgConnection) -> SubscriptionId {
        let id = SubscriptionId::new();
        diesel::insert_into(subscriptions::table)
            .values(NewSubscription::new(id, UserId::new(), PlanName::Starter))
            .execute(conn)
            .expect("insert parent subscription");
        id
    }
}

mod generated;
mod knowledge;
mod sharing;
mod specs_core;
mod usage;
