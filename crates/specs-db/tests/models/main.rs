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
use chrono::{Duration, NaiveTime};
use db_core::{InvitationStatus, LlmProvider, PermissionLevel, TeamId, UserId};
use diesel::prelude::*;
use ipnetwork::IpNetwork;
use serde_json::json;
use test_db::TestDatabase;
use uuid::Uuid;

use test_db::job_checkpoints_round_trip;
use test_db::models::fixed_time as t0;

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
        let id = ProjectId::new();
        let owner = UserId::new();
        diesel::insert_into(projects::table)
            .values(NewProject::new(id, owner, owner, "parent project"))
            .execute(conn)
            .expect("insert parent project");
        id
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
