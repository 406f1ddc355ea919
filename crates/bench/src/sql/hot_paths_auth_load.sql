-- The hot paths' users, teams and members (auth) (sizes in braces are filled in by sql::fill).
INSERT INTO users (id, email, password_hash)
     SELECT gen_random_uuid(), 'user' || g || '@bench.example', 'not-a-real-hash' FROM generate_series(1, {users}) g;
 CREATE TEMP TABLE nu AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM users;
 INSERT INTO teams (id, name, owner_id, member_count)
     SELECT gen_random_uuid(), 'team ' || n, id, 0 FROM nu WHERE n < {teams};
 CREATE TEMP TABLE nt AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM teams;
 INSERT INTO team_members (id, team_id, user_id, role, status)
     SELECT gen_random_uuid(), nt.id, nu.id, 'developer', 'active' FROM nu JOIN nt ON nt.n = nu.n % {teams};
 UPDATE teams t SET member_count = (SELECT count(*) FROM team_members m WHERE m.team_id = t.id);
