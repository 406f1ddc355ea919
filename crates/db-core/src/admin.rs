//! Server-level administration: does a database exist, create it if missing.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

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
    let mut conn = crate::pooler::connect(&url.maintenance())?;
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

#[derive(QueryableByName)]
struct ServerRow {
    #[diesel(sql_type = Text)]
    server: String,
}

#[derive(QueryableByName)]
struct DatabaseRow {
    #[diesel(sql_type = BigInt)]
    oid: i64,
    #[diesel(sql_type = Text)]
    name: String,
}

/// Which server and which database a connection reached, whatever its URL said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseIdentity {
    /// The server: its cluster's `system_identifier` (the same for every
    /// spelling of its address), or, where that is not readable, its address
    /// and port as the server sees them.
    pub server: String,
    /// The database's oid on that server.
    pub oid: i64,
    /// The database's name.
    pub name: String,
}

/// The identity of the server `conn` is connected to; see [`DatabaseIdentity::server`].
pub fn server_identity(conn: &mut PgConnection) -> Result<String, DbError> {
    let row = conn.transaction(|conn| {
        diesel::sql_query("SELECT system_identifier::text AS server FROM pg_control_system()")
            .get_result::<ServerRow>(conn)
    });
    let row = match row {
        Ok(row) => row,
        // pg_control_system() may be revoked from this role: fall back to what
        // the server says of its own address.
        Err(_) => diesel::sql_query(
            "SELECT coalesce(host(inet_server_addr()), 'local socket') || ':' || \
                    coalesce(inet_server_port()::text, current_setting('port')) AS server",
        )
        .get_result::<ServerRow>(conn)?,
    };
    Ok(row.server)
}

/// The identity of the database `conn` is connected to.
pub fn database_identity(conn: &mut PgConnection) -> Result<DatabaseIdentity, DbError> {
    let server = server_identity(conn)?;
    let db: DatabaseRow = diesel::sql_query(
        "SELECT oid::bigint AS oid, datname::text AS name FROM pg_database \
         WHERE datname = current_database()",
    )
    .get_result(conn)?;
    Ok(DatabaseIdentity {
        server,
        oid: db.oid,
        name: db.name,
    })
}
