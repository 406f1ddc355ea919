-- A Socrates2 auth database at scale, for `socrates-bench import-legacy`:
-- {users} users (1 in 100 a second account whose e-mail differs only in
-- case), two refresh tokens each, roles, grants, and audit rows. Ids are
-- md5-derived uuids, so the specs fill can name the users without reading them.
INSERT INTO users (id, email, hashed_password, name, surname, username, is_active, is_verified, role, status, created_at, updated_at)
SELECT md5('u' || i)::uuid,
       CASE WHEN i % 100 = 99 THEN 'User' || (i - 1) || '@Example.com' ELSE 'user' || i || '@example.com' END,
       '$2b$04$Pj7ZDLMhxbVtOGlMyQIIaeUd.r7dbd2D49jiHij1Jd7fKpEQP9fB2',
       'Name ' || i, 'Surname', 'user_' || i, i % 50 <> 0, i % 3 = 0,
       CASE WHEN i % 500 = 0 THEN 'admin' ELSE 'user' END, 'active',
       timestamptz '2024-01-01' + i * interval '1 minute', timestamptz '2024-01-01' + i * interval '1 minute'
FROM generate_series(0, {users} - 1) i;

INSERT INTO admin_roles (id, name, permissions, is_system_role)
VALUES (md5('role0')::uuid, 'superadmin', ARRAY['users.suspend', NULL]::varchar[], true),
       (md5('role1')::uuid, 'support', '{}', false),
       (md5('role2')::uuid, 'billing', '{}', false);

INSERT INTO admin_users (id, user_id, role_id, reason)
SELECT md5('au' || i)::uuid, md5('u' || (i * 500))::uuid, md5('role' || (i % 3))::uuid, 'grant'
FROM generate_series(0, {users} / 500 - 1) i;

INSERT INTO admin_audit_logs (id, admin_id, action, resource_type, resource_id, changes, ip_address, created_at)
SELECT md5('aal' || i)::uuid, md5('u' || ((i % ({users} / 500)) * 500))::uuid, 'user.view', 'user',
       md5('u' || (i % {users}))::uuid::text, '{"seen": true}', '10.0.' || (i % 250) || '.' || (i % 200),
       timestamptz '2024-06-01' + i * interval '1 second'
FROM generate_series(0, {audit} - 1) i;

INSERT INTO refresh_tokens (id, user_id, token, expires_at, is_revoked, created_at, updated_at)
SELECT md5('rt' || i)::uuid, md5('u' || (i % {users}))::uuid, 'tok-' || md5('raw' || i),
       timestamptz '2030-01-01', i % 4 = 0, timestamptz '2024-06-01', timestamptz '2024-06-01'
FROM generate_series(0, {tokens} - 1) i;
