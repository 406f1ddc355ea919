-- Reverts 2025-11-11-000006_auth_teams: drops its tables, last created first.

DROP TABLE team_members;
DROP TABLE teams;
