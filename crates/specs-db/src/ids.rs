//! Typed ids of the tables of socrates_specs (`UserId`, `TeamId` and `JobCheckpointId` live in db-core).

db_core::typed_id! {
    /// Primary key of `projects`.
    pub struct ProjectId;
}

db_core::typed_id! {
    /// Primary key of `sessions`.
    pub struct SessionId;
}

db_core::typed_id! {
    /// Primary key of `questions`.
    pub struct QuestionId;
}

db_core::typed_id! {
    /// Primary key of `specifications`.
    pub struct SpecificationId;
}

db_core::typed_id! {
    /// Primary key of `conversation_history`.
    pub struct ConversationMessageId;
}

db_core::typed_id! {
    /// Primary key of `conflicts`.
    pub struct ConflictId;
}

db_core::typed_id! {
    /// Primary key of `maturity_tracking`.
    pub struct MaturityRecordId;
}

db_core::typed_id! {
    /// Primary key of `quality_metrics`.
    pub struct QualityMetricId;
}

db_core::typed_id! {
    /// Primary key of `test_results`.
    pub struct TestResultId;
}

db_core::typed_id! {
    /// Primary key of `generated_projects`.
    pub struct GeneratedProjectId;
}

db_core::typed_id! {
    /// Primary key of `generated_files`.
    pub struct GeneratedFileId;
}

db_core::typed_id! {
    /// Primary key of `user_behavior_patterns`.
    pub struct UserBehaviorPatternId;
}

db_core::typed_id! {
    /// Primary key of `question_effectiveness`.
    pub struct QuestionEffectivenessId;
}

db_core::typed_id! {
    /// Primary key of `knowledge_base_documents`.
    pub struct KnowledgeDocumentId;
}

db_core::typed_id! {
    /// Primary key of `document_chunks`.
    pub struct DocumentChunkId;
}

db_core::typed_id! {
    /// Primary key of `project_shares`.
    pub struct ProjectShareId;
}

db_core::typed_id! {
    /// Primary key of `project_invitations`.
    pub struct ProjectInvitationId;
}

db_core::typed_id! {
    /// Primary key of `llm_usage_tracking`.
    pub struct LlmUsageId;
}

db_core::typed_id! {
    /// Primary key of `subscriptions`.
    pub struct SubscriptionId;
}

db_core::typed_id! {
    /// Primary key of `invoices`.
    pub struct InvoiceId;
}

db_core::typed_id! {
    /// Primary key of `analytics_metrics`.
    pub struct AnalyticsMetricId;
}

db_core::typed_id! {
    /// Primary key of `notification_preferences`.
    pub struct NotificationPreferenceId;
}

db_core::typed_id! {
    /// Primary key of `activity_logs`.
    pub struct ActivityLogId;
}
