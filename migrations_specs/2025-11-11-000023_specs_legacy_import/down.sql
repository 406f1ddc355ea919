-- Reverts 2025-11-11-000023_specs_legacy_import: drops its tables, last created first.

DROP TABLE legacy_import_quarantine;
DROP TABLE legacy_import_progress;
