//! Raw SQL that stays prepared on the connection.
//!
//! Diesel never keeps a [`diesel::sql_query`] as a prepared statement, because
//! its text may be built at run time: every call is parsed and planned again.
//! [`Prepared`] wraps such a query (with its binds) and lets Diesel's statement
//! cache keep it, keyed by its SQL text and bind types, like any query of the
//! DSL. Use it for SQL whose text is fixed (a `const` or `include_str!`) on a
//! hot path; each distinct text stays prepared on each connection for the
//! connection's lifetime, so text built from data must not go through it.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

/// A raw SQL query that Diesel may cache as a prepared statement.
#[derive(Debug, Clone, Copy)]
#[must_use = "a query does nothing until it is run"]
pub struct Prepared<Q>(Q);

/// Wraps a [`diesel::sql_query`] (and its `.bind`s) of fixed text.
pub fn prepared<Q>(query: Q) -> Prepared<Q> {
    Prepared(query)
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _: &Pg) -> QueryResult<bool> {
        // The text is fixed (the contract of `prepared`), so the cache key (the
        // text and the bind types) names exactly one statement.
        Ok(true)
    }
}

impl<Q> QueryId for Prepared<Q> {
    // No static id: the statement cache keys the query by its SQL text.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Prepared<Q> {}
