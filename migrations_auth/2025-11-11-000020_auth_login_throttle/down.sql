-- Reverts 2025-11-11-000020_auth_login_throttle.

DROP INDEX idx_audit_logs_ip_address_created_at_login_failed;
