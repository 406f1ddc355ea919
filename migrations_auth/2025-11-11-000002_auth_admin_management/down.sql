-- Reverts 2025-11-11-000002_auth_admin_management: drops its tables, last created first.

DROP TABLE admin_audit_logs;
DROP TABLE admin_users;
DROP TABLE admin_roles;

DROP FUNCTION forbid_append_only_mutation();
