-- 2025-11-11-000005_specs_tracking_analytics: quality_metrics, user_behavior_patterns, question_effectiveness, knowledge_base_documents (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE quality_metrics (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id    uuid NOT NULL,
    metric_name   varchar(100) NOT NULL,
    metric_type   varchar(100) NOT NULL DEFAULT 'other',
    metric_value  float8 NOT NULL,
    threshold     float8,
    passed        boolean,
    details       jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    calculated_at timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT quality_metrics_pkey PRIMARY KEY (id),
    CONSTRAINT ck_quality_metrics_metric_type CHECK (metric_type IN ('maturity', 'coverage', 'conflicts', 'bias', 'other')),
    CONSTRAINT fk_quality_metrics_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_quality_metrics_project_id_metric_name_calculated_at ON quality_metrics (project_id, metric_name, calculated_at DESC);
CREATE INDEX idx_quality_metrics_metric_type ON quality_metrics (metric_type);

COMMENT ON TABLE quality_metrics IS 'quality-control measurements per project (coverage, bias, conflicts, …).';
COMMENT ON COLUMN quality_metrics.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN quality_metrics.project_id IS 'project measured';
COMMENT ON COLUMN quality_metrics.metric_name IS 'metric identifier (free text)';
COMMENT ON COLUMN quality_metrics.metric_type IS 'metric family; one of: maturity, coverage, conflicts, bias, other';
COMMENT ON COLUMN quality_metrics.metric_value IS 'measured value';
COMMENT ON COLUMN quality_metrics.threshold IS 'pass threshold, if any';
COMMENT ON COLUMN quality_metrics.passed IS 'NULL when there is no threshold';
COMMENT ON COLUMN quality_metrics.details IS 'breakdown';
COMMENT ON COLUMN quality_metrics.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN quality_metrics.calculated_at IS 'measurement time';
COMMENT ON COLUMN quality_metrics.created_at IS 'row insert time';

CREATE TABLE user_behavior_patterns (
    id                    uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id               uuid NOT NULL,
    pattern_type          varchar(100) NOT NULL,
    pattern_data          jsonb NOT NULL DEFAULT '{}'::jsonb,
    confidence            float8 NOT NULL,
    learned_from_projects uuid[] NOT NULL DEFAULT '{}'::uuid[],
    observation_period    varchar(50),
    sample_size           integer,
    metadata              jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_behavior_patterns_pkey PRIMARY KEY (id),
    CONSTRAINT ck_user_behavior_patterns_observation_period CHECK (observation_period IN ('daily', 'weekly', 'monthly', 'all_time')),
    CONSTRAINT ck_user_behavior_patterns_confidence_range CHECK (confidence >= 0 AND confidence <= 1),
    CONSTRAINT ck_user_behavior_patterns_sample_size_range CHECK (sample_size >= 0)
);

CREATE INDEX idx_user_behavior_patterns_user_id_pattern_type ON user_behavior_patterns (user_id, pattern_type);
CREATE INDEX idx_user_behavior_patterns_pattern_type ON user_behavior_patterns (pattern_type);

SELECT diesel_manage_updated_at('user_behavior_patterns');

COMMENT ON TABLE user_behavior_patterns IS 'learned per-user interaction patterns (user learning).';
COMMENT ON COLUMN user_behavior_patterns.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN user_behavior_patterns.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade.';
COMMENT ON COLUMN user_behavior_patterns.pattern_type IS 'e.g. communication_style (free text)';
COMMENT ON COLUMN user_behavior_patterns.pattern_data IS 'learned values';
COMMENT ON COLUMN user_behavior_patterns.confidence IS '0–1';
COMMENT ON COLUMN user_behavior_patterns.learned_from_projects IS 'source project ids (no FK)';
COMMENT ON COLUMN user_behavior_patterns.observation_period IS 'window the pattern covers; one of: daily, weekly, monthly, all_time';
COMMENT ON COLUMN user_behavior_patterns.sample_size IS 'observations used';
COMMENT ON COLUMN user_behavior_patterns.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN user_behavior_patterns.created_at IS 'first learned';
COMMENT ON COLUMN user_behavior_patterns.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE question_effectiveness (
    id                            uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id                       uuid,
    question_template_id          varchar(100) NOT NULL,
    question_id                   uuid,
    question_text                 text,
    role                          varchar(50),
    project_type                  varchar(100),
    times_asked                   integer NOT NULL DEFAULT 0,
    times_answered_well           integer NOT NULL DEFAULT 0,
    times_skipped                 integer NOT NULL DEFAULT 0,
    average_answer_length         integer,
    average_spec_extraction_count float8,
    average_response_time_seconds float8,
    effectiveness_score           float8,
    relevance_score               float8,
    clarity_score                 float8,
    feedback                      jsonb NOT NULL DEFAULT '{}'::jsonb,
    recommendations               text,
    last_asked_at                 timestamptz,
    metadata                      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at                    timestamptz NOT NULL DEFAULT now(),
    updated_at                    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT question_effectiveness_pkey PRIMARY KEY (id),
    CONSTRAINT uq_question_effectiveness_user_id_question_template_id UNIQUE NULLS NOT DISTINCT (user_id, question_template_id),
    CONSTRAINT ck_question_effectiveness_counts CHECK (times_asked >= 0 AND times_answered_well >= 0 AND times_skipped >= 0),
    CONSTRAINT ck_question_effectiveness_scores_range CHECK ((effectiveness_score IS NULL OR effectiveness_score BETWEEN 0 AND 1) AND (relevance_score IS NULL OR relevance_score BETWEEN 0 AND 1) AND (clarity_score IS NULL OR clarity_score BETWEEN 0 AND 1)),
    CONSTRAINT fk_question_effectiveness_question_id FOREIGN KEY (question_id) REFERENCES questions (id) ON DELETE SET NULL
);

CREATE INDEX idx_question_effectiveness_question_id ON question_effectiveness (question_id);
CREATE INDEX idx_question_effectiveness_effectiveness_score ON question_effectiveness (effectiveness_score DESC);

SELECT diesel_manage_updated_at('question_effectiveness');

COMMENT ON TABLE question_effectiveness IS 'how well each question template works, per user (user_id set) or across all users (user_id NULL).';
COMMENT ON COLUMN question_effectiveness.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN question_effectiveness.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. NULL = global aggregate';
COMMENT ON COLUMN question_effectiveness.question_template_id IS 'stable template key (free text)';
COMMENT ON COLUMN question_effectiveness.question_id IS 'concrete question the row is tied to, if any';
COMMENT ON COLUMN question_effectiveness.question_text IS 'template text snapshot';
COMMENT ON COLUMN question_effectiveness.role IS 'counselor role asking it (free text)';
COMMENT ON COLUMN question_effectiveness.project_type IS 'project segment (free text)';
COMMENT ON COLUMN question_effectiveness.times_asked IS 'times the question was asked';
COMMENT ON COLUMN question_effectiveness.times_answered_well IS 'answers that yielded usable specifications';
COMMENT ON COLUMN question_effectiveness.times_skipped IS 'times the question was skipped';
COMMENT ON COLUMN question_effectiveness.average_answer_length IS 'characters';
COMMENT ON COLUMN question_effectiveness.average_spec_extraction_count IS 'specs extracted per answer';
COMMENT ON COLUMN question_effectiveness.average_response_time_seconds IS 'mean time to answer, in seconds';
COMMENT ON COLUMN question_effectiveness.effectiveness_score IS '0–1';
COMMENT ON COLUMN question_effectiveness.relevance_score IS '0–1';
COMMENT ON COLUMN question_effectiveness.clarity_score IS '0–1';
COMMENT ON COLUMN question_effectiveness.feedback IS 'aggregated feedback';
COMMENT ON COLUMN question_effectiveness.recommendations IS 'suggested rewording';
COMMENT ON COLUMN question_effectiveness.last_asked_at IS 'last time the question was asked';
COMMENT ON COLUMN question_effectiveness.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN question_effectiveness.created_at IS 'row creation time';
COMMENT ON COLUMN question_effectiveness.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE knowledge_base_documents (
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id      uuid,
    user_id         uuid,
    title           varchar(255) NOT NULL,
    filename        varchar(500),
    file_path       varchar(500),
    file_size       bigint,
    content_type    varchar(100),
    document_type   varchar(100),
    category        varchar(100),
    tags            text[] NOT NULL DEFAULT '{}'::text[],
    source          varchar(255),
    content         text,
    content_summary text,
    status          varchar(50) NOT NULL DEFAULT 'processed',
    version         integer NOT NULL DEFAULT 1,
    is_approved     boolean NOT NULL DEFAULT false,
    relevance_score float8,
    usage_count     integer NOT NULL DEFAULT 0,
    embedding       real[],
    embedding_model varchar(100),
    embedded_at     timestamptz,
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT knowledge_base_documents_pkey PRIMARY KEY (id),
    CONSTRAINT ck_knowledge_base_documents_status CHECK (status IN ('uploading', 'processing', 'processed', 'error')),
    CONSTRAINT ck_knowledge_base_documents_version_range CHECK (version >= 1),
    CONSTRAINT ck_knowledge_base_documents_counts CHECK ((file_size IS NULL OR file_size >= 0) AND usage_count >= 0),
    CONSTRAINT ck_knowledge_base_documents_relevance_score_range CHECK (relevance_score >= 0 AND relevance_score <= 1),
    CONSTRAINT ck_knowledge_base_documents_embedding CHECK (embedding IS NULL OR (array_ndims(embedding) = 1 AND cardinality(embedding) = 384 AND embedding_model IS NOT NULL AND embedded_at IS NOT NULL)),
    CONSTRAINT fk_knowledge_base_documents_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_knowledge_base_documents_project_id_created_at ON knowledge_base_documents (project_id, created_at DESC);
CREATE INDEX idx_knowledge_base_documents_user_id ON knowledge_base_documents (user_id);
CREATE INDEX idx_knowledge_base_documents_status ON knowledge_base_documents (status);
CREATE INDEX idx_knowledge_base_documents_created_at_unembedded ON knowledge_base_documents (created_at) WHERE embedding IS NULL;

SELECT diesel_manage_updated_at('knowledge_base_documents');

COMMENT ON TABLE knowledge_base_documents IS 'RAG source documents: per-project uploads, or global curated articles (project_id NULL).';
COMMENT ON COLUMN knowledge_base_documents.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN knowledge_base_documents.project_id IS 'owning project; NULL = global KB article';
COMMENT ON COLUMN knowledge_base_documents.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. uploader; NULL = system';
COMMENT ON COLUMN knowledge_base_documents.title IS 'display title (filename for uploads)';
COMMENT ON COLUMN knowledge_base_documents.filename IS 'original file name';
COMMENT ON COLUMN knowledge_base_documents.file_path IS 'storage key/path';
COMMENT ON COLUMN knowledge_base_documents.file_size IS 'bytes';
COMMENT ON COLUMN knowledge_base_documents.content_type IS 'MIME type (free text)';
COMMENT ON COLUMN knowledge_base_documents.document_type IS 'e.g. guide, spec, reference (free text)';
COMMENT ON COLUMN knowledge_base_documents.category IS 'free text';
COMMENT ON COLUMN knowledge_base_documents.tags IS 'free-form labels';
COMMENT ON COLUMN knowledge_base_documents.source IS 'origin (URL, citation)';
COMMENT ON COLUMN knowledge_base_documents.content IS 'extracted text';
COMMENT ON COLUMN knowledge_base_documents.content_summary IS 'short summary';
COMMENT ON COLUMN knowledge_base_documents.status IS 'ingestion state; one of: uploading, processing, processed, error';
COMMENT ON COLUMN knowledge_base_documents.version IS 'document version, from 1';
COMMENT ON COLUMN knowledge_base_documents.is_approved IS 'curated/approved for retrieval';
COMMENT ON COLUMN knowledge_base_documents.relevance_score IS '0–1';
COMMENT ON COLUMN knowledge_base_documents.usage_count IS 'retrievals';
COMMENT ON COLUMN knowledge_base_documents.embedding IS '384-dim document embedding';
COMMENT ON COLUMN knowledge_base_documents.embedding_model IS 'model that produced it';
COMMENT ON COLUMN knowledge_base_documents.embedded_at IS 'when the embedding was computed';
COMMENT ON COLUMN knowledge_base_documents.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN knowledge_base_documents.created_at IS 'upload/creation time';
COMMENT ON COLUMN knowledge_base_documents.updated_at IS 'last modification time; maintained by trigger set_updated_at';
