-- Reverts 2025-11-11-000006_specs_collaboration_sharing: drops its tables, last created first.

DROP TABLE project_shares;
