-- 2025-11-11-000012_auth_llm_provider_keys: llm_provider_keys (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE llm_provider_keys (
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL,
    provider     varchar(50) NOT NULL,
    ciphertext   bytea NOT NULL,
    nonce        bytea NOT NULL,
    key_version  integer NOT NULL DEFAULT 1,
    is_active    boolean NOT NULL DEFAULT true,
    last_used_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT llm_provider_keys_pkey PRIMARY KEY (id),
    CONSTRAINT uq_llm_provider_keys_user_id_provider UNIQUE (user_id, provider),
    CONSTRAINT ck_llm_provider_keys_provider CHECK (provider IN ('claude', 'openai', 'gemini', 'ollama', 'other')),
    CONSTRAINT ck_llm_provider_keys_nonce_length CHECK (octet_length(nonce) = 12),
    CONSTRAINT ck_llm_provider_keys_ciphertext_length CHECK (octet_length(ciphertext) > 16),
    CONSTRAINT ck_llm_provider_keys_key_version_range CHECK (key_version >= 1),
    CONSTRAINT fk_llm_provider_keys_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_llm_provider_keys_provider ON llm_provider_keys (provider);
CREATE INDEX idx_llm_provider_keys_key_version ON llm_provider_keys (key_version);

SELECT diesel_manage_updated_at('llm_provider_keys');

COMMENT ON TABLE llm_provider_keys IS 'each user''s own LLM-provider API keys, encrypted (AES-256-GCM), one per provider.';
COMMENT ON COLUMN llm_provider_keys.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN llm_provider_keys.user_id IS 'key owner';
COMMENT ON COLUMN llm_provider_keys.provider IS 'LLM provider; one of: claude, openai, gemini, ollama, other';
COMMENT ON COLUMN llm_provider_keys.ciphertext IS 'AES-256-GCM ciphertext incl. 16-byte tag';
COMMENT ON COLUMN llm_provider_keys.nonce IS '96-bit GCM nonce, fresh per encryption';
COMMENT ON COLUMN llm_provider_keys.key_version IS 'version of the server master key used';
COMMENT ON COLUMN llm_provider_keys.is_active IS 'user may disable without deleting';
COMMENT ON COLUMN llm_provider_keys.last_used_at IS 'last successful use';
COMMENT ON COLUMN llm_provider_keys.created_at IS 'row creation time';
COMMENT ON COLUMN llm_provider_keys.updated_at IS 'last modification time; maintained by trigger set_updated_at';
