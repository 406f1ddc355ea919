//! The rest of legacy specs: sharing and invitations, usage and billing,
//! analytics, preferences, activity and learning.

use super::{changed, project_exists};
use crate::plan::{Db, Spec, duplicate_of, map, metadata, text_array, within};

const ACCESS_TYPES: &[(&str, &str)] = &[
    ("user", "user"),
    ("shared_user", "user"),
    ("team", "team"),
    ("shared_team", "team"),
    ("public", "public"),
    ("link", "link"),
];

const SHARE_PERMISSIONS: &[(&str, &str)] = &[
    ("read", "read"),
    ("view", "read"),
    ("comment", "read"),
    ("write", "write"),
    ("edit", "write"),
    ("admin", "admin"),
];

pub(super) fn project_shares() -> Spec {
    let access = map("r.access_type", ACCESS_TYPES);
    let permission = map("r.permission_level", SHARE_PERMISSIONS);
    Spec::new(Db::Specs, "project_shares", Db::Specs, "project_shares")
        .same(&["project_id"])
        .col("access_type", access.clone())
        .col(
            "shared_with_user_id",
            format!("CASE WHEN {access} = 'user' THEN @user(r.shared_with_user_id) END"),
        )
        .col(
            "shared_with_team_id",
            format!("CASE WHEN {access} = 'team' THEN @team(r.shared_with_team_id) END"),
        )
        // ours keeps who granted as a tombstone
        .col(
            "shared_by_id",
            "coalesce(@user(r.shared_by_id), r.shared_by_id)",
        )
        // public grants are read-only in ours
        .col(
            "permission_level",
            format!("CASE WHEN {access} = 'public' THEN 'read' ELSE {permission} END"),
        )
        .col("link_token_hash", "NULL::bytea")
        .col("link_password_hash", "NULL::varchar")
        .col("expires_at", "r.expiry_date")
        .same(&["access_count", "last_accessed_at"])
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("access_type", &changed("r.access_type", &access)),
                    (
                        "permission_level",
                        &format!(
                            "CASE WHEN r.permission_level IS DISTINCT FROM \
                             (CASE WHEN {access} = 'public' THEN 'read' ELSE {permission} END) \
                             THEN r.permission_level END"
                        ),
                    ),
                    (
                        "password_protected",
                        "CASE WHEN r.password_protected THEN true END",
                    ),
                    (
                        "shared_with_user_id",
                        &format!("CASE WHEN {access} <> 'user' THEN r.shared_with_user_id END"),
                    ),
                    (
                        "shared_with_team_id",
                        &format!("CASE WHEN {access} <> 'team' THEN r.shared_with_team_id END"),
                    ),
                ],
            ),
        )
        .same(&["created_at", "updated_at"])
        .reject("project_not_imported", project_exists())
        .unmapped("unknown_access_type", "access_type", "access_type")
        .reject(
            "unknown_permission_level",
            format!("{access} <> 'public' AND {permission} IS NULL"),
        )
        // a link share needs a secret Socrates2 never stored
        .reject("link_without_token", format!("{access} = 'link'"))
        .reject(
            "user_share_without_user",
            format!("{access} = 'user' AND r.shared_with_user_id IS NULL"),
        )
        // cross-db policy: the grant goes with its grantee
        .reject(
            "user_not_found",
            format!("{access} = 'user' AND o_shared_with_user_id IS NULL"),
        )
        .reject(
            "team_share_without_team",
            format!("{access} = 'team' AND r.shared_with_team_id IS NULL"),
        )
        .reject(
            "team_not_found",
            format!("{access} = 'team' AND o_shared_with_team_id IS NULL"),
        )
        .reject("negative_count", "r.access_count < 0")
        .merge(
            "duplicate_share",
            "coalesce(CASE WHEN o_shared_with_user_id IS NOT NULL THEN \
             (SELECT o.id FROM project_shares o WHERE o.project_id = o_project_id \
              AND o.shared_with_user_id = o_shared_with_user_id AND o.id <> legacy_id) END, \
             CASE WHEN o_shared_with_team_id IS NOT NULL THEN \
             (SELECT o.id FROM project_shares o WHERE o.project_id = o_project_id \
              AND o.shared_with_team_id = o_shared_with_team_id AND o.id <> legacy_id) END, \
             NULLIF(first_value(legacy_id) OVER (PARTITION BY o_project_id, o_access_type, \
             coalesce(o_shared_with_user_id, o_shared_with_team_id, legacy_id), _reason IS NULL \
             ORDER BY legacy_id), legacy_id))",
        )
}

const INVITATION_ROLES: &[(&str, &str)] = &[
    ("viewer", "viewer"),
    ("member", "member"),
    ("lead", "lead"),
    ("admin", "admin"),
    ("editor", "member"),
    ("owner", "admin"),
];

pub(super) fn project_invitations() -> Spec {
    let role = map("r.role", INVITATION_ROLES);
    let mut spec = Spec::new(
        Db::Specs,
        "project_invitations",
        Db::Specs,
        "project_invitations",
    )
    .same(&["project_id"])
    .col("invited_user_id", "@user(r.invited_user_id)")
    .col("invited_email", "lower(btrim(r.invited_email))")
    .col("invited_by_id", "@user(r.invited_by_id)")
    .col("role", role.clone())
    .col(
        "permission_level",
        within("r.permission_level", &["read", "write", "admin"]),
    )
    .col(
        "status",
        within(
            "r.status",
            &["pending", "accepted", "declined", "revoked", "expired"],
        ),
    )
    // Only the token's SHA-256; an invitation that never had a token gets a
    // random one nobody holds (so it can never be accepted).
    .col(
        "token_hash",
        "sha256(convert_to(coalesce(r.invitation_token, gen_random_uuid()::text || clock_timestamp()::text), 'UTF8'))",
    )
    .col(
        "expires_at",
        "coalesce(r.token_expires_at, r.created_at + interval '7 days')",
    )
    .same(&["message", "responded_at"])
    .col(
        "metadata",
        metadata(
            "r.metadata",
            &[
                ("role", &changed("r.role", &role)),
                (
                    "token_missing",
                    "CASE WHEN r.invitation_token IS NULL THEN true END",
                ),
                (
                    "token_expires_at",
                    "CASE WHEN r.token_expires_at IS NULL THEN 'missing' END",
                ),
            ],
        ),
    )
    .same(&["created_at", "updated_at"])
    .reject("project_not_imported", project_exists())
    .reject(
        "invitee_missing",
        "r.invited_user_id IS NULL AND r.invited_email IS NULL",
    )
    .unmapped("unknown_role", "role", "role")
    .unmapped("unknown_permission_level", "permission_level", "permission_level")
    .unmapped("unknown_status", "status", "status")
    // cross-db policy: both go with their account
    .unmapped("invited_user_not_found", "invited_user_id", "invited_user_id")
    .unmapped("inviter_not_found", "invited_by_id", "invited_by_id")
    .merge(
        "duplicate_pending_invitation",
        "CASE WHEN o_status = 'pending' THEN coalesce(\
         (SELECT o.id FROM project_invitations o WHERE o.status = 'pending' AND o.project_id = o_project_id \
          AND (o.invited_email = o_invited_email OR o.invited_user_id = o_invited_user_id) AND o.id <> legacy_id LIMIT 1), \
         NULLIF(first_value(legacy_id) OVER (PARTITION BY o_project_id, o_status, \
         coalesce(o_invited_email, o_invited_user_id::text), _reason IS NULL ORDER BY legacy_id), legacy_id)) END",
    );
    spec.secrets = &["invitation_token"];
    spec
}

pub(super) fn llm_usage_tracking() -> Spec {
    Spec::new(
        Db::Specs,
        "llm_usage_tracking",
        Db::Specs,
        "llm_usage_tracking",
    )
    // usage history keeps its user as a tombstone
    .col("user_id", "coalesce(@user(r.user_id), r.user_id)")
    .col(
        "project_id",
        "CASE WHEN EXISTS (SELECT 1 FROM projects p WHERE p.id = r.project_id) THEN r.project_id END",
    )
    .col("session_id", "NULL::uuid")
    // Socrates2 kept no provider: the model's name tells it.
    .col(
        "provider",
        "CASE WHEN lower(r.model_name) LIKE 'claude%' THEN 'claude' \
         WHEN lower(r.model_name) ~ '^(gpt|o[0-9]|chatgpt|text-|davinci)' THEN 'openai' \
         WHEN lower(r.model_name) LIKE 'gemini%' THEN 'gemini' \
         WHEN lower(r.model_name) ~ '^(llama|mistral|mixtral|qwen|phi|gemma|ollama)' THEN 'ollama' \
         ELSE 'other' END",
    )
    .same(&[
        "model_name",
        "operation_type",
        "input_tokens",
        "output_tokens",
        "total_tokens",
    ])
    .col("cost_usd", "r.cost_usd")
    .same(&["latency_ms"])
    .col(
        "status",
        within("r.status", &["success", "error", "timeout", "rate_limited"]),
    )
    .same(&["error_message"])
    .col(
        "metadata",
        metadata(
            "r.metadata",
            &[(
                "project_id",
                "CASE WHEN r.project_id IS NOT NULL AND NOT EXISTS \
                 (SELECT 1 FROM projects p WHERE p.id = r.project_id) THEN r.project_id END",
            )],
        ),
    )
    .same(&["created_at"])
    .reject(
        "negative_count",
        "r.input_tokens < 0 OR r.output_tokens < 0 OR r.total_tokens < 0 OR r.latency_ms < 0",
    )
    .reject("negative_cost", "r.cost_usd < 0")
    .unmapped("unknown_status", "status", "status")
}

pub(super) fn subscriptions() -> Spec {
    let plan = map(
        "r.plan_name",
        &[
            ("free", "free"),
            ("starter", "starter"),
            ("professional", "professional"),
            ("pro", "professional"),
            ("enterprise", "enterprise"),
        ],
    );
    let status = map(
        "r.status",
        &[
            ("active", "active"),
            ("cancelled", "cancelled"),
            ("canceled", "cancelled"),
            ("suspended", "suspended"),
            ("paused", "suspended"),
            ("expired", "expired"),
            ("past_due", "past_due"),
        ],
    );
    Spec::new(Db::Specs, "subscriptions", Db::Specs, "subscriptions")
        .col("user_id", "coalesce(@user(r.user_id), r.user_id)")
        .col("plan_name", plan.clone())
        .col(
            "plan_type",
            map(
                "r.plan_type",
                &[
                    ("monthly", "monthly"),
                    ("yearly", "yearly"),
                    ("usage_based", "usage_based"),
                    ("usage-based", "usage_based"),
                ],
            ),
        )
        .col("status", status.clone())
        .same(&["price_usd", "billing_cycle_start", "billing_cycle_end", "auto_renew"])
        .col(
            "cancelled_at",
            format!("CASE WHEN {status} = 'cancelled' THEN r.updated_at END"),
        )
        .same(&["stripe_customer_id", "stripe_subscription_id"])
        .json("features")
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("plan_name", &changed("r.plan_name", &plan)),
                    ("status", &changed("r.status", &status)),
                ],
            ),
        )
        .same(&["created_at", "updated_at"])
        .unmapped("unknown_plan", "plan_name", "plan_name")
        .unmapped("unknown_plan_type", "plan_type", "plan_type")
        .unmapped("unknown_status", "status", "status")
        .reject("negative_price", "r.price_usd < 0")
        .reject(
            "billing_cycle_end_before_start",
            "r.billing_cycle_end <= r.billing_cycle_start",
        )
        .merge(
            "duplicate_stripe_subscription",
            "CASE WHEN o_stripe_subscription_id IS NOT NULL THEN coalesce(\
             (SELECT o.id FROM subscriptions o WHERE o.stripe_subscription_id = o_stripe_subscription_id \
              AND o.id <> legacy_id), \
             NULLIF(first_value(legacy_id) OVER (PARTITION BY o_stripe_subscription_id, _reason IS NULL \
             ORDER BY legacy_id), legacy_id)) END",
        )
}

pub(super) fn invoices() -> Spec {
    let status = map(
        "r.status",
        &[
            ("draft", "draft"),
            ("sent", "sent"),
            ("open", "sent"),
            ("paid", "paid"),
            ("overdue", "overdue"),
            ("uncollectible", "overdue"),
            ("cancelled", "cancelled"),
            ("canceled", "cancelled"),
            ("void", "cancelled"),
        ],
    );
    Spec::new(Db::Specs, "invoices", Db::Specs, "invoices")
        .col("user_id", "coalesce(@user(r.user_id), r.user_id)")
        // ON DELETE SET NULL
        .col(
            "subscription_id",
            "CASE WHEN EXISTS (SELECT 1 FROM subscriptions s2 WHERE s2.id = r.subscription_id) \
             THEN r.subscription_id END",
        )
        .same(&["invoice_number"])
        .col("amount", "r.amount_usd")
        .col("currency", "upper(btrim(r.currency))")
        .col("status", status.clone())
        .same(&["description"])
        .col(
            "line_items",
            "CASE jsonb_typeof(r.line_items) WHEN 'array' THEN r.line_items \
             WHEN 'object' THEN CASE WHEN r.line_items = '{}'::jsonb THEN '[]'::jsonb \
             ELSE jsonb_build_array(r.line_items) END ELSE '[]'::jsonb END",
        )
        .col("issued_at", "r.issued_date")
        .col("due_at", "r.due_date")
        .col("paid_at", "r.paid_date")
        .same(&["stripe_invoice_id"])
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[
                    ("status", &changed("r.status", &status)),
                    (
                        "subscription_id",
                        "CASE WHEN r.subscription_id IS NOT NULL AND NOT EXISTS \
                         (SELECT 1 FROM subscriptions s2 WHERE s2.id = r.subscription_id) THEN r.subscription_id END",
                    ),
                    (
                        "line_items",
                        "CASE WHEN r.line_items IS NOT NULL AND jsonb_typeof(r.line_items) \
                         NOT IN ('array', 'object') THEN r.line_items END",
                    ),
                ],
            ),
        )
        .same(&["created_at", "updated_at"])
        .reject("negative_amount", "r.amount_usd < 0")
        .reject("invalid_currency", "upper(btrim(r.currency)) !~ '^[A-Z]{3}$'")
        .unmapped("unknown_status", "status", "status")
        .reject(
            "duplicate_stripe_invoice_id",
            "r.stripe_invoice_id IS NOT NULL AND (EXISTS (SELECT 1 FROM invoices o \
             WHERE o.stripe_invoice_id = r.stripe_invoice_id AND o.id <> legacy_id) \
             OR first_value(legacy_id) OVER (PARTITION BY r.stripe_invoice_id ORDER BY legacy_id) <> legacy_id)",
        )
}

pub(super) fn analytics_metrics() -> Spec {
    Spec::new(
        Db::Specs,
        "analytics_metrics",
        Db::Specs,
        "analytics_metrics",
    )
    .same(&[
        "metric_name",
        "metric_value",
        "dimension_type",
        "dimension_value",
    ])
    .col(
        "period",
        within("r.period", &["daily", "weekly", "monthly"]),
    )
    // a point-in-time value is stamped with its measurement time
    .col("period_start", "coalesce(r.period_start, r.created_at)")
    .same(&["period_end"])
    .col("tags", text_array("r.tags"))
    .json("metadata")
    .same(&["created_at"])
    .reject("metric_value_missing", "r.metric_value IS NULL")
    .unmapped("unknown_period", "period", "period")
    .reject(
        "period_end_before_start",
        "r.period_end <= coalesce(r.period_start, r.created_at)",
    )
    .merge(
        "duplicate_series",
        duplicate_of(
            "analytics_metrics",
            &[
                "metric_name",
                "period_start",
                "period",
                "dimension_type",
                "dimension_value",
            ],
            "",
        ),
    )
}

pub(super) fn notification_preferences() -> Spec {
    let frequency = map(
        "r.frequency",
        &[
            ("immediate", "immediate"),
            ("real_time", "immediate"),
            ("daily", "daily"),
            ("weekly", "weekly"),
            ("off", "off"),
        ],
    );
    Spec::new(
        Db::Specs,
        "notification_preferences",
        Db::Specs,
        "notification_preferences",
    )
    .col("user_id", "@user(r.user_id)")
    .col(
        "notification_type",
        within(
            "r.notification_type",
            &["conflict", "maturity", "mention", "activity", "invitation"],
        ),
    )
    .same(&["email_enabled", "in_app_enabled", "slack_enabled"])
    .col(
        "frequency",
        format!("coalesce({frequency}, CASE WHEN r.frequency IS NULL THEN 'immediate' END)"),
    )
    .same(&["quiet_hours_enabled"])
    .col(
        "quiet_hours_start",
        "pg_temp.legacy_time(r.quiet_hours_start)",
    )
    .col("quiet_hours_end", "pg_temp.legacy_time(r.quiet_hours_end)")
    .col(
        "metadata",
        metadata(
            "r.metadata",
            &[("frequency", &changed("r.frequency", &frequency))],
        ),
    )
    .same(&["created_at", "updated_at"])
    .unmapped("user_not_found", "user_id", "user_id")
    .unmapped(
        "unknown_notification_type",
        "notification_type",
        "notification_type",
    )
    .unmapped("unknown_frequency", "frequency", "frequency")
    .unmapped(
        "invalid_quiet_hours",
        "quiet_hours_start",
        "quiet_hours_start",
    )
    .unmapped("invalid_quiet_hours", "quiet_hours_end", "quiet_hours_end")
    .reject(
        "quiet_hours_incomplete",
        "r.quiet_hours_enabled AND (r.quiet_hours_start IS NULL OR r.quiet_hours_end IS NULL)",
    )
    .merge(
        "duplicate_preference",
        duplicate_of(
            "notification_preferences",
            &["user_id", "notification_type"],
            "",
        ),
    )
}

pub(super) fn activity_logs() -> Spec {
    Spec::new(Db::Specs, "activity_logs", Db::Specs, "activity_logs")
        // activity history keeps its actor as a tombstone
        .col("user_id", "coalesce(@user(r.user_id), r.user_id)")
        .col(
            "project_id",
            "CASE WHEN lower(r.resource_type) = 'project' AND EXISTS \
             (SELECT 1 FROM projects p WHERE p.id = r.resource_id) THEN r.resource_id END",
        )
        .same(&[
            "action",
            "resource_type",
            "resource_id",
            "resource_name",
            "description",
        ])
        .json("changes")
        .col(
            "severity",
            format!(
                "coalesce({}, CASE WHEN r.severity IS NULL THEN 'info' END)",
                within("r.severity", &["info", "warning", "error", "critical"])
            ),
        )
        .col("ip_address", "pg_temp.legacy_inet(r.ip_address)")
        .same(&["user_agent"])
        .json("metadata")
        .same(&["created_at"])
        .unmapped("unknown_severity", "severity", "severity")
        .unmapped("invalid_ip_address", "ip_address", "ip_address")
}

const METRIC_TYPES: &[&str] = &["maturity", "coverage", "conflicts", "bias", "other"];

pub(super) fn quality_metrics() -> Spec {
    let kind = format!(
        "coalesce({}, 'other')",
        within("r.metric_type", METRIC_TYPES)
    );
    Spec::new(Db::Specs, "quality_metrics", Db::Specs, "quality_metrics")
        .same(&["project_id", "metric_name"])
        .col("metric_type", kind.clone())
        .same(&["metric_value"])
        .col("threshold", "NULL::float8")
        .col("passed", "NULL::boolean")
        .json("details")
        .col(
            "metadata",
            metadata(
                "r.metadata",
                &[("metric_type", &changed("r.metric_type", &kind))],
            ),
        )
        .col("calculated_at", "coalesce(r.measured_at, r.created_at)")
        .same(&["created_at"])
        .reject("project_not_imported", project_exists())
}

pub(super) fn question_effectiveness() -> Spec {
    Spec::new(
        Db::Specs,
        "question_effectiveness",
        Db::Specs,
        "question_effectiveness",
    )
    // Socrates2's rows are global aggregates, one per legacy row.
    .col("user_id", "NULL::uuid")
    .col("question_template_id", "'legacy:' || legacy_id::text")
    // ON DELETE SET NULL
    .col(
        "question_id",
        "CASE WHEN EXISTS (SELECT 1 FROM questions q WHERE q.id = r.question_id) THEN r.question_id END",
    )
    .same(&["question_text"])
    .col("role", "NULL::varchar")
    .same(&["project_type", "times_asked"])
    .col("times_answered_well", "0")
    .same(&["times_skipped"])
    .col("average_answer_length", "NULL::integer")
    .col("average_spec_extraction_count", "NULL::float8")
    .same(&[
        "average_response_time_seconds",
        "effectiveness_score",
        "relevance_score",
        "clarity_score",
    ])
    .json("feedback")
    .same(&["recommendations"])
    .col("last_asked_at", "NULL::timestamptz")
    .col(
        "metadata",
        metadata(
            "r.metadata",
            &[(
                "question_id",
                "CASE WHEN r.question_id IS NOT NULL AND NOT EXISTS \
                 (SELECT 1 FROM questions q WHERE q.id = r.question_id) THEN r.question_id END",
            )],
        ),
    )
    .same(&["created_at", "updated_at"])
    .reject("negative_count", "r.times_asked < 0 OR r.times_skipped < 0")
    .reject(
        "score_out_of_range",
        "r.effectiveness_score NOT BETWEEN 0 AND 1 OR r.relevance_score NOT BETWEEN 0 AND 1 \
         OR r.clarity_score NOT BETWEEN 0 AND 1",
    )
}

pub(super) fn user_behavior_patterns() -> Spec {
    Spec::new(
        Db::Specs,
        "user_behavior_patterns",
        Db::Specs,
        "user_behavior_patterns",
    )
    .col("user_id", "@user(r.user_id)")
    .same(&["pattern_type"])
    .json("pattern_data")
    .col("confidence", "r.confidence_score")
    .col("learned_from_projects", "'{}'::uuid[]")
    .col(
        "observation_period",
        within(
            "r.observation_period",
            &["daily", "weekly", "monthly", "all_time"],
        ),
    )
    .same(&["sample_size"])
    .json("metadata")
    .same(&["created_at", "updated_at"])
    // cross-db policy: personal data goes with its account
    .unmapped("user_not_found", "user_id", "user_id")
    .reject("confidence_missing", "r.confidence_score IS NULL")
    .reject(
        "confidence_out_of_range",
        "r.confidence_score < 0 OR r.confidence_score > 1",
    )
    .unmapped(
        "unknown_observation_period",
        "observation_period",
        "observation_period",
    )
    .reject("negative_count", "r.sample_size < 0")
}
