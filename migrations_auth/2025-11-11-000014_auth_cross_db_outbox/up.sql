-- 2025-11-11-000014_auth_cross_db_outbox: cross_db_outbox (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE cross_db_outbox (
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    kind         varchar(20) NOT NULL,
    subject_id   uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    CONSTRAINT cross_db_outbox_pkey PRIMARY KEY (id),
    CONSTRAINT uq_cross_db_outbox_kind_subject_id UNIQUE (kind, subject_id),
    CONSTRAINT ck_cross_db_outbox_kind CHECK (kind IN ('user_deleted', 'team_deleted')),
    CONSTRAINT ck_cross_db_outbox_attempts_range CHECK (attempts >= 0)
);

CREATE INDEX idx_cross_db_outbox_created_at_pending ON cross_db_outbox (created_at) WHERE processed_at IS NULL;

COMMENT ON TABLE cross_db_outbox IS 'durable queue of auth deletions whose specs-side cleanup is still pending (§5.3).';
COMMENT ON COLUMN cross_db_outbox.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN cross_db_outbox.kind IS 'what was deleted; one of: user_deleted, team_deleted';
COMMENT ON COLUMN cross_db_outbox.subject_id IS 'the deleted users.id or teams.id';
COMMENT ON COLUMN cross_db_outbox.created_at IS 'written in the deleting transaction';
COMMENT ON COLUMN cross_db_outbox.processed_at IS 'specs cleanup committed; NULL = pending';
COMMENT ON COLUMN cross_db_outbox.attempts IS 'cleanup attempts so far';
COMMENT ON COLUMN cross_db_outbox.last_error IS 'error of the last failed attempt';
