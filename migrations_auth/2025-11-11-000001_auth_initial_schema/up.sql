-- 2025-11-11-000001_auth_initial_schema: users, refresh_tokens (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE users (
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    email              varchar(255) NOT NULL,
    username           varchar(255),
    password_hash      varchar(255) NOT NULL,
    first_name         varchar(255),
    last_name          varchar(255),
    bio                text,
    avatar_url         varchar(500),
    role               varchar(20) NOT NULL DEFAULT 'user',
    status             varchar(50) NOT NULL DEFAULT 'active',
    is_verified        boolean NOT NULL DEFAULT false,
    failed_login_count integer NOT NULL DEFAULT 0,
    locked_until       timestamptz,
    last_login_at      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email),
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT ck_users_role CHECK (role IN ('user', 'admin', 'moderator')),
    CONSTRAINT ck_users_status CHECK (status IN ('active', 'inactive', 'suspended', 'deleted')),
    CONSTRAINT ck_users_email_lowercase CHECK (email = lower(email)),
    CONSTRAINT ck_users_failed_login_count_range CHECK (failed_login_count >= 0)
);

CREATE INDEX idx_users_status ON users (status);
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_users_created_at ON users (created_at DESC);

SELECT diesel_manage_updated_at('users');

COMMENT ON TABLE users IS 'user accounts and login state.';
COMMENT ON COLUMN users.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN users.email IS 'login e-mail, stored lowercase';
COMMENT ON COLUMN users.username IS 'optional unique handle';
COMMENT ON COLUMN users.password_hash IS 'PHC-format hash (argon2id; bcrypt accepted)';
COMMENT ON COLUMN users.first_name IS 'given name';
COMMENT ON COLUMN users.last_name IS 'family name';
COMMENT ON COLUMN users.bio IS 'profile text';
COMMENT ON COLUMN users.avatar_url IS 'profile image URL';
COMMENT ON COLUMN users.role IS 'platform role; one of: user, admin, moderator';
COMMENT ON COLUMN users.status IS 'account state; only `active` may log in; one of: active, inactive, suspended, deleted';
COMMENT ON COLUMN users.is_verified IS 'e-mail address verified';
COMMENT ON COLUMN users.failed_login_count IS 'consecutive failed logins; reset on success';
COMMENT ON COLUMN users.locked_until IS 'logins refused until this time';
COMMENT ON COLUMN users.last_login_at IS 'last successful login';
COMMENT ON COLUMN users.created_at IS 'row creation time';
COMMENT ON COLUMN users.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE refresh_tokens (
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    token_hash  bytea NOT NULL,
    family_id   uuid NOT NULL,
    replaced_by uuid,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    user_agent  text,
    ip_address  inet,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash),
    CONSTRAINT ck_refresh_tokens_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT ck_refresh_tokens_replaced_by_not_self CHECK (replaced_by IS NULL OR replaced_by <> id),
    CONSTRAINT fk_refresh_tokens_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_refresh_tokens_replaced_by FOREIGN KEY (replaced_by) REFERENCES refresh_tokens (id) ON DELETE SET NULL
);

CREATE INDEX idx_refresh_tokens_user_id ON refresh_tokens (user_id);
CREATE INDEX idx_refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX idx_refresh_tokens_replaced_by ON refresh_tokens (replaced_by);
CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens (expires_at);
CREATE INDEX idx_refresh_tokens_user_id_expires_at_active ON refresh_tokens (user_id, expires_at) WHERE revoked_at IS NULL;

SELECT diesel_manage_updated_at('refresh_tokens');

COMMENT ON TABLE refresh_tokens IS 'rotating refresh tokens (hash only) with family-based reuse detection.';
COMMENT ON COLUMN refresh_tokens.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN refresh_tokens.user_id IS 'token owner';
COMMENT ON COLUMN refresh_tokens.token_hash IS 'SHA-256 of the opaque token (32 bytes)';
COMMENT ON COLUMN refresh_tokens.family_id IS 'rotation family; = id of the family''s first token';
COMMENT ON COLUMN refresh_tokens.replaced_by IS 'token issued when this one was rotated';
COMMENT ON COLUMN refresh_tokens.expires_at IS 'hard expiry';
COMMENT ON COLUMN refresh_tokens.revoked_at IS 'NULL = not revoked';
COMMENT ON COLUMN refresh_tokens.user_agent IS 'client user agent at issue';
COMMENT ON COLUMN refresh_tokens.ip_address IS 'client IP at issue';
COMMENT ON COLUMN refresh_tokens.created_at IS 'issue time';
COMMENT ON COLUMN refresh_tokens.updated_at IS 'last modification time; maintained by trigger set_updated_at';
