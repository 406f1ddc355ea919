//! Round trips of usage, billing, analytics, preferences, activity, behaviour, question effectiveness, job checkpoints.

use super::*;
use specs_db::enums::*;
use specs_db::ids::*;
use specs_db::models::*;
use specs_db::schema::*;

/// `user_behavior_patterns`: inserted with every column set, read back equal, and updated.
#[test]
fn user_behavior_patterns() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = UserBehaviorPatternId::new();
    let v_user_id = UserId::new();
    let v_pattern_data = json!({"sample": "user_behavior_patterns.pattern_data"});
    let v_learned_from_projects = vec![projects_id];
    let v_metadata = json!({"sample": "user_behavior_patterns.metadata"});
    diesel::insert_into(user_behavior_patterns::table)
        .values(NewUserBehaviorPattern {
            id,
            user_id: v_user_id,
            pattern_type: "user_behavior_patterns.pattern_type",
            pattern_data: Some(&v_pattern_data),
            confidence: 0.5,
            learned_from_projects: Some(&v_learned_from_projects),
            observation_period: Some(ObservationPeriod::Weekly),
            sample_size: Some(7),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert user_behavior_patterns");
    let row: UserBehaviorPattern = user_behavior_patterns::table
        .find(id)
        .select(UserBehaviorPattern::as_select())
        .first(conn)
        .expect("read user_behavior_patterns");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.pattern_type, "user_behavior_patterns.pattern_type");
    assert_eq!(row.pattern_data, v_pattern_data);
    assert_eq!(row.confidence, 0.5);
    assert_eq!(row.learned_from_projects, v_learned_from_projects);
    assert_eq!(row.observation_period, Some(ObservationPeriod::Weekly));
    assert_eq!(row.sample_size, Some(7));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: UserBehaviorPattern = diesel::update(user_behavior_patterns::table.find(id))
        .set(UserBehaviorPatternChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(UserBehaviorPattern::as_returning())
        .get_result(conn)
        .expect("update user_behavior_patterns");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `question_effectiveness`: inserted with every column set, read back equal, and updated.
#[test]
fn question_effectiveness() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let sessions_id = parents::session(conn, projects_id);
    let questions_id = parents::question(conn, projects_id, sessions_id);
    let id = QuestionEffectivenessId::new();
    let v_user_id = UserId::new();
    let v_feedback = json!({"sample": "question_effectiveness.feedback"});
    let v_metadata = json!({"sample": "question_effectiveness.metadata"});
    diesel::insert_into(question_effectiveness::table)
        .values(NewQuestionEffectiveness {
            id,
            user_id: Some(v_user_id),
            question_template_id: "question_effectiveness.question_template_id",
            question_id: Some(questions_id),
            question_text: Some("question_effectiveness.question_text"),
            role: Some("question_effectiveness.role"),
            project_type: Some("question_effectiveness.project_type"),
            times_asked: Some(7),
            times_answered_well: Some(7),
            times_skipped: Some(7),
            average_answer_length: Some(7),
            average_spec_extraction_count: Some(0.5),
            average_response_time_seconds: Some(0.5),
            effectiveness_score: Some(0.5),
            relevance_score: Some(0.5),
            clarity_score: Some(0.5),
            feedback: Some(&v_feedback),
            recommendations: Some("question_effectiveness.recommendations"),
            last_asked_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert question_effectiveness");
    let row: QuestionEffectiveness = question_effectiveness::table
        .find(id)
        .select(QuestionEffectiveness::as_select())
        .first(conn)
        .expect("read question_effectiveness");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(
        row.question_template_id,
        "question_effectiveness.question_template_id"
    );
    assert_eq!(row.question_id, Some(questions_id));
    assert_eq!(
        row.question_text.as_deref(),
        Some("question_effectiveness.question_text")
    );
    assert_eq!(row.role.as_deref(), Some("question_effectiveness.role"));
    assert_eq!(
        row.project_type.as_deref(),
        Some("question_effectiveness.project_type")
    );
    assert_eq!(row.times_asked, 7);
    assert_eq!(row.times_answered_well, 7);
    assert_eq!(row.times_skipped, 7);
    assert_eq!(row.average_answer_length, Some(7));
    assert_eq!(row.average_spec_extraction_count, Some(0.5));
    assert_eq!(row.average_response_time_seconds, Some(0.5));
    assert_eq!(row.effectiveness_score, Some(0.5));
    assert_eq!(row.relevance_score, Some(0.5));
    assert_eq!(row.clarity_score, Some(0.5));
    assert_eq!(row.feedback, v_feedback);
    assert_eq!(
        row.recommendations.as_deref(),
        Some("question_effectiveness.recommendations")
    );
    assert_eq!(row.last_asked_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: QuestionEffectiveness = diesel::update(question_effectiveness::table.find(id))
        .set(QuestionEffectivenessChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(QuestionEffectiveness::as_returning())
        .get_result(conn)
        .expect("update question_effectiveness");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `llm_usage_tracking`: inserted with every column set, read back equal, and updated.
#[test]
fn llm_usage_tracking() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let sessions_id = parents::session(conn, projects_id);
    let id = LlmUsageId::new();
    let v_user_id = UserId::new();
    let v_cost_usd = BigDecimal::from_str("0.012345").expect("decimal");
    let v_metadata = json!({"sample": "llm_usage_tracking.metadata"});
    diesel::insert_into(llm_usage_tracking::table)
        .values(NewLlmUsage {
            id,
            user_id: v_user_id,
            project_id: Some(projects_id),
            session_id: Some(sessions_id),
            provider: LlmProvider::OpenAi,
            model_name: "llm_usage_tracking.model_name",
            operation_type: Some("llm_usage_tracking.operation_type"),
            input_tokens: Some(7),
            output_tokens: Some(7),
            total_tokens: Some(7),
            cost_usd: Some(&v_cost_usd),
            latency_ms: Some(7),
            status: Some(LlmCallStatus::Error),
            error_message: Some("llm_usage_tracking.error_message"),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert llm_usage_tracking");
    let row: LlmUsage = llm_usage_tracking::table
        .find(id)
        .select(LlmUsage::as_select())
        .first(conn)
        .expect("read llm_usage_tracking");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.session_id, Some(sessions_id));
    assert_eq!(row.provider, LlmProvider::OpenAi);
    assert_eq!(row.model_name, "llm_usage_tracking.model_name");
    assert_eq!(
        row.operation_type.as_deref(),
        Some("llm_usage_tracking.operation_type")
    );
    assert_eq!(row.input_tokens, 7);
    assert_eq!(row.output_tokens, 7);
    assert_eq!(row.total_tokens, 7);
    assert_eq!(row.cost_usd, Some(v_cost_usd));
    assert_eq!(row.latency_ms, Some(7));
    assert_eq!(row.status, LlmCallStatus::Error);
    assert_eq!(
        row.error_message.as_deref(),
        Some("llm_usage_tracking.error_message")
    );
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
}

/// `subscriptions`: inserted with every column set, read back equal, and updated.
#[test]
fn subscriptions() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let id = SubscriptionId::new();
    let v_user_id = UserId::new();
    let v_price_usd = BigDecimal::from_str("19.99").expect("decimal");
    let v_features = json!({"sample": "subscriptions.features"});
    let v_metadata = json!({"sample": "subscriptions.metadata"});
    diesel::insert_into(subscriptions::table)
        .values(NewSubscription {
            id,
            user_id: v_user_id,
            plan_name: PlanName::Starter,
            plan_type: Some(PlanType::Yearly),
            status: Some(SubscriptionStatus::Cancelled),
            price_usd: Some(&v_price_usd),
            billing_cycle_start: Some(t0()),
            billing_cycle_end: Some(t0() + Duration::days(30)),
            auto_renew: Some(false),
            cancelled_at: Some(t0()),
            stripe_customer_id: Some("subscriptions.stripe_customer_id"),
            stripe_subscription_id: Some("subscriptions.stripe_subscription_id"),
            features: Some(&v_features),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert subscriptions");
    let row: Subscription = subscriptions::table
        .find(id)
        .select(Subscription::as_select())
        .first(conn)
        .expect("read subscriptions");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.plan_name, PlanName::Starter);
    assert_eq!(row.plan_type, Some(PlanType::Yearly));
    assert_eq!(row.status, SubscriptionStatus::Cancelled);
    assert_eq!(row.price_usd, Some(v_price_usd));
    assert_eq!(row.billing_cycle_start, Some(t0()));
    assert_eq!(row.billing_cycle_end, Some(t0() + Duration::days(30)));
    assert!(!row.auto_renew);
    assert_eq!(row.cancelled_at, Some(t0()));
    assert_eq!(
        row.stripe_customer_id.as_deref(),
        Some("subscriptions.stripe_customer_id")
    );
    assert_eq!(
        row.stripe_subscription_id.as_deref(),
        Some("subscriptions.stripe_subscription_id")
    );
    assert_eq!(row.features, v_features);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Subscription = diesel::update(subscriptions::table.find(id))
        .set(SubscriptionChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Subscription::as_returning())
        .get_result(conn)
        .expect("update subscriptions");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `invoices`: inserted with every column set, read back equal, and updated.
#[test]
fn invoices() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let subscriptions_id = parents::subscription(conn);
    let id = InvoiceId::new();
    let v_user_id = UserId::new();
    let v_amount = BigDecimal::from_str("19.99").expect("decimal");
    let v_line_items = json!([{"sample": "invoices.line_items"}]);
    let v_metadata = json!({"sample": "invoices.metadata"});
    diesel::insert_into(invoices::table)
        .values(NewInvoice {
            id,
            user_id: v_user_id,
            subscription_id: Some(subscriptions_id),
            invoice_number: "invoices.invoice_number",
            amount: &v_amount,
            currency: Some("EUR"),
            status: Some(InvoiceStatus::Sent),
            description: Some("invoices.description"),
            line_items: Some(&v_line_items),
            issued_at: Some(t0()),
            due_at: Some(t0()),
            paid_at: Some(t0()),
            stripe_invoice_id: Some("invoices.stripe_invoice_id"),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert invoices");
    let row: Invoice = invoices::table
        .find(id)
        .select(Invoice::as_select())
        .first(conn)
        .expect("read invoices");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.subscription_id, Some(subscriptions_id));
    assert_eq!(row.invoice_number, "invoices.invoice_number");
    assert_eq!(row.amount, v_amount);
    assert_eq!(row.currency, "EUR");
    assert_eq!(row.status, InvoiceStatus::Sent);
    assert_eq!(row.description.as_deref(), Some("invoices.description"));
    assert_eq!(row.line_items, v_line_items);
    assert_eq!(row.issued_at, Some(t0()));
    assert_eq!(row.due_at, Some(t0()));
    assert_eq!(row.paid_at, Some(t0()));
    assert_eq!(
        row.stripe_invoice_id.as_deref(),
        Some("invoices.stripe_invoice_id")
    );
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Invoice = diesel::update(invoices::table.find(id))
        .set(InvoiceChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Invoice::as_returning())
        .get_result(conn)
        .expect("update invoices");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `analytics_metrics`: inserted with every column set, read back equal, and updated.
#[test]
fn analytics_metrics() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let id = AnalyticsMetricId::new();
    let v_tags = vec!["alpha".to_owned(), "beta".to_owned()];
    let v_metadata = json!({"sample": "analytics_metrics.metadata"});
    diesel::insert_into(analytics_metrics::table)
        .values(NewAnalyticsMetric {
            id,
            metric_name: "analytics_metrics.metric_name",
            metric_value: 0.5,
            dimension_type: Some("analytics_metrics.dimension_type"),
            dimension_value: Some("analytics_metrics.dimension_value"),
            period: Some(MetricPeriod::Weekly),
            period_start: Some(t0()),
            period_end: Some(t0() + Duration::days(30)),
            tags: Some(&v_tags),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert analytics_metrics");
    let row: AnalyticsMetric = analytics_metrics::table
        .find(id)
        .select(AnalyticsMetric::as_select())
        .first(conn)
        .expect("read analytics_metrics");
    assert_eq!(row.id, id);
    assert_eq!(row.metric_name, "analytics_metrics.metric_name");
    assert_eq!(row.metric_value, 0.5);
    assert_eq!(
        row.dimension_type.as_deref(),
        Some("analytics_metrics.dimension_type")
    );
    assert_eq!(
        row.dimension_value.as_deref(),
        Some("analytics_metrics.dimension_value")
    );
    assert_eq!(row.period, Some(MetricPeriod::Weekly));
    assert_eq!(row.period_start, t0());
    assert_eq!(row.period_end, Some(t0() + Duration::days(30)));
    assert_eq!(row.tags, v_tags);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: AnalyticsMetric = diesel::update(analytics_metrics::table.find(id))
        .set(AnalyticsMetricChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(AnalyticsMetric::as_returning())
        .get_result(conn)
        .expect("update analytics_metrics");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
}

/// `notification_preferences`: inserted with every column set, read back equal, and updated.
#[test]
fn notification_preferences() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let id = NotificationPreferenceId::new();
    let v_user_id = UserId::new();
    let v_metadata = json!({"sample": "notification_preferences.metadata"});
    diesel::insert_into(notification_preferences::table)
        .values(NewNotificationPreference {
            id,
            user_id: v_user_id,
            notification_type: NotificationType::Maturity,
            email_enabled: Some(false),
            in_app_enabled: Some(false),
            slack_enabled: Some(true),
            frequency: Some(NotificationFrequency::Daily),
            quiet_hours_enabled: Some(true),
            quiet_hours_start: Some(NaiveTime::from_hms_opt(22, 0, 0).expect("time")),
            quiet_hours_end: Some(NaiveTime::from_hms_opt(7, 0, 0).expect("time")),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert notification_preferences");
    let row: NotificationPreference = notification_preferences::table
        .find(id)
        .select(NotificationPreference::as_select())
        .first(conn)
        .expect("read notification_preferences");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, v_user_id);
    assert_eq!(row.notification_type, NotificationType::Maturity);
    assert!(!row.email_enabled);
    assert!(!row.in_app_enabled);
    assert!(row.slack_enabled);
    assert_eq!(row.frequency, NotificationFrequency::Daily);
    assert!(row.quiet_hours_enabled);
    assert_eq!(
        row.quiet_hours_start,
        Some(NaiveTime::from_hms_opt(22, 0, 0).expect("time"))
    );
    assert_eq!(
        row.quiet_hours_end,
        Some(NaiveTime::from_hms_opt(7, 0, 0).expect("time"))
    );
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: NotificationPreference =
        diesel::update(notification_preferences::table.find(id))
            .set(NotificationPreferenceChanges {
                metadata: Some(&changed),
                ..Default::default()
            })
            .returning(NotificationPreference::as_returning())
            .get_result(conn)
            .expect("update notification_preferences");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `activity_logs`: inserted with every column set, read back equal, and updated.
#[test]
fn activity_logs() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = ActivityLogId::new();
    let v_user_id = UserId::new();
    let v_resource_id = Uuid::now_v7();
    let v_changes = json!({"sample": "activity_logs.changes"});
    let v_ip_address: IpNetwork = "10.1.2.3".parse().expect("ip");
    let v_metadata = json!({"sample": "activity_logs.metadata"});
    diesel::insert_into(activity_logs::table)
        .values(NewActivityLog {
            id,
            user_id: Some(v_user_id),
            project_id: Some(projects_id),
            action: "activity_logs.action",
            resource_type: "activity_logs.resource_type",
            resource_id: Some(v_resource_id),
            resource_name: Some("activity_logs.resource_name"),
            description: Some("activity_logs.description"),
            changes: Some(&v_changes),
            severity: Some(ActivitySeverity::Warning),
            ip_address: Some(v_ip_address),
            user_agent: Some("activity_logs.user_agent"),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert activity_logs");
    let row: ActivityLog = activity_logs::table
        .find(id)
        .select(ActivityLog::as_select())
        .first(conn)
        .expect("read activity_logs");
    assert_eq!(row.id, id);
    assert_eq!(row.user_id, Some(v_user_id));
    assert_eq!(row.project_id, Some(projects_id));
    assert_eq!(row.action, "activity_logs.action");
    assert_eq!(row.resource_type, "activity_logs.resource_type");
    assert_eq!(row.resource_id, Some(v_resource_id));
    assert_eq!(
        row.resource_name.as_deref(),
        Some("activity_logs.resource_name")
    );
    assert_eq!(
        row.description.as_deref(),
        Some("activity_logs.description")
    );
    assert_eq!(row.changes, v_changes);
    assert_eq!(row.severity, ActivitySeverity::Warning);
    assert_eq!(row.ip_address, Some(v_ip_address));
    assert_eq!(row.user_agent.as_deref(), Some("activity_logs.user_agent"));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
}

/// `job_checkpoints` of socrates_specs.
#[test]
fn job_checkpoints() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    job_checkpoints_round_trip!(&mut db.conn(), specs_db);
}
