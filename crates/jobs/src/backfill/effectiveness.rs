//! `question-effectiveness`: aggregated from the questions asked.
//!
//! A question counts for the template named by `metadata.template_id` (others
//! are not template questions). Per template, globally (`user_id` NULL) and per
//! user of the question's session: times asked, answered well (answered with a
//! quality score of at least 0.5), skipped, average answer length,
//! effectiveness (answered well / asked), last asked. Keyset over template ids;
//! rows are upserted on their unique key and left alone when unchanged. Per-user
//! rows lock their users (the runner writes through `cross_db::write_present`): users gone from auth are skipped.

use chrono::{DateTime, Utc};
use cross_db::{Present, Refs};
use db_core::UserId;
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Float8, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};

use crate::JobError;
use crate::runner::{Dbs, Phase, Side};

/// Keyset over template ids.
pub(super) struct Effectiveness;

/// One aggregate row.
#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Aggregate {
    #[diesel(sql_type = Text)]
    template: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    user_id: Option<UserId>,
    #[diesel(sql_type = BigInt)]
    asked: i64,
    #[diesel(sql_type = BigInt)]
    well: i64,
    #[diesel(sql_type = BigInt)]
    skipped: i64,
    #[diesel(sql_type = Nullable<Float8>)]
    avg_len: Option<f64>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    last_asked: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    sample_text: Option<String>,
}

#[derive(QueryableByName)]
struct Template {
    #[diesel(sql_type = Text)]
    t: String,
}

/// Per template of `$1`: its aggregates overall and per user of the question's session.
const AGGREGATE: &str = include_str!("effectiveness_aggregate.sql");

/// An aggregate with its derived figures, as written.
#[derive(Debug, Clone)]
pub(super) struct Row {
    aggregate: Aggregate,
    average_answer_length: Option<i32>,
    effectiveness_score: Option<f64>,
}

fn derive(aggregate: Aggregate) -> Row {
    let a = &aggregate;
    Row {
        average_answer_length: a.avg_len.map(|l| l.round() as i32),
        effectiveness_score: (a.asked > 0).then(|| (a.well as f64 / a.asked as f64).min(1.0)),
        aggregate,
    }
}

/// Upserts rows; unchanged rows are not touched. Returns rows written.
fn upsert(conn: &mut PgConnection, rows: &[&Row]) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<uuid::Uuid> = rows.iter().map(|_| uuid::Uuid::now_v7()).collect();
    let users: Vec<Option<UserId>> = rows.iter().map(|r| r.aggregate.user_id).collect();
    let templates: Vec<&str> = rows.iter().map(|r| r.aggregate.template.as_str()).collect();
    let texts: Vec<Option<&str>> = rows
        .iter()
        .map(|r| r.aggregate.sample_text.as_deref())
        .collect();
    let count = |f: fn(&Aggregate) -> i64| -> Vec<i32> {
        rows.iter()
            .map(|r| i32::try_from(f(&r.aggregate)).unwrap_or(i32::MAX))
            .collect()
    };
    let (asked, well, skipped) = (count(|a| a.asked), count(|a| a.well), count(|a| a.skipped));
    let lens: Vec<Option<i32>> = rows.iter().map(|r| r.average_answer_length).collect();
    let scores: Vec<Option<f64>> = rows.iter().map(|r| r.effectiveness_score).collect();
    let last: Vec<Option<DateTime<Utc>>> = rows.iter().map(|r| r.aggregate.last_asked).collect();
    diesel::sql_query(include_str!("effectiveness_upsert.sql"))
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Nullable<SqlUuid>>, _>(&users)
        .bind::<Array<Text>, _>(&templates)
        .bind::<Array<Nullable<Text>>, _>(&texts)
        .bind::<Array<Integer>, _>(&asked)
        .bind::<Array<Integer>, _>(&well)
        .bind::<Array<Integer>, _>(&skipped)
        .bind::<Array<Nullable<Integer>>, _>(&lens)
        .bind::<Array<Nullable<Float8>>, _>(&scores)
        .bind::<Array<Nullable<Timestamptz>>, _>(&last)
        .execute(conn)
}

fn aggregate(conn: &mut PgConnection, templates: &[String]) -> QueryResult<Vec<Aggregate>> {
    diesel::sql_query(AGGREGATE)
        .bind::<Array<Text>, _>(templates)
        .load(conn)
}

impl Phase for Effectiveness {
    type Item = (String, Vec<Aggregate>);
    type Out = Vec<Row>;

    fn name(&self) -> String {
        "backfill:question-effectiveness".into()
    }

    fn side(&self) -> Side {
        Side::Specs
    }

    fn total(&self, dbs: &mut Dbs) -> Result<Option<i64>, JobError> {
        Ok(Some(super::count(
            &mut dbs.specs,
            "SELECT count(DISTINCT metadata->>'template_id') AS n FROM questions",
        )?))
    }

    /// The next templates, each with its aggregates (the aggregation needs the rows, so it is SQL).
    fn fetch(
        &self,
        dbs: &mut Dbs,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Self::Item>, JobError> {
        let templates: Vec<String> = diesel::sql_query(
            "SELECT DISTINCT metadata->>'template_id' AS t FROM questions \
             WHERE metadata ? 'template_id' AND metadata->>'template_id' > $1 ORDER BY 1 LIMIT $2",
        )
        .bind::<Text, _>(after.unwrap_or(""))
        .bind::<BigInt, _>(limit)
        .load::<Template>(&mut dbs.specs)?
        .into_iter()
        .map(|t| t.t)
        .collect();
        let mut rows = aggregate(&mut dbs.specs, &templates)?;
        Ok(templates
            .into_iter()
            .map(|t| {
                let mine = rows.iter().filter(|r| r.template == t).cloned().collect();
                rows.retain(|r| r.template != t);
                (t, mine)
            })
            .collect())
    }

    fn cursor(&self, item: &Self::Item) -> String {
        item.0.clone()
    }

    fn compute(&self, items: Vec<Self::Item>) -> Result<Vec<Row>, JobError> {
        use rayon::prelude::*;
        Ok(items
            .into_par_iter()
            .flat_map_iter(|(_, rows)| rows.into_iter().map(derive))
            .collect())
    }

    /// The users of per-user rows: rows of users gone from auth are skipped.
    fn references(&self, out: &Vec<Row>) -> Refs {
        Refs::new().users(out.iter().filter_map(|r| r.aggregate.user_id))
    }

    fn write(
        &self,
        conn: &mut PgConnection,
        out: &Vec<Row>,
        present: &Present,
    ) -> Result<u64, JobError> {
        let keep: Vec<&Row> = out
            .iter()
            .filter(|r| r.aggregate.user_id.is_none_or(|u| present.has_user(u)))
            .collect();
        Ok(upsert(conn, &keep)? as u64)
    }
}

#[cfg(test)]
mod tests {
    /// The upsert names the unique key by the name the catalog test checks.
    #[test]
    fn the_upsert_names_the_checked_constraint() {
        assert!(include_str!("effectiveness_upsert.sql").contains(
            specs_db::constraints::UQ_QUESTION_EFFECTIVENESS_USER_ID_QUESTION_TEMPLATE_ID
        ));
    }
}
