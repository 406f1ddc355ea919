//! The run: check the sources, take the lock, move each table in batches,
//! report.

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use crate::plan::{Db, Spec, plan};
use crate::report::{Report, read_report};
use crate::source::{Batch, Legacy};
use crate::{ImportError, Options, WORK};

diesel::table! {
    /// One batch of legacy rows, as read: id and the row in record text form.
    pg_temp.legacy_stage (id) {
        /// The legacy row's id.
        id -> Uuid,
        /// The row in record text form (its columns, then the read's computed values).
        doc -> Text,
    }
}

diesel::table! {
    /// Legacy ids of users, admin roles and teams, and the ids of ours they became.
    pg_temp.legacy_map (kind, legacy_id) {
        /// `user`, `role` or `team`.
        kind -> Text,
        /// The legacy id.
        legacy_id -> Uuid,
        /// Ours (the same id, or the row a duplicate was merged into).
        target_id -> Uuid,
    }
}

#[derive(Insertable)]
#[diesel(table_name = legacy_stage, treat_none_as_default_value = false)]
struct Staged<'a> {
    id: Uuid,
    doc: &'a str,
}

#[derive(Insertable, Queryable)]
#[diesel(table_name = legacy_map, treat_none_as_default_value = false)]
struct Mapped {
    kind: String,
    legacy_id: Uuid,
    target_id: Uuid,
}

/// The session's staging table, id map, and the casts that return NULL
/// instead of failing (PostgreSQL 15 has no `pg_input_is_valid`). JIT is off
/// for the session: the mapping statements are large and run once per batch,
/// so compiling them (about a second each) costs far more than it saves.
/// Commits do not wait for their WAL flush (`synchronous_commit = off`): a
/// crash may lose the last batches, never half of one (each commits with its
/// progress row), and the next run redoes what was lost.
const SESSION_SETUP: &str = r"
SET jit = off;
SET synchronous_commit = off;
CREATE TEMP TABLE IF NOT EXISTS legacy_stage (id uuid NOT NULL, doc text NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS legacy_map (kind text NOT NULL, legacy_id uuid NOT NULL,
    target_id uuid NOT NULL, PRIMARY KEY (kind, legacy_id));
CREATE OR REPLACE FUNCTION pg_temp.legacy_inet(v text) RETURNS inet LANGUAGE plpgsql AS $f$
BEGIN
    IF v IS NULL THEN RETURN NULL; END IF;
    BEGIN RETURN v::inet; EXCEPTION WHEN others THEN RETURN NULL; END;
END $f$;
CREATE OR REPLACE FUNCTION pg_temp.legacy_time(v text) RETURNS time LANGUAGE plpgsql AS $f$
BEGIN
    IF v IS NULL THEN RETURN NULL; END IF;
    IF v !~ '^[0-9]{1,2}:[0-9]{2}$' THEN RETURN NULL; END IF;
    BEGIN RETURN v::time; EXCEPTION WHEN others THEN RETURN NULL; END;
END $f$;
CREATE OR REPLACE FUNCTION pg_temp.legacy_embedding(v jsonb) RETURNS real[] LANGUAGE plpgsql AS $f$
BEGIN
    IF v IS NULL OR jsonb_typeof(v) <> 'array' OR jsonb_array_length(v) <> 384 THEN RETURN NULL; END IF;
    BEGIN
        RETURN ARRAY(SELECT e::real FROM jsonb_array_elements_text(v) e);
    EXCEPTION WHEN others THEN RETURN NULL;
    END;
END $f$;
";

/// Moves a Socrates2 pair into ours (see the crate documentation).
///
/// `auth` and `specs` are migrated databases of ours, on session connections
/// (the staging table and the map are the session's). The legacy
/// connections are only read.
pub fn run(
    legacy_auth: &mut PgConnection,
    legacy_specs: &mut PgConnection,
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: &Options,
) -> Result<Report, ImportError> {
    crate::source::check(legacy_auth, Db::Auth)?;
    crate::source::check(legacy_specs, Db::Specs)?;
    db_core::work_lock::acquire_both(auth, specs, WORK, options.lock_timeout)?;
    let result = (|| {
        for conn in [&mut *auth, &mut *specs] {
            conn.batch_execute(SESSION_SETUP)?;
        }
        if options.dry_run {
            AnsiTransactionManager::begin_transaction(auth)?;
            AnsiTransactionManager::begin_transaction(specs)?;
        }
        let moved = Legacy::read(legacy_auth, legacy_specs, |legacy| {
            move_all(legacy, auth, specs, options)?;
            read_report(auth, specs, options.dry_run)
        });
        if options.dry_run {
            let a = AnsiTransactionManager::rollback_transaction(auth);
            let s = AnsiTransactionManager::rollback_transaction(specs);
            a?;
            s?;
        }
        moved
    })();
    let released = db_core::work_lock::release_both(auth, specs, WORK);
    let report = result?;
    released?;
    Ok(report)
}

fn move_all(
    legacy: &mut Legacy<'_>,
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    options: &Options,
) -> Result<(), ImportError> {
    let mut maps_copied = false;
    for spec in plan() {
        let record = legacy.record_type(&spec)?;
        let (target, lock_in) = match spec.target {
            Db::Auth => (&mut *auth, None),
            Db::Specs => {
                if !maps_copied {
                    copy_maps(auth, specs)?;
                    maps_copied = true;
                }
                (&mut *specs, Some(&mut *auth))
            }
        };
        // The legacy row type, into which each staged row's text is read.
        target.batch_execute(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS {} ({record})",
            row_type(&spec)
        ))?;
        let mut spec = spec;
        for (column, max) in limits(target, spec.into)? {
            if spec.columns.iter().any(|(c, _)| *c == column) {
                spec.rejects.push((
                    "'value_too_long'".to_owned(),
                    format!("length(o_{column}::text) > {max}"),
                ));
            }
        }
        // Only a table imported to the end before can hold rows of this run's
        // batches (a batch that did not commit left nothing): otherwise no
        // row is looked for, and one that is there all the same (another
        // source's row with a legacy id) fails the batch's count.
        let rerun = finished_before(target, &spec.source_table())?;
        let mapping = mapping_sql(&spec, rerun);
        move_table(legacy, target, lock_in, &spec, &mapping, options).map_err(|e| match e {
            ImportError::Database(source) => ImportError::Table {
                table: spec.source_table(),
                source,
            },
            other => other,
        })?;
        match (spec.source, spec.table) {
            (Db::Auth, "users") => refresh_map(auth, "user", "users", "auth.users")?,
            (Db::Auth, "admin_roles") => {
                refresh_map(auth, "role", "admin_roles", "auth.admin_roles")?;
            }
            (Db::Specs, "teams") => refresh_map(auth, "team", "teams", "specs.teams")?,
            _ => {}
        }
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Counts {
    #[diesel(sql_type = BigInt)]
    inserted: i64,
    #[diesel(sql_type = BigInt)]
    present: i64,
    #[diesel(sql_type = BigInt)]
    merged: i64,
    #[diesel(sql_type = BigInt)]
    rejected: i64,
}

#[derive(QueryableByName)]
struct Resume {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    cursor: Option<Uuid>,
}

fn move_table(
    legacy: &mut Legacy<'_>,
    target: &mut PgConnection,
    mut lock_in: Option<&mut PgConnection>,
    spec: &Spec,
    mapping: &str,
    options: &Options,
) -> Result<(), ImportError> {
    let source_table = spec.source_table();
    let _span = tracing::info_span!("import_table", table = %source_table).entered();
    let cursor = diesel::sql_query(
        "INSERT INTO legacy_import_progress (id, source_table, status, started_at) \
         VALUES ($1, $2, 'running', now()) \
         ON CONFLICT (source_table) DO UPDATE SET status = 'running', finished_at = NULL, \
           cursor = CASE WHEN legacy_import_progress.status = 'completed' THEN NULL ELSE legacy_import_progress.cursor END, \
           read_count = CASE WHEN legacy_import_progress.status = 'completed' THEN 0 ELSE legacy_import_progress.read_count END, \
           imported_count = CASE WHEN legacy_import_progress.status = 'completed' THEN 0 ELSE legacy_import_progress.imported_count END, \
           merged_count = CASE WHEN legacy_import_progress.status = 'completed' THEN 0 ELSE legacy_import_progress.merged_count END, \
           rejected_count = CASE WHEN legacy_import_progress.status = 'completed' THEN 0 ELSE legacy_import_progress.rejected_count END, \
           started_at = CASE WHEN legacy_import_progress.status = 'completed' THEN now() ELSE legacy_import_progress.started_at END \
         RETURNING cursor",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(&source_table)
    .get_result::<Resume>(target)?
    .cursor;
    // The next batch is read from Socrates2 while this one is written: a
    // reader thread, one batch ahead (a bounded channel of one).
    let size = options.batch_size;
    std::thread::scope(|scope| -> Result<(), ImportError> {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Result<Batch, ImportError>>(1);
        scope.spawn(move || {
            let mut cursor = cursor;
            loop {
                let batch = legacy.batch(spec, cursor, size);
                let next = batch.as_ref().ok().and_then(|b| b.last);
                // A closed channel: the writer stopped (an error); so do we.
                if sender.send(batch).is_err() || next.is_none() {
                    break;
                }
                cursor = next;
            }
        });
        for batch in batches {
            let Batch { rows, last } = batch?;
            let Some(last) = last else { break };
            let written = Written {
                spec,
                mapping,
                source_table: &source_table,
                rows: &rows,
                last,
            };
            match lock_in.as_deref_mut() {
                // A specs batch commits while auth holds its references locked.
                Some(auth) => auth.transaction::<_, ImportError, _>(|auth| {
                    target.transaction(|t| written.write(t, Some(auth)))
                })?,
                None => target.transaction(|t| written.write(t, None))?,
            }
            tracing::debug!(rows = rows.len(), "batch imported");
        }
        Ok(())
    })?;
    diesel::sql_query(
        "UPDATE legacy_import_progress SET status = 'completed', finished_at = now() WHERE source_table = $1",
    )
    .bind::<Text, _>(&source_table)
    .execute(target)?;
    Ok(())
}

/// One batch, read and about to be written.
struct Written<'a> {
    spec: &'a Spec,
    mapping: &'a str,
    source_table: &'a str,
    rows: &'a [(Uuid, String)],
    last: Uuid,
}

impl Written<'_> {
    /// Stages the batch, locks what it refers to in auth (a specs batch),
    /// maps it, and records its counts and resume position: all in `t`'s
    /// transaction.
    fn write(
        &self,
        t: &mut PgConnection,
        auth: Option<&mut PgConnection>,
    ) -> Result<(), ImportError> {
        let read = i64::try_from(self.rows.len()).unwrap_or(i64::MAX);
        // TRUNCATE, not DELETE: nothing vacuums a temporary table, and the dead
        // rows of every earlier batch would be read again by each one.
        diesel::sql_query("TRUNCATE pg_temp.legacy_stage").execute(t)?;
        let staged: Vec<Staged<'_>> = self
            .rows
            .iter()
            .map(|(id, doc)| Staged { id: *id, doc })
            .collect();
        diesel::copy_from(legacy_stage::table)
            .from_insertable(&staged)
            .execute(t)?;
        if let Some(auth) = auth {
            crate::locks::lock_references(auth, t, self.spec, &row_type(self.spec))?;
        }
        let c: Counts = diesel::sql_query(self.mapping).get_result(t)?;
        let imported = c.inserted + c.present;
        if imported + c.merged + c.rejected != read {
            return Err(ImportError::Unaccounted {
                table: self.source_table.to_owned(),
                read,
                accounted: imported + c.merged + c.rejected,
            });
        }
        diesel::sql_query(
            "UPDATE legacy_import_progress SET cursor = $2, read_count = read_count + $3, \
             imported_count = imported_count + $4, merged_count = merged_count + $5, \
             rejected_count = rejected_count + $6 WHERE source_table = $1",
        )
        .bind::<Text, _>(self.source_table)
        .bind::<SqlUuid, _>(self.last)
        .bind::<BigInt, _>(read)
        .bind::<BigInt, _>(imported)
        .bind::<BigInt, _>(c.merged)
        .bind::<BigInt, _>(c.rejected)
        .execute(t)?;
        Ok(())
    }
}

#[derive(QueryableByName)]
struct Limit {
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    max: i32,
}

/// Our `varchar(n)` columns of `table` and their `n`: a longer legacy value
/// is rejected (`value_too_long`), never cut.
fn limits(conn: &mut PgConnection, table: &str) -> QueryResult<Vec<(String, i32)>> {
    Ok(diesel::sql_query(
        "SELECT column_name::text, character_maximum_length::integer AS max \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 \
           AND character_maximum_length IS NOT NULL",
    )
    .bind::<Text, _>(table)
    .load::<Limit>(conn)?
    .into_iter()
    .map(|l| (l.column_name, l.max))
    .collect())
}

/// Fills the map of `kind` from our table `table` (every row maps to itself)
/// and the legacy rows merged into one of them.
fn refresh_map(
    conn: &mut PgConnection,
    kind: &str,
    table: &str,
    source_table: &str,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::sql_query("DELETE FROM pg_temp.legacy_map WHERE kind = $1")
            .bind::<Text, _>(kind)
            .execute(conn)?;
        diesel::sql_query(format!(
            "INSERT INTO pg_temp.legacy_map (kind, legacy_id, target_id) \
             SELECT $1, id, id FROM {table} \
             UNION ALL SELECT $1, legacy_id, merged_into FROM legacy_import_quarantine \
             WHERE source_table = $2 AND outcome = 'merged'"
        ))
        .bind::<Text, _>(kind)
        .bind::<Text, _>(source_table)
        .execute(conn)?;
        diesel::sql_query("ANALYZE pg_temp.legacy_map").execute(conn)?;
        Ok(())
    })
}

/// Copies the user and team maps (built in auth) into the specs session.
fn copy_maps(auth: &mut PgConnection, specs: &mut PgConnection) -> QueryResult<()> {
    let rows: Vec<Mapped> = legacy_map::table
        .filter(legacy_map::kind.eq_any(["user", "team"]))
        .load(auth)?;
    specs.transaction(|specs| {
        diesel::sql_query("DELETE FROM pg_temp.legacy_map").execute(specs)?;
        diesel::copy_from(legacy_map::table)
            .from_insertable(&rows)
            .execute(specs)?;
        diesel::sql_query("ANALYZE pg_temp.legacy_map").execute(specs)?;
        Ok(())
    })
}

/// The index of the `)` that closes the `(` at `open` (the plan's SQL has no
/// parenthesis inside a string literal where this is used).
fn closing_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, ch) in text[open..].char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Replaces `@user(x)`, `@role(x)` and `@team(x)` by a lookup in the map.
fn expand(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let Some(open) = tail.find('(') else {
            out.push('@');
            rest = tail;
            continue;
        };
        let kind = &tail[..open];
        let Some(close) = closing_paren(tail, open) else {
            out.push('@');
            rest = tail;
            continue;
        };
        let arg = expand(&tail[open + 1..close]);
        out.push_str(&format!(
            "(SELECT lm.target_id FROM pg_temp.legacy_map lm WHERE lm.kind = '{kind}' AND lm.legacy_id = {arg})"
        ));
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Rewrites every `EXISTS (subquery)` as `((subquery LIMIT 1) IS NOT NULL)`.
///
/// PostgreSQL may run an `EXISTS` as a hashed subplan: it reads the whole
/// probed table once per statement, which per batch makes an import
/// quadratic in the size of the tables it fills. A scalar subquery with a
/// `LIMIT` is always a probe of the row's own key (an index lookup).
fn probes(sql: &str) -> String {
    const WORD: &str = "EXISTS (";
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(at) = rest.find(WORD) {
        let open = at + WORD.len() - 1;
        let Some(close) = closing_paren(rest, open) else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(&format!(
            "(({} LIMIT 1) IS NOT NULL)",
            probes(&rest[open + 1..close])
        ));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The one statement that maps a staged batch (see the crate documentation):
/// it returns how many rows it inserted, found already imported, merged and
/// rejected.
/// The temporary table whose row type is the legacy row as read (its
/// columns, then the read's computed values).
pub(crate) fn row_type(spec: &Spec) -> String {
    format!("pg_temp.legacy_row_{}_{}", spec.source.as_str(), spec.table)
}

#[derive(QueryableByName)]
struct Finished {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    finished: bool,
}

/// Whether an earlier run imported `source_table` to the end.
fn finished_before(conn: &mut PgConnection, source_table: &str) -> QueryResult<bool> {
    Ok(diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM legacy_import_progress \
         WHERE source_table = $1 AND status = 'completed') AS finished",
    )
    .bind::<Text, _>(source_table)
    .get_result::<Finished>(conn)?
    .finished)
}

/// `rerun`: rows may be there already (see `move_all`), so each is looked for.
pub(crate) fn mapping_sql(spec: &Spec, rerun: bool) -> String {
    let mapped: Vec<String> = spec
        .columns
        .iter()
        .map(|(c, e)| format!("{} AS o_{c}", expand(e)))
        .collect();
    let names: Vec<&str> = spec.columns.iter().map(|(c, _)| *c).collect();
    let o_names: Vec<String> = names.iter().map(|c| format!("o_{c}")).collect();
    let reason = if spec.rejects.is_empty() {
        "NULL::text".to_owned()
    } else {
        let arms: String = spec
            .rejects
            .iter()
            .map(|(r, c)| format!(" WHEN {} THEN {r}", expand(c)))
            .collect();
        format!("CASE{arms} END")
    };
    let (merge_reason, merge) = match &spec.merge {
        Some((r, e)) => (
            *r,
            format!(
                "CASE WHEN _reason IS NULL AND NOT _present THEN {} END",
                expand(e)
            ),
        ),
        None => ("", "NULL::uuid".to_owned()),
    };
    // The read's own values are not part of the legacy row.
    let extras: Vec<String> = spec
        .from_columns
        .iter()
        .map(|(name, _)| format!("'{name}'"))
        .chain(spec.extras.iter().map(|(name, _, _)| format!("'{name}'")))
        .collect();
    let mut row = if extras.is_empty() {
        "to_jsonb(_row)".to_owned()
    } else {
        format!("(to_jsonb(_row) - ARRAY[{}])", extras.join(", "))
    };
    for secret in spec.secrets {
        row = format!(
            "jsonb_set({row}, '{{{secret}}}', coalesce(to_jsonb(encode(sha256(convert_to(r.{secret}, 'UTF8')), 'hex')), 'null'::jsonb))"
        );
    }
    // The inserted rows are returned whole only for a step that reads them;
    // otherwise they are only counted.
    let (returning, after) = match &spec.after {
        Some(a) => ("*", format!(", after_ins AS ({a})")),
        None => ("1", String::new()),
    };
    probes(&format!(
        "WITH r AS (\
           SELECT s.id AS legacy_id, y.v AS _row, (y.v).* FROM pg_temp.legacy_stage s \
           CROSS JOIN LATERAL (SELECT s.doc::{row_type} AS v OFFSET 0) y), \
         m AS MATERIALIZED (SELECT r.*, {mapped}, {present} AS _present FROM r), \
         st AS (SELECT r.*, CASE WHEN _present THEN NULL ELSE {reason} END AS _reason FROM m r), \
         mg AS (SELECT r.*, {merge} AS _merge FROM st r), \
         ins AS (INSERT INTO {into} (id, {names}) SELECT legacy_id, {o_names} FROM mg \
           WHERE NOT _present AND _reason IS NULL AND _merge IS NULL \
           ON CONFLICT (id) DO NOTHING RETURNING {returning}){after}, \
         q AS (INSERT INTO legacy_import_quarantine (id, source_table, legacy_id, outcome, reason, merged_into, legacy_row) \
           SELECT gen_random_uuid(), '{source}', legacy_id, \
             CASE WHEN _reason IS NULL THEN 'merged' ELSE 'rejected' END, coalesce(_reason, '{merge_reason}'), \
             CASE WHEN _reason IS NULL THEN _merge END, {row} \
           FROM mg r WHERE NOT _present AND (_reason IS NOT NULL OR _merge IS NOT NULL) \
           ON CONFLICT (source_table, legacy_id) DO NOTHING) \
         SELECT (SELECT count(*) FROM ins) AS inserted, \
           count(*) FILTER (WHERE _present) AS present, \
           count(*) FILTER (WHERE NOT _present AND _reason IS NULL AND _merge IS NOT NULL) AS merged, \
           count(*) FILTER (WHERE NOT _present AND _reason IS NOT NULL) AS rejected \
         FROM mg",
        mapped = mapped.join(", "),
        into = spec.into,
        names = names.join(", "),
        o_names = o_names.join(", "),
        source = spec.source_table(),
        row_type = row_type(spec),
        present = if rerun {
            format!(
                "EXISTS (SELECT 1 FROM {} x WHERE x.id = r.legacy_id)",
                spec.into
            )
        } else {
            "false".to_owned()
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn exists_becomes_a_probe() {
        assert_eq!(
            super::probes("CASE WHEN NOT EXISTS (SELECT 1 FROM t WHERE t.id = f(r.x)) THEN 1 END"),
            "CASE WHEN NOT ((SELECT 1 FROM t WHERE t.id = f(r.x) LIMIT 1) IS NOT NULL) THEN 1 END"
        );
        assert_eq!(
            super::probes("EXISTS (SELECT 1 FROM a WHERE EXISTS (SELECT 1 FROM b))"),
            "((SELECT 1 FROM a WHERE ((SELECT 1 FROM b LIMIT 1) IS NOT NULL) LIMIT 1) IS NOT NULL)"
        );
    }

    #[test]
    fn lookups_expand_with_nested_parentheses() {
        let sql = expand("coalesce(@user(lower(r.x)), @team(r.y))");
        assert!(
            sql.contains("lm.kind = 'user' AND lm.legacy_id = lower(r.x))"),
            "{sql}"
        );
        assert!(
            sql.contains("lm.kind = 'team' AND lm.legacy_id = r.y)"),
            "{sql}"
        );
        assert!(!sql.contains('@'), "{sql}");
        assert_eq!(expand("no lookups"), "no lookups");
    }
}
