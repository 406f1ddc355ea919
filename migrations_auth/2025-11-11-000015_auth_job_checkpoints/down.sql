-- Reverts 2025-11-11-000015_auth_job_checkpoints: drops its tables, last created first.

DROP TABLE job_checkpoints;
