//! Backfills against their baselines.
//!
//! - **maturity** over each of `--sizes` projects (`--specs` current specifications
//!   each): the `maturity` job, against (a) the per-row loop of the original
//!   backfill script (read one project, compute, write it, commit; timed on a
//!   sample and extrapolated) and (b) the same formula as one SQL statement over
//!   every project, the limit; (b') adds the tracking rows the job also writes,
//!   as one INSERT.
//! - **embeddings** over each of `--chunk-sizes` chunks: the `embeddings` job
//!   (the embedder of `--embedder`, the built-in one by default), against (a)
//!   the per-row loop of the seeds' `backfill_embeddings.py` (read one chunk,
//!   encode it alone, UPDATE, commit) and (c) the embedder alone on the same
//!   texts, in the job's slices on the same threads, with no database at all:
//!   the limit, and how close the job gets to the model's own throughput.
//!
//! Then, per benchmark, the growth of each method's time against the rows: its
//! fitted exponent, the ratios at each size, and a chart.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use clap::Args;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use jobs::{Dbs, Job, Options};
use knowledge::embed::choice::EmbedderOptions;
use knowledge::embed::{Embedder, HashingEmbedder};
use test_db::TestDatabase;

use crate::growth::{Growth, parse_size, short};
use crate::report::{Table, thousands};
use crate::rows::ids;
use crate::sql;

/// Options of the `backfill` benchmark.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Projects for the maturity backfill, one run per size (100k, 1M, ...)
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_value = "100k,300k,1M")]
    sizes: Vec<i64>,
    /// Current specifications per project
    #[arg(long, default_value_t = 5)]
    specs: i64,
    /// Chunks for the embeddings backfill, one run per size
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_value = "100k,300k,1M")]
    chunk_sizes: Vec<i64>,
    /// Rows of the per-row baselines (timed, then extrapolated)
    #[arg(long, default_value_t = 2_000)]
    sample: usize,
    /// Rows per batch of the jobs
    #[arg(long, default_value_t = 2_000)]
    batch_size: i64,
    /// Threads of the jobs' CPU part (default: the machine's cores)
    #[arg(long)]
    threads: Option<usize>,
    /// Batches the jobs write at once
    #[arg(long, default_value_t = 2)]
    writers: usize,
    /// Run one of the two benchmarks only
    #[arg(long, value_enum)]
    only: Option<Which>,
    #[command(flatten)]
    embedder: EmbedderOptions,
}

/// One of the backfill benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Which {
    Maturity,
    Embeddings,
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    d: String,
}

/// The rows every backfill table starts with: the job, then the per-row loop
/// (`sampled` rows timed, `loop_secs` extrapolated to all `rows`).
fn job_and_loop(
    table: &mut Table,
    job: &str,
    (batch_size, options): (i64, &Options),
    rows: f64,
    (job_secs, job_rss): (f64, String),
    (sampled, loop_secs, loop_rss): (usize, f64, String),
) {
    table.row(vec![
        format!(
            "{job} job (batches of {batch_size}, {} threads, {} writers)",
            options.threads, options.writers
        ),
        format!("{job_secs:.2}"),
        thousands(rows / job_secs),
        "-".into(),
        job_rss,
    ]);
    table.row(vec![
        format!(
            "(a) per-row loop ({} sampled, extrapolated)",
            thousands(sampled as f64)
        ),
        format!("{loop_secs:.2}"),
        thousands(rows / loop_secs),
        format!("{:.1}x faster", loop_secs / job_secs),
        loop_rss,
    ]);
}

/// The column every backfill table ends with: this process's peak resident
/// memory while the method ran (SQL run by the server alone shows `-`).
const RSS: &str = "peak RSS MiB";

/// Where a job's time went.
fn split(r: &jobs::Report) -> String {
    format!(
        "{}: {} ms = read {} + compute {} + write {} (+ bookkeeping)",
        r.phase, r.millis, r.read_millis, r.compute_millis, r.write_millis
    )
}

fn scores_digest(specs: &mut PgConnection) -> Result<String> {
    Ok(diesel::sql_query(
        "SELECT md5(string_agg(id || ':' || maturity_score, ',' ORDER BY id)) AS d FROM projects",
    )
    .get_result::<Digest>(specs)?
    .d)
}

fn reset_maturity(specs: &mut PgConnection) -> Result<()> {
    specs.batch_execute("UPDATE projects SET maturity_score = 0; TRUNCATE maturity_tracking;")?;
    specs.batch_execute("VACUUM ANALYZE projects")?;
    Ok(())
}

/// The formula of `maturity_update.sql` plus the tracking rows the job writes (b').
const SQL_WITH_TRACKING: &str = "
INSERT INTO maturity_tracking (id, project_id, category, score, details)
SELECT gen_random_uuid(), project_id, category,
       round(least(100, sum(CASE WHEN maturity_score > 0 THEN maturity_score
                                 ELSE CASE status WHEN 'draft' THEN 10 WHEN 'approved' THEN 25
                                                  WHEN 'implemented' THEN 35 ELSE 0 END
                            END * coalesce(confidence, 1)))::numeric, 4)::float8,
       '{\"formula\": \"projects::maturity v1\"}'
FROM specifications WHERE is_current GROUP BY project_id, category
HAVING round(least(100, sum(CASE WHEN maturity_score > 0 THEN maturity_score
                                 ELSE CASE status WHEN 'draft' THEN 10 WHEN 'approved' THEN 25
                                                  WHEN 'implemented' THEN 35 ELSE 0 END
                            END * coalesce(confidence, 1)))::numeric, 4) <> 0;";

/// What the maturity benchmark measured at one size, in seconds.
struct MaturityTimes {
    job: f64,
    per_row_loop: f64,
    sql: f64,
    sql_tracking: f64,
}

fn maturity(opts: &Opts, options: &Options, projects: i64) -> Result<MaturityTimes> {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut s = specs.connect();
    println!(
        "\nmaturity: loading {} projects with {} specifications each ...",
        thousands(projects as f64),
        opts.specs
    );
    let started = Instant::now();
    s.batch_execute(sql::UUID7)?;
    s.batch_execute(&sql::fill(
        include_str!("sql/maturity_load.sql"),
        &[("projects", projects), ("per", opts.specs)],
    )?)?;
    s.batch_execute("VACUUM ANALYZE")?;
    println!("loaded in {:.1} s", started.elapsed().as_secs_f64());

    let mut dbs = Dbs::connect(auth.url(), specs.url())?;
    let started = Instant::now();
    let (reports, job_rss) = crate::rss::measured(|| {
        jobs::run_job(Job::Maturity, &mut dbs, options, Arc::new(HashingEmbedder))
    });
    let reports = reports?;
    let job_time = started.elapsed();
    println!("{}", split(&reports[0]));
    ensure!(
        reports[0].rows_read == u64::try_from(projects)?,
        "the job read {} projects",
        reports[0].rows_read
    );
    let job_digest = scores_digest(&mut s)?;

    reset_maturity(&mut s)?;
    let sample = ids(
        &mut s,
        diesel::sql_query(format!(
            "SELECT id FROM projects ORDER BY random() LIMIT {}",
            opts.sample
        )),
    )?;
    let started = Instant::now();
    let (looped, loop_rss) = crate::rss::measured(|| -> Result<()> {
        for id in &sample {
            projects::maturity::recompute(&mut s, specs_db::ids::ProjectId(*id))?;
        }
        Ok(())
    });
    looped?;
    let per_row = started.elapsed().as_secs_f64() / sample.len().max(1) as f64;
    let loop_time = Duration::from_secs_f64(per_row * projects as f64);

    reset_maturity(&mut s)?;
    let started = Instant::now();
    s.batch_execute(projects::maturity::UPDATE_ALL_SQL)?;
    let sql_time = started.elapsed();
    ensure!(
        scores_digest(&mut s)? == job_digest,
        "the SQL statement and the job disagree on the scores"
    );
    reset_maturity(&mut s)?;
    let started = Instant::now();
    s.batch_execute(&format!(
        "BEGIN; {}; {SQL_WITH_TRACKING} COMMIT;",
        projects::maturity::UPDATE_ALL_SQL
    ))?;
    let sql_tracking_time = started.elapsed();

    let rows = projects as f64;
    let job_secs = job_time.as_secs_f64();
    let mut table = Table::new(
        format!(
            "backfill maturity over {} projects ({} specifications)",
            thousands(rows),
            thousands(rows * opts.specs as f64)
        ),
        &["method", "seconds", "projects/s", "the job is", RSS],
    );
    job_and_loop(
        &mut table,
        "maturity",
        (opts.batch_size, options),
        rows,
        (job_secs, job_rss),
        (sample.len(), loop_time.as_secs_f64(), loop_rss),
    );
    table.row(vec![
        "(b) one SQL UPDATE (the limit)".into(),
        format!("{:.2}", sql_time.as_secs_f64()),
        thousands(rows / sql_time.as_secs_f64()),
        format!("{:.2}x its time", job_secs / sql_time.as_secs_f64()),
        "-".into(),
    ]);
    table.row(vec![
        "(b') UPDATE + INSERT of the tracking rows".into(),
        format!("{:.2}", sql_tracking_time.as_secs_f64()),
        thousands(rows / sql_tracking_time.as_secs_f64()),
        format!(
            "{:.2}x its time",
            job_secs / sql_tracking_time.as_secs_f64()
        ),
        "-".into(),
    ]);
    table.print();
    Ok(MaturityTimes {
        job: job_secs,
        per_row_loop: loop_time.as_secs_f64(),
        sql: sql_time.as_secs_f64(),
        sql_tracking: sql_tracking_time.as_secs_f64(),
    })
}

/// The embeddings job and its per-row loop at one size, in seconds, and the chunks embedded.
struct EmbeddingTimes {
    chunks: i64,
    job: f64,
    per_row_loop: f64,
    model_alone: f64,
}

fn embeddings(
    opts: &Opts,
    options: &Options,
    embedder: &Arc<dyn Embedder>,
    chunks: i64,
) -> Result<EmbeddingTimes> {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut s = specs.connect();
    let docs = (chunks / 100).max(1);
    println!(
        "\nembeddings: loading {} chunks of ~150 words ...",
        thousands(chunks as f64)
    );
    let started = Instant::now();
    s.batch_execute(sql::UUID7)?;
    s.batch_execute(&sql::fill(
        include_str!("sql/embeddings_load.sql"),
        &[("docs", docs), ("per", chunks / docs)],
    )?)?;
    s.batch_execute("VACUUM ANALYZE")?;
    println!("loaded in {:.1} s", started.elapsed().as_secs_f64());
    let total = chunks / docs * docs;

    let mut dbs = Dbs::connect(auth.url(), specs.url())?;
    let (reports, job_rss) = crate::rss::measured(|| {
        jobs::run_job(Job::Embeddings, &mut dbs, options, Arc::clone(embedder))
    });
    let reports = reports?;
    let chunk_phase = reports
        .iter()
        .find(|r| r.phase.ends_with(":chunks"))
        .ok_or_else(|| anyhow::anyhow!("no chunk phase"))?;
    ensure!(
        chunk_phase.rows_read == u64::try_from(total)?,
        "the job embedded {} chunks",
        chunk_phase.rows_read
    );
    let job_secs = chunk_phase.millis as f64 / 1000.0;
    println!("{}", split(chunk_phase));

    s.batch_execute(
        "UPDATE document_chunks SET embedding = NULL, embedding_model = NULL, embedded_at = NULL",
    )?;
    s.batch_execute("VACUUM ANALYZE document_chunks")?;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = SqlUuid)]
        id: uuid::Uuid,
        #[diesel(sql_type = Text)]
        content: String,
    }
    let embedder = embedder.as_ref();
    let started = Instant::now();
    let (looped, loop_rss) = crate::rss::measured(|| -> Result<()> {
        for _ in 0..opts.sample {
            let row: Row = diesel::sql_query(
            "SELECT id, content FROM document_chunks WHERE embedding IS NULL ORDER BY created_at, id LIMIT 1",
        )
        .get_result(&mut s)?;
            let vector = embedder.embed(&[&row.content])?.pop().unwrap_or_default();
            diesel::sql_query("UPDATE document_chunks SET embedding = $2, embedding_model = $3, embedded_at = now() WHERE id = $1")
            .bind::<SqlUuid, _>(row.id)
            .bind::<diesel::sql_types::Array<diesel::sql_types::Float4>, _>(&vector)
            .bind::<Text, _>(embedder.model())
            .execute(&mut s)?;
        }
        Ok(())
    });
    looped?;
    let per_row = started.elapsed().as_secs_f64() / opts.sample.max(1) as f64;
    let loop_secs = per_row * total as f64;

    // The limit: the same texts, the job's slices and threads, no database.
    let texts: Vec<String> = document_chunks_texts(&mut s)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()?;
    let started = Instant::now();
    let (alone, alone_rss) = crate::rss::measured(|| {
        pool.install(|| knowledge::embed::embed_in_slices(embedder, &texts))
    });
    ensure!(alone?.len() == texts.len(), "the embedder skipped texts");
    let alone_secs = started.elapsed().as_secs_f64();

    let rows = total as f64;
    let mut table = Table::new(
        format!(
            "backfill embeddings over {} chunks ({})",
            thousands(rows),
            embedder.model()
        ),
        &["method", "seconds", "chunks/s", "the job is", RSS],
    );
    job_and_loop(
        &mut table,
        "embeddings",
        (opts.batch_size, options),
        rows,
        (job_secs, job_rss),
        (opts.sample, loop_secs, loop_rss),
    );
    table.row(vec![
        "(c) the embedder alone, no database (the limit)".into(),
        format!("{alone_secs:.2}"),
        thousands(rows / alone_secs),
        format!("{:.0}% of its throughput", 100.0 * alone_secs / job_secs),
        alone_rss,
    ]);
    table.print();
    Ok(EmbeddingTimes {
        chunks: total,
        job: job_secs,
        per_row_loop: loop_secs,
        model_alone: alone_secs,
    })
}

/// Every chunk's text, in the job's order.
fn document_chunks_texts(s: &mut PgConnection) -> Result<Vec<String>> {
    #[derive(QueryableByName)]
    struct Content {
        #[diesel(sql_type = Text)]
        content: String,
    }
    let rows: Vec<Content> =
        diesel::sql_query("SELECT content FROM document_chunks ORDER BY created_at, id").load(s)?;
    Ok(rows.into_iter().map(|r| r.content).collect())
}

/// Runs both backfill benchmarks at every size, prints their tables, their
/// growth and ratios, and writes their charts into `charts`.
pub(crate) fn run(opts: &Opts, charts: &Path) -> Result<()> {
    let options = Options {
        batch_size: opts.batch_size,
        threads: opts.threads.unwrap_or(Options::default().threads),
        writers: opts.writers,
        quiet: true,
        ..Options::default()
    };
    if opts.only != Some(Which::Embeddings) {
        let mut growth = Growth::new(
            "backfill-maturity",
            "backfill maturity: time against projects",
            "projects",
            "seconds",
        );
        let mut ratios = Table::new(
            "backfill maturity against its limit and the per-row loop at each size (targets: <= 2x, >= 20x)",
            &[
                "projects",
                "vs (b) one UPDATE",
                "vs (b') UPDATE + tracking",
                "faster than the loop",
            ],
        );
        for projects in &opts.sizes {
            let t = maturity(opts, &options, *projects)?;
            let x = *projects as f64;
            growth.add("maturity job", Some(1.1), x, t.job);
            growth.add("(a) per-row loop", None, x, t.per_row_loop);
            growth.add("(b) one SQL UPDATE", None, x, t.sql);
            growth.add("(b') UPDATE + tracking INSERT", None, x, t.sql_tracking);
            ratios.row(vec![
                short(x),
                format!("{:.2}x its time", t.job / t.sql),
                format!("{:.2}x its time", t.job / t.sql_tracking),
                format!("{:.1}x", t.per_row_loop / t.job),
            ]);
        }
        growth.report(&ratios, charts)?;
    }
    if opts.only != Some(Which::Maturity) {
        let mut growth = Growth::new(
            "backfill-embeddings",
            "backfill embeddings: time against chunks",
            "chunks",
            "seconds",
        );
        let embedder = opts.embedder.build()?;
        let mut ratios = Table::new(
            format!(
                "backfill embeddings ({}) against the per-row loop and the embedder alone at each size",
                embedder.model()
            ),
            &[
                "chunks",
                "faster than the loop",
                "of the embedder's throughput",
            ],
        );
        for chunks in &opts.chunk_sizes {
            let t = embeddings(opts, &options, &embedder, *chunks)?;
            let x = t.chunks as f64;
            growth.add("embeddings job", Some(1.1), x, t.job);
            growth.add("(a) per-row loop", None, x, t.per_row_loop);
            growth.add("(c) the embedder alone", None, x, t.model_alone);
            ratios.row(vec![
                short(x),
                format!("{:.1}x", t.per_row_loop / t.job),
                format!("{:.0}%", 100.0 * t.model_alone / t.job),
            ]);
        }
        growth.report(&ratios, charts)?;
    }
    Ok(())
}
