-- Reverts 2025-11-11-000005_specs_tracking_analytics: drops its tables, last created first.

DROP TABLE knowledge_base_documents;
DROP TABLE question_effectiveness;
DROP TABLE user_behavior_patterns;
DROP TABLE quality_metrics;
