//! `db_core::prepared`: raw SQL of fixed text stays prepared on its connection
//! (plain `sql_query` is parsed and planned on every call), and gives the same
//! rows with fresh binds on every call.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};
use test_db::TestDatabase;

#[derive(QueryableByName, Debug, PartialEq)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Statements this connection holds prepared whose text mentions `marker`.
fn prepared_with(conn: &mut PgConnection, marker: &str) -> i64 {
    diesel::sql_query(
        "SELECT count(*) AS n FROM pg_prepared_statements WHERE strpos(statement, $1) > 0 \
         AND statement NOT LIKE '%pg_prepared_statements%'",
    )
    .bind::<diesel::sql_types::Text, _>(marker)
    .get_result::<N>(conn)
    .expect("prepared statements")
    .n
}

#[test]
fn fixed_raw_sql_is_prepared_once_per_connection() {
    let db = TestDatabase::empty();
    let mut conn = db.connect_direct();
    for i in 0..3 {
        let plain: N = diesel::sql_query("SELECT $1::bigint + 0 AS n /* plain */")
            .bind::<Integer, _>(i)
            .get_result(&mut conn)
            .expect("plain");
        let kept: N = db_core::prepared(
            diesel::sql_query("SELECT $1::bigint + 1 AS n /* kept */").bind::<Integer, _>(i),
        )
        .get_result(&mut conn)
        .expect("prepared");
        assert_eq!((plain.n, kept.n), (i64::from(i), i64::from(i) + 1));
    }
    assert_eq!(prepared_with(&mut conn, "/* plain */"), 0);
    assert_eq!(prepared_with(&mut conn, "/* kept */"), 1);
    // Another text is another statement.
    let other: N = db_core::prepared(diesel::sql_query("SELECT 7::bigint AS n /* kept too */"))
        .get_result(&mut conn)
        .expect("other");
    assert_eq!(other.n, 7);
    assert_eq!(prepared_with(&mut conn, "/* kept"), 2);
}

/// Runs a raw query of fixed text and a DSL query three times each, and
/// returns how many statements the connection then holds under a name.
fn named_after_queries(conn: &mut PgConnection) -> i64 {
    for i in 0..3 {
        let kept: N = db_core::prepared(
            diesel::sql_query("SELECT $1::bigint + 1 AS n /* pooled */").bind::<Integer, _>(i),
        )
        .get_result(conn)
        .expect("prepared");
        assert_eq!(kept.n, i64::from(i) + 1);
        let dsl: i32 = diesel::select(i.into_sql::<Integer>())
            .get_result(conn)
            .expect("dsl");
        assert_eq!(dsl, i);
    }
    diesel::sql_query("SELECT count(*) AS n FROM pg_prepared_statements")
        .get_result::<N>(conn)
        .expect("named")
        .n
}

/// Behind a transaction pooler (`pool_mode=transaction`), nothing is ever
/// prepared under a name: the next transaction may run on another server
/// connection, where the name means nothing or another statement. The same
/// queries on a session keep their statements (the control).
#[test]
fn a_transaction_pooler_url_prepares_nothing_by_name() {
    let db = TestDatabase::empty();
    let session = db.direct_url().with_pool_mode(db_core::PoolMode::Session);
    assert_eq!(
        named_after_queries(&mut db_core::connect(&session).expect("connect")),
        2,
        "a session keeps both statements"
    );
    let pooled = db
        .direct_url()
        .with_pool_mode(db_core::PoolMode::Transaction);
    let pool = db_core::build_pool(&pooled, 1);
    assert_eq!(
        named_after_queries(&mut db_core::connect(&pooled).expect("connect")),
        0
    );
    assert_eq!(named_after_queries(&mut pool.get().expect("pooled")), 0);
}
