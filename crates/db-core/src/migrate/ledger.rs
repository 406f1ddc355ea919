//! The runner's bookkeeping, beside Diesel's `__diesel_schema_migrations`:
//!
//! - `__socrates_migrations`: one row per applied migration with the SHA-256 of
//!   the SQL that was applied, so an edit after the fact is detected;
//! - `__socrates_database`: one row naming the migration set the database holds
//!   (`auth` or `specs`), so a set is never applied to the other's database.
//!
//! Both are created on the first run that writes (never by a read such as
//! `status` or `--dry-run`), and every read tolerates their absence.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bytea, Nullable, Text, Timestamp};

use super::SqlMigration;

const CREATE_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS __socrates_database (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    migration_set varchar(50) NOT NULL,
    marked_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE __socrates_database IS 'socrates-db runner: which migration set this database holds';
CREATE TABLE IF NOT EXISTS __socrates_migrations (
    version           varchar(50) PRIMARY KEY,
    name              text NOT NULL,
    migration_set     varchar(50) NOT NULL,
    checksum          bytea NOT NULL,
    diesel_run_on     timestamp,
    recorded_by       varchar(20) NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    previous_checksum bytea
);
COMMENT ON TABLE __socrates_migrations IS 'socrates-db runner: SHA-256 of every applied migration';
"#;

/// How a ledger row came to be.
pub(crate) const BY_RUNNER: &str = "runner";
/// Recorded after the fact for a migration the diesel CLI applied.
pub(crate) const BY_ADOPTION: &str = "adopted";
/// Re-recorded by an operator who acknowledged an edited migration.
pub(crate) const BY_ACKNOWLEDGEMENT: &str = "acknowledged";

/// One `__socrates_migrations` row.
#[derive(Debug, Clone, QueryableByName)]
pub(crate) struct LedgerRow {
    #[diesel(sql_type = Text)]
    pub version: String,
    #[diesel(sql_type = Bytea)]
    pub checksum: Vec<u8>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub diesel_run_on: Option<NaiveDateTime>,
    #[diesel(sql_type = Text)]
    pub recorded_by: String,
}

#[derive(QueryableByName)]
struct AppliedRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Timestamp)]
    run_on: NaiveDateTime,
}

#[derive(QueryableByName)]
struct MarkerRow {
    #[diesel(sql_type = Text)]
    migration_set: String,
}

#[derive(QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Regclass {
    #[diesel(sql_type = Nullable<Text>)]
    oid: Option<String>,
}

/// What a database holds, read without writing anything.
#[derive(Debug, Clone)]
pub(crate) struct DbState {
    pub database: String,
    pub marker: Option<String>,
    /// Applied versions (Diesel's table) with their `run_on`.
    pub applied: BTreeMap<String, NaiveDateTime>,
    pub ledger: BTreeMap<String, LedgerRow>,
    /// Ordinary tables outside the system schemas, `__`-prefixed ones excluded.
    pub tables: Vec<String>,
    /// Every other object a migration set could have created, outside the
    /// system schemas and not owned by an extension: functions, types, views,
    /// sequences not owned by a column, and schemas other than `public`, as
    /// `kind name` (e.g. `function diesel_set_updated_at`).
    pub objects: Vec<String>,
}

/// Functions, types, views, free sequences and schemas; see [`DbState::objects`].
const OBJECTS: &str = r#"
WITH user_ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'
),
from_extension AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
)
SELECT name FROM (
    SELECT 'function ' || p.proname AS name FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM from_extension e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
    UNION ALL
    SELECT 'type ' || t.typname FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r', 'm', 'b', 'p')
      AND t.typelem = 0
      AND NOT EXISTS (SELECT 1 FROM from_extension e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
    UNION ALL
    SELECT 'type ' || t.typname FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
    JOIN pg_class c ON c.oid = t.typrelid
    WHERE t.typtype = 'c' AND c.relkind = 'c'
    UNION ALL
    SELECT CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view '
                          WHEN 'f' THEN 'foreign table ' ELSE 'sequence ' END || c.relname
    FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm', 'f', 'S')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
    UNION ALL
    SELECT 'schema ' || nspname FROM user_ns WHERE nspname <> 'public'
) objects
ORDER BY 1
"#;

fn table_exists(conn: &mut PgConnection, name: &str) -> QueryResult<bool> {
    let row: Regclass = diesel::sql_query("SELECT to_regclass($1)::text AS oid")
        .bind::<Text, _>(name)
        .get_result(conn)?;
    Ok(row.oid.is_some())
}

/// The name of the connected database.
pub(crate) fn current_database(conn: &mut PgConnection) -> QueryResult<String> {
    diesel::sql_query("SELECT current_database()::text AS name")
        .get_result::<NameRow>(conn)
        .map(|row| row.name)
}

/// Reads the state of the connected database.
pub(crate) fn read_state(conn: &mut PgConnection) -> QueryResult<DbState> {
    let database = current_database(conn)?;
    let marker = if table_exists(conn, "__socrates_database")? {
        diesel::sql_query("SELECT migration_set::text FROM __socrates_database")
            .get_result::<MarkerRow>(conn)
            .optional()?
            .map(|m| m.migration_set)
    } else {
        None
    };
    let applied = if table_exists(conn, "__diesel_schema_migrations")? {
        diesel::sql_query("SELECT version::text, run_on FROM __diesel_schema_migrations")
            .load::<AppliedRow>(conn)?
            .into_iter()
            .map(|r| (r.version, r.run_on))
            .collect()
    } else {
        BTreeMap::new()
    };
    let ledger = if table_exists(conn, "__socrates_migrations")? {
        diesel::sql_query(
            "SELECT version::text, checksum, diesel_run_on, recorded_by::text FROM __socrates_migrations",
        )
        .load::<LedgerRow>(conn)?
        .into_iter()
        .map(|r| (r.version.clone(), r))
        .collect()
    } else {
        BTreeMap::new()
    };
    let tables = diesel::sql_query(
        "SELECT CASE WHEN n.nspname = 'public' THEN c.relname::text \
                ELSE n.nspname || '.' || c.relname END AS name \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND c.relname NOT LIKE '\\_\\_%' \
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
           AND n.nspname NOT LIKE 'pg\\_%' \
         ORDER BY 1",
    )
    .load::<TableRow>(conn)?
    .into_iter()
    .map(|t| t.name)
    .collect();
    let objects = diesel::sql_query(OBJECTS)
        .load::<NameRow>(conn)?
        .into_iter()
        .map(|o| o.name)
        .collect();
    Ok(DbState {
        database,
        marker,
        applied,
        ledger,
        tables,
        objects,
    })
}

/// Creates the ledger tables and Diesel's own table if they are missing.
pub(crate) fn ensure_tables(conn: &mut PgConnection) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    use diesel::migration::MigrationConnection;
    conn.setup()?;
    conn.batch_execute(CREATE_TABLES)
}

/// Marks the database as holding `set`, unless it is marked already.
pub(crate) fn mark(conn: &mut PgConnection, set: &str) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO __socrates_database (migration_set) VALUES ($1) ON CONFLICT (singleton) DO NOTHING",
    )
    .bind::<Text, _>(set)
    .execute(conn)
    .map(drop)
}

/// Records (or re-records) the checksum of an applied migration.
pub(crate) fn record(
    conn: &mut PgConnection,
    set: &str,
    m: &SqlMigration,
    recorded_by: &str,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO __socrates_migrations \
             (version, name, migration_set, checksum, diesel_run_on, recorded_by) \
         SELECT $1, $2, $3, $4, d.run_on, $5 \
         FROM __diesel_schema_migrations d WHERE d.version = $1 \
         ON CONFLICT (version) DO UPDATE SET \
             name = EXCLUDED.name, migration_set = EXCLUDED.migration_set, \
             previous_checksum = CASE WHEN __socrates_migrations.checksum <> EXCLUDED.checksum \
                                      THEN __socrates_migrations.checksum \
                                      ELSE __socrates_migrations.previous_checksum END, \
             checksum = EXCLUDED.checksum, diesel_run_on = EXCLUDED.diesel_run_on, \
             recorded_by = EXCLUDED.recorded_by, recorded_at = now()",
    )
    .bind::<Text, _>(m.version)
    .bind::<Text, _>(m.name)
    .bind::<Text, _>(set)
    .bind::<Bytea, _>(m.checksum().as_slice())
    .bind::<Text, _>(recorded_by)
    .execute(conn)
    .map(drop)
}

/// Forgets a migration that was reverted.
pub(crate) fn forget(conn: &mut PgConnection, version: &str) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM __socrates_migrations WHERE version = $1")
        .bind::<Text, _>(version)
        .execute(conn)
        .map(drop)
}

/// Drops ledger rows of migrations that are no longer applied (reverted by
/// another tool, such as `diesel migration revert`).
pub(crate) fn forget_unapplied(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM __socrates_migrations l WHERE NOT EXISTS \
         (SELECT 1 FROM __diesel_schema_migrations d WHERE d.version = l.version)",
    )
    .execute(conn)
}
