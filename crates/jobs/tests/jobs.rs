//! Seed and backfills on real databases.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::sync::Arc;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use jobs::{Dbs, Job, Options, Report, run_job};
use knowledge::embed::HashingEmbedder;
use test_db::{Pair, count};

/// The jobs, run on the harness's pair.
trait RunJobs {
    fn dbs(&self) -> Dbs;
    fn dbs_in_turn(&self) -> Dbs;
    fn run(&self, job: Job, options: &Options) -> Vec<Report>;
    fn run_in_turn(&self, job: Job, options: &Options) -> Vec<Report>;
}

impl RunJobs for Pair {
    /// Connections by URL: the runner reads and writes on separate connections,
    /// with `Options::writers` writers.
    fn dbs(&self) -> Dbs {
        Dbs::connect(self.auth.url(), self.specs.url()).expect("connect")
    }

    /// Two connections only: the runner reads and writes in turn.
    fn dbs_in_turn(&self) -> Dbs {
        Dbs::new(self.auth.connect(), self.specs.connect())
    }

    fn run(&self, job: Job, options: &Options) -> Vec<Report> {
        run_job(job, &mut self.dbs(), options, Arc::new(HashingEmbedder)).expect("job")
    }

    fn run_in_turn(&self, job: Job, options: &Options) -> Vec<Report> {
        run_job(
            job,
            &mut self.dbs_in_turn(),
            options,
            Arc::new(HashingEmbedder),
        )
        .expect("job")
    }
}

fn options(batch_size: i64) -> Options {
    Options {
        batch_size,
        threads: 2,
        quiet: true,
        ..Options::default()
    }
}

/// What a job derives, without the ids and times of rows it creates (they differ
/// between runs): equal projections mean equal results.
fn results(pair: &Pair, job: Job) -> Vec<String> {
    let queries: &[(bool, &str)] = match job {
        Job::Chunks => &[(
            false,
            "SELECT document_id, chunk_index, content, tokens_count, chunk_type, source_section FROM document_chunks",
        )],
        Job::Embeddings => &[
            (
                false,
                "SELECT id, embedding, embedding_model FROM knowledge_base_documents",
            ),
            (
                false,
                "SELECT document_id, chunk_index, embedding, embedding_model FROM document_chunks",
            ),
        ],
        Job::SearchIndex => &[
            (
                false,
                "SELECT c.document_id, c.chunk_index, k.project_id, k.embedding_model, k.globally_visible, k.list_no, k.code \
                 FROM document_chunk_codes k JOIN document_chunks c ON c.id = k.chunk_id",
            ),
            (
                false,
                "SELECT embedding_model, list_no, centroid, members FROM knowledge_search_lists",
            ),
        ],
        Job::Maturity => &[
            (
                false,
                "SELECT project_id, category, score, details FROM maturity_tracking",
            ),
            (false, "SELECT id, maturity_score FROM projects"),
        ],
        Job::Counters => &[
            (false, "SELECT id, message_count FROM sessions"),
            (
                false,
                "SELECT id, file_count, total_lines_of_code FROM generated_projects",
            ),
            (true, "SELECT id, member_count, project_count FROM teams"),
        ],
        Job::QuestionEffectiveness => &[(
            false,
            "SELECT user_id, question_template_id, question_text, times_asked, times_answered_well, times_skipped, \
             average_answer_length, effectiveness_score, last_asked_at FROM question_effectiveness",
        )],
        Job::AnalyticsRollup => &[(
            false,
            "SELECT metric_name, metric_value, dimension_type, dimension_value, period, period_start, period_end FROM analytics_metrics",
        )],
    };
    #[derive(QueryableByName)]
    struct Digest {
        #[diesel(sql_type = Text)]
        d: String,
    }
    queries
        .iter()
        .map(|(auth, sql)| {
            let mut conn = if *auth { pair.auth.connect() } else { pair.specs.connect() };
            let wrapped = format!("SELECT count(*) || ' rows, md5 ' || md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS d FROM ({sql}) r");
            diesel::sql_query(wrapped).get_result::<Digest>(&mut conn).expect(sql).d
        })
        .collect()
}

/// Gives the counters job something to correct, the same way in every pair.
fn break_counters(pair: &Pair) {
    pair.specs
        .connect()
        .batch_execute(
            "UPDATE sessions SET message_count = message_count + 3 WHERE id IN (SELECT id FROM sessions ORDER BY id LIMIT 7);
             INSERT INTO generated_projects (id, project_id, name, file_count, total_lines_of_code)
                 SELECT '00000000-0000-7000-8000-000000000001', id, 'gen', 5, 50 FROM projects ORDER BY id LIMIT 1;
             INSERT INTO generated_files (id, generated_project_id, file_path, filename, lines_of_code)
                 VALUES ('00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', 'a.rs', 'a.rs', 12);",
        )
        .expect("break specs counters");
    pair.auth
        .connect()
        .batch_execute("UPDATE teams SET member_count = 0, project_count = 9")
        .expect("break team counters");
}

/// For every job: stopping after each batch and resuming gives the same result as
/// one uninterrupted run; a second run changes nothing; a dry run writes nothing
/// (not even its checkpoint) and predicts the real run's changes.
#[test]
fn every_job_resumes_reruns_and_dry_runs_cleanly() {
    for job in Job::ALL {
        let straight = Pair::seeded(1, 7);
        let stepwise = Pair::seeded(1, 7);
        let dry = Pair::seeded(1, 7);
        if job == Job::Counters {
            for p in [&straight, &stepwise, &dry] {
                break_counters(p);
            }
        }
        if job == Job::Embeddings {
            // Embeddings need chunks to embed.
            for p in [&straight, &stepwise, &dry] {
                p.run(Job::Chunks, &options(50));
            }
        }
        if job == Job::SearchIndex {
            // Chunks embedded before the index existed: no codes.
            for p in [&straight, &stepwise, &dry] {
                p.run(Job::Chunks, &options(50));
                p.run(Job::Embeddings, &options(50));
                p.specs
                    .connect()
                    .batch_execute("DELETE FROM document_chunk_codes")
                    .expect("forget the codes");
            }
        }
        let batch = if job == Job::AnalyticsRollup { 3 } else { 7 };

        let before = dry.everything();
        let predicted: u64 = dry
            .run(
                job,
                &Options {
                    dry_run: true,
                    ..options(batch)
                },
            )
            .iter()
            .map(|r| r.rows_changed)
            .sum();
        assert_eq!(
            dry.everything(),
            before,
            "{}: a dry run wrote something",
            job.name()
        );

        let reports = straight.run(job, &options(batch));
        let changed: u64 = reports.iter().map(|r| r.rows_changed).sum();
        assert!(
            changed > 0,
            "{}: the fixture gives the job nothing to do",
            job.name()
        );
        assert_eq!(
            predicted,
            changed,
            "{}: the dry run predicted {predicted}, the run changed {changed}",
            job.name()
        );

        // Stop after every batch, alternating the pipelined and the plain runner.
        let mut rounds = 0;
        loop {
            rounds += 1;
            let step = Options {
                max_batches: Some(1),
                ..options(batch)
            };
            let reports = if rounds % 2 == 0 {
                stepwise.run(job, &step)
            } else {
                stepwise.run_in_turn(job, &step)
            };
            if rounds > 1 {
                assert!(
                    reports.iter().any(|r| r.resumed),
                    "{}: round {rounds} did not resume",
                    job.name()
                );
            }
            if reports.iter().all(|r| !r.paused) {
                break;
            }
            assert!(rounds < 500, "{}: never finished", job.name());
        }
        assert!(
            rounds > 2,
            "{}: the batches are too large to interrupt ({rounds} rounds)",
            job.name()
        );
        assert_eq!(
            results(&stepwise, job),
            results(&straight, job),
            "{}: resumed run differs",
            job.name()
        );

        let data = straight.data();
        let again = straight.run_in_turn(job, &options(batch));
        assert!(
            again.iter().all(|r| r.rows_changed == 0),
            "{}: second run changed {again:?}",
            job.name()
        );
        assert_eq!(
            straight.data(),
            data,
            "{}: a second run changed the data",
            job.name()
        );
    }
}

/// A batch that fails while later batches are being written beside it: no
/// batch after it commits, the checkpoint names the end of the committed
/// prefix exactly, and the resumed run ends where an uninterrupted one does.
#[test]
fn a_failed_batch_stops_the_writers_at_a_committed_prefix() {
    let straight = Pair::seeded(1, 5);
    let failing = Pair::seeded(1, 5);
    let opts = Options {
        writers: 3,
        ..options(2)
    };
    straight.run(Job::Maturity, &opts);
    let projects = count(
        &mut failing.specs.connect(),
        "SELECT count(*) AS n FROM projects",
    );
    assert!(projects > 12, "{projects} projects are too few");
    // One project's tracking rows are refused: the sixth scored project, so the
    // batches after its own have work to write (and must not commit).
    #[derive(QueryableByName)]
    struct Victim {
        #[diesel(sql_type = Text)]
        id: String,
    }
    let victim = diesel::sql_query(
        "SELECT project_id::text AS id FROM maturity_tracking GROUP BY project_id ORDER BY project_id OFFSET 5 LIMIT 1",
    )
    .get_result::<Victim>(&mut straight.specs.connect())
    .expect("a sixth scored project")
    .id;
    failing
        .specs
        .connect()
        .batch_execute(&format!(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                 PERFORM pg_sleep(0.5); -- the later batches are written meanwhile
                 RAISE EXCEPTION 'refused';
             END $$;
             CREATE TRIGGER refuse BEFORE INSERT ON maturity_tracking FOR EACH ROW
                 WHEN (NEW.project_id = '{victim}') EXECUTE FUNCTION refuse();"
        ))
        .expect("trigger");
    let err = run_job(
        Job::Maturity,
        &mut failing.dbs(),
        &opts,
        Arc::new(HashingEmbedder),
    )
    .expect_err("a batch fails");
    assert!(err.to_string().contains("refused"), "{err}");
    let mut conn = failing.specs.connect();
    let processed = count(
        &mut conn,
        "SELECT processed_count AS n FROM job_checkpoints WHERE job_name = 'backfill:maturity'",
    );
    let before_victim = count(
        &mut conn,
        &format!("SELECT count(*) AS n FROM projects WHERE id < '{victim}'"),
    );
    assert!(
        processed % 2 == 0 && processed <= before_victim,
        "processed {processed} of the {before_victim} projects before the refused one"
    );
    // Exactly the projects up to the checkpoint's cursor were scored.
    let scored = count(
        &mut conn,
        "SELECT count(DISTINCT project_id) AS n FROM maturity_tracking",
    );
    let upto = count(
        &mut conn,
        "SELECT count(*) AS n FROM projects WHERE id <= coalesce((SELECT cursor::uuid FROM job_checkpoints \
         WHERE job_name = 'backfill:maturity'), '00000000-0000-0000-0000-000000000000') \
         AND EXISTS (SELECT 1 FROM specifications s WHERE s.project_id = projects.id AND s.is_current)",
    );
    assert_eq!(scored, upto);
    conn.batch_execute("DROP TRIGGER refuse ON maturity_tracking; DROP FUNCTION refuse();")
        .expect("drop trigger");
    let resumed = failing.run(Job::Maturity, &opts);
    assert_eq!(resumed[0].resumed, processed > 0);
    assert_eq!(
        results(&failing, Job::Maturity),
        results(&straight, Job::Maturity)
    );
}

/// Options are checked.
#[test]
fn bad_options_are_refused() {
    let pair = Pair::seeded(1, 1);
    let err = run_job(
        Job::Maturity,
        &mut pair.dbs(),
        &Options {
            batch_size: 0,
            ..options(1)
        },
        Arc::new(HashingEmbedder),
    )
    .expect_err("refused");
    assert!(err.to_string().contains("--batch-size"), "{err}");
    assert!("backfill-everything".parse::<Job>().is_err());
}

/// The `(created_at, id)` keyset across a tie larger than a batch: every chunk
/// shares one `created_at` (as the chunks of one ingest do), batches of 3 stop
/// and resume inside the tie, and every chunk is embedded exactly once.
#[test]
fn resuming_inside_a_tie_of_created_at_embeds_every_row_once() {
    let pair = Pair::seeded(1, 7);
    pair.run(Job::Chunks, &options(50));
    let mut specs = pair.specs.connect();
    specs
        .batch_execute(
            "UPDATE document_chunks SET created_at = '2026-01-02 03:04:05+00';
             UPDATE knowledge_base_documents SET created_at = '2026-01-02 03:04:05+00';",
        )
        .expect("one created_at for all");
    let chunks = count(&mut specs, "SELECT count(*) AS n FROM document_chunks");
    assert!(chunks > 6, "the tie must span batches: {chunks} chunks");
    let mut embedded = 0;
    let mut rounds = 0;
    loop {
        rounds += 1;
        let reports = pair.run_in_turn(
            Job::Embeddings,
            &Options {
                max_batches: Some(1),
                ..options(3)
            },
        );
        embedded += reports
            .iter()
            .filter(|r| r.phase.ends_with(":chunks"))
            .map(|r| r.rows_changed)
            .sum::<u64>();
        if reports.iter().all(|r| !r.paused) {
            break;
        }
        assert!(rounds < 500, "never finished");
    }
    assert_eq!(embedded, u64::try_from(chunks).expect("count"));
    assert_eq!(
        count(
            &mut specs,
            "SELECT count(*) AS n FROM document_chunks WHERE embedding IS NULL"
        ),
        0
    );
}
