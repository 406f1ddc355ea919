//! Measuring what a `down.sql` would destroy: the rollback guard's numbers.

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::{DataLoss, Destruction, SqlMigration, sql};
use crate::dburl::quote_literal;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Present {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    present: bool,
}

fn relation_exists(conn: &mut PgConnection, name: &str) -> QueryResult<bool> {
    diesel::sql_query(format!(
        "SELECT to_regclass({}) IS NOT NULL AS present",
        quote_literal(name)
    ))
    .get_result::<Present>(conn)
    .map(|p| p.present)
}

fn column_exists(conn: &mut PgConnection, table: &str, column: &str) -> QueryResult<bool> {
    diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass({}) \
         AND attname = {} AND attnum > 0 AND NOT attisdropped) AS present",
        quote_literal(table),
        quote_literal(column.trim_matches('"'))
    ))
    .get_result::<Present>(conn)
    .map(|p| p.present)
}

fn lock_table(conn: &mut PgConnection, table: &str) -> QueryResult<()> {
    conn.batch_execute(&format!("LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
}

/// Rows of `table`, or of `table` where `non_null` is not NULL.
fn count_rows(conn: &mut PgConnection, table: &str, non_null: Option<&str>) -> QueryResult<i64> {
    let filter = non_null
        .map(|c| format!(" WHERE {c} IS NOT NULL"))
        .unwrap_or_default();
    diesel::sql_query(format!("SELECT count(*) AS n FROM {table}{filter}"))
        .get_result::<Count>(conn)
        .map(|c| c.n)
}

/// Rows the `down.sql` of `m` would destroy, as the database is now.
pub(super) fn measure_loss(
    conn: &mut PgConnection,
    m: &SqlMigration,
    lock: bool,
) -> QueryResult<Vec<DataLoss>> {
    let mut found: BTreeMap<String, i64> = BTreeMap::new();
    for destruction in sql::destructions(m.down) {
        match destruction {
            Destruction::Table(table) | Destruction::Rows(table) => {
                if relation_exists(conn, &table)? {
                    if lock {
                        lock_table(conn, &table)?;
                    }
                    let rows = count_rows(conn, &table, None)?;
                    found.insert(table, rows);
                }
            }
            Destruction::Column { table, column } => {
                if column_exists(conn, &table, &column)? {
                    if lock {
                        lock_table(conn, &table)?;
                    }
                    let rows = count_rows(conn, &table, Some(&column))?;
                    found.insert(format!("{table}.{column}"), rows);
                }
            }
            Destruction::Schema(schema) => {
                #[derive(QueryableByName)]
                struct Table {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    name: String,
                }
                let tables: Vec<Table> = diesel::sql_query(format!(
                    "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = {}",
                    quote_literal(schema.trim_matches('"'))
                ))
                .load(conn)?;
                let mut rows = 0;
                for t in tables {
                    if lock {
                        lock_table(conn, &t.name)?;
                    }
                    rows += count_rows(conn, &t.name, None)?;
                }
                found.insert(format!("schema {schema}"), rows);
            }
        }
    }
    Ok(found
        .into_iter()
        .filter(|(_, rows)| *rows > 0)
        .map(|(object, rows)| DataLoss {
            migration: m.name.to_owned(),
            object,
            rows,
        })
        .collect())
}
