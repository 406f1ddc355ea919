-- Reverts 2025-11-11-000012_auth_llm_provider_keys: drops its tables, last created first.

DROP TABLE llm_provider_keys;
