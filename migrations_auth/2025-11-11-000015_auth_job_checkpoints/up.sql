-- 2025-11-11-000015_auth_job_checkpoints: job_checkpoints (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE job_checkpoints (
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    job_name        varchar(100) NOT NULL,
    status          varchar(20) NOT NULL DEFAULT 'pending',
    cursor          text,
    processed_count bigint NOT NULL DEFAULT 0,
    failed_count    bigint NOT NULL DEFAULT 0,
    total_count     bigint,
    last_error      text,
    started_at      timestamptz,
    finished_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT job_checkpoints_pkey PRIMARY KEY (id),
    CONSTRAINT uq_job_checkpoints_job_name UNIQUE (job_name),
    CONSTRAINT ck_job_checkpoints_status CHECK (status IN ('pending', 'running', 'paused', 'completed', 'failed')),
    CONSTRAINT ck_job_checkpoints_counts CHECK (processed_count >= 0 AND failed_count >= 0 AND (total_count IS NULL OR total_count >= 0))
);

CREATE INDEX idx_job_checkpoints_status ON job_checkpoints (status);

SELECT diesel_manage_updated_at('job_checkpoints');

COMMENT ON TABLE job_checkpoints IS 'progress of resumable batch jobs (outbox drain, purges, re-encryption, backfills).';
COMMENT ON COLUMN job_checkpoints.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN job_checkpoints.job_name IS 'stable job identifier, one row per job';
COMMENT ON COLUMN job_checkpoints.status IS 'run state; one of: pending, running, paused, completed, failed';
COMMENT ON COLUMN job_checkpoints.cursor IS 'opaque resume position (e.g. last processed id)';
COMMENT ON COLUMN job_checkpoints.processed_count IS 'items processed in the current run';
COMMENT ON COLUMN job_checkpoints.failed_count IS 'items that failed in the current run';
COMMENT ON COLUMN job_checkpoints.total_count IS 'items expected, when known';
COMMENT ON COLUMN job_checkpoints.last_error IS 'last error message';
COMMENT ON COLUMN job_checkpoints.started_at IS 'current run start';
COMMENT ON COLUMN job_checkpoints.finished_at IS 'current run end';
COMMENT ON COLUMN job_checkpoints.created_at IS 'row creation time';
COMMENT ON COLUMN job_checkpoints.updated_at IS 'trigger-maintained; doubles as heartbeat';
