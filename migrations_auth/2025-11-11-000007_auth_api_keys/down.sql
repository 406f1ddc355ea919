-- Reverts 2025-11-11-000007_auth_api_keys: drops its tables, last created first.

DROP TABLE api_keys;
