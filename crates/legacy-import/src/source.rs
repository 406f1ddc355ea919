//! The legacy side: which databases are accepted, and the reads (one
//! read-only snapshot per database for the whole run).

use std::collections::HashMap;

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

/// One batch: rows (id, JSON) in batch-key order, and the batch key of the
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
        let sql = read_sql(spec, cursor.is_some());
        let limit = match spec.group {
            Some(_) => (size / 20).max(1),
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
    let doc = if spec.extras.is_empty() {
        "to_jsonb(t)".to_owned()
    } else {
        let pairs: Vec<String> = spec
            .extras
            .iter()
            .map(|(name, _, expr)| format!("'{name}', {expr}"))
            .collect();
        format!("to_jsonb(t) || jsonb_build_object({})", pairs.join(", "))
    };
    let limit = if after { "$2" } else { "$1" };
    match spec.group {
        Some(g) => {
            let pred = if after {
                format!("WHERE {g} > $1")
            } else {
                String::new()
            };
            format!(
                "WITH g AS (SELECT DISTINCT {g} AS k FROM {table} {pred} ORDER BY 1 LIMIT {limit}) \
                 SELECT t.{g} AS key, t.id, ({doc})::text AS doc FROM {from} JOIN g ON t.{g} = g.k \
                 ORDER BY t.{g}, t.id"
            )
        }
        None if spec.whole_table => {
            let pred = if after { "WHERE key > $1" } else { "" };
            format!(
                "SELECT key, id, doc FROM (SELECT t.id AS key, t.id, ({doc})::text AS doc FROM {from}) x \
                 {pred} ORDER BY key LIMIT {limit}"
            )
        }
        None => {
            let pred = if after { "WHERE t.id > $1" } else { "" };
            format!(
                "SELECT t.id AS key, t.id, ({doc})::text AS doc FROM {from} {pred} ORDER BY t.id LIMIT {limit}"
            )
        }
    }
}
