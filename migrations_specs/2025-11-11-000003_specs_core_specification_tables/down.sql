-- Reverts 2025-11-11-000003_specs_core_specification_tables: drops its tables, last created first.

DROP TABLE conflicts;
DROP TABLE conversation_history;
DROP TABLE specifications;
DROP TABLE questions;
DROP TABLE sessions;
DROP TABLE projects;
