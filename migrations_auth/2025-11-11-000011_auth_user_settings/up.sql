-- 2025-11-11-000011_auth_user_settings: user_rules, user_preferences (socrates_auth; see docs/SCHEMA.md)

CREATE TABLE user_rules (
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL,
    rules      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_rules_pkey PRIMARY KEY (id),
    CONSTRAINT uq_user_rules_user_id UNIQUE (user_id),
    CONSTRAINT fk_user_rules_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

SELECT diesel_manage_updated_at('user_rules');

COMMENT ON TABLE user_rules IS 'per-user Quality-Control rules (seed 003).';
COMMENT ON COLUMN user_rules.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN user_rules.user_id IS 'rule owner (one row per user)';
COMMENT ON COLUMN user_rules.rules IS 'rule map, e.g. `{"prefer_postgres": true}`';
COMMENT ON COLUMN user_rules.created_at IS 'row creation time';
COMMENT ON COLUMN user_rules.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE user_preferences (
    id                    uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id               uuid NOT NULL,
    theme                 varchar(50) NOT NULL DEFAULT 'dark',
    llm_model             varchar(255),
    llm_temperature       float8 NOT NULL DEFAULT 0.7,
    llm_max_tokens        integer NOT NULL DEFAULT 2000,
    ide_type              varchar(50),
    auto_sync             boolean NOT NULL DEFAULT false,
    notifications_enabled boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_preferences_pkey PRIMARY KEY (id),
    CONSTRAINT uq_user_preferences_user_id UNIQUE (user_id),
    CONSTRAINT ck_user_preferences_theme CHECK (theme IN ('dark', 'light', 'system')),
    CONSTRAINT ck_user_preferences_ide_type CHECK (ide_type IN ('vscode', 'jetbrains', 'vim', 'emacs', 'cursor', 'other')),
    CONSTRAINT ck_user_preferences_llm_temperature_range CHECK (llm_temperature >= 0 AND llm_temperature <= 2),
    CONSTRAINT ck_user_preferences_llm_max_tokens_range CHECK (llm_max_tokens > 0),
    CONSTRAINT fk_user_preferences_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

SELECT diesel_manage_updated_at('user_preferences');

COMMENT ON TABLE user_preferences IS 'per-user UI and LLM preferences (seed 004).';
COMMENT ON COLUMN user_preferences.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN user_preferences.user_id IS 'one row per user';
COMMENT ON COLUMN user_preferences.theme IS 'UI theme; one of: dark, light, system';
COMMENT ON COLUMN user_preferences.llm_model IS 'preferred model id (free text); NULL = platform default';
COMMENT ON COLUMN user_preferences.llm_temperature IS 'sampling temperature';
COMMENT ON COLUMN user_preferences.llm_max_tokens IS 'max output tokens';
COMMENT ON COLUMN user_preferences.ide_type IS 'IDE integration; one of: vscode, jetbrains, vim, emacs, cursor, other';
COMMENT ON COLUMN user_preferences.auto_sync IS 'sync generated files to the IDE automatically';
COMMENT ON COLUMN user_preferences.notifications_enabled IS 'master switch for notifications';
COMMENT ON COLUMN user_preferences.created_at IS 'row creation time';
COMMENT ON COLUMN user_preferences.updated_at IS 'last modification time; maintained by trigger set_updated_at';
