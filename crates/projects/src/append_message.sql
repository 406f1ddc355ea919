-- Appends a message to an active session in one statement: bump the
-- session's count (its row lock orders concurrent appends), then insert the
-- message, timed by the server's clock after the lock.
WITH bumped AS (
    UPDATE sessions SET message_count = message_count + 1
    WHERE id = $2 AND status = 'active' RETURNING id)
INSERT INTO conversation_history
    (id, session_id, user_id, role, content, message_type, tokens_used, metadata, created_at)
SELECT $1, bumped.id, $3, $4, $5, $6, $7, coalesce($8, '{}'::jsonb), clock_timestamp() FROM bumped
RETURNING id, session_id, user_id, role, content, message_type, tokens_used, metadata, created_at
