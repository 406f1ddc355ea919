-- 2025-11-11-000007_auth_api_keys: api_keys (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE api_keys (
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL,
    name         varchar(255) NOT NULL,
    key_hash     bytea NOT NULL,
    key_prefix   varchar(20) NOT NULL,
    status       varchar(20) NOT NULL DEFAULT 'active',
    scopes       text[] NOT NULL DEFAULT '{}'::text[],
    rate_limit   integer,
    usage_count  bigint NOT NULL DEFAULT 0,
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash),
    CONSTRAINT ck_api_keys_status CHECK (status IN ('active', 'revoked', 'expired')),
    CONSTRAINT ck_api_keys_key_hash_length CHECK (octet_length(key_hash) = 32),
    CONSTRAINT ck_api_keys_rate_limit_range CHECK (rate_limit > 0),
    CONSTRAINT ck_api_keys_usage_count_range CHECK (usage_count >= 0),
    CONSTRAINT fk_api_keys_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_api_keys_user_id_created_at ON api_keys (user_id, created_at DESC);
CREATE INDEX idx_api_keys_status ON api_keys (status);

SELECT diesel_manage_updated_at('api_keys');

COMMENT ON TABLE api_keys IS 'platform access keys for the Socrates API (hash + display prefix only).';
COMMENT ON COLUMN api_keys.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN api_keys.user_id IS 'key owner';
COMMENT ON COLUMN api_keys.name IS 'user-given label';
COMMENT ON COLUMN api_keys.key_hash IS 'SHA-256 of the full key';
COMMENT ON COLUMN api_keys.key_prefix IS 'first characters, for display/identification';
COMMENT ON COLUMN api_keys.status IS 'key state; one of: active, revoked, expired';
COMMENT ON COLUMN api_keys.scopes IS 'granted scopes';
COMMENT ON COLUMN api_keys.rate_limit IS 'requests per minute; NULL = plan default';
COMMENT ON COLUMN api_keys.usage_count IS 'successful authentications';
COMMENT ON COLUMN api_keys.last_used_at IS 'last successful use';
COMMENT ON COLUMN api_keys.expires_at IS 'NULL = no expiry';
COMMENT ON COLUMN api_keys.revoked_at IS 'set with status ''revoked''';
COMMENT ON COLUMN api_keys.metadata IS 'free-form metadata (JSON object)';
COMMENT ON COLUMN api_keys.created_at IS 'row creation time';
COMMENT ON COLUMN api_keys.updated_at IS 'last modification time; maintained by trigger set_updated_at';
