//! Round trips of projects, sessions, conversation, questions, specifications, conflicts, maturity, quality, tests.

use super::*;
use specs_db::enums::*;
use specs_db::ids::*;
use specs_db::models::*;
use specs_db::schema::*;

/// `projects`: inserted with every column set, read back equal, and updated.
#[test]
fn projects() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let id = ProjectId::new();
    let v_owner_id = UserId::new();
    let v_creator_id = UserId::new();
    let v_technology_stack = json!({"sample": "projects.technology_stack"});
    let v_metadata = json!({"sample": "projects.metadata"});
    diesel::insert_into(projects::table)
        .values(NewProject {
            id,
            owner_id: v_owner_id,
            creator_id: v_creator_id,
            name: "projects.name",
            description: Some("projects.description"),
            current_phase: Some(ProjectPhase::Analysis),
            status: Some(ProjectStatus::Archived),
            maturity_score: Some(0.5),
            technology_stack: Some(&v_technology_stack),
            metadata: Some(&v_metadata),
            archived_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert projects");
    let row: Project = projects::table
        .find(id)
        .select(Project::as_select())
        .first(conn)
        .expect("read projects");
    assert_eq!(row.id, id);
    assert_eq!(row.owner_id, v_owner_id);
    assert_eq!(row.creator_id, v_creator_id);
    assert_eq!(row.name, "projects.name");
    assert_eq!(row.description.as_deref(), Some("projects.description"));
    assert_eq!(row.current_phase, ProjectPhase::Analysis);
    assert_eq!(row.status, ProjectStatus::Archived);
    assert_eq!(row.maturity_score, 0.5);
    assert_eq!(row.technology_stack, v_technology_stack);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.archived_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Project = diesel::update(projects::table.find(id))
        .set(ProjectChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Project::as_returning())
        .get_result(conn)
        .expect("update projects");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `sessions`: inserted with every column set, read back equal, and updated.
#[test]
fn sessions() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = SessionId::new();
    let v_user_id = UserId::new();
    let v_metadata = json!({"sample": "sessions.metadata"});
    diesel::insert_into(sessions::table)
        .values(NewSession {
            id,
            project_id: projects_id,
            user_id: Some(v_user_id),
            title: Some("sessions.title"),
            mode: Some(SessionMode::DirectChat),
            status: Some(SessionStatus::Archived),
            domain: Some("sessions.domain"),
            role: Some("sessions.role"),
            message_count: Some(7),
            metadata: Some(&v_metadata),
            started_at: Some(t0()),
            ended_at: Some(t0()),
            archived_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert sessions");
    let row: Session = sessions::table
        .find(id)
        .select(Session::as_select())
        .first(conn)
        .expect("read sessions");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.title.as_deref(), Some("sessions.title"));
    assert_eq!(row.mode, SessionMode::DirectChat);
    assert_eq!(row.status, SessionStatus::Archived);
    assert_eq!(row.domain.as_deref(), Some("sessions.domain"));
    assert_eq!(row.role.as_deref(), Some("sessions.role"));
    assert_eq!(row.message_count, 7);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.started_at, t0());
    assert_eq!(row.ended_at, Some(t0()));
    assert_eq!(row.archived_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Session = diesel::update(sessions::table.find(id))
        .set(SessionChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Session::as_returning())
        .get_result(conn)
        .expect("update sessions");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `questions`: inserted with every column set, read back equal, and updated.
#[test]
fn questions() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let sessions_id = parents::session(conn, projects_id);
    let id = QuestionId::new();
    let v_metadata = json!({"sample": "questions.metadata"});
    diesel::insert_into(questions::table)
        .values(NewQuestion {
            id,
            project_id: projects_id,
            session_id: Some(sessions_id),
            text: "questions.text",
            category: SpecCategory::Requirements,
            context: Some("questions.context"),
            priority: Some(QuestionPriority::Medium),
            status: Some(QuestionStatus::Answered),
            answer: Some("questions.answer"),
            quality_score: Some(0.5),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert questions");
    let row: Question = questions::table
        .find(id)
        .select(Question::as_select())
        .first(conn)
        .expect("read questions");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.session_id, Some(sessions_id));
    assert_eq!(row.text, "questions.text");
    assert_eq!(row.category, SpecCategory::Requirements);
    assert_eq!(row.context.as_deref(), Some("questions.context"));
    assert_eq!(row.priority, QuestionPriority::Medium);
    assert_eq!(row.status, QuestionStatus::Answered);
    assert_eq!(row.answer.as_deref(), Some("questions.answer"));
    assert_eq!(row.quality_score, 0.5);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Question = diesel::update(questions::table.find(id))
        .set(QuestionChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Question::as_returning())
        .get_result(conn)
        .expect("update questions");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `specifications`: inserted with every column set, read back equal, and updated.
#[test]
fn specifications() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let sessions_id = parents::session(conn, projects_id);
    let id = SpecificationId::new();
    let v_metadata = json!({"sample": "specifications.metadata"});
    diesel::insert_into(specifications::table)
        .values(NewSpecification {
            id,
            project_id: projects_id,
            session_id: Some(sessions_id),
            category: SpecCategory::Requirements,
            key: "specifications.key",
            value: "specifications.value",
            spec_type: Some(SpecType::NonFunctional),
            source: Some(SpecSource::Extracted),
            status: Some(SpecStatus::Approved),
            version: Some(7),
            confidence: Some(0.5),
            maturity_score: Some(0.5),
            is_current: Some(false),
            superseded_at: Some(t0()),
            superseded_by: None,
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert specifications");
    let row: Specification = specifications::table
        .find(id)
        .select(Specification::as_select())
        .first(conn)
        .expect("read specifications");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.session_id, Some(sessions_id));
    assert_eq!(row.category, SpecCategory::Requirements);
    assert_eq!(row.key, "specifications.key");
    assert_eq!(row.value, "specifications.value");
    assert_eq!(row.spec_type, Some(SpecType::NonFunctional));
    assert_eq!(row.source, SpecSource::Extracted);
    assert_eq!(row.status, SpecStatus::Approved);
    assert_eq!(row.version, 7);
    assert_eq!(row.confidence, Some(0.5));
    assert_eq!(row.maturity_score, 0.5);
    assert!(!row.is_current);
    assert_eq!(row.superseded_at, Some(t0()));
    assert_eq!(row.superseded_by, None);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Specification = diesel::update(specifications::table.find(id))
        .set(SpecificationChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Specification::as_returning())
        .get_result(conn)
        .expect("update specifications");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `conversation_history`: inserted with every column set, read back equal, and updated.
#[test]
fn conversation_history() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let sessions_id = parents::session(conn, projects_id);
    let id = ConversationMessageId::new();
    let v_user_id = UserId::new();
    let v_metadata = json!({"sample": "conversation_history.metadata"});
    diesel::insert_into(conversation_history::table)
        .values(NewConversationMessage {
            id,
            session_id: sessions_id,
            user_id: Some(v_user_id),
            role: MessageRole::Assistant,
            content: "conversation_history.content",
            message_type: Some(MessageType::Answer),
            tokens_used: Some(7),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert conversation_history");
    let row: ConversationMessage = conversation_history::table
        .find(id)
        .select(ConversationMessage::as_select())
        .first(conn)
        .expect("read conversation_history");
    assert_eq!(row.id, id);
    assert_eq!(row.session_id, sessions_id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.role, MessageRole::Assistant);
    assert_eq!(row.content, "conversation_history.content");
    assert_eq!(row.message_type, Some(MessageType::Answer));
    assert_eq!(row.tokens_used, Some(7));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
}

/// `conflicts`: inserted with every column set, read back equal, and updated.
#[test]
fn conflicts() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let sessions_id = parents::session(conn, projects_id);
    let specifications_id = parents::specification(conn, projects_id, sessions_id);
    let id = ConflictId::new();
    let v_spec_ids = vec![specifications_id];
    let v_metadata = json!({"sample": "conflicts.metadata"});
    diesel::insert_into(conflicts::table)
        .values(NewConflict {
            id,
            project_id: projects_id,
            title: Some("conflicts.title"),
            description: "conflicts.description",
            conflict_type: ConflictType::Requirement,
            severity: Some(ConflictSeverity::Medium),
            status: Some(ConflictStatus::Resolved),
            spec_ids: Some(&v_spec_ids),
            resolution: Some("conflicts.resolution"),
            resolved_at: Some(t0()),
            resolved_by_user: Some(true),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert conflicts");
    let row: Conflict = conflicts::table
        .find(id)
        .select(Conflict::as_select())
        .first(conn)
        .expect("read conflicts");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.title.as_deref(), Some("conflicts.title"));
    assert_eq!(row.description, "conflicts.description");
    assert_eq!(row.conflict_type, ConflictType::Requirement);
    assert_eq!(row.severity, ConflictSeverity::Medium);
    assert_eq!(row.status, ConflictStatus::Resolved);
    assert_eq!(row.spec_ids, v_spec_ids);
    assert_eq!(row.resolution.as_deref(), Some("conflicts.resolution"));
    assert_eq!(row.resolved_at, Some(t0()));
    assert!(row.resolved_by_user);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Conflict = diesel::update(conflicts::table.find(id))
        .set(ConflictChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Conflict::as_returning())
        .get_result(conn)
        .expect("update conflicts");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `maturity_tracking`: inserted with every column set, read back equal, and updated.
#[test]
fn maturity_tracking() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = MaturityRecordId::new();
    let v_details = json!({"sample": "maturity_tracking.details"});
    diesel::insert_into(maturity_tracking::table)
        .values(NewMaturityRecord {
            id,
            project_id: projects_id,
            category: SpecCategory::Requirements,
            score: 0.5,
            details: Some(&v_details),
            calculated_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert maturity_tracking");
    let row: MaturityRecord = maturity_tracking::table
        .find(id)
        .select(MaturityRecord::as_select())
        .first(conn)
        .expect("read maturity_tracking");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.category, SpecCategory::Requirements);
    assert_eq!(row.score, 0.5);
    assert_eq!(row.details, v_details);
    assert_eq!(row.calculated_at, t0());
    assert_eq!(row.created_at, t0());
}

/// `quality_metrics`: inserted with every column set, read back equal, and updated.
#[test]
fn quality_metrics() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = QualityMetricId::new();
    let v_details = json!({"sample": "quality_metrics.details"});
    let v_metadata = json!({"sample": "quality_metrics.metadata"});
    diesel::insert_into(quality_metrics::table)
        .values(NewQualityMetric {
            id,
            project_id: projects_id,
            metric_name: "quality_metrics.metric_name",
            metric_type: Some(MetricType::Coverage),
            metric_value: 0.5,
            threshold: Some(0.5),
            passed: Some(true),
            details: Some(&v_details),
            metadata: Some(&v_metadata),
            calculated_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert quality_metrics");
    let row: QualityMetric = quality_metrics::table
        .find(id)
        .select(QualityMetric::as_select())
        .first(conn)
        .expect("read quality_metrics");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.metric_name, "quality_metrics.metric_name");
    assert_eq!(row.metric_type, MetricType::Coverage);
    assert_eq!(row.metric_value, 0.5);
    assert_eq!(row.threshold, Some(0.5));
    assert_eq!(row.passed, Some(true));
    assert_eq!(row.details, v_details);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.calculated_at, t0());
    assert_eq!(row.created_at, t0());
}

/// `test_results`: inserted with every column set, read back equal, and updated.
#[test]
fn test_results() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = TestResultId::new();
    let v_technology_stack = json!({"sample": "test_results.technology_stack"});
    let v_results = json!({"sample": "test_results.results"});
    diesel::insert_into(test_results::table)
        .values(NewTestResult {
            id,
            project_id: projects_id,
            test_type: TestType::Integration,
            technology_stack: Some(&v_technology_stack),
            status: Some(TestStatus::Running),
            results: Some(&v_results),
            error_message: Some("test_results.error_message"),
            started_at: Some(t0()),
            completed_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert test_results");
    let row: TestResult = test_results::table
        .find(id)
        .select(TestResult::as_select())
        .first(conn)
        .expect("read test_results");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.test_type, TestType::Integration);
    assert_eq!(row.technology_stack, v_technology_stack);
    assert_eq!(row.status, TestStatus::Running);
    assert_eq!(row.results, v_results);
    assert_eq!(
        row.error_message.as_deref(),
        Some("test_results.error_message")
    );
    assert_eq!(row.started_at, t0());
    assert_eq!(row.completed_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed_row: TestResult = diesel::update(test_results::table.find(id))
        .set(TestResultChanges {
            error_message: Some(Some("changed")),
            ..Default::default()
        })
        .returning(TestResult::as_returning())
        .get_result(conn)
        .expect("update test_results");
    assert_eq!(changed_row.error_message.as_deref(), Some("changed"));
}
