// @generated automatically by Diesel CLI.

diesel::table! {
    /// user-facing activity feed per user and project (not the security audit, which lives in auth).
    activity_logs (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. actor; NULL = system; kept as tombstone
        user_id -> Nullable<Uuid>,
        /// project context, if any
        project_id -> Nullable<Uuid>,
        /// e.g. specification.created (free text)
        #[max_length = 100]
        action -> Varchar,
        /// e.g. specification (free text)
        #[max_length = 100]
        resource_type -> Varchar,
        /// id of the resource
        resource_id -> Nullable<Uuid>,
        /// display name at the time
        #[max_length = 255]
        resource_name -> Nullable<Varchar>,
        /// human-readable line
        description -> Nullable<Text>,
        /// `{"before":…,"after":…}`
        changes -> Jsonb,
        /// importance of the event; one of: info, warning, error, critical
        #[max_length = 20]
        severity -> Varchar,
        /// client IP address
        ip_address -> Nullable<Inet>,
        /// client user agent
        user_agent -> Nullable<Text>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// aggregated platform metrics as (name, period, dimension) time series.
    analytics_metrics (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// e.g. daily_active_users (free text)
        #[max_length = 100]
        metric_name -> Varchar,
        /// measured value
        metric_value -> Float8,
        /// e.g. plan, provider (free text)
        #[max_length = 50]
        dimension_type -> Nullable<Varchar>,
        /// value of the dimension
        #[max_length = 255]
        dimension_value -> Nullable<Varchar>,
        /// bucket size; NULL = point-in-time; one of: daily, weekly, monthly
        #[max_length = 20]
        period -> Nullable<Varchar>,
        /// bucket start, or measurement time
        period_start -> Timestamptz,
        /// bucket end (exclusive)
        period_end -> Nullable<Timestamptz>,
        /// free-form labels
        tags -> Array<Text>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// detected contradictions between specifications.
    conflicts (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// project the conflict belongs to
        project_id -> Uuid,
        /// short label
        #[max_length = 255]
        title -> Nullable<Varchar>,
        /// what conflicts
        description -> Text,
        /// kind of conflict; one of: technology, requirement, timeline, resource
        #[max_length = 100]
        conflict_type -> Varchar,
        /// how serious the conflict is; one of: low, medium, high, critical
        #[max_length = 20]
        severity -> Varchar,
        /// resolution state; one of: open, resolved, ignored
        #[max_length = 20]
        status -> Varchar,
        /// ids of the specifications involved (no FK)
        spec_ids -> Array<Uuid>,
        /// how it was resolved
        resolution -> Nullable<Text>,
        /// when the conflict was resolved or ignored
        resolved_at -> Nullable<Timestamptz>,
        /// resolved by the user, not automatically
        resolved_by_user -> Bool,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// detection time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// every message of every session, in order.
    conversation_history (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// session the message belongs to
        session_id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. author of `user` messages
        user_id -> Nullable<Uuid>,
        /// speaker; one of: user, assistant, system
        #[max_length = 50]
        role -> Varchar,
        /// message text
        content -> Text,
        /// semantic kind; NULL = plain; one of: question, answer, clarification, specification, error
        #[max_length = 50]
        message_type -> Nullable<Varchar>,
        /// LLM tokens for this message
        tokens_used -> Nullable<Int4>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// message time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// search codes of embedded chunks: list and sign bits, written with the embedding
    document_chunk_codes (id) {
        /// primary key
        id -> Uuid,
        /// the chunk
        chunk_id -> Uuid,
        /// its document
        document_id -> Uuid,
        /// the chunk's project; NULL for a global document's chunk
        project_id -> Nullable<Uuid>,
        /// model of the embedding the code was taken from
        #[max_length = 100]
        embedding_model -> Varchar,
        /// the document is global and approved: every project searches it
        globally_visible -> Bool,
        /// nearest centroid of knowledge_search_lists; -1 until assigned
        list_no -> Int4,
        /// knowledge_code(embedding): the embedding's sign bits
        #[max_length = 384]
        code -> Bit,
    }
}

diesel::table! {
    /// retrieval chunks of a knowledge-base document, with embeddings.
    document_chunks (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// parent document
        document_id -> Uuid,
        /// copy of the document's project_id, for filtering
        project_id -> Nullable<Uuid>,
        /// 0-based position in the document
        chunk_index -> Int4,
        /// chunk text
        content -> Text,
        /// e.g. paragraph, code, table (free text)
        #[max_length = 50]
        chunk_type -> Nullable<Varchar>,
        /// heading/section of origin
        #[max_length = 255]
        source_section -> Nullable<Varchar>,
        /// tokens in chunk
        tokens_count -> Nullable<Int4>,
        /// 384-dim chunk embedding
        embedding -> Nullable<Array<Float4>>,
        /// model that produced the embedding
        #[max_length = 100]
        embedding_model -> Nullable<Varchar>,
        /// when the embedding was computed
        embedded_at -> Nullable<Timestamptz>,
        /// 0–1
        relevance_score -> Nullable<Float8>,
        /// times returned by search
        search_count -> Int4,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// one file of a generated project, with traceability to specifications.
    generated_files (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// generation run the file belongs to
        generated_project_id -> Uuid,
        /// path inside the generated project
        #[max_length = 500]
        file_path -> Varchar,
        /// base name
        #[max_length = 255]
        filename -> Varchar,
        /// language/extension (free text)
        #[max_length = 50]
        file_type -> Nullable<Varchar>,
        /// file content
        content -> Nullable<Text>,
        /// bytes
        file_size -> Nullable<Int8>,
        /// lines of code in the file
        lines_of_code -> Nullable<Int4>,
        /// why the file exists
        #[max_length = 255]
        purpose -> Nullable<Varchar>,
        /// review state; one of: draft, generated, reviewed, approved
        #[max_length = 20]
        status -> Varchar,
        /// specifications implemented (no FK)
        spec_ids -> Array<Uuid>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// one code-generation run (output project) for a project.
    generated_projects (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// source project
        project_id -> Uuid,
        /// nth generation of this project
        generation_version -> Int4,
        /// output project name
        #[max_length = 255]
        name -> Varchar,
        /// output project description
        description -> Nullable<Text>,
        /// main language (free text)
        #[max_length = 50]
        language -> Nullable<Varchar>,
        /// main framework (free text)
        #[max_length = 100]
        framework -> Nullable<Varchar>,
        /// version label of the generated code
        #[max_length = 20]
        version -> Nullable<Varchar>,
        /// generation state; one of: pending, in_progress, completed, failed
        #[max_length = 20]
        status -> Varchar,
        /// number of generated files
        file_count -> Int4,
        /// lines of code over all generated files
        total_lines_of_code -> Int4,
        /// percent 0–100
        test_coverage -> Nullable<Float8>,
        /// 0–100
        quality_score -> Nullable<Float8>,
        /// percent of specs implemented
        traceability_score -> Nullable<Float8>,
        /// archive location
        download_url -> Nullable<Text>,
        /// directory tree
        structure -> Jsonb,
        /// generator settings
        configuration -> Jsonb,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// generation start
        generation_started_at -> Nullable<Timestamptz>,
        /// generation end
        generation_completed_at -> Nullable<Timestamptz>,
        /// failure reason
        error_message -> Nullable<Text>,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// invoices issued to a user (billing history, kept after user deletion).
    invoices (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
        user_id -> Uuid,
        /// subscription billed, if any
        subscription_id -> Nullable<Uuid>,
        /// human invoice number
        #[max_length = 50]
        invoice_number -> Varchar,
        /// total, in `currency`
        amount -> Numeric,
        /// ISO 4217, uppercase
        #[max_length = 3]
        currency -> Varchar,
        /// invoice state; one of: draft, sent, paid, overdue, cancelled
        #[max_length = 20]
        status -> Varchar,
        /// invoice description
        description -> Nullable<Text>,
        /// list of line items
        line_items -> Jsonb,
        /// issue time
        issued_at -> Nullable<Timestamptz>,
        /// payment due time
        due_at -> Nullable<Timestamptz>,
        /// payment time
        paid_at -> Nullable<Timestamptz>,
        /// Stripe invoice id
        #[max_length = 255]
        stripe_invoice_id -> Nullable<Varchar>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// progress of resumable batch jobs (outbox drain, purges, re-encryption, backfills).
    job_checkpoints (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// stable job identifier, one row per job
        #[max_length = 100]
        job_name -> Varchar,
        /// run state; one of: pending, running, paused, completed, failed
        #[max_length = 20]
        status -> Varchar,
        /// opaque resume position (e.g. last processed id)
        cursor -> Nullable<Text>,
        /// items processed in the current run
        processed_count -> Int8,
        /// items that failed in the current run
        failed_count -> Int8,
        /// items expected, when known
        total_count -> Nullable<Int8>,
        /// last error message
        last_error -> Nullable<Text>,
        /// current run start
        started_at -> Nullable<Timestamptz>,
        /// current run end
        finished_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// trigger-maintained; doubles as heartbeat
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// RAG source documents: per-project uploads, or global curated articles (project_id NULL).
    knowledge_base_documents (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// owning project; NULL = global KB article
        project_id -> Nullable<Uuid>,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. uploader; NULL = system
        user_id -> Nullable<Uuid>,
        /// display title (filename for uploads)
        #[max_length = 255]
        title -> Varchar,
        /// original file name
        #[max_length = 500]
        filename -> Nullable<Varchar>,
        /// storage key/path
        #[max_length = 500]
        file_path -> Nullable<Varchar>,
        /// bytes
        file_size -> Nullable<Int8>,
        /// MIME type (free text)
        #[max_length = 100]
        content_type -> Nullable<Varchar>,
        /// e.g. guide, spec, reference (free text)
        #[max_length = 100]
        document_type -> Nullable<Varchar>,
        /// free text
        #[max_length = 100]
        category -> Nullable<Varchar>,
        /// free-form labels
        tags -> Array<Text>,
        /// origin (URL, citation)
        #[max_length = 255]
        source -> Nullable<Varchar>,
        /// extracted text
        content -> Nullable<Text>,
        /// short summary
        content_summary -> Nullable<Text>,
        /// ingestion state; one of: uploading, processing, processed, error
        #[max_length = 50]
        status -> Varchar,
        /// document version, from 1
        version -> Int4,
        /// curated/approved for retrieval
        is_approved -> Bool,
        /// 0–1
        relevance_score -> Nullable<Float8>,
        /// retrievals
        usage_count -> Int4,
        /// 384-dim document embedding
        embedding -> Nullable<Array<Float4>>,
        /// model that produced it
        #[max_length = 100]
        embedding_model -> Nullable<Varchar>,
        /// when the embedding was computed
        embedded_at -> Nullable<Timestamptz>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// upload/creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// k-means centroids of one embedding model: the inverted lists of the knowledge search
    knowledge_search_lists (id) {
        /// primary key
        id -> Uuid,
        /// the model whose vectors the centroids partition
        #[max_length = 100]
        embedding_model -> Varchar,
        /// 0-based list number
        list_no -> Int4,
        /// the training run that made the centroids (the same for all lists of a model): searches cache the centroids under it
        training_id -> Uuid,
        /// unit-length centroid, 384 floats
        centroid -> Array<Float4>,
        /// chunks of the training sample nearest to it
        members -> Int4,
        /// when the centroids were trained
        trained_at -> Timestamptz,
    }
}

diesel::table! {
    /// progress of import-legacy per legacy table whose rows land in this database: resume position and counts that add up.
    legacy_import_progress (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// legacy database and table, e.g. auth.users or specs.teams
        #[max_length = 100]
        source_table -> Varchar,
        /// run state; one of: pending, running, paused, completed, failed
        #[max_length = 20]
        status -> Varchar,
        /// batch key of the last legacy row done (id, or project_id for tables read a project at a time); NULL = from the start
        cursor -> Nullable<Uuid>,
        /// legacy rows read in the current run; always imported + merged + rejected
        read_count -> Int8,
        /// legacy rows that are rows of ours with the same id (this run or an earlier one)
        imported_count -> Int8,
        /// legacy rows merged into a row they duplicate (recorded in legacy_import_quarantine)
        merged_count -> Int8,
        /// legacy rows rejected into legacy_import_quarantine
        rejected_count -> Int8,
        /// current run start
        started_at -> Nullable<Timestamptz>,
        /// current run end
        finished_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// trigger-maintained; doubles as heartbeat
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// legacy rows that import-legacy did not import as rows of their own: merged into a row they duplicate, or rejected, each with its reason and the whole legacy row (secrets replaced by their SHA-256).
    legacy_import_quarantine (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// legacy database and table, e.g. specs.projects
        #[max_length = 100]
        source_table -> Varchar,
        /// the legacy row's id
        legacy_id -> Uuid,
        /// what happened to it; one of: merged, rejected
        #[max_length = 20]
        outcome -> Varchar,
        /// why, as a stable snake_case code (e.g. duplicate_email, owner_not_found, unknown_status)
        #[max_length = 100]
        reason -> Varchar,
        /// id of the row it was merged into; set iff outcome = merged
        merged_into -> Nullable<Uuid>,
        /// the whole legacy row as JSON; a raw token in it is replaced by its SHA-256 (hex)
        legacy_row -> Jsonb,
        /// when the import recorded it
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// one row per LLM call: tokens, cost, latency (billing/usage history, kept after user deletion).
    llm_usage_tracking (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
        user_id -> Uuid,
        /// project the call was made for, if any
        project_id -> Nullable<Uuid>,
        /// session the call was made in, if any
        session_id -> Nullable<Uuid>,
        /// LLM provider called; one of: claude, openai, gemini, ollama, other
        #[max_length = 50]
        provider -> Varchar,
        /// provider model id (free text)
        #[max_length = 100]
        model_name -> Varchar,
        /// e.g. question_generation (free text)
        #[max_length = 100]
        operation_type -> Nullable<Varchar>,
        /// prompt tokens
        input_tokens -> Int4,
        /// completion tokens
        output_tokens -> Int4,
        /// as billed by the provider
        total_tokens -> Int4,
        /// estimated cost
        cost_usd -> Nullable<Numeric>,
        /// round-trip time in milliseconds
        latency_ms -> Nullable<Int4>,
        /// call outcome; one of: success, error, timeout, rate_limited
        #[max_length = 20]
        status -> Varchar,
        /// failure message, if any
        error_message -> Nullable<Text>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// call time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// time series of maturity scores per project and category.
    maturity_tracking (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// project scored
        project_id -> Uuid,
        /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
        #[max_length = 100]
        category -> Varchar,
        /// maturity 0–100
        score -> Float8,
        /// score breakdown
        details -> Jsonb,
        /// when the score applies
        calculated_at -> Timestamptz,
        /// row insert time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// per-user, per-notification-type delivery settings.
    notification_preferences (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
        user_id -> Uuid,
        /// event class; one of: conflict, maturity, mention, activity, invitation
        #[max_length = 100]
        notification_type -> Varchar,
        /// deliver by e-mail
        email_enabled -> Bool,
        /// deliver inside the app
        in_app_enabled -> Bool,
        /// deliver to Slack
        slack_enabled -> Bool,
        /// delivery cadence; one of: immediate, daily, weekly, off
        #[max_length = 50]
        frequency -> Varchar,
        /// hold notifications during quiet hours
        quiet_hours_enabled -> Bool,
        /// local time, user's time zone
        quiet_hours_start -> Nullable<Time>,
        /// may be < start (spans midnight)
        quiet_hours_end -> Nullable<Time>,
        /// includes `timezone` (IANA)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// invitations to collaborate on a project, by account or e-mail (token hash only).
    project_invitations (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// project the invitee is invited to
        project_id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. existing account, if known
        invited_user_id -> Nullable<Uuid>,
        /// invitee e-mail, lowercase
        #[max_length = 255]
        invited_email -> Nullable<Varchar>,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. inviter
        invited_by_id -> Uuid,
        /// role on acceptance; one of: viewer, member, lead, admin
        #[max_length = 50]
        role -> Varchar,
        /// override; NULL = from role; one of: read, write, admin
        #[max_length = 50]
        permission_level -> Nullable<Varchar>,
        /// invitation state; one of: pending, accepted, declined, revoked, expired
        #[max_length = 20]
        status -> Varchar,
        /// SHA-256 of the invitation token
        token_hash -> Bytea,
        /// token expiry
        expires_at -> Timestamptz,
        /// personal note
        message -> Nullable<Text>,
        /// accept/decline time
        responded_at -> Nullable<Timestamptz>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// grants of access to a project, for a user, a team, the public, or a secret link.
    project_shares (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// shared project
        project_id -> Uuid,
        /// who the grant is for; one of: user, team, public, link
        #[max_length = 50]
        access_type -> Varchar,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. set iff access_type = 'user'
        shared_with_user_id -> Nullable<Uuid>,
        /// Cross-DB ref to socrates_auth.teams.id (no FK); on delete: cascade. set iff access_type = 'team'
        shared_with_team_id -> Nullable<Uuid>,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. who granted
        shared_by_id -> Uuid,
        /// access granted (public and link shares are read-only); one of: read, write, admin
        #[max_length = 50]
        permission_level -> Varchar,
        /// SHA-256 of the link token; set iff access_type = 'link'
        link_token_hash -> Nullable<Bytea>,
        /// PHC hash of an optional link password
        #[max_length = 255]
        link_password_hash -> Nullable<Varchar>,
        /// NULL = no expiry
        expires_at -> Nullable<Timestamptz>,
        /// accesses through this grant
        access_count -> Int4,
        /// last access through this grant
        last_accessed_at -> Nullable<Timestamptz>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// share time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// a user's specification project; root of almost all specs data.
    projects (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. current owner
        owner_id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. original creator (immutable)
        creator_id -> Uuid,
        /// project name
        #[max_length = 255]
        name -> Varchar,
        /// project description
        description -> Nullable<Text>,
        /// workflow phase; one of: discovery, analysis, design, implementation
        #[max_length = 50]
        current_phase -> Varchar,
        /// lifecycle state; one of: active, archived, completed, on_hold
        #[max_length = 50]
        status -> Varchar,
        /// overall maturity 0–100
        maturity_score -> Float8,
        /// chosen technologies `{"name":"version"}`
        technology_stack -> Jsonb,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// set when status becomes 'archived'
        archived_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// quality-control measurements per project (coverage, bias, conflicts, …).
    quality_metrics (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// project measured
        project_id -> Uuid,
        /// metric identifier (free text)
        #[max_length = 100]
        metric_name -> Varchar,
        /// metric family; one of: maturity, coverage, conflicts, bias, other
        #[max_length = 100]
        metric_type -> Varchar,
        /// measured value
        metric_value -> Float8,
        /// pass threshold, if any
        threshold -> Nullable<Float8>,
        /// NULL when there is no threshold
        passed -> Nullable<Bool>,
        /// breakdown
        details -> Jsonb,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// measurement time
        calculated_at -> Timestamptz,
        /// row insert time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// how well each question template works, per user (user_id set) or across all users (user_id NULL).
    question_effectiveness (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. NULL = global aggregate
        user_id -> Nullable<Uuid>,
        /// stable template key (free text)
        #[max_length = 100]
        question_template_id -> Varchar,
        /// concrete question the row is tied to, if any
        question_id -> Nullable<Uuid>,
        /// template text snapshot
        question_text -> Nullable<Text>,
        /// counselor role asking it (free text)
        #[max_length = 50]
        role -> Nullable<Varchar>,
        /// project segment (free text)
        #[max_length = 100]
        project_type -> Nullable<Varchar>,
        /// times the question was asked
        times_asked -> Int4,
        /// answers that yielded usable specifications
        times_answered_well -> Int4,
        /// times the question was skipped
        times_skipped -> Int4,
        /// characters
        average_answer_length -> Nullable<Int4>,
        /// specs extracted per answer
        average_spec_extraction_count -> Nullable<Float8>,
        /// mean time to answer, in seconds
        average_response_time_seconds -> Nullable<Float8>,
        /// 0–1
        effectiveness_score -> Nullable<Float8>,
        /// 0–1
        relevance_score -> Nullable<Float8>,
        /// 0–1
        clarity_score -> Nullable<Float8>,
        /// aggregated feedback
        feedback -> Jsonb,
        /// suggested rewording
        recommendations -> Nullable<Text>,
        /// last time the question was asked
        last_asked_at -> Nullable<Timestamptz>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// questions asked by the Socratic counselor, with the answers.
    questions (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// project the question belongs to
        project_id -> Uuid,
        /// session where asked; NULL if the session was deleted
        session_id -> Nullable<Uuid>,
        /// question text
        text -> Text,
        /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
        #[max_length = 100]
        category -> Varchar,
        /// why the question matters
        context -> Nullable<Text>,
        /// how urgently the answer is needed; one of: low, medium, high, critical
        #[max_length = 20]
        priority -> Varchar,
        /// answer state; one of: pending, answered, skipped, resolved
        #[max_length = 20]
        status -> Varchar,
        /// user's answer
        answer -> Nullable<Text>,
        /// quality-controller score 0–1
        quality_score -> Float8,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// a conversation session inside a project.
    sessions (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// owning project
        project_id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. user who ran the session
        user_id -> Nullable<Uuid>,
        /// session title
        #[max_length = 255]
        title -> Nullable<Varchar>,
        /// conversation mode; one of: socratic, direct_chat
        #[max_length = 50]
        mode -> Varchar,
        /// session state; one of: active, archived, completed
        #[max_length = 50]
        status -> Varchar,
        /// knowledge-domain key (free text)
        #[max_length = 100]
        domain -> Nullable<Varchar>,
        /// role/persona the user takes (free text)
        #[max_length = 100]
        role -> Nullable<Varchar>,
        /// cached message count
        message_count -> Int4,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// session start
        started_at -> Timestamptz,
        /// session end; NULL = still running
        ended_at -> Nullable<Timestamptz>,
        /// set when the session is archived
        archived_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// versioned specification statements extracted from conversations.
    specifications (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// project the specification belongs to
        project_id -> Uuid,
        /// session it came from
        session_id -> Nullable<Uuid>,
        /// specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery
        #[max_length = 100]
        category -> Varchar,
        /// stable identifier within category (e.g. `database`)
        #[max_length = 255]
        key -> Varchar,
        /// the specification statement
        value -> Text,
        /// requirement class; one of: functional, non_functional, deployment, security, performance
        #[max_length = 100]
        spec_type -> Nullable<Varchar>,
        /// how it was obtained; one of: user_input, extracted, inferred
        #[max_length = 100]
        source -> Varchar,
        /// approval state; one of: draft, approved, implemented, deprecated
        #[max_length = 20]
        status -> Varchar,
        /// 1 + version of the row it supersedes
        version -> Int4,
        /// extraction confidence 0–1; NULL = not assessed
        confidence -> Nullable<Float8>,
        /// contribution to category maturity 0–100
        maturity_score -> Float8,
        /// false once superseded
        is_current -> Bool,
        /// when a newer version replaced this row
        superseded_at -> Nullable<Timestamptz>,
        /// newer version of this spec
        superseded_by -> Nullable<Uuid>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// a user's billing plan and its Stripe linkage.
    subscriptions (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. kept as tombstone
        user_id -> Uuid,
        /// plan tier; one of: free, starter, professional, enterprise
        #[max_length = 100]
        plan_name -> Varchar,
        /// billing interval; one of: monthly, yearly, usage_based
        #[max_length = 50]
        plan_type -> Nullable<Varchar>,
        /// subscription state; one of: active, cancelled, suspended, expired, past_due
        #[max_length = 20]
        status -> Varchar,
        /// price per interval
        price_usd -> Nullable<Numeric>,
        /// current period start
        billing_cycle_start -> Nullable<Timestamptz>,
        /// current period end
        billing_cycle_end -> Nullable<Timestamptz>,
        /// false = cancel at period end
        auto_renew -> Bool,
        /// cancellation time
        cancelled_at -> Nullable<Timestamptz>,
        /// Stripe customer id
        #[max_length = 255]
        stripe_customer_id -> Nullable<Varchar>,
        /// Stripe subscription id
        #[max_length = 255]
        stripe_subscription_id -> Nullable<Varchar>,
        /// feature flags/limits
        features -> Jsonb,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// row creation time
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// compatibility/integration test runs for a project's technology stack.
    test_results (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// project whose stack was tested
        project_id -> Uuid,
        /// kind of test run; one of: compatibility, integration, unit
        #[max_length = 50]
        test_type -> Varchar,
        /// technologies tested `{"python":"3.12"}`
        technology_stack -> Jsonb,
        /// run state; one of: pending, running, passed, failed
        #[max_length = 20]
        status -> Varchar,
        /// result details
        results -> Jsonb,
        /// failure message, if any
        error_message -> Nullable<Text>,
        /// run start
        started_at -> Timestamptz,
        /// run end; NULL while pending or running
        completed_at -> Nullable<Timestamptz>,
        /// row creation time
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// learned per-user interaction patterns (user learning).
    user_behavior_patterns (id) {
        /// primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)
        id -> Uuid,
        /// Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.
        user_id -> Uuid,
        /// e.g. communication_style (free text)
        #[max_length = 100]
        pattern_type -> Varchar,
        /// learned values
        pattern_data -> Jsonb,
        /// 0–1
        confidence -> Float8,
        /// source project ids (no FK)
        learned_from_projects -> Array<Uuid>,
        /// window the pattern covers; one of: daily, weekly, monthly, all_time
        #[max_length = 50]
        observation_period -> Nullable<Varchar>,
        /// observations used
        sample_size -> Nullable<Int4>,
        /// free-form metadata (JSON object)
        metadata -> Jsonb,
        /// first learned
        created_at -> Timestamptz,
        /// last modification time; maintained by trigger set_updated_at
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(activity_logs -> projects (project_id));
diesel::joinable!(conflicts -> projects (project_id));
diesel::joinable!(conversation_history -> sessions (session_id));
diesel::joinable!(document_chunk_codes -> document_chunks (chunk_id));
diesel::joinable!(document_chunk_codes -> knowledge_base_documents (document_id));
diesel::joinable!(document_chunks -> knowledge_base_documents (document_id));
diesel::joinable!(document_chunks -> projects (project_id));
diesel::joinable!(generated_files -> generated_projects (generated_project_id));
diesel::joinable!(generated_projects -> projects (project_id));
diesel::joinable!(invoices -> subscriptions (subscription_id));
diesel::joinable!(knowledge_base_documents -> projects (project_id));
diesel::joinable!(llm_usage_tracking -> projects (project_id));
diesel::joinable!(llm_usage_tracking -> sessions (session_id));
diesel::joinable!(maturity_tracking -> projects (project_id));
diesel::joinable!(project_invitations -> projects (project_id));
diesel::joinable!(project_shares -> projects (project_id));
diesel::joinable!(quality_metrics -> projects (project_id));
diesel::joinable!(question_effectiveness -> questions (question_id));
diesel::joinable!(questions -> projects (project_id));
diesel::joinable!(questions -> sessions (session_id));
diesel::joinable!(sessions -> projects (project_id));
diesel::joinable!(specifications -> projects (project_id));
diesel::joinable!(specifications -> sessions (session_id));
diesel::joinable!(test_results -> projects (project_id));

diesel::allow_tables_to_appear_in_same_query!(
    activity_logs,
    analytics_metrics,
    conflicts,
    conversation_history,
    document_chunk_codes,
    document_chunks,
    generated_files,
    generated_projects,
    invoices,
    job_checkpoints,
    knowledge_base_documents,
    knowledge_search_lists,
    legacy_import_progress,
    legacy_import_quarantine,
    llm_usage_tracking,
    maturity_tracking,
    notification_preferences,
    project_invitations,
    project_shares,
    projects,
    quality_metrics,
    question_effectiveness,
    questions,
    sessions,
    specifications,
    subscriptions,
    test_results,
    user_behavior_patterns,
);
