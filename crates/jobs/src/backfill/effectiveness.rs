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

const AGGREGATE: &str = "\
    SELECT q.metadata->>'template_id' AS template, s.user_id, count(*) AS asked, \
           count(*) FILTER (WHERE q.status = 'answered' AND q.quality_score >= 0.5) AS well, \
           count(*) FILTER (WHERE q.status = 'skipped') AS skipped, \
           avg(length(q.answer)) FILTER (WHERE q.answer IS NOT NULL)::float8 AS avg_len, \
           max(q.created_at) AS last_asked, min(q.text) AS sample_text \
    FROM questions q LEFT JOIN sessions s ON s.id = q.session_id \
    WHERE q.metadata->>'template_id' = ANY($1) \
    GROUP BY GROUPING SETS ((q.metadata->>'template_id', s.user_id), (q.metadata->>'template_id')) \
    HAVING GROUPING(s.user_id) = 1 OR s.user_id IS NOT NULL";

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
    diesel::sql_query(
        "INSERT INTO question_effectiveness (id, user_id, question_template_id, question_text, times_asked, \
             times_answered_well, times_skipped, average_answer_length, effectiveness_score, last_asked_at) \
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], \
                              $8::int[], $9::float8[], $10::timestamptz[]) \
         ON CONFLICT ON CONSTRAINT uq_question_effectiveness_user_id_question_template_id DO UPDATE SET \
             question_text = EXCLUDED.question_text, times_asked = EXCLUDED.times_asked, \
             times_answered_well = EXCLUDED.times_answered_well, times_skipped = EXCLUDED.times_skipped, \
             average_answer_length = EXCLUDED.average_answer_length, \
             effectiveness_score = EXCLUDED.effectiveness_score, last_asked_at = EXCLUDED.last_asked_at \
         WHERE (question_effectiveness.question_text, question_effectiveness.times_asked, \
                question_effectiveness.times_answered_well, question_effectiveness.times_skipped, \
                question_effectiveness.average_answer_length, question_effectiveness.effectiveness_score, \
                question_effectiveness.last_asked_at) \
               IS DISTINCT FROM (EXCLUDED.question_text, EXCLUDED.times_asked, EXCLUDED.times_answered_well, \
                EXCLUDED.times_skipped, EXCLUDED.average_answer_length, EXCLUDED.effectiveness_score, \
                EXCLUDED.last_asked_at)",
    )
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
