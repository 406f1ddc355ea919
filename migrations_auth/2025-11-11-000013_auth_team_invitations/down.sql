-- Reverts 2025-11-11-000013_auth_team_invitations: drops its tables, last created first.

DROP TABLE team_invitations;
