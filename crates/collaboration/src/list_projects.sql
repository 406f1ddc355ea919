-- A user's projects: owned ($1), or shared with the user or one of their teams ($2),
-- newest first, at most $3. Each branch is an index scan over narrow rows that
-- yields ids; IN removes a project reachable more than one way, and only the
-- chosen projects are read whole. (Deduplicating whole rows with UNION cost
-- twice the planning time, and PostgreSQL plans this statement afresh per call:
-- its generic plan, blind to how many teams $2 holds, is worse.)
SELECT p.* FROM projects p
WHERE p.id IN (
    (SELECT id FROM projects WHERE owner_id = $1 ORDER BY created_at DESC LIMIT $3)
    UNION ALL
    (SELECT project_id FROM project_shares
     WHERE shared_with_user_id = $1 AND (expires_at IS NULL OR expires_at > now()))
    UNION ALL
    (SELECT project_id FROM project_shares
     WHERE shared_with_team_id = ANY ($2) AND (expires_at IS NULL OR expires_at > now()))
)
ORDER BY p.created_at DESC, p.id DESC
LIMIT $3
