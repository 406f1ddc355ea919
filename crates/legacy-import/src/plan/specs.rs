//! The legacy specs tables whose rows stay in specs, parents first.

use super::{Db, Spec, duplicate_of, map, metadata, text_array, within};

/// SCHEMA.md's spec_category.
const CATEGORIES: &[&str] = &[
    "goals",
    "requirements",
    "tech_stack",
    "scalability",
    "security",
    "performance",
    "testing",
    "monitoring",
    "data_retention",
    "disaster_recovery",
];

/// Legacy categories outside ours that have a home among ours.
const CATEGORY_ALIASES: &[(&str, &str)] = &[
    ("functional", "requirements"),
    ("non-functional", "requirements"),
    ("non_functional", "requirements"),
    ("deployment", "tech_stack"),
    ("design", "tech_stack"),
];

fn category(value: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = CATEGORIES.iter().map(|c| (*c, *c)).collect();
    pairs.extend_from_slice(CATEGORY_ALIASES);
    map(value, &pairs)
}

/// The legacy value when the mapping changed it (for `metadata.legacy`).
fn changed(legacy: &str, mapped: &str) -> String {
    format!("CASE WHEN {legacy} IS DISTINCT FROM {mapped} THEN {legacy} END")
}

fn project_exists() -> String {
    "NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = r.project_id)".to_owned()
}

pub(super) fn plan() -> Vec<Spec> {
    vec![
        projects(),
        sessions(),
        conversation_history(),
        questions(),
        specifications(),
        conflicts(),
        generated_projects(),
        generated_files(),
        knowledge_base_documents(),
        document_chunks(),
        project_shares(),
        project_invitations(),
        llm_usage_tracking(),
        subscriptions(),
        invoices(),
        analytics_metrics(),
        notification_preferences(),
        activity_logs(),
        quality_metrics(),
        question_effectiveness(),
        user_behavior_patterns(),
    ]
}

const PHASES: &[(&str, &str)] = &[
    ("discovery", "discovery"),
    ("analysis", "analysis"),
    ("design", "design"),
    ("implementation", "implementation"),
    ("specification", "analysis"),
    ("generation", "implementation"),
    ("testing", "implementation"),
    ("deployment", "implementation"),
];

fn projects() -> Spec {
    let phase = map("r.current_phase", PHASES);
    Spec::new(Db::Specs, "projects", Db::Specs, "projects")
        .col("owner_id", "@user(r.owner_id)")
        // ours keeps the creator as a tombstone when the account is gone
        .col("creator_id", "coalesce(@user(r.creator_id), r.creator_id)")
        .same(&["name", "description"])
        .col("current_phase", phase.clone())
        .col(
            "status",
            within("r.status", &["active", "archived", "completed", "on_hold"]),
        )
        .col("maturity_score", "coalesce(r.maturity_score, 0)::float8")
        .col("technology_stack", "'{}'::jsonb")
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("current_phase", &changed("r.current_phase", &phase)),
                    (
                        "user_id",
                        "CASE WHEN r.user_id IS DISTINCT FROM r.owner_id THEN r.user_id END",
                    ),
                ],
            ),
        )
        .col(
            "archived_at",
            "CASE WHEN lower(btrim(r.status)) = 'archived' THEN r.updated_at END",
        )
        .same(&["created_at", "updated_at"])
        // cross-db policy: a project goes with its owner
        .unmapped("owner_not_found", "owner_id", "owner_id")
        .unmapped("unknown_phase", "current_phase", "current_phase")
        .unmapped("unknown_status", "status", "status")
        .reject(
            "maturity_score_out_of_range",
            "r.maturity_score < 0 OR r.maturity_score > 100",
        )
}

fn sessions() -> Spec {
    let status = map(
        "r.status",
        &[
            ("active", "active"),
            ("archived", "archived"),
            ("completed", "completed"),
            ("paused", "active"),
        ],
    );
    Spec::new(Db::Specs, "sessions", Db::Specs, "sessions")
        .same(&["project_id"])
        // cross-db policy set_null
        .col("user_id", "@user(r.user_id)")
        .same(&["title"])
        .col("mode", within("r.mode", &["socratic", "direct_chat"]))
        .col("status", status.clone())
        .col("domain", "NULL::varchar")
        .col("role", "NULL::varchar")
        .same(&["message_count"])
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("status", &changed("r.status", &status)),
                    (
                        "user_id",
                        "CASE WHEN r.user_id IS NOT NULL AND @user(r.user_id) IS NULL THEN r.user_id END",
                    ),
                ],
            ),
        )
        .same(&["started_at", "ended_at"])
        .col(
            "archived_at",
            "CASE WHEN lower(btrim(r.status)) = 'archived' THEN r.updated_at END",
        )
        .same(&["created_at", "updated_at"])
        .reject("project_not_imported", project_exists())
        .unmapped("unknown_mode", "mode", "mode")
        .unmapped("unknown_status", "status", "status")
        .reject("negative_count", "r.message_count < 0")
        .reject("ended_before_started", "r.ended_at < r.started_at")
}

fn conversation_history() -> Spec {
    Spec::new(
        Db::Specs,
        "conversation_history",
        Db::Specs,
        "conversation_history",
    )
    .same(&["session_id"])
    // the author of a user message is the session's user
    .col(
        "user_id",
        "CASE WHEN lower(btrim(r.role)) = 'user' THEN \
         (SELECT s2.user_id FROM sessions s2 WHERE s2.id = r.session_id) END",
    )
    .col("role", within("r.role", &["user", "assistant", "system"]))
    .same(&["content"])
    .col(
        "message_type",
        within(
            "r.message_type",
            &[
                "question",
                "answer",
                "clarification",
                "specification",
                "error",
            ],
        ),
    )
    .same(&["tokens_used"])
    .json("metadata")
    .same(&["created_at"])
    .reject(
        "session_not_imported",
        "NOT EXISTS (SELECT 1 FROM sessions s2 WHERE s2.id = r.session_id)",
    )
    .unmapped("unknown_role", "role", "role")
    .unmapped("unknown_message_type", "message_type", "message_type")
    .reject("negative_count", "r.tokens_used < 0")
}

fn questions() -> Spec {
    Spec::new(Db::Specs, "questions", Db::Specs, "questions")
        .same(&["project_id"])
        // ON DELETE SET NULL
        .col(
            "session_id",
            "CASE WHEN EXISTS (SELECT 1 FROM sessions s2 WHERE s2.id = r.session_id) THEN r.session_id END",
        )
        .same(&["text"])
        .col("category", category("r.category"))
        .same(&["context"])
        .col(
            "priority",
            format!(
                "coalesce({}, CASE WHEN r.priority IS NULL THEN 'medium' END)",
                within("r.priority", &["low", "medium", "high", "critical"])
            ),
        )
        .col(
            "status",
            within("r.status", &["pending", "answered", "skipped", "resolved"]),
        )
        .same(&["answer"])
        .col("quality_score", "r.quality_score::float8")
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[("category", &changed("r.category", &category("r.category")))],
            ),
        )
        .same(&["created_at", "updated_at"])
        .reject("project_not_imported", project_exists())
        .reject("category_missing", "r.category IS NULL")
        .unmapped("unknown_category", "category", "category")
        .unmapped("unknown_priority", "priority", "priority")
        .unmapped("unknown_status", "status", "status")
        .reject(
            "quality_score_out_of_range",
            "r.quality_score < 0 OR r.quality_score > 1",
        )
}

const SPEC_TYPES: &[(&str, &str)] = &[
    ("functional", "functional"),
    ("non_functional", "non_functional"),
    ("non-functional", "non_functional"),
    ("deployment", "deployment"),
    ("security", "security"),
    ("performance", "performance"),
];

const SOURCES: &[(&str, &str)] = &[
    ("user_input", "user_input"),
    ("extracted", "extracted"),
    ("inferred", "inferred"),
    ("question", "user_input"),
    ("direct_input", "user_input"),
];

const SPEC_STATUSES: &[&str] = &["draft", "approved", "implemented", "deprecated"];

/// Both legacy shapes in one read: the category ours files the row under
/// (the legacy default 'general' by its type), why the row cannot be
/// imported, and, among the rows that can, its place in the version chain of
/// its (project, category, key).
fn specifications() -> Spec {
    let general = "CASE lower(btrim(t.type)) WHEN 'security' THEN 'security' \
                   WHEN 'performance' THEN 'performance' WHEN 'deployment' THEN 'tech_stack' \
                   ELSE 'requirements' END";
    let categorized = format!(
        "(SELECT t.*, coalesce({}, CASE WHEN lower(btrim(t.category)) = 'general' THEN {general} END) \
         AS _category FROM specifications t)",
        category("t.category")
    );
    let reason = format!(
        "CASE WHEN coalesce(c.content, c.value) IS NULL THEN 'statement_missing' \
         WHEN c._category IS NULL THEN 'unknown_category' \
         WHEN c.type IS NOT NULL AND {} IS NULL THEN 'unknown_type' \
         WHEN c.source IS NOT NULL AND {} IS NULL THEN 'unknown_source' \
         WHEN {} IS NULL THEN 'unknown_status' \
         WHEN c.confidence < 0 OR c.confidence > 1 THEN 'confidence_out_of_range' \
         WHEN c.maturity_score < 0 OR c.maturity_score > 100 THEN 'maturity_score_out_of_range' END",
        map("c.type", SPEC_TYPES),
        map("c.source", SOURCES),
        within("c.status", SPEC_STATUSES)
    );
    let chain = "PARTITION BY t.project_id, t._category, t.key, (t._invalid IS NULL) \
                 ORDER BY t.version, t.created_at, t.id";
    let mut spec = Spec::new(Db::Specs, "specifications", Db::Specs, "specifications")
        .grouped("project_id")
        .extra("_version", "bigint", format!("row_number() OVER ({chain})"))
        .extra("_next", "uuid", format!("lead(t.id) OVER ({chain})"))
        .extra(
            "_next_at",
            "timestamptz",
            format!("lead(t.created_at) OVER ({chain})"),
        )
        .same(&["project_id"])
        .col("session_id", "NULL::uuid")
        .col("category", "r._category")
        .same(&["key"])
        .col("value", "coalesce(r.content, r.value)")
        .col("spec_type", map("r.type", SPEC_TYPES))
        .col(
            "source",
            format!("coalesce({}, 'user_input')", map("r.source", SOURCES)),
        )
        .col("status", within("r.status", SPEC_STATUSES))
        .col("version", "r._version::integer")
        .same(&["confidence"])
        .col("maturity_score", "coalesce(r.maturity_score, 0)::float8")
        .col("is_current", "r._next IS NULL")
        .col(
            "superseded_at",
            "CASE WHEN r._next IS NOT NULL THEN coalesce(r.superseded_at, r._next_at) END",
        )
        .col("superseded_by", "r._next")
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("category", "CASE WHEN r.category IS DISTINCT FROM r._category THEN r.category END"),
                    ("version", "CASE WHEN r.version IS DISTINCT FROM r._version THEN r.version END"),
                    (
                        "value",
                        "CASE WHEN r.content IS NOT NULL AND r.value IS DISTINCT FROM r.content THEN r.value END",
                    ),
                    ("type", &changed("r.type", &map("r.type", SPEC_TYPES))),
                    ("source", &changed("r.source", &map("r.source", SOURCES))),
                    ("spec_metadata", "to_jsonb(r.spec_metadata)"),
                    (
                        "superseded_by",
                        "CASE WHEN r.superseded_by IS DISTINCT FROM r._next::text THEN r.superseded_by END",
                    ),
                    (
                        "is_current",
                        "CASE WHEN r.is_current IS DISTINCT FROM (r._next IS NULL) THEN r.is_current END",
                    ),
                ],
            ),
        )
        .same(&["created_at", "updated_at"])
        .reject("project_not_imported", project_exists())
        .reject_as_read("_invalid");
    spec.from = Some(format!(
        "(SELECT c.*, {reason} AS _invalid FROM {categorized} c) t"
    ));
    spec.from_columns = vec![("_category", "text"), ("_invalid", "text")];
    spec
}

const CONFLICT_TYPES: &[(&str, &str)] = &[
    ("technology", "technology"),
    ("requirement", "requirement"),
    ("timeline", "timeline"),
    ("resource", "resource"),
    ("requirement_conflict", "requirement"),
    ("design_conflict", "technology"),
    ("dependency_conflict", "resource"),
    ("performance_conflict", "technology"),
    ("contradiction", "requirement"),
    ("inconsistency", "requirement"),
    ("redundancy", "requirement"),
    ("dependency", "resource"),
];

const CONFLICT_STATUSES: &[(&str, &str)] = &[
    ("open", "open"),
    ("resolved", "resolved"),
    ("ignored", "ignored"),
    ("in_progress", "open"),
    ("cancelled", "ignored"),
];

fn conflicts() -> Spec {
    let kind = map("r.type", CONFLICT_TYPES);
    let status = map("r.status", CONFLICT_STATUSES);
    let known = "ARRAY(SELECT x FROM unnest(r.related_specifications) x \
                 WHERE EXISTS (SELECT 1 FROM specifications sp WHERE sp.id = x))";
    let missing = "NULLIF(ARRAY(SELECT x FROM unnest(r.related_specifications) x \
                   WHERE x IS NOT NULL AND NOT EXISTS (SELECT 1 FROM specifications sp WHERE sp.id = x)), '{}')";
    Spec::new(Db::Specs, "conflicts", Db::Specs, "conflicts")
        .same(&["project_id", "title"])
        .col("description", "coalesce(r.description, r.title)")
        .col("conflict_type", kind.clone())
        .col(
            "severity",
            within("r.severity", &["low", "medium", "high", "critical"]),
        )
        .col("status", status.clone())
        .col("spec_ids", known)
        .same(&["resolution"])
        .col(
            "resolved_at",
            format!("CASE WHEN {status} = 'resolved' THEN r.updated_at END"),
        )
        .col("resolved_by_user", "false")
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("type", &changed("r.type", &kind)),
                    ("status", &changed("r.status", &status)),
                    ("missing_specification_ids", &format!("to_jsonb({missing})")),
                ],
            ),
        )
        .same(&["created_at", "updated_at"])
        .reject("project_not_imported", project_exists())
        .reject("conflict_type_missing", "r.type IS NULL")
        .unmapped("unknown_conflict_type", "type", "conflict_type")
        .unmapped("unknown_severity", "severity", "severity")
        .unmapped("unknown_status", "status", "status")
}

const GENERATION_STATUSES: &[(&str, &str)] = &[
    ("pending", "pending"),
    ("in_progress", "in_progress"),
    ("completed", "completed"),
    ("failed", "failed"),
    ("draft", "pending"),
    ("generated", "completed"),
    ("reviewed", "completed"),
    ("deployed", "completed"),
    ("archived", "completed"),
];

fn generated_projects() -> Spec {
    let status = map("r.status", GENERATION_STATUSES);
    Spec::new(
        Db::Specs,
        "generated_projects",
        Db::Specs,
        "generated_projects",
    )
    .grouped("project_id")
    .extra(
        "_generation",
        "bigint",
        "row_number() OVER (PARTITION BY t.project_id ORDER BY t.created_at, t.id)",
    )
    .same(&["project_id"])
    .col("generation_version", "r._generation::integer")
    .same(&["name", "description", "language", "framework", "version"])
    .col("status", status.clone())
    .same(&["file_count"])
    .col("total_lines_of_code", "coalesce(r.total_lines_of_code, 0)")
    .col("test_coverage", "NULL::float8")
    .col("quality_score", "NULL::float8")
    .col("traceability_score", "NULL::float8")
    .col("download_url", "NULL::text")
    .json("structure")
    .json("configuration")
    .col(
        "metadata",
        metadata("r.metadata", &[("status", &changed("r.status", &status))]),
    )
    .col("generation_started_at", "NULL::timestamptz")
    .col("generation_completed_at", "NULL::timestamptz")
    .col("error_message", "NULL::text")
    .same(&["created_at", "updated_at"])
    .reject("project_not_imported", project_exists())
    .unmapped("unknown_status", "status", "status")
    .reject(
        "negative_count",
        "r.file_count < 0 OR r.total_lines_of_code < 0",
    )
}

fn generated_files() -> Spec {
    Spec::new(Db::Specs, "generated_files", Db::Specs, "generated_files")
        .same(&["generated_project_id"])
        .col("file_path", "r.path")
        .same(&["filename", "file_type", "content"])
        .col("file_size", "octet_length(r.content)::bigint")
        .same(&["lines_of_code", "purpose"])
        .col(
            "status",
            within("r.status", &["draft", "generated", "reviewed", "approved"]),
        )
        .col("spec_ids", "'{}'::uuid[]")
        .json("metadata")
        .same(&["created_at", "updated_at"])
        .reject(
            "generated_project_not_imported",
            "NOT EXISTS (SELECT 1 FROM generated_projects g WHERE g.id = r.generated_project_id)",
        )
        .unmapped("unknown_status", "status", "status")
        .reject("negative_count", "r.lines_of_code < 0")
}

fn knowledge_base_documents() -> Spec {
    Spec::new(
        Db::Specs,
        "knowledge_base_documents",
        Db::Specs,
        "knowledge_base_documents",
    )
    // Socrates2's documents belong to no project: they stay global.
    .col("project_id", "NULL::uuid")
    .col("user_id", "NULL::uuid")
    .same(&["title"])
    .col("filename", "NULL::varchar")
    .col("file_path", "NULL::varchar")
    .col("file_size", "NULL::bigint")
    .col("content_type", "NULL::varchar")
    .same(&["document_type", "category"])
    .col("tags", text_array("r.tags"))
    .same(&["source", "content"])
    .col("content_summary", "NULL::text")
    .col("status", "'processed'")
    .same(&["version", "is_approved", "relevance_score", "usage_count"])
    .col("embedding", "NULL::real[]")
    .col("embedding_model", "NULL::varchar")
    .col("embedded_at", "NULL::timestamptz")
    .json("metadata")
    .same(&["created_at", "updated_at"])
    .reject("version_out_of_range", "r.version < 1")
    .reject(
        "relevance_score_out_of_range",
        "r.relevance_score < 0 OR r.relevance_score > 1",
    )
    .reject("negative_count", "r.usage_count < 0")
}

fn document_chunks() -> Spec {
    let embedding = "pg_temp.legacy_embedding(r.metadata -> 'embedding')";
    let mut spec = Spec::new(Db::Specs, "document_chunks", Db::Specs, "document_chunks")
        .same(&["document_id"])
        // a chunk's project is its document's (global for Socrates2's)
        .col(
            "project_id",
            "(SELECT d.project_id FROM knowledge_base_documents d WHERE d.id = r.document_id)",
        )
        .same(&["chunk_index", "content", "chunk_type", "source_section", "tokens_count"])
        .col("embedding", embedding)
        .col(
            "embedding_model",
            format!(
                "CASE WHEN {embedding} IS NOT NULL THEN coalesce(r.metadata ->> 'embedding_model', 'all-MiniLM-L6-v2') END"
            ),
        )
        .col(
            "embedded_at",
            format!("CASE WHEN {embedding} IS NOT NULL THEN r.updated_at END"),
        )
        .same(&["relevance_score", "search_count"])
        .col(
            "metadata",
            metadata(
                "(r.metadata - 'embedding' - 'embedding_model')",
                &[
                    ("project_id", "r.project_id"),
                    ("embedding_id", "r.embedding_id"),
                    ("has_embedding", "CASE WHEN r.has_embedding THEN true END"),
                    (
                        "embedding_queued",
                        &format!(
                            "CASE WHEN r.metadata ? 'embedding' AND {embedding} IS NULL THEN true END"
                        ),
                    ),
                ],
            ),
        )
        .same(&["created_at", "updated_at"])
        .reject("document_missing", "r.document_id IS NULL")
        .reject(
            "document_not_imported",
            "NOT EXISTS (SELECT 1 FROM knowledge_base_documents d WHERE d.id = r.document_id)",
        )
        .reject(
            "negative_count",
            "r.chunk_index < 0 OR r.tokens_count < 0 OR r.search_count < 0",
        )
        .reject(
            "relevance_score_out_of_range",
            "r.relevance_score < 0 OR r.relevance_score > 1",
        )
        .merge(
            "duplicate_chunk_index",
            duplicate_of("document_chunks", &["document_id", "chunk_index"], ""),
        );
    // The search's codes, in the transaction that writes the embedding.
    spec.after = Some(
        "INSERT INTO document_chunk_codes (id, chunk_id, document_id, project_id, embedding_model, globally_visible, code) \
         SELECT gen_random_uuid(), i.id, i.document_id, i.project_id, i.embedding_model, \
                (d.project_id IS NULL AND d.is_approved), knowledge_code(i.embedding) \
         FROM ins i JOIN knowledge_base_documents d ON d.id = i.document_id WHERE i.embedding IS NOT NULL"
            .to_owned(),
    );
    spec
}

mod sharing;
use sharing::{
    activity_logs, analytics_metrics, invoices, llm_usage_tracking, notification_preferences,
    project_invitations, project_shares, quality_metrics, question_effectiveness, subscriptions,
    user_behavior_patterns,
};
