//! Each transformation of MAPPING.md, on the fixture's rows (see
//! transformations.rs): conflicts, generated code, knowledge, sharing, usage,
//! billing, analytics, preferences, activity, learning, and the quarantine.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use common::imported::{auth, fate, id, imported, specs};

#[test]
fn conflicts_keep_the_specifications_that_exist() {
    assert_eq!(
        specs(&format!(
            "SELECT conflict_type || ':' || array_to_string(spec_ids, ',') || ':' || (metadata -> 'legacy' -> 'missing_specification_ids' ->> 0) \
             FROM conflicts WHERE id = '{}'",
            id(36, 1)
        )),
        Some(format!(
            "requirement:{}:99000000-0000-4000-8000-000000000035",
            id(35, 3)
        ))
    );
    assert_eq!(
        specs(&format!("SELECT conflict_type || ':' || severity || ':' || status FROM conflicts WHERE id = '{}'", id(36, 2))).as_deref(),
        Some("technology:high:ignored")
    );
    assert_eq!(
        fate(false, "specs.conflicts", &id(36, 3)).as_deref(),
        Some("rejected:conflict_type_missing")
    );
    assert_eq!(
        specs(&format!(
            "SELECT status || ':' || description FROM conflicts WHERE id = '{}'",
            id(36, 4)
        ))
        .as_deref(),
        Some("open:working on it")
    );
}

#[test]
fn generated_code_and_knowledge() {
    assert_eq!(
        specs(&format!("SELECT generation_version || ':' || status || ':' || total_lines_of_code FROM generated_projects WHERE id = '{}'", id(37, 1))).as_deref(),
        Some("1:pending:0")
    );
    assert_eq!(
        specs(&format!(
            "SELECT generation_version || ':' || status FROM generated_projects WHERE id = '{}'",
            id(37, 2)
        ))
        .as_deref(),
        Some("2:completed")
    );
    assert_eq!(
        specs(&format!(
            "SELECT file_path || ':' || file_size FROM generated_files WHERE id = '{}'",
            id(38, 1)
        ))
        .as_deref(),
        Some("src/main.rs:12")
    );
    assert_eq!(
        specs(&format!("SELECT array_to_string(tags, ',') || ':' || coalesce(project_id::text, 'global') FROM knowledge_base_documents WHERE id = '{}'", id(39, 1))).as_deref(),
        Some("rust:global")
    );
    assert_eq!(
        fate(false, "specs.knowledge_base_documents", &id(39, 2)).as_deref(),
        Some("rejected:relevance_score_out_of_range")
    );
    // A 384-dimensional embedding is kept, with its search code written with it.
    assert_eq!(
        specs(&format!(
            "SELECT cardinality(c.embedding) || ':' || c.embedding_model || ':' || k.globally_visible || ':' || (c.metadata ->> 'section') \
             FROM document_chunks c JOIN document_chunk_codes k ON k.chunk_id = c.id WHERE c.id = '{}'",
            id(40, 1)
        ))
        .as_deref(),
        Some("384:all-MiniLM-L6-v2:true:intro")
    );
    // Another dimension is left for the embeddings backfill.
    assert_eq!(
        specs(&format!("SELECT (embedding IS NULL) || ':' || (metadata -> 'legacy' ->> 'embedding_queued') FROM document_chunks WHERE id = '{}'", id(40, 2))).as_deref(),
        Some("true:true")
    );
    assert_eq!(
        fate(false, "specs.document_chunks", &id(40, 3)).as_deref(),
        Some("rejected:document_missing")
    );
    assert_eq!(
        fate(false, "specs.document_chunks", &id(40, 4)).as_deref(),
        Some("rejected:document_not_imported")
    );
    assert_eq!(
        fate(false, "specs.document_chunks", &id(40, 5)),
        Some(format!("merged:duplicate_chunk_index:{}", id(40, 1)))
    );
    assert_eq!(
        specs(&format!(
            "SELECT coalesce(project_id::text, 'global') || ':' || (metadata -> 'legacy' ->> 'project_id') FROM document_chunks WHERE id = '{}'",
            id(40, 6)
        )),
        Some(format!("global:{}", id(31, 1)))
    );
}

#[test]
fn shares_and_invitations() {
    assert_eq!(
        specs(&format!(
            "SELECT access_type || ':' || shared_with_user_id || ':' || permission_level FROM project_shares WHERE id = '{}'",
            id(41, 1)
        )),
        Some(format!("user:{}:write", id(11, 3)))
    );
    assert_eq!(
        specs(&format!(
            "SELECT access_type || ':' || shared_with_team_id || ':' || permission_level FROM project_shares WHERE id = '{}'",
            id(41, 2)
        )),
        Some(format!("team:{}:read", id(21, 1)))
    );
    assert_eq!(
        fate(false, "specs.project_shares", &id(41, 3)).as_deref(),
        Some("rejected:team_not_found")
    );
    assert_eq!(
        specs(&format!("SELECT permission_level || ':' || (metadata -> 'legacy' ->> 'permission_level') || ':' || (metadata -> 'legacy' ->> 'password_protected') FROM project_shares WHERE id = '{}'", id(41, 4))).as_deref(),
        Some("read:edit:true"),
        "a public grant is read-only"
    );
    assert_eq!(
        fate(false, "specs.project_shares", &id(41, 5)).as_deref(),
        Some("rejected:link_without_token")
    );
    assert_eq!(
        fate(false, "specs.project_shares", &id(41, 6)).as_deref(),
        Some("rejected:user_not_found")
    );
    // who shared is kept as a tombstone
    assert_eq!(
        specs(&format!(
            "SELECT shared_by_id FROM project_shares WHERE id = '{}'",
            id(41, 7)
        ))
        .as_deref(),
        Some("99000000-0000-4000-8000-000000000001")
    );
    assert_eq!(
        fate(false, "specs.project_shares", &id(41, 9)),
        Some(format!("merged:duplicate_share:{}", id(41, 8)))
    );
    assert_eq!(
        specs(&format!("SELECT invited_email || ':' || status || ':' || (token_hash = sha256('legacy-invitation-token-1')) FROM project_invitations WHERE id = '{}'", id(42, 1))).as_deref(),
        Some("new@example.com:pending:true")
    );
    assert_eq!(
        fate(false, "specs.project_invitations", &id(42, 2)),
        Some(format!("merged:duplicate_pending_invitation:{}", id(42, 1)))
    );
    assert_eq!(
        fate(false, "specs.project_invitations", &id(42, 3)).as_deref(),
        Some("rejected:invitee_missing")
    );
    assert_eq!(
        specs(&format!("SELECT role || ':' || (metadata -> 'legacy' ->> 'token_missing') FROM project_invitations WHERE id = '{}'", id(42, 4))).as_deref(),
        Some("member:true")
    );
    assert_eq!(
        fate(false, "specs.project_invitations", &id(42, 5)).as_deref(),
        Some("rejected:inviter_not_found")
    );
}

#[test]
fn usage_billing_analytics_preferences_activity_and_learning() {
    assert_eq!(
        specs(&format!(
            "SELECT provider || ':' || cost_usd FROM llm_usage_tracking WHERE id = '{}'",
            id(43, 1)
        ))
        .as_deref(),
        Some("claude:0.012345")
    );
    assert_eq!(
        specs(&format!("SELECT user_id || ':' || coalesce(project_id::text, 'null') || ':' || provider || ':' || status FROM llm_usage_tracking WHERE id = '{}'", id(43, 2))).as_deref(),
        Some("99000000-0000-4000-8000-000000000001:null:openai:error"),
        "usage keeps its user as a tombstone"
    );
    assert_eq!(
        fate(false, "specs.llm_usage_tracking", &id(43, 3)).as_deref(),
        Some("rejected:negative_count")
    );
    assert_eq!(
        specs(&format!("SELECT plan_name || ':' || plan_type || ':' || status || ':' || (cancelled_at IS NOT NULL) FROM subscriptions WHERE id = '{}'", id(44, 1))).as_deref(),
        Some("professional:usage_based:cancelled:true")
    );
    assert_eq!(
        fate(false, "specs.subscriptions", &id(44, 2)).as_deref(),
        Some("rejected:unknown_plan")
    );
    assert_eq!(
        fate(false, "specs.subscriptions", &id(44, 4)),
        Some(format!(
            "merged:duplicate_stripe_subscription:{}",
            id(44, 3)
        ))
    );
    assert_eq!(
        specs(&format!("SELECT amount || ':' || currency || ':' || status || ':' || line_items::text FROM invoices WHERE id = '{}'", id(45, 1))).as_deref(),
        Some("10.50:USD:cancelled:[]")
    );
    assert_eq!(
        specs(&format!("SELECT coalesce(subscription_id::text, 'null') || ':' || status || ':' || line_items::text FROM invoices WHERE id = '{}'", id(45, 2))).as_deref(),
        Some(r#"null:sent:[{"item": "seat"}]"#)
    );
    assert_eq!(
        fate(false, "specs.invoices", &id(45, 3)).as_deref(),
        Some("rejected:invalid_currency")
    );
    assert_eq!(
        fate(false, "specs.analytics_metrics", &id(46, 2)),
        Some(format!("merged:duplicate_series:{}", id(46, 1)))
    );
    assert_eq!(
        fate(false, "specs.analytics_metrics", &id(46, 3)).as_deref(),
        Some("rejected:metric_value_missing")
    );
    assert_eq!(
        fate(false, "specs.analytics_metrics", &id(46, 4)).as_deref(),
        Some("rejected:unknown_period")
    );
    assert_eq!(
        specs(&format!("SELECT array_to_string(tags, ',') || ':' || (period_start = created_at) FROM analytics_metrics WHERE id = '{}'", id(46, 5))).as_deref(),
        Some("ops:true")
    );
    assert_eq!(
        specs(&format!("SELECT frequency || ':' || quiet_hours_start || '-' || quiet_hours_end FROM notification_preferences WHERE id = '{}'", id(47, 1))).as_deref(),
        Some("immediate:22:00:00-07:00:00")
    );
    assert_eq!(
        fate(false, "specs.notification_preferences", &id(47, 2)),
        Some(format!("merged:duplicate_preference:{}", id(47, 1)))
    );
    assert_eq!(
        fate(false, "specs.notification_preferences", &id(47, 3)).as_deref(),
        Some("rejected:unknown_notification_type")
    );
    assert_eq!(
        fate(false, "specs.notification_preferences", &id(47, 4)).as_deref(),
        Some("rejected:invalid_quiet_hours")
    );
    assert_eq!(
        fate(false, "specs.notification_preferences", &id(47, 5)).as_deref(),
        Some("rejected:user_not_found")
    );
    assert_eq!(
        specs(&format!(
            "SELECT project_id || ':' || host(ip_address) FROM activity_logs WHERE id = '{}'",
            id(48, 1)
        )),
        Some(format!("{}:192.168.0.1", id(31, 1)))
    );
    assert_eq!(
        fate(false, "specs.activity_logs", &id(48, 2)).as_deref(),
        Some("rejected:invalid_ip_address")
    );
    assert_eq!(
        specs(&format!(
            "SELECT user_id || ':' || severity FROM activity_logs WHERE id = '{}'",
            id(48, 3)
        )),
        Some(format!("{}:info", id(11, 1)))
    );
    assert_eq!(
        fate(false, "specs.activity_logs", &id(48, 4)).as_deref(),
        Some("rejected:unknown_severity")
    );
    assert_eq!(
        specs(&format!("SELECT metric_type || ':' || (metadata -> 'legacy' ->> 'metric_type') FROM quality_metrics WHERE id = '{}'", id(49, 2))).as_deref(),
        Some("other:readability")
    );
    assert_eq!(
        specs(&format!(
            "SELECT question_id || ':' || question_template_id FROM question_effectiveness WHERE id = '{}'",
            id(50, 1)
        )),
        Some(format!("{}:legacy:{}", id(34, 1), id(50, 1)))
    );
    assert_eq!(
        specs(&format!("SELECT coalesce(question_id::text, 'null') FROM question_effectiveness WHERE id = '{}'", id(50, 2))).as_deref(),
        Some("null"),
        "its question was rejected: SET NULL"
    );
    assert_eq!(
        fate(false, "specs.question_effectiveness", &id(50, 3)).as_deref(),
        Some("rejected:score_out_of_range")
    );
    assert_eq!(
        specs(&format!(
            "SELECT confidence FROM user_behavior_patterns WHERE id = '{}'",
            id(51, 1)
        ))
        .as_deref(),
        Some("0.7")
    );
    assert_eq!(
        fate(false, "specs.user_behavior_patterns", &id(51, 2)).as_deref(),
        Some("rejected:confidence_missing")
    );
    assert_eq!(
        fate(false, "specs.user_behavior_patterns", &id(51, 3)).as_deref(),
        Some("rejected:user_not_found")
    );
}

/// The quarantine keeps the whole legacy row (minus the read's own values),
/// and a raw token only as its SHA-256.
#[test]
fn the_quarantine_keeps_whole_rows_and_no_raw_token() {
    let row = auth(&format!(
        "SELECT legacy_row::text FROM legacy_import_quarantine WHERE legacy_id = '{}'",
        id(15, 4)
    ))
    .unwrap();
    assert!(!row.contains("legacy-refresh-token-of-dave"), "{row}");
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        b"legacy-refresh-token-of-dave-0123456789abcde",
    ));
    assert!(row.contains(&digest), "{row}");
    let user = auth(&format!(
        "SELECT legacy_row::text FROM legacy_import_quarantine WHERE legacy_id = '{}'",
        id(11, 2)
    ))
    .unwrap();
    assert!(
        user.contains("Alice@Example.com") && !user.contains("_survivor"),
        "{user}"
    );
    let report = &imported().2;
    assert!(report.adds_up());
    assert_eq!(
        report
            .table("auth.users")
            .unwrap()
            .rejected_by_reason
            .get("invalid_email"),
        Some(&1)
    );
}
