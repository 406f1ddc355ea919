-- 2025-11-11-000016_specs_quality_testing: maturity_tracking, test_results (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE maturity_tracking (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id    uuid NOT NULL,
    category      varchar(100) NOT NULL,
    score         float8 NOT NULL,
    details       jsonb NOT NULL DEFAULT '{}'::jsonb,
    calculated_at timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT maturity_tracking_pkey PRIMARY KEY (id),
    CONSTRAINT ck_maturity_tracking_category CHECK (category IN ('goals', 'requirements', 'tech_stack', 'scalability', 'security', 'performance', 'testing', 'monitoring', 'data_retention', 'disaster_recovery')),
    CONSTRAINT ck_maturity_tracking_score_range CHECK (score >= 0 AND score <= 100),
    CONSTRAINT fk_maturity_tracking_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_maturity_tracking_project_id_category_calculated_at ON maturity_tracking (project_id, category, calculated_at DESC);

COMMENT ON TABLE maturity_tracking IS 'time series of maturity scores per project and category.';
COMMENT ON COLUMN maturity_tracking.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN maturity_tracking.project_id IS 'project scored';
COMMENT ON COLUMN maturity_tracking.category IS 'specification category (spec_category); one of: goals, requirements, tech_stack, scalability, security, performance, testing, monitoring, data_retention, disaster_recovery';
COMMENT ON COLUMN maturity_tracking.score IS 'maturity 0–100';
COMMENT ON COLUMN maturity_tracking.details IS 'score breakdown';
COMMENT ON COLUMN maturity_tracking.calculated_at IS 'when the score applies';
COMMENT ON COLUMN maturity_tracking.created_at IS 'row insert time';

CREATE TABLE test_results (
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id       uuid NOT NULL,
    test_type        varchar(50) NOT NULL,
    technology_stack jsonb NOT NULL DEFAULT '{}'::jsonb,
    status           varchar(20) NOT NULL DEFAULT 'pending',
    results          jsonb NOT NULL DEFAULT '{}'::jsonb,
    error_message    text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT test_results_pkey PRIMARY KEY (id),
    CONSTRAINT ck_test_results_test_type CHECK (test_type IN ('compatibility', 'integration', 'unit')),
    CONSTRAINT ck_test_results_status CHECK (status IN ('pending', 'running', 'passed', 'failed')),
    CONSTRAINT fk_test_results_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_test_results_project_id_started_at ON test_results (project_id, started_at DESC);
CREATE INDEX idx_test_results_status ON test_results (status);
CREATE INDEX idx_test_results_test_type ON test_results (test_type);

COMMENT ON TABLE test_results IS 'compatibility/integration test runs for a project''s technology stack.';
COMMENT ON COLUMN test_results.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN test_results.project_id IS 'project whose stack was tested';
COMMENT ON COLUMN test_results.test_type IS 'kind of test run; one of: compatibility, integration, unit';
COMMENT ON COLUMN test_results.technology_stack IS 'technologies tested `{"python":"3.12"}`';
COMMENT ON COLUMN test_results.status IS 'run state; one of: pending, running, passed, failed';
COMMENT ON COLUMN test_results.results IS 'result details';
COMMENT ON COLUMN test_results.error_message IS 'failure message, if any';
COMMENT ON COLUMN test_results.started_at IS 'run start';
COMMENT ON COLUMN test_results.completed_at IS 'run end; NULL while pending or running';
COMMENT ON COLUMN test_results.created_at IS 'row creation time';
