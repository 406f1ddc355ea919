-- Reverts 2025-11-11-000009_specs_activity_project_management: drops its tables, last created first.

DROP TABLE project_invitations;
DROP TABLE activity_logs;
