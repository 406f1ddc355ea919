-- Reverts 2025-11-11-000010_auth_security_events: drops its tables, last created first.

DROP TABLE audit_logs;
DROP TABLE password_reset_requests;
