-- 2025-11-11-000006_auth_teams: teams, team_members (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE teams (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    name          varchar(255) NOT NULL,
    description   text,
    owner_id      uuid NOT NULL,
    status        varchar(20) NOT NULL DEFAULT 'active',
    member_count  integer NOT NULL DEFAULT 1,
    project_count integer NOT NULL DEFAULT 0,
    settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT teams_pkey PRIMARY KEY (id),
    CONSTRAINT uq_teams_owner_id_name UNIQUE (owner_id, name),
    CONSTRAINT ck_teams_status CHECK (status IN ('active', 'archived', 'suspended')),
    CONSTRAINT ck_teams_member_count_range CHECK (member_count >= 0),
    CONSTRAINT ck_teams_project_count_range CHECK (project_count >= 0),
    CONSTRAINT fk_teams_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX idx_teams_status ON teams (status);
CREATE INDEX idx_teams_created_at ON teams (created_at DESC);

SELECT diesel_manage_updated_at('teams');

COMMENT ON TABLE teams IS 'teams of users; lives in AUTH, so specs refers to it across databases.';
COMMENT ON COLUMN teams.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN teams.name IS 'display name, unique per owner';
COMMENT ON COLUMN teams.description IS 'team description';
COMMENT ON COLUMN teams.owner_id IS 'current owner (transferable)';
COMMENT ON COLUMN teams.status IS 'team state; one of: active, archived, suspended';
COMMENT ON COLUMN teams.member_count IS 'cached count of active members';
COMMENT ON COLUMN teams.project_count IS 'cached count of projects shared with the team (specs)';
COMMENT ON COLUMN teams.settings IS 'team settings';
COMMENT ON COLUMN teams.metadata IS 'free metadata';
COMMENT ON COLUMN teams.created_at IS 'row creation time';
COMMENT ON COLUMN teams.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE team_members (
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    team_id            uuid NOT NULL,
    user_id            uuid NOT NULL,
    role               varchar(50) NOT NULL DEFAULT 'developer',
    permission_level   varchar(50),
    status             varchar(20) NOT NULL DEFAULT 'active',
    invited_by_id      uuid,
    joined_at          timestamptz NOT NULL DEFAULT now(),
    contribution_score float8,
    metadata           jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT team_members_pkey PRIMARY KEY (id),
    CONSTRAINT uq_team_members_team_id_user_id UNIQUE (team_id, user_id),
    CONSTRAINT ck_team_members_role CHECK (role IN ('owner', 'lead', 'developer', 'viewer')),
    CONSTRAINT ck_team_members_permission_level CHECK (permission_level IN ('read', 'write', 'admin')),
    CONSTRAINT ck_team_members_status CHECK (status IN ('active', 'invited', 'inactive', 'suspended')),
    CONSTRAINT ck_team_members_contribution_score_range CHECK (contribution_score >= 0 AND contribution_score <= 100),
    CONSTRAINT fk_team_members_team_id FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
    CONSTRAINT fk_team_members_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_team_members_invited_by_id FOREIGN KEY (invited_by_id) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX idx_team_members_user_id ON team_members (user_id);
CREATE INDEX idx_team_members_invited_by_id ON team_members (invited_by_id);
CREATE INDEX idx_team_members_role ON team_members (role);
CREATE INDEX idx_team_members_status ON team_members (status);

SELECT diesel_manage_updated_at('team_members');

COMMENT ON TABLE team_members IS 'team membership with roles.';
COMMENT ON COLUMN team_members.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN team_members.team_id IS 'team';
COMMENT ON COLUMN team_members.user_id IS 'member';
COMMENT ON COLUMN team_members.role IS 'member role; one of: owner, lead, developer, viewer';
COMMENT ON COLUMN team_members.permission_level IS 'override; NULL = derived from role; one of: read, write, admin';
COMMENT ON COLUMN team_members.status IS 'membership state; one of: active, invited, inactive, suspended';
COMMENT ON COLUMN team_members.invited_by_id IS 'who added the member';
COMMENT ON COLUMN team_members.joined_at IS 'membership start';
COMMENT ON COLUMN team_members.contribution_score IS '0–100 activity score';
COMMENT ON COLUMN team_members.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN team_members.created_at IS 'row creation time';
COMMENT ON COLUMN team_members.updated_at IS 'last modification time; maintained by trigger set_updated_at';
