-- 2025-11-11-000023_specs_legacy_import: legacy_import_progress, legacy_import_quarantine (socrates_specs; see docs/SCHEMA.md)
-- The bookkeeping of `socrates-db import-legacy` (Socrates2 → this schema), in
-- each database for the legacy tables whose rows land there, written in the
-- same transaction as each batch it describes.
--
-- The group runs in one transaction, so a failure leaves nothing behind to
-- retry over (no IF NOT EXISTS), and its index is built on a table this
-- transaction creates, which no other session can see (no CONCURRENTLY): the
-- diesel-guard checks for both are disabled per statement.

-- diesel-guard:disable IdempotencyCreateCheck
CREATE TABLE legacy_import_progress (
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    source_table   varchar(100) NOT NULL,
    status         varchar(20) NOT NULL DEFAULT 'pending',
    cursor         uuid,
    read_count     bigint NOT NULL DEFAULT 0,
    imported_count bigint NOT NULL DEFAULT 0,
    merged_count   bigint NOT NULL DEFAULT 0,
    rejected_count bigint NOT NULL DEFAULT 0,
    started_at     timestamptz,
    finished_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT legacy_import_progress_pkey PRIMARY KEY (id),
    CONSTRAINT uq_legacy_import_progress_source_table UNIQUE (source_table),
    CONSTRAINT ck_legacy_import_progress_status CHECK (status IN ('pending', 'running', 'paused', 'completed', 'failed')),
    CONSTRAINT ck_legacy_import_progress_counts CHECK (imported_count >= 0 AND merged_count >= 0 AND rejected_count >= 0 AND read_count = imported_count + merged_count + rejected_count)
);

SELECT diesel_manage_updated_at('legacy_import_progress');

COMMENT ON TABLE legacy_import_progress IS 'progress of import-legacy per legacy table whose rows land in this database: resume position and counts that add up.';
COMMENT ON COLUMN legacy_import_progress.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN legacy_import_progress.source_table IS 'legacy database and table, e.g. auth.users or specs.teams';
COMMENT ON COLUMN legacy_import_progress.status IS 'run state; one of: pending, running, paused, completed, failed';
COMMENT ON COLUMN legacy_import_progress.cursor IS 'batch key of the last legacy row done (id, or project_id for tables read a project at a time); NULL = from the start';
COMMENT ON COLUMN legacy_import_progress.read_count IS 'legacy rows read in the current run; always imported + merged + rejected';
COMMENT ON COLUMN legacy_import_progress.imported_count IS 'legacy rows that are rows of ours with the same id (this run or an earlier one)';
COMMENT ON COLUMN legacy_import_progress.merged_count IS 'legacy rows merged into a row they duplicate (recorded in legacy_import_quarantine)';
COMMENT ON COLUMN legacy_import_progress.rejected_count IS 'legacy rows rejected into legacy_import_quarantine';
COMMENT ON COLUMN legacy_import_progress.started_at IS 'current run start';
COMMENT ON COLUMN legacy_import_progress.finished_at IS 'current run end';
COMMENT ON COLUMN legacy_import_progress.created_at IS 'row creation time';
COMMENT ON COLUMN legacy_import_progress.updated_at IS 'trigger-maintained; doubles as heartbeat';

-- diesel-guard:disable IdempotencyCreateCheck
CREATE TABLE legacy_import_quarantine (
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    source_table varchar(100) NOT NULL,
    legacy_id    uuid NOT NULL,
    outcome      varchar(20) NOT NULL,
    reason       varchar(100) NOT NULL,
    merged_into  uuid,
    legacy_row   jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT legacy_import_quarantine_pkey PRIMARY KEY (id),
    CONSTRAINT uq_legacy_import_quarantine_source_table_legacy_id UNIQUE (source_table, legacy_id),
    CONSTRAINT ck_legacy_import_quarantine_outcome CHECK (outcome IN ('merged', 'rejected')),
    CONSTRAINT ck_legacy_import_quarantine_merged_into CHECK ((outcome = 'merged') = (merged_into IS NOT NULL))
);

-- The report counts the quarantine by outcome and reason.
-- diesel-guard:disable AddIndexCheck, IdempotencyIndexCheck
CREATE INDEX idx_legacy_import_quarantine_outcome_reason ON legacy_import_quarantine (outcome, reason);

COMMENT ON TABLE legacy_import_quarantine IS 'legacy rows that import-legacy did not import as rows of their own: merged into a row they duplicate, or rejected, each with its reason and the whole legacy row (secrets replaced by their SHA-256).';
COMMENT ON COLUMN legacy_import_quarantine.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN legacy_import_quarantine.source_table IS 'legacy database and table, e.g. specs.projects';
COMMENT ON COLUMN legacy_import_quarantine.legacy_id IS 'the legacy row''s id';
COMMENT ON COLUMN legacy_import_quarantine.outcome IS 'what happened to it; one of: merged, rejected';
COMMENT ON COLUMN legacy_import_quarantine.reason IS 'why, as a stable snake_case code (e.g. duplicate_email, owner_not_found, unknown_status)';
COMMENT ON COLUMN legacy_import_quarantine.merged_into IS 'id of the row it was merged into; set iff outcome = merged';
COMMENT ON COLUMN legacy_import_quarantine.legacy_row IS 'the whole legacy row as JSON; a raw token in it is replaced by its SHA-256 (hex)';
COMMENT ON COLUMN legacy_import_quarantine.created_at IS 'when the import recorded it';
