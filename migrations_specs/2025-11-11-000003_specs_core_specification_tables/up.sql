-- 2025-11-11-000003_specs_core_specification_tables: projects, sessions, questions, specifications, conversation_history, conflicts (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE projects (
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    owner_id         uuid NOT NULL,
    creator_id       uuid NOT NULL,
    name             varchar(255) NOT NULL,
    description      text,
    current_phase    varchar(50) NOT NULL DEFAULT 'discovery',
    status           varchar(50) NOT NULL DEFAULT 'active',
    maturity_score   float8 NOT NULL DEFAULT 0,
    technology_stack jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    archived_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projects_pkey PRIMARY KEY (id),
    CONSTRAINT ck_projects_current_phase CHECK (current_phase IN ('discovery', 'analysis', 'design', 'implementation')),
    CONSTRAINT ck_projects_status CHECK (status IN ('active', 'archived', 'completed', 'on_hold')),
    CONSTRAINT ck_projects_maturity_score_range CHECK (maturity_score >= 0 AND maturity_score <= 100)
);

CREATE INDEX idx_projects_owner_id_created_at ON projects (owner_id, created_at DESC);
CREATE INDEX idx_projects_creator_id ON projects (creator_id);
CREATE INDEX idx_projects_status ON projects (status);
CREATE INDEX idx_projects_current_phase ON projects (current_phase);
CREATE INDEX idx_projects_maturity_score ON projects (maturity_score);
CREATE INDEX idx_projects_created_at ON projects (created_at DESC);

SELECT diesel_manage_updated_at('projects');

COMMENT ON TABLE projects IS 'a user''s specification project; root of almost all specs data.';
COMMENT ON COLUMN projects.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN projects.owner_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. current owner';
COMMENT ON COLUMN projects.creator_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. original creator (immutable)';
COMMENT ON COLUMN projects.name IS 'project name';
COMMENT ON COLUMN projects.description IS 'project description';
COMMENT ON COLUMN projects.current_phase IS 'workflow phase; one of: discovery, analysis, design, implementation';
COMMENT ON COLUMN projects.status IS 'lifecycle state; one of: active, archived, completed, on_hold';
COMMENT ON COLUMN projects.maturity_score IS 'overall maturity 0–100';
COMMENT ON COLUMN projects.technology_stack IS 'chosen technologies `{"name":"version"}`';
COMMENT ON COLUMN projects.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN projects.archived_at IS 'set when status becomes ''archived''';
COMMENT ON COLUMN projects.created_at IS 'row creation time';
COMMENT ON COLUMN projects.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE sessions (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id    uuid NOT NULL,
    user_id       uuid,
    title         varchar(255),
    mode          varchar(50) NOT NULL DEFAULT 'socratic',
    status        varchar(50) NOT NULL DEFAULT 'active',
    domain        varchar(100),
    role          varchar(100),
    message_count integer NOT NULL DEFAULT 0,
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    started_at    timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz,
    archived_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT ck_sessions_mode CHECK (mode IN ('socratic', 'direct_chat')),
    CONSTRAINT ck_sessions_status CHECK (status IN ('active', 'archived', 'completed')),
    CONSTRAINT ck_sessions_message_count_range CHECK (message_count >= 0),
    CONSTRAINT ck_sessions_ended_after_started CHECK (ended_at IS NULL OR ended_at >= started_at),
    CONSTRAINT fk_sessions_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_sessions_project_id_started_at ON sessions (project_id, started_at DESC);
CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_status ON sessions (status);
CREATE INDEX idx_sessions_mode ON sessions (mode);

SELECT diesel_manage_updated_at('sessions');

COMMENT ON TABLE sessions IS 'a conversation session inside a project.';
COMMENT ON COLUMN sessions.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN sessions.project_id IS 'owning project';
COMMENT ON COLUMN sessions.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. user who ran the session';
COMMENT ON COLUMN sessions.title IS 'session title';
COMMENT ON COLUMN sessions.mode IS 'conversation mode; one of: socratic, direct_chat';
COMMENT ON COLUMN sessions.status IS 'session state; one of: active, archived, completed';
COMMENT ON COLUMN sessions.domain IS 'knowledge-domain key (free text)';
COMMENT ON COLUMN sessions.role IS 'role/persona the user takes (free text)';
COMMENT ON COLUMN sessions.message_count IS 'cached message count';
COMMENT ON COLUMN sessions.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN sessions.started_at IS 'session start';
COMMENT ON COLUMN sessions.ended_at IS 'session end; NULL = still running';
COMMENT ON COLUMN sessions.archived_at IS 'set when the session is archived';
COMMENT ON COLUMN sessions.created_at IS 'row creation time';
COMMENT ON COLUMN sessions.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE questions (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id    uuid NOT NULL,
    session_id    uuid,
    text          text NOT NULL,
    category      varchar(100) NOT NULL,
    context       text,
    priority      varchar(20) NOT NULL DEFAULT 'medium',
    status        varchar(20) NOT NULL DEFAULT 'pending',
    answer        text,
    quality_score float8 NOT NULL DEFAULT 1.0,
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT questions_pkey PRIMARY KEY (id),
    CONSTRAINT ck_questions_category CHECK (category IN ('goals', 'requirements', 'tech_stack', 'scalability', 'security', 'performance', 'testing', 'monitoring', 'data_retention', 'disaster_recovery')),
    CONSTRAINT ck_questions_priority CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT ck_questions_status CHECK (status IN ('pending', 'answered', 'skipped', 'resolved')),
    CONSTRAINT ck_questions_quality_score_range CHECK (quality_score >= 0 AND quality_score <= 1),
    CONSTRAINT fk_questions_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    CONSTRAINT fk_questions_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE SET NULL
);

CREATE INDEX idx_questions_project_id_created_at ON questions (project_id, created_at DESC);
CREATE INDEX idx_questions_session_id_created_at ON questions (session_id, created_at);
CREATE INDEX idx_questions_category ON questions (category);
CREATE INDEX idx_questions_status ON questions (status);

SELECT diesel_manage_updated_at('questions');

COMMENT ON TABLE questions IS 'questions asked by the Socratic counselor, with the answers.';
COMMENT ON COLUMN questions.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN questions.project_id IS 'project the question belongs to';
COMMENT ON COLUMN questions.session_id IS 'session where asked; NULL if the session was deleted';
COMMENT ON COLUMN questions.text IS 'question text';
COMMENT ON COLUMN questions.category IS 'specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery';
COMMENT ON COLUMN questions.context IS 'why the question matters';
COMMENT ON COLUMN questions.priority IS 'how urgently the answer is needed; one of: low, medium, high, critical';
COMMENT ON COLUMN questions.status IS 'answer state; one of: pending, answered, skipped, resolved';
COMMENT ON COLUMN questions.answer IS 'user''s answer';
COMMENT ON COLUMN questions.quality_score IS 'quality-controller score 0–1';
COMMENT ON COLUMN questions.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN questions.created_at IS 'row creation time';
COMMENT ON COLUMN questions.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE specifications (
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id     uuid NOT NULL,
    session_id     uuid,
    category       varchar(100) NOT NULL,
    key            varchar(255) NOT NULL,
    value          text NOT NULL,
    spec_type      varchar(100),
    source         varchar(100) NOT NULL DEFAULT 'user_input',
    status         varchar(20) NOT NULL DEFAULT 'draft',
    version        integer NOT NULL DEFAULT 1,
    confidence     float8,
    maturity_score float8 NOT NULL DEFAULT 0,
    is_current     boolean NOT NULL DEFAULT true,
    superseded_at  timestamptz,
    superseded_by  uuid,
    metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT specifications_pkey PRIMARY KEY (id),
    CONSTRAINT uq_specifications_project_id_category_key_version UNIQUE (project_id, category, key, version),
    CONSTRAINT ck_specifications_category CHECK (category IN ('goals', 'requirements', 'tech_stack', 'scalability', 'security', 'performance', 'testing', 'monitoring', 'data_retention', 'disaster_recovery')),
    CONSTRAINT ck_specifications_spec_type CHECK (spec_type IN ('functional', 'non_functional', 'deployment', 'security', 'performance')),
    CONSTRAINT ck_specifications_source CHECK (source IN ('user_input', 'extracted', 'inferred')),
    CONSTRAINT ck_specifications_status CHECK (status IN ('draft', 'approved', 'implemented', 'deprecated')),
    CONSTRAINT ck_specifications_version_range CHECK (version >= 1),
    CONSTRAINT ck_specifications_confidence_range CHECK (confidence >= 0 AND confidence <= 1),
    CONSTRAINT ck_specifications_maturity_score_range CHECK (maturity_score >= 0 AND maturity_score <= 100),
    CONSTRAINT ck_specifications_supersession CHECK (superseded_by IS NULL OR (superseded_by <> id AND NOT is_current)),
    CONSTRAINT fk_specifications_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    CONSTRAINT fk_specifications_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE SET NULL,
    CONSTRAINT fk_specifications_superseded_by FOREIGN KEY (superseded_by) REFERENCES specifications (id) ON DELETE SET NULL
);

CREATE INDEX idx_specifications_project_id_category_current ON specifications (project_id, category) WHERE is_current;
CREATE INDEX idx_specifications_project_id_created_at ON specifications (project_id, created_at DESC);
CREATE INDEX idx_specifications_session_id ON specifications (session_id);
CREATE INDEX idx_specifications_superseded_by ON specifications (superseded_by);
CREATE INDEX idx_specifications_status ON specifications (status);
CREATE INDEX idx_specifications_spec_type ON specifications (spec_type);

SELECT diesel_manage_updated_at('specifications');

COMMENT ON TABLE specifications IS 'versioned specification statements extracted from conversations.';
COMMENT ON COLUMN specifications.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN specifications.project_id IS 'project the specification belongs to';
COMMENT ON COLUMN specifications.session_id IS 'session it came from';
COMMENT ON COLUMN specifications.category IS 'specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery';
COMMENT ON COLUMN specifications.key IS 'stable identifier within category (e.g. `database`)';
COMMENT ON COLUMN specifications.value IS 'the specification statement';
COMMENT ON COLUMN specifications.spec_type IS 'requirement class; one of: functional, non_functional, deployment, security, performance';
COMMENT ON COLUMN specifications.source IS 'how it was obtained; one of: user_input, extracted, inferred';
COMMENT ON COLUMN specifications.status IS 'approval state; one of: draft, approved, implemented, deprecated';
COMMENT ON COLUMN specifications.version IS '1 + version of the row it supersedes';
COMMENT ON COLUMN specifications.confidence IS 'extraction confidence 0–1; NULL = not assessed';
COMMENT ON COLUMN specifications.maturity_score IS 'contribution to category maturity 0–100';
COMMENT ON COLUMN specifications.is_current IS 'false once superseded';
COMMENT ON COLUMN specifications.superseded_at IS 'when a newer version replaced this row';
COMMENT ON COLUMN specifications.superseded_by IS 'newer version of this spec';
COMMENT ON COLUMN specifications.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN specifications.created_at IS 'row creation time';
COMMENT ON COLUMN specifications.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE conversation_history (
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id   uuid NOT NULL,
    user_id      uuid,
    role         varchar(50) NOT NULL,
    content      text NOT NULL,
    message_type varchar(50),
    tokens_used  integer,
    metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversation_history_pkey PRIMARY KEY (id),
    CONSTRAINT ck_conversation_history_role CHECK (role IN ('user', 'assistant', 'system')),
    CONSTRAINT ck_conversation_history_message_type CHECK (message_type IN ('question', 'answer', 'clarification', 'specification', 'error')),
    CONSTRAINT ck_conversation_history_tokens_used_range CHECK (tokens_used >= 0),
    CONSTRAINT fk_conversation_history_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
);

CREATE INDEX idx_conversation_history_session_id_created_at ON conversation_history (session_id, created_at);
CREATE INDEX idx_conversation_history_user_id ON conversation_history (user_id);

COMMENT ON TABLE conversation_history IS 'every message of every session, in order.';
COMMENT ON COLUMN conversation_history.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN conversation_history.session_id IS 'session the message belongs to';
COMMENT ON COLUMN conversation_history.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: set_null. author of `user` messages';
COMMENT ON COLUMN conversation_history.role IS 'speaker; one of: user, assistant, system';
COMMENT ON COLUMN conversation_history.content IS 'message text';
COMMENT ON COLUMN conversation_history.message_type IS 'semantic kind; NULL = plain; one of: question, answer, clarification, specification, error';
COMMENT ON COLUMN conversation_history.tokens_used IS 'LLM tokens for this message';
COMMENT ON COLUMN conversation_history.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN conversation_history.created_at IS 'message time';

CREATE TABLE conflicts (
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id       uuid NOT NULL,
    title            varchar(255),
    description      text NOT NULL,
    conflict_type    varchar(100) NOT NULL,
    severity         varchar(20) NOT NULL DEFAULT 'medium',
    status           varchar(20) NOT NULL DEFAULT 'open',
    spec_ids         uuid[] NOT NULL DEFAULT '{}'::uuid[],
    resolution       text,
    resolved_at      timestamptz,
    resolved_by_user boolean NOT NULL DEFAULT false,
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conflicts_pkey PRIMARY KEY (id),
    CONSTRAINT ck_conflicts_conflict_type CHECK (conflict_type IN ('technology', 'requirement', 'timeline', 'resource')),
    CONSTRAINT ck_conflicts_severity CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT ck_conflicts_status CHECK (status IN ('open', 'resolved', 'ignored')),
    CONSTRAINT fk_conflicts_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_conflicts_project_id_created_at ON conflicts (project_id, created_at DESC);
CREATE INDEX idx_conflicts_project_id_open ON conflicts (project_id) WHERE status = 'open';
CREATE INDEX idx_conflicts_status ON conflicts (status);
CREATE INDEX idx_conflicts_severity ON conflicts (severity);
CREATE INDEX idx_conflicts_conflict_type ON conflicts (conflict_type);
CREATE INDEX idx_conflicts_spec_ids ON conflicts USING gin (spec_ids);

SELECT diesel_manage_updated_at('conflicts');

COMMENT ON TABLE conflicts IS 'detected contradictions between specifications.';
COMMENT ON COLUMN conflicts.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN conflicts.project_id IS 'project the conflict belongs to';
COMMENT ON COLUMN conflicts.title IS 'short label';
COMMENT ON COLUMN conflicts.description IS 'what conflicts';
COMMENT ON COLUMN conflicts.conflict_type IS 'kind of conflict; one of: technology, requirement, timeline, resource';
COMMENT ON COLUMN conflicts.severity IS 'how serious the conflict is; one of: low, medium, high, critical';
COMMENT ON COLUMN conflicts.status IS 'resolution state; one of: open, resolved, ignored';
COMMENT ON COLUMN conflicts.spec_ids IS 'ids of the specifications involved (no FK)';
COMMENT ON COLUMN conflicts.resolution IS 'how it was resolved';
COMMENT ON COLUMN conflicts.resolved_at IS 'when the conflict was resolved or ignored';
COMMENT ON COLUMN conflicts.resolved_by_user IS 'resolved by the user, not automatically';
COMMENT ON COLUMN conflicts.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN conflicts.created_at IS 'detection time';
COMMENT ON COLUMN conflicts.updated_at IS 'last modification time; maintained by trigger set_updated_at';
