-- 2025-11-11-000002_auth_admin_management: admin_roles, admin_users, admin_audit_logs (socrates_auth; see docs/SCHEMA.md)

-- Append-only guard (SCHEMA.md section 2.3): refuses UPDATE/DELETE, except an UPDATE
-- that only NULLs the column named by the trigger argument (ON DELETE SET NULL).
CREATE FUNCTION forbid_append_only_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_NARGS = 1
     AND to_jsonb(OLD) ->> TG_ARGV[0] IS NOT NULL AND to_jsonb(NEW) ->> TG_ARGV[0] IS NULL
     AND (to_jsonb(NEW) - TG_ARGV[0]) = (to_jsonb(OLD) - TG_ARGV[0]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;

CREATE TABLE admin_roles (
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    name           varchar(100) NOT NULL,
    description    text,
    permissions    text[] NOT NULL DEFAULT '{}'::text[],
    is_system_role boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT admin_roles_pkey PRIMARY KEY (id),
    CONSTRAINT uq_admin_roles_name UNIQUE (name)
);

SELECT diesel_manage_updated_at('admin_roles');

COMMENT ON TABLE admin_roles IS 'named admin roles with permission lists.';
COMMENT ON COLUMN admin_roles.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN admin_roles.name IS 'role name';
COMMENT ON COLUMN admin_roles.description IS 'what the role is for';
COMMENT ON COLUMN admin_roles.permissions IS 'permission strings (e.g. `users.suspend`)';
COMMENT ON COLUMN admin_roles.is_system_role IS 'built-in role; the app refuses to delete it';
COMMENT ON COLUMN admin_roles.created_at IS 'row creation time';
COMMENT ON COLUMN admin_roles.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE admin_users (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL,
    role_id       uuid NOT NULL,
    granted_by_id uuid,
    reason        text,
    revoked_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT admin_users_pkey PRIMARY KEY (id),
    CONSTRAINT uq_admin_users_user_id_role_id UNIQUE (user_id, role_id),
    CONSTRAINT fk_admin_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_admin_users_role_id FOREIGN KEY (role_id) REFERENCES admin_roles (id) ON DELETE RESTRICT,
    CONSTRAINT fk_admin_users_granted_by_id FOREIGN KEY (granted_by_id) REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX idx_admin_users_role_id ON admin_users (role_id);
CREATE INDEX idx_admin_users_granted_by_id ON admin_users (granted_by_id);

SELECT diesel_manage_updated_at('admin_users');

COMMENT ON TABLE admin_users IS 'assignment of admin roles to users.';
COMMENT ON COLUMN admin_users.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN admin_users.user_id IS 'user holding the role';
COMMENT ON COLUMN admin_users.role_id IS 'granted role';
COMMENT ON COLUMN admin_users.granted_by_id IS 'admin who granted it';
COMMENT ON COLUMN admin_users.reason IS 'justification';
COMMENT ON COLUMN admin_users.revoked_at IS 'NULL = grant active (re-grant clears it)';
COMMENT ON COLUMN admin_users.created_at IS 'grant time';
COMMENT ON COLUMN admin_users.updated_at IS 'last modification time; maintained by trigger set_updated_at';

CREATE TABLE admin_audit_logs (
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    admin_id      uuid NOT NULL,
    action        varchar(100) NOT NULL,
    resource_type varchar(100) NOT NULL,
    resource_id   varchar(100) NOT NULL,
    changes       jsonb NOT NULL DEFAULT '{}'::jsonb,
    ip_address    inet,
    user_agent    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT admin_audit_logs_pkey PRIMARY KEY (id),
    CONSTRAINT fk_admin_audit_logs_admin_id FOREIGN KEY (admin_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE INDEX idx_admin_audit_logs_admin_id_created_at ON admin_audit_logs (admin_id, created_at DESC);
CREATE INDEX idx_admin_audit_logs_action ON admin_audit_logs (action);
CREATE INDEX idx_admin_audit_logs_created_at ON admin_audit_logs (created_at DESC);
CREATE INDEX idx_admin_audit_logs_resource_type_resource_id ON admin_audit_logs (resource_type, resource_id);

CREATE TRIGGER trg_admin_audit_logs_append_only
    BEFORE UPDATE OR DELETE ON admin_audit_logs
    FOR EACH ROW EXECUTE FUNCTION forbid_append_only_mutation();

COMMENT ON TABLE admin_audit_logs IS 'append-only trail of admin actions.';
COMMENT ON COLUMN admin_audit_logs.id IS 'primary key; UUIDv7 inserted by the application (gen_random_uuid() is the fallback for raw SQL)';
COMMENT ON COLUMN admin_audit_logs.admin_id IS 'acting admin';
COMMENT ON COLUMN admin_audit_logs.action IS 'action name, free text (e.g. `user.suspend`)';
COMMENT ON COLUMN admin_audit_logs.resource_type IS 'kind of object acted on (free text)';
COMMENT ON COLUMN admin_audit_logs.resource_id IS 'id of that object, as text';
COMMENT ON COLUMN admin_audit_logs.changes IS 'before/after values';
COMMENT ON COLUMN admin_audit_logs.ip_address IS 'admin''s IP';
COMMENT ON COLUMN admin_audit_logs.user_agent IS 'admin''s user agent';
COMMENT ON COLUMN admin_audit_logs.created_at IS 'action time';
