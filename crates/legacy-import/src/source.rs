//! The legacy side: which databases are accepted, and the reads (one
//! read-only snapshot per database for the whole run).

use std::collections::HashMap;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use uuid::Uuid;

use crate::ImportError;
use crate::plan::{Db, Spec};

/// The Alembic head the import reads, per legacy database.
fn head(db: Db) -> &'static str {
    match db {
        Db::Auth => "010",
        Db::Specs => "017",
    }
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version_num: String,
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    present: bool,
}

/// Refuses a legacy database that is not at its Alembic head, saying what it found.
pub(crate) fn check(conn: &mut PgConnection, db: Db) -> Result<(), ImportError> {
    let expected = head(db);
    let has_table =
        diesel::sql_query("SELECT to_regclass('public.alembic_version') IS NOT NULL AS present")
            .get_result::<Exists>(conn)?
            .present;
    if !has_table {
        return Err(ImportError::Source(format!(
            "legacy {} database: no alembic_version table, so not a Socrates2 database \
             (import-legacy reads Alembic heads auth 010 and specs 017)",
            db.as_str()
        )));
    }
    let found: Vec<String> = diesel::sql_query(
        "SELECT version_num::text AS version_num FROM alembic_version ORDER BY 1",
    )
    .load::<Version>(conn)?
    .into_iter()
    .map(|v| v.version_num)
    .collect();
    if found != [expected] {
        let found = if found.is_empty() {
            "no revision".to_owned()
        } else {
            format!("revision {}", found.join(", "))
        };
        return Err(ImportError::Source(format!(
            "legacy {} database is at Alembic {found}; import-legacy reads {} at {expected} \
             (upgrade Socrates2 to its heads first: auth 010, specs 017)",
            db.as_str(),
            db.as_str()
        )));
    }
    Ok(())
}

/// One batch: rows (id, record text) in batch-key order, and the batch key of the
/// last (`None`: nothing left).
pub(crate) struct Batch {
    pub(crate) rows: Vec<(Uuid, String)>,
    pub(crate) last: Option<Uuid>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    key: Uuid,
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    doc: String,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql_type: String,
}

/// Both legacy connections, inside their read-only snapshots.
pub(crate) struct Legacy<'c> {
    auth: &'c mut PgConnection,
    specs: &'c mut PgConnection,
    types: HashMap<String, String>,
    /// Rows per group in the last grouped batch.
    rows_per_group: i64,
}

impl Legacy<'_> {
    /// Runs `body` with both legacy databases in `REPEATABLE READ READ ONLY`
    /// transactions: one snapshot each for the whole run, and no write can
    /// reach them.
    pub(crate) fn read<T>(
        auth: &mut PgConnection,
        specs: &mut PgConnection,
        body: impl FnOnce(&mut Legacy<'_>) -> Result<T, ImportError>,
    ) -> Result<T, ImportError> {
        // The reads run once per batch: compiling them costs more than it saves.
        auth.batch_execute("SET jit = off")?;
        specs.batch_execute("SET jit = off")?;
        auth.build_transaction()
            .repeatable_read()
            .read_only()
            .run(|auth| {
                specs
                    .build_transaction()
                    .repeatable_read()
                    .read_only()
                    .run(|specs| {
                        body(&mut Legacy {
                            auth,
                            specs,
                            types: HashMap::new(),
                            rows_per_group: 20,
                        })
                    })
            })
    }

    fn conn(&mut self, db: Db) -> &mut PgConnection {
        match db {
            Db::Auth => self.auth,
            Db::Specs => self.specs,
        }
    }

    /// The column definition list of the legacy table (as its catalog types
    /// it, without length limits), plus the read's computed values.
    pub(crate) fn record_type(&mut self, spec: &Spec) -> Result<String, ImportError> {
        let key = spec.source_table();
        if let Some(found) = self.types.get(&key) {
            return Ok(found.clone());
        }
        let columns: Vec<Column> = diesel::sql_query(
            "SELECT a.attname::text AS name, format_type(a.atttypid, NULL) AS sql_type \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relname = $1 AND c.relkind = 'r' \
               AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        )
        .bind::<Text, _>(spec.table)
        .load(self.conn(spec.source))?;
        if columns.is_empty() {
            return Err(ImportError::Source(format!(
                "legacy {} database has no table {}: not the schema of Socrates2 at its head",
                spec.source.as_str(),
                spec.table
            )));
        }
        let mut parts: Vec<String> = columns
            .iter()
            .map(|c| format!("\"{}\" {}", c.name, c.sql_type))
            .collect();
        parts.extend(
            spec.from_columns
                .iter()
                .map(|(name, ty)| format!("\"{name}\" {ty}")),
        );
        parts.extend(
            spec.extras
                .iter()
                .map(|(name, ty, _)| format!("\"{name}\" {ty}")),
        );
        let record = parts.join(", ");
        self.types.insert(key, record.clone());
        Ok(record)
    }

    /// The next batch after `cursor` (a batch key), at most `size` rows (or
    /// whole groups, for a grouped table).
    pub(crate) fn batch(
        &mut self,
        spec: &Spec,
        cursor: Option<Uuid>,
        size: i64,
    ) -> Result<Batch, ImportError> {
        if cursor.is_none() {
            self.rows_per_group = 20;
        }
        let sql = read_sql(spec, cursor.is_some());
        // A grouped read asks for as many groups as should make `size` rows,
        // by the rows per group of the batch before (20 to begin with).
        let limit = match spec.group {
            Some(_) => (size / self.rows_per_group.max(1)).max(1),
            None => size,
        };
        let conn = self.conn(spec.source);
        let rows: Vec<Row> = match cursor {
            Some(after) => diesel::sql_query(sql)
                .bind::<SqlUuid, _>(after)
                .bind::<BigInt, _>(limit)
                .load(conn)?,
            None => diesel::sql_query(sql).bind::<BigInt, _>(limit).load(conn)?,
        };
        let last = rows.last().map(|r| r.key);
        if spec.group.is_some() && !rows.is_empty() {
            let groups = rows.windows(2).filter(|w| w[0].key != w[1].key).count() + 1;
            self.rows_per_group = i64::try_from(rows.len() / groups).unwrap_or(1).max(1);
        }
        Ok(Batch {
            rows: rows.into_iter().map(|r| (r.id, r.doc)).collect(),
            last,
        })
    }
}

/// The read of one batch: `$1` is the cursor (left out of the first batch's
/// query) and the last parameter the limit.
fn read_sql(spec: &Spec, after: bool) -> String {
    let table = spec.table;
    let from = spec.from.clone().unwrap_or_else(|| format!("{table} t"));
    // The row in its record text form (`record_out`), which the target reads
    // back with `record_in` into a row type of the same columns: cheaper at
    // both ends than JSON, and typed all the way.
    let doc = if spec.extras.is_empty() {
        "t::text".to_owned()
    } else {
        let exprs: Vec<&str> = spec.extras.iter().map(|(_, _, e)| e.as_str()).collect();
        format!("ROW(t.*, {})::text", exprs.join(", "))
    };
    let limit = if after { "$2" } else { "$1" };
    match spec.group {
        Some(g) => {
            let pred = if after {
                format!("WHERE {g} > $1")
            } else {
                String::new()
            };
            // The group's rows are computed once (MATERIALIZED), then the
            // windows run over plain columns.
            format!(
                "WITH g AS (SELECT DISTINCT {g} AS k FROM {table} {pred} ORDER BY 1 LIMIT {limit}), \
                 b AS MATERIALIZED (SELECT t.* FROM {from} JOIN g ON t.{g} = g.k) \
                 SELECT t.{g} AS key, t.id, {doc} AS doc FROM b t ORDER BY t.{g}, t.id"
            )
        }
        None if spec.whole_table => {
            let pred = if after { "WHERE key > $1" } else { "" };
            format!(
                "SELECT key, id, doc FROM (SELECT t.id AS key, t.id, {doc} AS doc FROM {from}) x \
                 {pred} ORDER BY key LIMIT {limit}"
            )
        }
        None => {
            let pred = if after { "WHERE t.id > $1" } else { "" };
            format!(
                "SELECT t.id AS key, t.id, {doc} AS doc FROM {from} {pred} ORDER BY t.id LIMIT {limit}"
            )
        }
    }
}
