-- 2025-11-11-000009_specs_activity_project_management: activity_logs, project_invitations (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE activity_logs (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid,
    project_id    uuid,
    action        varchar(100) NOT NULL,
    resource_type varchar(100) NOT NULL,
    resource_id   uuid,
    resource_name varchar(255),
    description   text,
    changes       jsonb NOT NULL DEFAULT '{}'::jsonb,
    severity      varchar(20) NOT NULL DEFAULT 'info',
    ip_address    inet,
    user_agent    text,
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT activity_logs_pkey PRIMARY KEY (id),
    CONSTRAINT ck_activity_logs_severity CHECK (severity IN ('info', 'warning', 'error', 'critical')),
    CONSTRAINT fk_activity_logs_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_activity_logs_user_id_created_at ON activity_logs (user_id, created_at DESC);
CREATE INDEX idx_activity_logs_project_id_created_at ON activity_logs (project_id, created_at DESC);
CREATE INDEX idx_activity_logs_resource_type_resource_id ON activity_logs (resource_type, resource_id);
CREATE INDEX idx_activity_logs_action ON activity_logs (action);
CREATE INDEX idx_activity_logs_severity ON activity_logs (severity);
CREATE INDEX idx_activity_logs_created_at ON activity_logs (created_at DESC);

COMMENT ON TABLE activity_logs IS 'user-facing activity feed per user and project (not the security audit, which lives in auth).';
COMMENT ON COLUMN activity_logs.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN activity_logs.user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. actor; NULL = system; kept as tombstone';
COMMENT ON COLUMN activity_logs.project_id IS 'project context, if any';
COMMENT ON COLUMN activity_logs.action IS 'e.g. specification.created (free text)';
COMMENT ON COLUMN activity_logs.resource_type IS 'e.g. specification (free text)';
COMMENT ON COLUMN activity_logs.resource_id IS 'id of the resource';
COMMENT ON COLUMN activity_logs.resource_name IS 'display name at the time';
COMMENT ON COLUMN activity_logs.description IS 'human-readable line';
COMMENT ON COLUMN activity_logs.changes IS '`{"before":…,"after":…}`';
COMMENT ON COLUMN activity_logs.severity IS 'importance of the event; one of: info, warning, error, critical';
COMMENT ON COLUMN activity_logs.ip_address IS 'client IP address';
COMMENT ON COLUMN activity_logs.user_agent IS 'client user agent';
COMMENT ON COLUMN activity_logs.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN activity_logs.created_at IS 'row creation time';

CREATE TABLE project_invitations (
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id       uuid NOT NULL,
    invited_user_id  uuid,
    invited_email    varchar(255),
    invited_by_id    uuid NOT NULL,
    role             varchar(50) NOT NULL DEFAULT 'member',
    permission_level varchar(50),
    status           varchar(20) NOT NULL DEFAULT 'pending',
    token_hash       bytea NOT NULL,
    expires_at       timestamptz NOT NULL,
    message          text,
    responded_at     timestamptz,
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT project_invitations_pkey PRIMARY KEY (id),
    CONSTRAINT uq_project_invitations_token_hash UNIQUE (token_hash),
    CONSTRAINT ck_project_invitations_role CHECK (role IN ('viewer', 'member', 'lead', 'admin')),
    CONSTRAINT ck_project_invitations_permission_level CHECK (permission_level IN ('read', 'write', 'admin')),
    CONSTRAINT ck_project_invitations_status CHECK (status IN ('pending', 'accepted', 'declined', 'revoked', 'expired')),
    CONSTRAINT ck_project_invitations_invited_email_lowercase CHECK (invited_email = lower(invited_email)),
    CONSTRAINT ck_project_invitations_invitee CHECK (invited_user_id IS NOT NULL OR invited_email IS NOT NULL),
    CONSTRAINT ck_project_invitations_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT fk_project_invitations_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_project_invitations_project_id ON project_invitations (project_id);
CREATE INDEX idx_project_invitations_invited_user_id ON project_invitations (invited_user_id);
CREATE INDEX idx_project_invitations_invited_by_id ON project_invitations (invited_by_id);
CREATE INDEX idx_project_invitations_invited_email_pending ON project_invitations (invited_email) WHERE status = 'pending';
CREATE INDEX idx_project_invitations_expires_at_pending ON project_invitations (expires_at) WHERE status = 'pending';
CREATE UNIQUE INDEX uq_project_invitations_project_id_invited_email_pending ON project_invitations (project_id, invited_email) WHERE status = 'pending';
CREATE UNIQUE INDEX uq_project_invitations_project_id_invited_user_id_pending ON project_invitations (project_id, invited_user_id) WHERE status = 'pending';

SELECT diesel_manage_updated_at('project_invitations');

COMMENT ON TABLE project_invitations IS 'invitations to collaborate on a project, by account or e-mail (token hash only).';
COMMENT ON COLUMN project_invitations.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN project_invitations.project_id IS 'project the invitee is invited to';
COMMENT ON COLUMN project_invitations.invited_user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. existing account, if known';
COMMENT ON COLUMN project_invitations.invited_email IS 'invitee e-mail, lowercase';
COMMENT ON COLUMN project_invitations.invited_by_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. inviter';
COMMENT ON COLUMN project_invitations.role IS 'role on acceptance; one of: viewer, member, lead, admin';
COMMENT ON COLUMN project_invitations.permission_level IS 'override; NULL = from role; one of: read, write, admin';
COMMENT ON COLUMN project_invitations.status IS 'invitation state; one of: pending, accepted, declined, revoked, expired';
COMMENT ON COLUMN project_invitations.token_hash IS 'SHA-256 of the invitation token';
COMMENT ON COLUMN project_invitations.expires_at IS 'token expiry';
COMMENT ON COLUMN project_invitations.message IS 'personal note';
COMMENT ON COLUMN project_invitations.responded_at IS 'accept/decline time';
COMMENT ON COLUMN project_invitations.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN project_invitations.created_at IS 'row creation time';
COMMENT ON COLUMN project_invitations.updated_at IS 'last modification time; maintained by trigger set_updated_at';
