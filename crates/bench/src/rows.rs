//! Reading ids back from the databases a benchmark loaded.

use anyhow::Result;
use diesel::PgConnection;
use diesel::prelude::*;
use diesel::query_dsl::LoadQuery;
use diesel::sql_types::Uuid as SqlUuid;
use uuid::Uuid;

/// A row of one `uuid` column named `id`.
#[derive(QueryableByName)]
pub(crate) struct Id {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// The ids a query (`SELECT ... AS id`, binds included) returns, in its order.
pub(crate) fn ids<'q, Q>(conn: &mut PgConnection, query: Q) -> Result<Vec<Uuid>>
where
    Q: RunQueryDsl<PgConnection> + LoadQuery<'q, PgConnection, Id>,
{
    Ok(query.load::<Id>(conn)?.into_iter().map(|r| r.id).collect())
}
