-- The maturity benchmark's projects and their specifications (sizes in braces are filled in by sql::fill).
INSERT INTO projects (id, owner_id, creator_id, name, created_at)
     SELECT gen_random_uuid(), '00000000-0000-7000-8000-00000000000a', '00000000-0000-7000-8000-00000000000a',
            'bench ' || g, now() - g * interval '1 second' FROM generate_series(1, {projects}) g;
 INSERT INTO specifications (id, project_id, category, key, value, status, confidence)
     SELECT gen_random_uuid(), p.id,
            (ARRAY['goals','requirements','tech_stack','scalability','security','performance','testing',
                   'monitoring','data_retention','disaster_recovery'])[1 + abs(hashtext(p.id::text || k)) % 10],
            'k' || k, 'value',
            (ARRAY['draft','approved','implemented','deprecated'])[1 + abs(hashtext(k || p.id::text)) % 4],
            CASE WHEN k % 2 = 0 THEN 0.5 + (abs(hashtext(p.id::text)) % 50) / 100.0 END
     FROM projects p, generate_series(1, {per}) k;
