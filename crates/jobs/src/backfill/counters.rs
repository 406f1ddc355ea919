//! `counters`: cached counts compared with the rows they count, corrected where they differ.
//!
//! Three phases: `sessions.message_count`; `generated_projects.file_count` and
//! `total_lines_of_code`; `teams.member_count` (active members, auth) and
//! `teams.project_count` (projects shared with the team, specs), written in
//! auth with auth's checkpoint.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Uuid as SqlUuid};
use specs_db::ids::{GeneratedProjectId, SessionId};

use cross_db::Present;

use crate::runner::{Dbs, Phase, Side};
use crate::{JobError, cursor};

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = BigInt)]
    a: i64,
    #[diesel(sql_type = BigInt)]
    b: i64,
}

/// (id, stored counts, actual counts)
type Row = (uuid::Uuid, (i64, i64), (i64, i64));

fn mismatches(rows: Vec<Row>) -> Vec<(uuid::Uuid, i64, i64)> {
    rows.into_iter()
        .filter(|(_, stored, real)| stored != real)
        .map(|(id, _, real)| (id, real.0, real.1))
        .collect()
}

fn write_counts(
    conn: &mut PgConnection,
    sql: &str,
    fixes: &[(uuid::Uuid, i64, i64)],
) -> QueryResult<usize> {
    if fixes.is_empty() {
        return Ok(0);
    }
    let ids: Vec<uuid::Uuid> = fixes.iter().map(|f| f.0).collect();
    let a: Vec<i32> = fixes
        .iter()
        .map(|f| i32::try_from(f.1).unwrap_or(i32::MAX))
        .collect();
    let b: Vec<i32> = fixes
        .iter()
        .map(|f| i32::try_from(f.2).unwrap_or(i32::MAX))
        .collect();
    diesel::sql_query(sql)
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Integer>, _>(&a)
        .bind::<Array<Integer>, _>(&b)
        .execute(conn)
}

macro_rules! counter_phase {
    ($name:ident, $label:literal, $side:expr, $conn:ident, $id:ty, $total:literal, $write:literal) => {
        /// A counter phase (see the module documentation).
        pub(super) struct $name;

        impl Phase for $name {
            type Item = Row;
            type Out = Vec<(uuid::Uuid, i64, i64)>;

            fn name(&self) -> String {
                $label.into()
            }

            fn side(&self) -> Side {
                $side
            }

            fn disjoint_batches(&self) -> bool {
                true
            }

            fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
                Ok(Some(super::count(&mut dbs.$conn, $total)?))
            }

            fn fetch(
                &self,
                dbs: &mut Dbs,
                after: Option<&str>,
                limit: i64,
            ) -> Result<Vec<Row>, JobError> {
                let after: $id = cursor::id(after)?;
                self.read(dbs, after.into_uuid(), limit)
            }

            fn cursor(&self, item: &Row) -> String {
                item.0.to_string()
            }

            fn compute(&self, items: Vec<Row>) -> Result<Self::Out, JobError> {
                Ok(mismatches(items))
            }

            fn write(
                &self,
                conn: &mut PgConnection,
                out: &Self::Out,
                _: &Present,
            ) -> Result<u64, JobError> {
                Ok(write_counts(conn, $write, out)? as u64)
            }
        }
    };
}

counter_phase!(
    Sessions,
    "backfill:counters:sessions",
    Side::Specs,
    specs,
    SessionId,
    "SELECT count(*) AS n FROM sessions",
    "UPDATE sessions s SET message_count = v.a FROM unnest($1::uuid[], $2::int[], $3::int[]) AS v(id, a, b) WHERE s.id = v.id"
);

impl Sessions {
    fn read(&self, dbs: &mut Dbs, after: uuid::Uuid, limit: i64) -> Result<Vec<Row>, JobError> {
        let rows: Vec<Counted> = diesel::sql_query(
            "SELECT s.id, s.message_count::bigint AS a, \
                    (SELECT count(*) FROM conversation_history c WHERE c.session_id = s.id) AS b \
             FROM sessions s WHERE s.id > $1 ORDER BY s.id LIMIT $2",
        )
        .bind::<SqlUuid, _>(after)
        .bind::<BigInt, _>(limit)
        .load(&mut dbs.specs)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.id, (r.a, 0), (r.b, 0)))
            .collect())
    }
}

counter_phase!(
    Generations,
    "backfill:counters:generated",
    Side::Specs,
    specs,
    GeneratedProjectId,
    "SELECT count(*) AS n FROM generated_projects",
    "UPDATE generated_projects g SET file_count = v.a, total_lines_of_code = v.b \
     FROM unnest($1::uuid[], $2::int[], $3::int[]) AS v(id, a, b) WHERE g.id = v.id"
);

impl Generations {
    fn read(&self, dbs: &mut Dbs, after: uuid::Uuid, limit: i64) -> Result<Vec<Row>, JobError> {
        #[derive(QueryableByName)]
        struct G {
            #[diesel(sql_type = SqlUuid)]
            id: uuid::Uuid,
            #[diesel(sql_type = BigInt)]
            files: i64,
            #[diesel(sql_type = BigInt)]
            lines: i64,
            #[diesel(sql_type = BigInt)]
            real_files: i64,
            #[diesel(sql_type = BigInt)]
            real_lines: i64,
        }
        let rows: Vec<G> = diesel::sql_query(
            "SELECT g.id, g.file_count::bigint AS files, g.total_lines_of_code::bigint AS lines, \
                    count(f.id) AS real_files, coalesce(sum(f.lines_of_code), 0)::bigint AS real_lines \
             FROM (SELECT * FROM generated_projects WHERE id > $1 ORDER BY id LIMIT $2) g \
             LEFT JOIN generated_files f ON f.generated_project_id = g.id \
             GROUP BY g.id, g.file_count, g.total_lines_of_code ORDER BY g.id",
        )
        .bind::<SqlUuid, _>(after)
        .bind::<BigInt, _>(limit)
        .load(&mut dbs.specs)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.id, (r.files, r.lines), (r.real_files, r.real_lines)))
            .collect())
    }
}

counter_phase!(
    Teams,
    "backfill:counters:teams",
    Side::Auth,
    auth,
    db_core::TeamId,
    "SELECT count(*) AS n FROM teams",
    "UPDATE teams t SET member_count = v.a, project_count = v.b \
     FROM unnest($1::uuid[], $2::int[], $3::int[]) AS v(id, a, b) WHERE t.id = v.id"
);

impl Teams {
    fn read(&self, dbs: &mut Dbs, after: uuid::Uuid, limit: i64) -> Result<Vec<Row>, JobError> {
        let teams: Vec<Counted> = diesel::sql_query(
            "SELECT t.id, t.member_count::bigint AS a, t.project_count::bigint AS b FROM teams t \
             WHERE t.id > $1 ORDER BY t.id LIMIT $2",
        )
        .bind::<SqlUuid, _>(after)
        .bind::<BigInt, _>(limit)
        .load(&mut dbs.auth)?;
        let ids: Vec<uuid::Uuid> = teams.iter().map(|t| t.id).collect();
        let members: HashMap<uuid::Uuid, i64> = diesel::sql_query(
            "SELECT team_id AS id, count(*) AS a, 0::bigint AS b FROM team_members \
             WHERE team_id = ANY($1) AND status = 'active' GROUP BY team_id",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .load::<Counted>(&mut dbs.auth)?
        .into_iter()
        .map(|c| (c.id, c.a))
        .collect();
        let shared: HashMap<uuid::Uuid, i64> = diesel::sql_query(
            "SELECT shared_with_team_id AS id, count(DISTINCT project_id) AS a, 0::bigint AS b FROM project_shares \
             WHERE shared_with_team_id = ANY($1) GROUP BY shared_with_team_id",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .load::<Counted>(&mut dbs.specs)?
        .into_iter()
        .map(|c| (c.id, c.a))
        .collect();
        Ok(teams
            .into_iter()
            .map(|t| {
                (
                    t.id,
                    (t.a, t.b),
                    (
                        members.get(&t.id).copied().unwrap_or(0),
                        shared.get(&t.id).copied().unwrap_or(0),
                    ),
                )
            })
            .collect())
    }
}
