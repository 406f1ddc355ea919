-- Per template named in $1 (a text[]): its questions aggregated overall
-- (user_id NULL) and per user of the question's session.
SELECT q.metadata->>'template_id' AS template, s.user_id, count(*) AS asked,
       count(*) FILTER (WHERE q.status = 'answered' AND q.quality_score >= 0.5) AS well,
       count(*) FILTER (WHERE q.status = 'skipped') AS skipped,
       avg(length(q.answer)) FILTER (WHERE q.answer IS NOT NULL)::float8 AS avg_len,
       max(q.created_at) AS last_asked, min(q.text) AS sample_text
FROM questions q LEFT JOIN sessions s ON s.id = q.session_id
WHERE q.metadata->>'template_id' = ANY($1)
GROUP BY GROUPING SETS ((q.metadata->>'template_id', s.user_id), (q.metadata->>'template_id'))
HAVING GROUPING(s.user_id) = 1 OR s.user_id IS NOT NULL
