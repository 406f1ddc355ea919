-- Reverts 2025-11-11-000017_specs_job_checkpoints: drops its tables, last created first.

DROP TABLE job_checkpoints;
