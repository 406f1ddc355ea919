-- A user's projects: owned ($1), or shared with the user or one of their teams ($2),
-- newest first, at most $3. Each branch is an index scan; UNION removes a project
-- reachable more than one way.
SELECT * FROM (
    (SELECT p.* FROM projects p WHERE p.owner_id = $1 ORDER BY p.created_at DESC LIMIT $3)
    UNION
    (SELECT p.* FROM project_shares s JOIN projects p ON p.id = s.project_id
     WHERE s.shared_with_user_id = $1 AND (s.expires_at IS NULL OR s.expires_at > now()))
    UNION
    (SELECT p.* FROM project_shares s JOIN projects p ON p.id = s.project_id
     WHERE s.shared_with_team_id = ANY ($2) AND (s.expires_at IS NULL OR s.expires_at > now()))
) mine
ORDER BY created_at DESC, id DESC
LIMIT $3
