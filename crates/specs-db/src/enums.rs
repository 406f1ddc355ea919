//! Every enumerated column of socrates_specs: one Rust enum per CHECK value set.
//!
//! [`ENUM_COLUMNS`] lists where each enum is stored; a test compares every entry with
//! its CHECK constraint in the catalog, and every enum CHECK in the catalog with this list.

use db_core::EnumColumn;
use db_core::{ImportOutcome, InvitationStatus, JobStatus, LlmProvider, PermissionLevel};

db_core::text_enum! {
    /// Workflow phase of a project, in order.
    pub enum ProjectPhase {
        /// `discovery`
        Discovery => "discovery",
        /// `analysis`
        Analysis => "analysis",
        /// `design`
        Design => "design",
        /// `implementation`
        Implementation => "implementation",
    }
}

db_core::text_enum! {
    /// Lifecycle state of a project.
    pub enum ProjectStatus {
        /// `active`
        Active => "active",
        /// `archived`
        Archived => "archived",
        /// `completed`
        Completed => "completed",
        /// `on_hold`
        OnHold => "on_hold",
    }
}

db_core::text_enum! {
    /// Conversation mode of a session.
    pub enum SessionMode {
        /// `socratic`
        Socratic => "socratic",
        /// `direct_chat`
        DirectChat => "direct_chat",
    }
}

db_core::text_enum! {
    /// State of a session.
    pub enum SessionStatus {
        /// `active`
        Active => "active",
        /// `archived`
        Archived => "archived",
        /// `completed`
        Completed => "completed",
    }
}

db_core::text_enum! {
    /// Specification category (the shared `spec_category` value set).
    pub enum SpecCategory {
        /// `goals`
        Goals => "goals",
        /// `requirements`
        Requirements => "requirements",
        /// `tech_stack`
        TechStack => "tech_stack",
        /// `scalability`
        Scalability => "scalability",
        /// `security`
        Security => "security",
        /// `performance`
        Performance => "performance",
        /// `testing`
        Testing => "testing",
        /// `monitoring`
        Monitoring => "monitoring",
        /// `data_retention`
        DataRetention => "data_retention",
        /// `disaster_recovery`
        DisasterRecovery => "disaster_recovery",
    }
}

db_core::text_enum! {
    /// How urgently a question needs an answer.
    pub enum QuestionPriority {
        /// `low`
        Low => "low",
        /// `medium`
        Medium => "medium",
        /// `high`
        High => "high",
        /// `critical`
        Critical => "critical",
    }
}

db_core::text_enum! {
    /// Answer state of a question.
    pub enum QuestionStatus {
        /// `pending`
        Pending => "pending",
        /// `answered`
        Answered => "answered",
        /// `skipped`
        Skipped => "skipped",
        /// `resolved`
        Resolved => "resolved",
    }
}

db_core::text_enum! {
    /// Requirement class of a specification.
    pub enum SpecType {
        /// `functional`
        Functional => "functional",
        /// `non_functional`
        NonFunctional => "non_functional",
        /// `deployment`
        Deployment => "deployment",
        /// `security`
        Security => "security",
        /// `performance`
        Performance => "performance",
    }
}

db_core::text_enum! {
    /// How a specification was obtained.
    pub enum SpecSource {
        /// `user_input`
        UserInput => "user_input",
        /// `extracted`
        Extracted => "extracted",
        /// `inferred`
        Inferred => "inferred",
    }
}

db_core::text_enum! {
    /// Approval state of a specification.
    pub enum SpecStatus {
        /// `draft`
        Draft => "draft",
        /// `approved`
        Approved => "approved",
        /// `implemented`
        Implemented => "implemented",
        /// `deprecated`
        Deprecated => "deprecated",
    }
}

db_core::text_enum! {
    /// Speaker of a conversation message.
    pub enum MessageRole {
        /// `user`
        User => "user",
        /// `assistant`
        Assistant => "assistant",
        /// `system`
        System => "system",
    }
}

db_core::text_enum! {
    /// Semantic kind of a conversation message.
    pub enum MessageType {
        /// `question`
        Question => "question",
        /// `answer`
        Answer => "answer",
        /// `clarification`
        Clarification => "clarification",
        /// `specification`
        Specification => "specification",
        /// `error`
        Error => "error",
    }
}

db_core::text_enum! {
    /// Kind of conflict.
    pub enum ConflictType {
        /// `technology`
        Technology => "technology",
        /// `requirement`
        Requirement => "requirement",
        /// `timeline`
        Timeline => "timeline",
        /// `resource`
        Resource => "resource",
    }
}

db_core::text_enum! {
    /// How serious a conflict is.
    pub enum ConflictSeverity {
        /// `low`
        Low => "low",
        /// `medium`
        Medium => "medium",
        /// `high`
        High => "high",
        /// `critical`
        Critical => "critical",
    }
}

db_core::text_enum! {
    /// Resolution state of a conflict.
    pub enum ConflictStatus {
        /// `open`
        Open => "open",
        /// `resolved`
        Resolved => "resolved",
        /// `ignored`
        Ignored => "ignored",
    }
}

db_core::text_enum! {
    /// Family of a quality metric.
    pub enum MetricType {
        /// `maturity`
        Maturity => "maturity",
        /// `coverage`
        Coverage => "coverage",
        /// `conflicts`
        Conflicts => "conflicts",
        /// `bias`
        Bias => "bias",
        /// `other`
        Other => "other",
    }
}

db_core::text_enum! {
    /// Kind of test run.
    pub enum TestType {
        /// `compatibility`
        Compatibility => "compatibility",
        /// `integration`
        Integration => "integration",
        /// `unit`
        Unit => "unit",
    }
}

db_core::text_enum! {
    /// State of a test run.
    pub enum TestStatus {
        /// `pending`
        Pending => "pending",
        /// `running`
        Running => "running",
        /// `passed`
        Passed => "passed",
        /// `failed`
        Failed => "failed",
    }
}

db_core::text_enum! {
    /// State of a code-generation run.
    pub enum GenerationStatus {
        /// `pending`
        Pending => "pending",
        /// `in_progress`
        InProgress => "in_progress",
        /// `completed`
        Completed => "completed",
        /// `failed`
        Failed => "failed",
    }
}

db_core::text_enum! {
    /// Review state of a generated file.
    pub enum GeneratedFileStatus {
        /// `draft`
        Draft => "draft",
        /// `generated`
        Generated => "generated",
        /// `reviewed`
        Reviewed => "reviewed",
        /// `approved`
        Approved => "approved",
    }
}

db_core::text_enum! {
    /// Window a behaviour pattern covers.
    pub enum ObservationPeriod {
        /// `daily`
        Daily => "daily",
        /// `weekly`
        Weekly => "weekly",
        /// `monthly`
        Monthly => "monthly",
        /// `all_time`
        AllTime => "all_time",
    }
}

db_core::text_enum! {
    /// Ingestion state of a document.
    pub enum DocumentStatus {
        /// `uploading`
        Uploading => "uploading",
        /// `processing`
        Processing => "processing",
        /// `processed`
        Processed => "processed",
        /// `error`
        Error => "error",
    }
}

db_core::text_enum! {
    /// Who a project share is for.
    pub enum AccessType {
        /// `user`
        User => "user",
        /// `team`
        Team => "team",
        /// `public`
        Public => "public",
        /// `link`
        Link => "link",
    }
}

db_core::text_enum! {
    /// Project role granted when an invitation is accepted.
    pub enum ProjectRole {
        /// `viewer`
        Viewer => "viewer",
        /// `member`
        Member => "member",
        /// `lead`
        Lead => "lead",
        /// `admin`
        Admin => "admin",
    }
}

db_core::text_enum! {
    /// Outcome of an LLM call.
    pub enum LlmCallStatus {
        /// `success`
        Success => "success",
        /// `error`
        Error => "error",
        /// `timeout`
        Timeout => "timeout",
        /// `rate_limited`
        RateLimited => "rate_limited",
    }
}

db_core::text_enum! {
    /// Subscription plan tier.
    pub enum PlanName {
        /// `free`
        Free => "free",
        /// `starter`
        Starter => "starter",
        /// `professional`
        Professional => "professional",
        /// `enterprise`
        Enterprise => "enterprise",
    }
}

db_core::text_enum! {
    /// Billing interval.
    pub enum PlanType {
        /// `monthly`
        Monthly => "monthly",
        /// `yearly`
        Yearly => "yearly",
        /// `usage_based`
        UsageBased => "usage_based",
    }
}

db_core::text_enum! {
    /// State of a subscription.
    pub enum SubscriptionStatus {
        /// `active`
        Active => "active",
        /// `cancelled`
        Cancelled => "cancelled",
        /// `suspended`
        Suspended => "suspended",
        /// `expired`
        Expired => "expired",
        /// `past_due`
        PastDue => "past_due",
    }
}

db_core::text_enum! {
    /// State of an invoice.
    pub enum InvoiceStatus {
        /// `draft`
        Draft => "draft",
        /// `sent`
        Sent => "sent",
        /// `paid`
        Paid => "paid",
        /// `overdue`
        Overdue => "overdue",
        /// `cancelled`
        Cancelled => "cancelled",
    }
}

db_core::text_enum! {
    /// Bucket size of an analytics series.
    pub enum MetricPeriod {
        /// `daily`
        Daily => "daily",
        /// `weekly`
        Weekly => "weekly",
        /// `monthly`
        Monthly => "monthly",
    }
}

db_core::text_enum! {
    /// Class of notification.
    pub enum NotificationType {
        /// `conflict`
        Conflict => "conflict",
        /// `maturity`
        Maturity => "maturity",
        /// `mention`
        Mention => "mention",
        /// `activity`
        Activity => "activity",
        /// `invitation`
        Invitation => "invitation",
    }
}

db_core::text_enum! {
    /// Delivery cadence of notifications.
    pub enum NotificationFrequency {
        /// `immediate`
        Immediate => "immediate",
        /// `daily`
        Daily => "daily",
        /// `weekly`
        Weekly => "weekly",
        /// `off`
        Off => "off",
    }
}

db_core::text_enum! {
    /// Importance of an activity event.
    pub enum ActivitySeverity {
        /// `info`
        Info => "info",
        /// `warning`
        Warning => "warning",
        /// `error`
        Error => "error",
        /// `critical`
        Critical => "critical",
    }
}

/// Where every enum of this database is stored, with its value list.
pub const ENUM_COLUMNS: &[EnumColumn] = &[
    db_core::enum_column!(projects.current_phase: ProjectPhase),
    db_core::enum_column!(projects.status: ProjectStatus),
    db_core::enum_column!(sessions.mode: SessionMode),
    db_core::enum_column!(sessions.status: SessionStatus),
    db_core::enum_column!(questions.category: SpecCategory),
    db_core::enum_column!(questions.priority: QuestionPriority),
    db_core::enum_column!(questions.status: QuestionStatus),
    db_core::enum_column!(specifications.category: SpecCategory),
    db_core::enum_column!(specifications.spec_type: SpecType),
    db_core::enum_column!(specifications.source: SpecSource),
    db_core::enum_column!(specifications.status: SpecStatus),
    db_core::enum_column!(conversation_history.role: MessageRole),
    db_core::enum_column!(conversation_history.message_type: MessageType),
    db_core::enum_column!(conflicts.conflict_type: ConflictType),
    db_core::enum_column!(conflicts.severity: ConflictSeverity),
    db_core::enum_column!(conflicts.status: ConflictStatus),
    db_core::enum_column!(maturity_tracking.category: SpecCategory),
    db_core::enum_column!(quality_metrics.metric_type: MetricType),
    db_core::enum_column!(test_results.test_type: TestType),
    db_core::enum_column!(test_results.status: TestStatus),
    db_core::enum_column!(generated_projects.status: GenerationStatus),
    db_core::enum_column!(generated_files.status: GeneratedFileStatus),
    db_core::enum_column!(user_behavior_patterns.observation_period: ObservationPeriod),
    db_core::enum_column!(knowledge_base_documents.status: DocumentStatus),
    db_core::enum_column!(project_shares.access_type: AccessType),
    db_core::enum_column!(project_shares.permission_level: PermissionLevel),
    db_core::enum_column!(project_invitations.role: ProjectRole),
    db_core::enum_column!(project_invitations.permission_level: PermissionLevel),
    db_core::enum_column!(project_invitations.status: InvitationStatus),
    db_core::enum_column!(llm_usage_tracking.provider: LlmProvider),
    db_core::enum_column!(llm_usage_tracking.status: LlmCallStatus),
    db_core::enum_column!(subscriptions.plan_name: PlanName),
    db_core::enum_column!(subscriptions.plan_type: PlanType),
    db_core::enum_column!(subscriptions.status: SubscriptionStatus),
    db_core::enum_column!(invoices.status: InvoiceStatus),
    db_core::enum_column!(analytics_metrics.period: MetricPeriod),
    db_core::enum_column!(notification_preferences.notification_type: NotificationType),
    db_core::enum_column!(notification_preferences.frequency: NotificationFrequency),
    db_core::enum_column!(activity_logs.severity: ActivitySeverity),
    db_core::enum_column!(job_checkpoints.status: JobStatus),
    db_core::enum_column!(legacy_import_progress.status: JobStatus),
    db_core::enum_column!(legacy_import_quarantine.outcome: ImportOutcome),
];
