-- Reverts 2025-11-11-000011_auth_user_settings: drops its tables, last created first.

DROP TABLE user_preferences;
DROP TABLE user_rules;
