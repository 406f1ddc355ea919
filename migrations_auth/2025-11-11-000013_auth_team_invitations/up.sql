-- 2025-11-11-000013_auth_team_invitations: team_invitations (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE team_invitations (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    team_id       uuid NOT NULL,
    invited_by_id uuid NOT NULL,
    invited_email varchar(255) NOT NULL,
    role          varchar(50) NOT NULL DEFAULT 'developer',
    token_hash    bytea NOT NULL,
    status        varchar(20) NOT NULL DEFAULT 'pending',
    expires_at    timestamptz NOT NULL,
    responded_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT team_invitations_pkey PRIMARY KEY (id),
    CONSTRAINT uq_team_invitations_token_hash UNIQUE (token_hash),
    CONSTRAINT ck_team_invitations_role CHECK (role IN ('lead', 'developer', 'viewer')),
    CONSTRAINT ck_team_invitations_status CHECK (status IN ('pending', 'accepted', 'declined', 'revoked', 'expired')),
    CONSTRAINT ck_team_invitations_invited_email_lowercase CHECK (invited_email = lower(invited_email)),
    CONSTRAINT ck_team_invitations_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT fk_team_invitations_team_id FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
    CONSTRAINT fk_team_invitations_invited_by_id FOREIGN KEY (invited_by_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_team_invitations_team_id ON team_invitations (team_id);
CREATE INDEX idx_team_invitations_invited_by_id ON team_invitations (invited_by_id);
CREATE INDEX idx_team_invitations_invited_email_pending ON team_invitations (invited_email) WHERE status = 'pending';
CREATE INDEX idx_team_invitations_expires_at_pending ON team_invitations (expires_at) WHERE status = 'pending';
CREATE UNIQUE INDEX uq_team_invitations_team_id_invited_email_pending ON team_invitations (team_id, invited_email) WHERE status = 'pending';

SELECT diesel_manage_updated_at('team_invitations');

COMMENT ON TABLE team_invitations IS 'e-mail invitations to join a team (token hash only).';
COMMENT ON COLUMN team_invitations.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN team_invitations.team_id IS 'inviting team';
COMMENT ON COLUMN team_invitations.invited_by_id IS 'inviting user';
COMMENT ON COLUMN team_invitations.invited_email IS 'invitee e-mail, lowercase';
COMMENT ON COLUMN team_invitations.role IS 'role granted on acceptance; one of: lead, developer, viewer';
COMMENT ON COLUMN team_invitations.token_hash IS 'SHA-256 of the invitation token';
COMMENT ON COLUMN team_invitations.status IS 'invitation state; one of: pending, accepted, declined, revoked, expired';
COMMENT ON COLUMN team_invitations.expires_at IS 'token expiry';
COMMENT ON COLUMN team_invitations.responded_at IS 'accept/decline time';
COMMENT ON COLUMN team_invitations.created_at IS 'row creation time';
COMMENT ON COLUMN team_invitations.updated_at IS 'last modification time; maintained by trigger set_updated_at';
