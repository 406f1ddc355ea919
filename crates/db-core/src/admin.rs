//! Server-level administration: does a database exist, create it if missing.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::dburl::{DbUrl, quote_ident};
use crate::error::DbError;

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

/// Whether a database called `name` exists on the server `conn` is connected to.
pub fn database_exists(conn: &mut PgConnection, name: &str) -> Result<bool, DbError> {
    let row: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(name)
            .get_result(conn)?;
    Ok(row.exists)
}

/// Creates the database `url` names unless it exists; returns whether it created it.
///
/// Connects to the server's maintenance database. Two callers racing to create
/// the same database both succeed: the loser sees PostgreSQL's "already exists".
pub fn ensure_database(url: &DbUrl) -> Result<bool, DbError> {
    let mut conn = PgConnection::establish(url.maintenance().as_str())?;
    let name = url.database();
    if database_exists(&mut conn, name)? {
        return Ok(false);
    }
    match diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(name))).execute(&mut conn) {
        Ok(_) => Ok(true),
        // A concurrent creator won: PostgreSQL says "already exists", or, in a
        // narrower window, reports the unique index on pg_database.
        Err(diesel::result::Error::DatabaseError(kind, info))
            if info.message().contains("already exists")
                || matches!(kind, diesel::result::DatabaseErrorKind::UniqueViolation) =>
        {
            Ok(false)
        }
        Err(err) => Err(err.into()),
    }
}
