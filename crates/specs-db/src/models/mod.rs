//! Models of socrates_specs: per table a read struct, a `New*` insert struct and,
//! where rows change, a `*Changes` changeset.

mod activity_logs;
mod analytics_metrics;
mod conflicts;
mod conversation_history;
mod document_chunks;
mod generated_files;
mod generated_projects;
mod invoices;
mod job_checkpoints;
mod knowledge_base_documents;
mod llm_usage_tracking;
mod maturity_tracking;
mod notification_preferences;
mod project_invitations;
mod project_shares;
mod projects;
mod quality_metrics;
mod question_effectiveness;
mod questions;
mod sessions;
mod specifications;
mod subscriptions;
mod test_results;
mod user_behavior_patterns;

pub use activity_logs::{ActivityLog, NewActivityLog};
pub use analytics_metrics::{AnalyticsMetric, AnalyticsMetricChanges, NewAnalyticsMetric};
pub use conflicts::{Conflict, ConflictChanges, NewConflict};
pub use conversation_history::{ConversationMessage, NewConversationMessage};
pub use document_chunks::{DocumentChunk, DocumentChunkChanges, NewDocumentChunk};
pub use generated_files::{GeneratedFile, GeneratedFileChanges, NewGeneratedFile};
pub use generated_projects::{GeneratedProject, GeneratedProjectChanges, NewGeneratedProject};
pub use invoices::{Invoice, InvoiceChanges, NewInvoice};
pub use job_checkpoints::{JobCheckpoint, JobCheckpointChanges, NewJobCheckpoint};
pub use knowledge_base_documents::{
    KnowledgeDocument, KnowledgeDocumentChanges, NewKnowledgeDocument,
};
pub use llm_usage_tracking::{LlmUsage, NewLlmUsage};
pub use maturity_tracking::{MaturityRecord, NewMaturityRecord};
pub use notification_preferences::{
    NewNotificationPreference, NotificationPreference, NotificationPreferenceChanges,
};
pub use project_invitations::{NewProjectInvitation, ProjectInvitation, ProjectInvitationChanges};
pub use project_shares::{NewProjectShare, ProjectShare, ProjectShareChanges};
pub use projects::{NewProject, Project, ProjectChanges};
pub use quality_metrics::{NewQualityMetric, QualityMetric};
pub use question_effectiveness::{
    NewQuestionEffectiveness, QuestionEffectiveness, QuestionEffectivenessChanges,
};
pub use questions::{NewQuestion, Question, QuestionChanges};
pub use sessions::{NewSession, Session, SessionChanges};
pub use specifications::{NewSpecification, Specification, SpecificationChanges};
pub use subscriptions::{NewSubscription, Subscription, SubscriptionChanges};
pub use test_results::{NewTestResult, TestResult, TestResultChanges};
pub use user_behavior_patterns::{
    NewUserBehaviorPattern, UserBehaviorPattern, UserBehaviorPatternChanges,
};
