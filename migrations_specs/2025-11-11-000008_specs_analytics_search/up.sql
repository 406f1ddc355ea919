-- 2025-11-11-000008_specs_analytics_search: analytics_metrics, document_chunks, notification_preferences (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE analytics_metrics (
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    metric_name     varchar(100) NOT NULL,
    metric_value    float8 NOT NULL,
    dimension_type  varchar(50),
    dimension_value varchar(255),
    period          varchar(20),
    period_start    timestamptz NOT NULL DEFAULT now(),
    period_end      timestamptz,
    tags            text[] NOT NULL DEFAULT '{}'::text[],
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT analytics_metrics_pkey PRIMARY KEY (id),
    CONSTRAINT uq_analytics_metrics_series UNIQUE NULLS NOT DISTINCT (metric_name, period_start, period, dimension_type, dimension_value),
    CONSTRAINT ck_analytics_metrics_period CHECK (period IN ('daily', 'weekly', 'monthly')),
    CONSTRAINT ck_analytics_metrics_period_range CHECK (period_end > period_start)
);

CREATE INDEX idx_analytics_metrics_dimension_type_dimension_value ON analytics_metrics (dimension_type, dimension_value);
CREATE INDEX idx_analytics_metrics_period ON analytics_metrics (period);
CREATE INDEX idx_analytics_metrics_created_at ON analytics_metrics (created_at DESC);

COMMENT ON TABLE analytics_metrics IS 'aggregated platform metrics as (name, period, dimension) time series.';
COMMENT ON COLUMN analytics_metrics.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN analytics_metrics.metric_name IS 'e.g. daily_active_users (free text)';
COMMENT ON COLUMN analytics_metrics.metric_value IS 'measured value';
COMMENT ON COLUMN analytics_metrics.dimension_type IS 'e.g. plan, provider (free text)';
COMMENT ON COLUMN analytics_metrics.dimension_value IS 'value of the dimension';
COMMENT ON COLUMN analytics_metrics.period IS 'bucket size; NULL = point-in-time; one of: daily, weekly, monthly';
COMMENT ON COLUMN analytics_metrics.period_start IS 'bucket start, or measurement time';
COMMENT ON COLUMN analytics_metrics.period_end IS 'bucket end (exclusive)';
COMMENT ON COLUMN analytics_metrics.tags IS 'free-form labels';
COMMENT ON COLUMN analytics_metrics.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN analytics_metrics.created_at IS 'row creation time';

CREATE TABLE document_chunks (
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    document_id     uuid NOT NULL,
    project_id      uuid,
    chunk_index     integer NOT NULL,
    content         text NOT NULL,
    chunk_type      varchar(50),
    source_section  varchar(255),
    tokens_count    integer,
    embedding       real[],
    embedding_model varchar(100),
    embedded_at     timestamptz,
    relevance_score float8,
    search_count    integer NOT NULL DEFAULT 0,
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT document_chunks_pkey PRIMARY KEY (id),
    CONSTRAINT uq_document_chunks_document_id_chunk_index UNIQUE (document_id, chunk_index),
    CONSTRAINT ck_document_chunks_counts CHECK (chunk_index >= 0 AND (tokens_count IS NULL OR tokens_count >= 0) AND search_count >= 0),
    CONSTRAINT ck_document_chunks_relevance_score_range CHECK (relevance_score >= 0 AND relevance_score <= 1),
    CONSTRAINT ck_document_chunks_embedding CHECK (embedding IS NULL OR (array_ndims(embedding) = 1 AND cardinality(embedding) = 384 AND embedding_model IS NOT NULL AND embedded_at IS NOT NULL)),
    CONSTRAINT fk_document_chunks_document_id FOREIGN KEY (document_id) REFERENCES knowledge_base_documents (id) ON DELETE CASCADE,
    CONSTRAINT fk_document_chunks_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_document_chunks_project_id ON document_chunks (project_id);
CREATE INDEX idx_document_chunks_created_at_unembedded ON document_chunks (created_at) WHERE embedding IS NULL;

SELECT diesel_manage_updated_at('document_chunks');

COMMENT ON TABLE document_chunks IS 'retrieval chunks of a knowledge-base document, with embeddings.';
COMMENT ON COLUMN document_chunks.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN document_chunks.document_id IS 'parent document';
COMMENT ON COLUMN document_chunks.project_id IS 'copy of the document''s project_id, for filtering';
COMMENT ON COLUMN document_chunks.chunk_index IS '0-based position in the document';
COMMENT ON COLUMN document_chunks.content IS 'chunk text';
COMMENT ON COLUMN document_chunks.chunk_type IS 'e.g. paragraph, code, table (free text)';
COMMENT ON COLUMN document_chunks.source_section IS 'heading/section of origin';
COMMENT ON COLUMN document_chunks.tokens_count IS 'tokens in chunk';
COMMENT ON COLUMN document_chunks.embedding IS '384-dim chunk embedding';
COMMENT ON COLUMN document_chunks.embedding_model IS 'model that produced the embedding';
COMMENT ON COLUMN document_chunks.embedded_at IS 'when the embedding was computed';
COMMENT ON COLUMN document_chunks.relevance_score IS '0–1';
COMMENT ON COLUMN document_chunks.search_count IS 'times returned by search';
COMMENT ON COLUMN document_chunks.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN document_chunks.created_at IS 'row creation time';
COMMENT ON COLUMN document_chunks.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE notification_preferences (
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id             uuid NOT NULL,
    notification_type   varchar(100) NOT NULL,
    email_enabled       boolean NOT NULL DEFAULT true,
    in_app_enabled      boolean NOT NULL DEFAULT true,
    slack_enabled       boolean NOT NULL DEFAULT false,
    frequency           varchar(50) NOT NULL DEFAULT 'immediate',
    quiet_hours_enabled boolean NOT NULL DEFAULT false,
    quiet_hours_start   time,
    quiet_hours_end     time,
    metadata            jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_preferences_pkey PRIMARY KEY (id),
    CONSTRAINT uq_notification_preferences_user_id_notification_type UNIQUE (user_id, notification_type),
    CONSTRAINT ck_notification_preferences_notification_type CHECK (notification_type IN ('conflict', 'maturity', 'mention', 'activity', 'invitation')),
    CONSTRAINT ck_notification_preferences_frequency CHECK (frequency IN ('immediate', 'daily', 'weekly', 'off')),
    CONSTRAINT ck_notification_preferences_quiet_hours CHECK (NOT quiet_hours_enabled OR (quiet_hours_start IS NOT NULL AND quiet_hours_end IS NOT NULL))
);

SELECT diesel_manage_updated_at('notification_preferences');

COMMENT ON TABLE notification_preferences IS 'per-user, per-notification-type delivery settings.';
COMMENT ON COLUMN notification_preferences.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN notification_preferences.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.';
COMMENT ON COLUMN notification_preferences.notification_type IS 'event class; one of: conflict, maturity, mention, activity, invitation';
COMMENT ON COLUMN notification_preferences.email_enabled IS 'deliver by e-mail';
COMMENT ON COLUMN notification_preferences.in_app_enabled IS 'deliver inside the app';
COMMENT ON COLUMN notification_preferences.slack_enabled IS 'deliver to Slack';
COMMENT ON COLUMN notification_preferences.frequency IS 'delivery cadence; one of: immediate, daily, weekly, off';
COMMENT ON COLUMN notification_preferences.quiet_hours_enabled IS 'hold notifications during quiet hours';
COMMENT ON COLUMN notification_preferences.quiet_hours_start IS 'local time, user''s time zone';
COMMENT ON COLUMN notification_preferences.quiet_hours_end IS 'may be < start (spans midnight)';
COMMENT ON COLUMN notification_preferences.metadata IS 'includes `timezone` (IANA)';
COMMENT ON COLUMN notification_preferences.created_at IS 'row creation time';
COMMENT ON COLUMN notification_preferences.updated_at IS 'last modification time; maintained by trigger set_updated_at';
