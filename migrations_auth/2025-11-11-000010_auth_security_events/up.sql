-- 2025-11-11-000010_auth_security_events: password_reset_requests, audit_logs (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE password_reset_requests (
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL,
    token_hash bytea NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    ip_address inet,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT password_reset_requests_pkey PRIMARY KEY (id),
    CONSTRAINT uq_password_reset_requests_token_hash UNIQUE (token_hash),
    CONSTRAINT ck_password_reset_requests_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT fk_password_reset_requests_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_password_reset_requests_user_id ON password_reset_requests (user_id);
CREATE INDEX idx_password_reset_requests_expires_at ON password_reset_requests (expires_at);
CREATE INDEX idx_password_reset_requests_user_id_created_at_unused ON password_reset_requests (user_id, created_at DESC) WHERE used_at IS NULL;

COMMENT ON TABLE password_reset_requests IS 'single-use password-reset tokens (hash only).';
COMMENT ON COLUMN password_reset_requests.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN password_reset_requests.user_id IS 'account being reset';
COMMENT ON COLUMN password_reset_requests.token_hash IS 'SHA-256 of the e-mailed token';
COMMENT ON COLUMN password_reset_requests.expires_at IS 'token expiry';
COMMENT ON COLUMN password_reset_requests.used_at IS 'NULL = unused; set once';
COMMENT ON COLUMN password_reset_requests.ip_address IS 'requester IP';
COMMENT ON COLUMN password_reset_requests.user_agent IS 'requester user agent';
COMMENT ON COLUMN password_reset_requests.created_at IS 'request time';

CREATE TABLE audit_logs (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid,
    action        varchar(100) NOT NULL,
    resource_type varchar(50),
    resource_id   varchar(100),
    ip_address    inet,
    user_agent    text,
    details       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_logs_pkey PRIMARY KEY (id),
    CONSTRAINT fk_audit_logs_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX idx_audit_logs_user_id_created_at ON audit_logs (user_id, created_at DESC);
CREATE INDEX idx_audit_logs_action ON audit_logs (action);
CREATE INDEX idx_audit_logs_created_at ON audit_logs (created_at DESC);
CREATE INDEX idx_audit_logs_resource_type_resource_id ON audit_logs (resource_type, resource_id);

CREATE TRIGGER trg_audit_logs_append_only
    BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION forbid_append_only_mutation('user_id');

COMMENT ON TABLE audit_logs IS 'security event log (login, logout, password and key changes), append-only.';
COMMENT ON COLUMN audit_logs.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN audit_logs.user_id IS 'acting user; NULLed when the user is deleted';
COMMENT ON COLUMN audit_logs.action IS 'dotted event name, free text (e.g. `user.login`)';
COMMENT ON COLUMN audit_logs.resource_type IS 'kind of object acted on (free text)';
COMMENT ON COLUMN audit_logs.resource_id IS 'id of that object, as text';
COMMENT ON COLUMN audit_logs.ip_address IS 'client IP';
COMMENT ON COLUMN audit_logs.user_agent IS 'client user agent';
COMMENT ON COLUMN audit_logs.details IS 'event details; data changes as `{"old":…,"new":…}`';
COMMENT ON COLUMN audit_logs.created_at IS 'event time';
