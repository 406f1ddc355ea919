-- 2025-11-11-000006_specs_collaboration_sharing: project_shares (socrates_specs; see docs/SCHEMA.md)

CREATE TABLE project_shares (
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id          uuid NOT NULL,
    access_type         varchar(50) NOT NULL,
    shared_with_user_id uuid,
    shared_with_team_id uuid,
    shared_by_id        uuid NOT NULL,
    permission_level    varchar(50) NOT NULL DEFAULT 'read',
    link_token_hash     bytea,
    link_password_hash  varchar(255),
    expires_at          timestamptz,
    access_count        integer NOT NULL DEFAULT 0,
    last_accessed_at    timestamptz,
    metadata            jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT project_shares_pkey PRIMARY KEY (id),
    CONSTRAINT uq_project_shares_project_id_shared_with_user_id UNIQUE (project_id, shared_with_user_id),
    CONSTRAINT uq_project_shares_project_id_shared_with_team_id UNIQUE (project_id, shared_with_team_id),
    CONSTRAINT uq_project_shares_link_token_hash UNIQUE (link_token_hash),
    CONSTRAINT ck_project_shares_access_type CHECK (access_type IN ('user', 'team', 'public', 'link')),
    CONSTRAINT ck_project_shares_permission_level CHECK (permission_level IN ('read', 'write', 'admin')),
    CONSTRAINT ck_project_shares_access_count_range CHECK (access_count >= 0),
    CONSTRAINT ck_project_shares_target CHECK ((access_type = 'user') = (shared_with_user_id IS NOT NULL) AND (access_type = 'team') = (shared_with_team_id IS NOT NULL) AND (access_type = 'link') = (link_token_hash IS NOT NULL)),
    CONSTRAINT ck_project_shares_link_token_hash_length CHECK (octet_length(link_token_hash) = 32),
    CONSTRAINT ck_project_shares_public_read_only CHECK (access_type IN ('user', 'team') OR permission_level = 'read'),
    CONSTRAINT fk_project_shares_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE INDEX idx_project_shares_shared_with_user_id ON project_shares (shared_with_user_id);
CREATE INDEX idx_project_shares_shared_with_team_id ON project_shares (shared_with_team_id);
CREATE INDEX idx_project_shares_shared_by_id ON project_shares (shared_by_id);
CREATE INDEX idx_project_shares_access_type ON project_shares (access_type);

SELECT diesel_manage_updated_at('project_shares');

COMMENT ON TABLE project_shares IS 'grants of access to a project, for a user, a team, the public, or a secret link.';
COMMENT ON COLUMN project_shares.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN project_shares.project_id IS 'shared project';
COMMENT ON COLUMN project_shares.access_type IS 'who the grant is for; one of: user, team, public, link';
COMMENT ON COLUMN project_shares.shared_with_user_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: cascade. set iff access_type = ''user''';
COMMENT ON COLUMN project_shares.shared_with_team_id IS 'Cross-DB ref to socrates_auth.teams.id (no FK); on delete: cascade. set iff access_type = ''team''';
COMMENT ON COLUMN project_shares.shared_by_id IS 'Cross-DB ref to socrates_auth.users.id (no FK); on delete: keep. who granted';
COMMENT ON COLUMN project_shares.permission_level IS 'access granted (public and link shares are read-only); one of: read, write, admin';
COMMENT ON COLUMN project_shares.link_token_hash IS 'SHA-256 of the link token; set iff access_type = ''link''';
COMMENT ON COLUMN project_shares.link_password_hash IS 'PHC hash of an optional link password';
COMMENT ON COLUMN project_shares.expires_at IS 'NULL = no expiry';
COMMENT ON COLUMN project_shares.access_count IS 'accesses through this grant';
COMMENT ON COLUMN project_shares.last_accessed_at IS 'last access through this grant';
COMMENT ON COLUMN project_shares.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN project_shares.created_at IS 'share time';
COMMENT ON COLUMN project_shares.updated_at IS 'last modification time; maintained by trigger set_updated_at';
