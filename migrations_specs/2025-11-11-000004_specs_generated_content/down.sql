-- Reverts 2025-11-11-000004_specs_generated_content: drops its tables, last created first.

DROP TABLE generated_files;
DROP TABLE generated_projects;
