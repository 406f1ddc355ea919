-- The hot paths' projects, shares, sessions and messages (specs) (sizes in braces are filled in by sql::fill).
-- Projects, sessions and messages have UUIDv7 ids of their creation times, as the crates make them.
INSERT INTO projects (id, owner_id, creator_id, name, created_at)
     SELECT bench.uuid7(t), u.id, u.id, 'project ' || g, t
     FROM generate_series(0, {projects} - 1) g JOIN bench_auth.bench_users u ON u.n = 1 + g % {users},
          LATERAL (SELECT now() - g * interval '1 minute' AS t) c
     ORDER BY g DESC;
 CREATE TEMP TABLE np AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, owner_id FROM projects;
 INSERT INTO project_shares (id, project_id, access_type, shared_with_user_id, shared_by_id)
     SELECT gen_random_uuid(), np.id, 'user', u.id, np.owner_id
     FROM np JOIN bench_auth.bench_users u ON u.n = 1 + (np.n * 7 + 3) % {users} WHERE u.id <> np.owner_id;
 INSERT INTO project_shares (id, project_id, access_type, shared_with_team_id, shared_by_id)
     SELECT gen_random_uuid(), np.id, 'team', t.id, np.owner_id
     FROM np JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM bench_auth.teams) t ON t.n = (np.n / 10) % {teams}
     WHERE np.n % 10 = 0;
 INSERT INTO sessions (id, project_id, user_id, message_count, started_at)
     SELECT bench.uuid7(t), np.id, np.owner_id, {per}, t
     FROM generate_series(0, {sessions} - 1) g JOIN np ON np.n = g % {projects},
          LATERAL (SELECT now() - interval '30 days' + g * interval '1 second' AS t) c
     ORDER BY g;
 INSERT INTO bench_auth.bench_sessions SELECT row_number() OVER (ORDER BY id), id FROM sessions;
 INSERT INTO conversation_history (id, session_id, user_id, role, content, created_at)
     SELECT bench.uuid7(s.started_at + k * interval '1 second'), s.id, CASE WHEN k % 2 = 1 THEN s.user_id END,
            CASE WHEN k % 2 = 1 THEN 'user' ELSE 'assistant' END,
            'message ' || k || ': ' || repeat(md5(s.id::text || k), 4),
            s.started_at + k * interval '1 second'
     FROM sessions s, generate_series(1, {per}) k;
