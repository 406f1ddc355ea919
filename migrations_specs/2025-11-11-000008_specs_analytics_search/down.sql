-- Reverts 2025-11-11-000008_specs_analytics_search: drops its tables, last created first.

DROP TABLE notification_preferences;
DROP TABLE document_chunks;
DROP TABLE analytics_metrics;
