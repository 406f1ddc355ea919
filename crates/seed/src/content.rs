//! What fills each project (specs): sessions with their conversation, LLM
//! usage and questions; specifications with superseded versions and
//! conflicts; knowledge documents; activity. One generator per aggregate,
//! called per project in a fixed order, each appending rows to its tables.

use chrono::{DateTime, Duration, Utc};
use db_core::LlmProvider;
use diesel::prelude::*;
use rand::Rng;
use specs_db::enums::{
    ActivitySeverity, ConflictSeverity, ConflictStatus, ConflictType, DocumentStatus,
    LlmCallStatus, MessageRole, MessageType, QuestionPriority, QuestionStatus, SessionMode,
    SessionStatus, SpecCategory, SpecSource, SpecStatus, SpecType,
};
use uuid::Uuid;

use crate::csv::{Csv, copy};
use crate::generator::Gen;
use crate::projects::Project;

/// The rows of every project's content, table by table.
#[derive(Default)]
pub(crate) struct Content {
    sessions: Csv,
    messages: Csv,
    questions: Csv,
    usage: Csv,
    specifications: Csv,
    conflicts: Csv,
    documents: Csv,
    activity: Csv,
}

impl Content {
    /// Generates the content of `project`.
    pub(crate) fn project(&mut self, g: &mut Gen, project: Project) {
        for _ in 0..g.rng.random_range(1..=5) {
            self.session(g, project);
        }
        self.specifications(g, project);
        self.documents(g, project);
        self.activity(g, project);
    }

    /// A session: 6 to 20 alternating messages (an LLM call every fourth),
    /// and 2 to 6 questions asked from templates.
    fn session(&mut self, g: &mut Gen, (project, owner, created): Project) {
        let start = created + Duration::seconds(g.rng.random_range(0..86_400 * 20));
        let session = g.id(start);
        let messages = g.rng.random_range(6..=20);
        let mut at = start;
        for m in 0..messages {
            at += Duration::seconds(g.rng.random_range(5..300));
            let (role, user, kind) = if m % 2 == 0 {
                (MessageRole::User, Some(owner), MessageType::Answer)
            } else {
                (MessageRole::Assistant, None, MessageType::Question)
            };
            let id = g.id(at);
            let content = g.words(12);
            self.messages
                .row()
                .raw(id)
                .raw(session)
                .opt_raw(user)
                .text(role.as_str())
                .text(&content)
                .text(kind.as_str())
                .raw(g.rng.random_range(20..400))
                .time(at);
            if m % 4 == 1 {
                self.llm_call(g, (project, owner), session, at);
            }
        }
        let ended = g.chance(0.7).then_some(at + Duration::seconds(60));
        let status = if ended.is_some() {
            SessionStatus::Completed
        } else {
            SessionStatus::Active
        };
        let title = format!("Session on {}", g.words(2));
        self.sessions
            .row()
            .raw(session)
            .raw(project)
            .raw(owner)
            .text(&title)
            .text(SessionMode::Socratic.as_str())
            .text(status.as_str())
            .raw(messages)
            .time(start)
            .opt_time(ended)
            .time(start)
            .time(start);
        for _ in 0..g.rng.random_range(2..=6) {
            self.question(g, project, session, start);
        }
    }

    fn llm_call(
        &mut self,
        g: &mut Gen,
        (project, owner): (Uuid, Uuid),
        session: Uuid,
        at: DateTime<Utc>,
    ) {
        let (input, output) = (g.rng.random_range(200..4000), g.rng.random_range(50..1200));
        let provider = g.one(&[
            LlmProvider::Claude,
            LlmProvider::Claude,
            LlmProvider::OpenAi,
            LlmProvider::Gemini,
        ]);
        let cost = f64::from(input) * 0.000_003 + f64::from(output) * 0.000_015;
        let id = g.id(at);
        self.usage
            .row()
            .raw(id)
            .raw(owner)
            .raw(project)
            .raw(session)
            .text(provider.as_str())
            .text(&format!("{provider}-model"))
            .text("question_generation")
            .raw(input)
            .raw(output)
            .raw(input + output)
            .raw(format!("{cost:.6}"))
            .raw(g.rng.random_range(200..5000))
            .text(LlmCallStatus::Success.as_str())
            .time(at);
    }

    fn question(&mut self, g: &mut Gen, project: Uuid, session: Uuid, start: DateTime<Utc>) {
        let asked = start + Duration::seconds(g.rng.random_range(0..3600));
        let category = g.one(SpecCategory::ALL);
        let status = g.one(&[
            QuestionStatus::Pending,
            QuestionStatus::Answered,
            QuestionStatus::Answered,
            QuestionStatus::Skipped,
        ]);
        let answer = (status == QuestionStatus::Answered).then(|| g.words(15));
        let template = format!("{category}.t{}", g.rng.random_range(0..3));
        let quality = f64::from(g.rng.random_range(30..=100)) / 100.0;
        let id = g.id(asked);
        let text = format!("What about {}?", g.words(4));
        let priority = g.one(&[
            QuestionPriority::Low,
            QuestionPriority::Medium,
            QuestionPriority::High,
        ]);
        self.questions
            .row()
            .raw(id)
            .raw(project)
            .raw(session)
            .text(&text)
            .text(category.as_str())
            .text(priority.as_str())
            .text(status.as_str())
            .opt_text(answer.as_deref())
            .raw(quality)
            .text(&format!("{{\"template_id\":\"{template}\"}}"))
            .time(asked)
            .time(asked);
    }

    /// 5 to 12 keys, each with 1 to 3 versions (the last current, each
    /// superseded by the next); a conflict between two current ones, half the time.
    fn specifications(&mut self, g: &mut Gen, (project, _, created): Project) {
        let mut current = Vec::new();
        for k in 0..g.rng.random_range(5..=12) {
            let category = g.one(SpecCategory::ALL);
            let key = format!("{}_{k}", g.word());
            let versions = g.rng.random_range(1..=3);
            let mut at = created + Duration::seconds(g.rng.random_range(0..86_400 * 10));
            let ids: Vec<Uuid> = (0..versions)
                .map(|v| g.id(at + Duration::hours(v)))
                .collect();
            for (v, &id) in ids.iter().enumerate() {
                let is_current = v + 1 == ids.len();
                let next = ids.get(v + 1).copied();
                let superseded_at = next.map(|_| at + Duration::hours(1));
                let metadata = match v.checked_sub(1).and_then(|p| ids.get(p)) {
                    None => "{}".to_owned(),
                    Some(previous) => format!("{{\"supersedes\":\"{previous}\"}}"),
                };
                let confidence = g
                    .chance(0.7)
                    .then(|| f64::from(g.rng.random_range(50..=100)) / 100.0);
                let value = g.words(10);
                let spec_type = g.one(&[
                    SpecType::Functional,
                    SpecType::NonFunctional,
                    SpecType::Security,
                    SpecType::Performance,
                    SpecType::Deployment,
                ]);
                let source = g.one(SpecSource::ALL);
                let status = g.one(SpecStatus::ALL);
                self.specifications
                    .row()
                    .raw(id)
                    .raw(project)
                    .null()
                    .text(category.as_str())
                    .text(&key)
                    .text(&value)
                    .text(spec_type.as_str())
                    .text(source.as_str())
                    .text(status.as_str())
                    .raw(v + 1)
                    .opt_raw(confidence)
                    .raw(is_current)
                    .opt_time(superseded_at)
                    .opt_raw(next)
                    .text(&metadata)
                    .time(at)
                    .time(at);
                if is_current {
                    current.push(id);
                }
                at += Duration::hours(1);
            }
        }
        if current.len() >= 2 && g.chance(0.5) {
            let at = created + Duration::days(12);
            let id = g.id(at);
            let description = g.words(12);
            let kind = g.one(&[
                ConflictType::Technology,
                ConflictType::Requirement,
                ConflictType::Timeline,
                ConflictType::Resource,
            ]);
            let severity = g.one(ConflictSeverity::ALL);
            self.conflicts
                .row()
                .raw(id)
                .raw(project)
                .text("Contradiction")
                .text(&description)
                .text(kind.as_str())
                .text(severity.as_str())
                .text(ConflictStatus::Open.as_str())
                .uuids(&current[..2])
                .time(at)
                .time(at);
        }
    }

    /// Two notes documents of 3 to 8 paragraphs.
    fn documents(&mut self, g: &mut Gen, (project, owner, created): Project) {
        for d in 0..2 {
            let at = created + Duration::days(d + 1);
            let paragraphs: Vec<String> = (0..g.rng.random_range(3..=8))
                .map(|_| g.words(40))
                .collect();
            let body = format!("# {}\n\n{}", g.words(3), paragraphs.join("\n\n"));
            let id = g.id(at);
            self.document(id, Some((project, owner)), &format!("Notes {d}"), &body, at);
        }
    }

    /// The approved global guides: one per unit of scale.
    pub(crate) fn guides(&mut self, g: &mut Gen, count: usize) {
        for d in 0..count {
            let at = g.time(30);
            let body = format!(
                "# Guide {d}\n\n{}",
                (0..5).map(|_| g.words(40)).collect::<Vec<_>>().join("\n\n")
            );
            let id = g.id(at);
            self.document(id, None, &format!("Global guide {d}"), &body, at);
        }
    }

    /// A processed document of a project (by its owner, not approved) or a
    /// global guide (approved).
    fn document(
        &mut self,
        id: Uuid,
        of: Option<(Uuid, Uuid)>,
        title: &str,
        body: &str,
        at: DateTime<Utc>,
    ) {
        let row = self.documents.row().raw(id);
        match of {
            Some((project, owner)) => row.raw(project).raw(owner),
            None => row.null().null(),
        }
        .text(title)
        .text(body)
        .text(if of.is_some() { "notes" } else { "guide" })
        .raw(of.is_none())
        .text(DocumentStatus::Processed.as_str())
        .raw(body.len())
        .time(at)
        .time(at);
    }

    /// Three events of the project's history.
    fn activity(&mut self, g: &mut Gen, (project, owner, created): Project) {
        for action in [
            "project.created",
            "specification.created",
            "session.completed",
        ] {
            let at = created + Duration::minutes(g.rng.random_range(1..10_000));
            let id = g.id(at);
            self.activity
                .row()
                .raw(id)
                .raw(owner)
                .raw(project)
                .text(action)
                .text("project")
                .raw(project)
                .text("project")
                .text(ActivitySeverity::Info.as_str())
                .time(at);
        }
    }

    /// Loads every table of the content; returns the rows of each, in load order.
    pub(crate) fn load(&self, specs: &mut PgConnection) -> QueryResult<Vec<(&'static str, usize)>> {
        use specs_db::schema::{
            activity_logs::dsl as a, conflicts::dsl as c, conversation_history::dsl as m,
            knowledge_base_documents::dsl as d, llm_usage_tracking::dsl as l, questions::dsl as q,
            sessions::dsl as s, specifications::dsl as sp,
        };
        let mut conn = Some(specs);
        let mut loaded = Vec::new();
        loaded.push((
            "sessions",
            copy!(
                conn.as_deref_mut(),
                s::sessions,
                (
                    s::id,
                    s::project_id,
                    s::user_id,
                    s::title,
                    s::mode,
                    s::status,
                    s::message_count,
                    s::started_at,
                    s::ended_at,
                    s::created_at,
                    s::updated_at
                ),
                self.sessions
            ),
        ));
        loaded.push((
            "conversation_history",
            copy!(
                conn.as_deref_mut(),
                m::conversation_history,
                (
                    m::id,
                    m::session_id,
                    m::user_id,
                    m::role,
                    m::content,
                    m::message_type,
                    m::tokens_used,
                    m::created_at
                ),
                self.messages
            ),
        ));
        loaded.push((
            "questions",
            copy!(
                conn.as_deref_mut(),
                q::questions,
                (
                    q::id,
                    q::project_id,
                    q::session_id,
                    q::text,
                    q::category,
                    q::priority,
                    q::status,
                    q::answer,
                    q::quality_score,
                    q::metadata,
                    q::created_at,
                    q::updated_at
                ),
                self.questions
            ),
        ));
        loaded.push((
            "specifications",
            copy!(
                conn.as_deref_mut(),
                sp::specifications,
                (
                    sp::id,
                    sp::project_id,
                    sp::session_id,
                    sp::category,
                    sp::key,
                    sp::value,
                    sp::spec_type,
                    sp::source,
                    sp::status,
                    sp::version,
                    sp::confidence,
                    sp::is_current,
                    sp::superseded_at,
                    sp::superseded_by,
                    sp::metadata,
                    sp::created_at,
                    sp::updated_at
                ),
                self.specifications
            ),
        ));
        loaded.push((
            "conflicts",
            copy!(
                conn.as_deref_mut(),
                c::conflicts,
                (
                    c::id,
                    c::project_id,
                    c::title,
                    c::description,
                    c::conflict_type,
                    c::severity,
                    c::status,
                    c::spec_ids,
                    c::created_at,
                    c::updated_at
                ),
                self.conflicts
            ),
        ));
        loaded.push((
            "knowledge_base_documents",
            copy!(
                conn.as_deref_mut(),
                d::knowledge_base_documents,
                (
                    d::id,
                    d::project_id,
                    d::user_id,
                    d::title,
                    d::content,
                    d::document_type,
                    d::is_approved,
                    d::status,
                    d::file_size,
                    d::created_at,
                    d::updated_at
                ),
                self.documents
            ),
        ));
        loaded.push((
            "llm_usage_tracking",
            copy!(
                conn.as_deref_mut(),
                l::llm_usage_tracking,
                (
                    l::id,
                    l::user_id,
                    l::project_id,
                    l::session_id,
                    l::provider,
                    l::model_name,
                    l::operation_type,
                    l::input_tokens,
                    l::output_tokens,
                    l::total_tokens,
                    l::cost_usd,
                    l::latency_ms,
                    l::status,
                    l::created_at
                ),
                self.usage
            ),
        ));
        loaded.push((
            "activity_logs",
            copy!(
                conn,
                a::activity_logs,
                (
                    a::id,
                    a::user_id,
                    a::project_id,
                    a::action,
                    a::resource_type,
                    a::resource_id,
                    a::resource_name,
                    a::severity,
                    a::created_at
                ),
                self.activity
            ),
        ));
        Ok(loaded)
    }
}
