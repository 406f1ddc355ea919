-- UUIDv7 as the crates make them (uuid::Uuid::now_v7): 48 bits of Unix
-- milliseconds, the version, then random bits. Fixtures date their ids like
-- the rows they make, so the heap and the primary key follow time as they do
-- when the crates write; pgbench's append makes its ids with it too.
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.uuid7(at timestamptz DEFAULT clock_timestamp()) RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT (lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0')
            || '7' || substr(md5(random()::text), 1, 3)
            || substr('89ab', 1 + floor(random() * 4)::int, 1)
            || substr(md5(random()::text), 1, 15))::uuid
$$;
