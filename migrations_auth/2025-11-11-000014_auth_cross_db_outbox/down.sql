-- Reverts 2025-11-11-000014_auth_cross_db_outbox: drops its tables, last created first.

DROP TABLE cross_db_outbox;
