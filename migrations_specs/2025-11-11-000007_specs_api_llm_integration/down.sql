-- Reverts 2025-11-11-000007_specs_api_llm_integration: drops its tables, last created first.

DROP TABLE invoices;
DROP TABLE subscriptions;
DROP TABLE llm_usage_tracking;
