-- Reverts 2025-11-11-000001_auth_initial_schema: drops its tables, last created first.

DROP TABLE refresh_tokens;
DROP TABLE users;
