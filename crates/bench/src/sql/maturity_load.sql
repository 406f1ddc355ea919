-- The maturity benchmark's projects and their specifications (sizes in braces are filled in by sql::fill).
-- Projects are made one after another, with UUIDv7 ids, as projects::create makes
-- them; specifications are written over the projects' lives, so a project's
-- specifications lie on different pages (the k-th of every project, then the next).
INSERT INTO projects (id, owner_id, creator_id, name, created_at)
     SELECT bench.uuid7(t), '00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-00000000000a',
            'bench ' || g, t
     FROM generate_series(1, {projects}) g, LATERAL (SELECT now() - ({projects} - g) * interval '1 second' AS t) c
     ORDER BY g;
 INSERT INTO specifications (id, project_id, category, key, value, status, confidence)
     SELECT bench.uuid7(), p.id,
            (ARRAY['goals','requirements','tech_stack','scalability','security','performance','testing',
                   'monitoring','data_retention','disaster_recovery'])[1 + abs(hashtext(p.id::text || k)) % 10],
            'k' || k, 'value',
            (ARRAY['draft','approved','implemented','deprecated'])[1 + abs(hashtext(k || p.id::text)) % 4],
            CASE WHEN k % 2 = 0 THEN 0.5 + (abs(hashtext(p.id::text)) % 50) / 100.0 END
     FROM projects p, generate_series(1, {per}) k
     ORDER BY k, p.id;
