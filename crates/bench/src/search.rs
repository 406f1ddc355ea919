//! `search`: the knowledge search at each of `--sizes` chunks, side by side:
//!
//! - **ours**, `knowledge::search` (lists, sign codes, exact re-rank);
//! - **(a) today's scan**: every visible chunk's cosine by `unnest` in SQL
//!   (`exact: true`), the baseline, timed on `--baseline-queries` queries;
//! - **(b) brute force in memory**: the same vectors in a Rust `Vec`, every dot
//!   product on the rayon pool, the limit (and the ground truth of recall).
//!
//! The vectors are all-MiniLM-L6-v2 embeddings of real English text: windows of
//! Debian's manual pages (see [`crate::corpus`]); the queries are the pages'
//! one-line descriptions. They are embedded once and cached in `--cache`.
//! Beyond the corpus (about 200k windows), a size is filled with mixtures of two
//! corpus vectors (a random convex combination, renormalised), said in the
//! output; recall is reported at every size. From 1M chunks up, a tenth are an
//! approved global document's, the rest the project's.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Result, ensure};
use clap::Args;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float4, Text, Uuid as SqlUuid};
use jobs::{Dbs, Job, Options};
use knowledge::embed::Embedder;
use knowledge::embed::choice::EmbedderOptions;
use knowledge::search::{self, Options as SearchOptions};
use rayon::prelude::*;
use specs_db::ids::ProjectId;
use test_db::TestDatabase;

use crate::corpus;
use crate::growth::{Growth, parse_size, short};
use crate::report::{Table, thousands};

/// Options of the `search` benchmark.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Chunks, one run per size (100k, 1M, ...)
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_value = "100k,1M")]
    sizes: Vec<i64>,
    /// Queries timed (and recall measured over)
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Queries timed for today's unnest scan (it takes seconds each)
    #[arg(long, default_value_t = 10)]
    baseline_queries: usize,
    /// Results per query
    #[arg(long, default_value_t = 10)]
    k: i64,
    /// Lists probed: 1 in N of a model's lists (default: the search's own)
    #[arg(long, value_name = "N")]
    probe_divisor: Option<usize>,
    /// Candidates re-ranked exactly (default: the search's own)
    #[arg(long, value_name = "N")]
    candidates: Option<i64>,
    /// Also time ours with each of these candidate counts (a row each), for tuning
    #[arg(long, value_name = "N,N", value_delimiter = ',')]
    compare_candidates: Vec<i64>,
    #[command(flatten)]
    embedder: EmbedderOptions,
    /// Threads for embedding and the in-memory scan (default: the machine's cores)
    #[arg(long)]
    threads: Option<usize>,
    /// Corpus windows embedded (evenly spread over the pages); sizes beyond are mixtures
    #[arg(long, value_parser = parse_size, default_value = "100k")]
    real: i64,
    /// Where the corpus's embeddings are cached
    #[arg(long, value_name = "DIR", default_value = "target/bench-cache")]
    cache: PathBuf,
}

/// Embeddings of `texts`, from the cache when the same texts were embedded by
/// the same model before.
fn embedded(
    opts: &Opts,
    embedder: &dyn Embedder,
    what: &str,
    texts: &[String],
) -> Result<Vec<Vec<f32>>> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for t in texts.iter().flat_map(|t| t.bytes().chain([0])) {
        hash = (hash ^ u64::from(t)).wrapping_mul(0x0100_0000_01b3);
    }
    let model: String = embedder
        .model()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let path = opts.cache.join(format!("{what}-{model}-{hash:016x}.f32"));
    if let Ok(mut f) = std::fs::File::open(&path) {
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        if bytes.len() == texts.len() * 384 * 4 {
            let floats: Vec<f32> = bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            println!(
                "{what}: {} embeddings from {}",
                thousands(texts.len() as f64),
                path.display()
            );
            return Ok(floats.chunks(384).map(<[f32]>::to_vec).collect());
        }
    }
    println!(
        "{what}: embedding {} texts with {} ...",
        thousands(texts.len() as f64),
        embedder.model()
    );
    let started = Instant::now();
    let vectors = knowledge::embed::embed_in_slices(embedder, texts)?;
    println!(
        "{what}: {:.0} texts/s ({:.1} s)",
        texts.len() as f64 / started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    std::fs::create_dir_all(&opts.cache)?;
    let mut f = std::fs::File::create(&path)?;
    for x in vectors.iter().flatten() {
        f.write_all(&x.to_le_bytes())?;
    }
    Ok(vectors)
}

/// `size` vectors: the corpus's, then mixtures of two of them (deterministic).
fn vectors_for(real: &[Vec<f32>], size: usize) -> Vec<(usize, Vec<f32>)> {
    let mut out: Vec<(usize, Vec<f32>)> = real.iter().take(size).cloned().enumerate().collect();
    let mut state: u64 = 0x5eed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    while out.len() < size {
        let a = usize::try_from(next() % real.len() as u64).unwrap_or(0);
        let b = usize::try_from(next() % real.len() as u64).unwrap_or(0);
        let w = 0.5 + (next() % 1000) as f32 / 2000.0;
        let mut v: Vec<f32> = real[a]
            .iter()
            .zip(&real[b])
            .map(|(x, y)| w * x + (1.0 - w) * y)
            .collect();
        knowledge::embed::normalize(&mut v);
        out.push((a, v));
    }
    out
}

/// Loads `vectors` (text of the corpus chunk each came from) into `specs`:
/// the project's chunks, then `global` chunks of an approved global document.
fn load(
    specs: &mut PgConnection,
    model: &str,
    texts: &[String],
    vectors: &[(usize, Vec<f32>)],
    global: usize,
) -> Result<ProjectId> {
    let project = uuid::Uuid::now_v7();
    let (doc, global_doc) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    specs.batch_execute(&format!(
        "INSERT INTO projects (id, owner_id, creator_id, name) VALUES ('{project}', '{project}', '{project}', 'search bench');
         INSERT INTO knowledge_base_documents (id, project_id, title, content, is_approved) VALUES
           ('{doc}', '{project}', 'manual pages', 'x', false), ('{global_doc}', NULL, 'global manual pages', 'x', true);"
    ))?;
    let split = vectors.len() - global;
    for (start, batch) in vectors
        .chunks(5_000)
        .enumerate()
        .map(|(i, b)| (i * 5_000, b))
    {
        let ids: Vec<uuid::Uuid> = batch.iter().map(|_| uuid::Uuid::now_v7()).collect();
        let contents: Vec<&str> = batch.iter().map(|(t, _)| texts[*t].as_str()).collect();
        let flat: Vec<f32> = batch.iter().flat_map(|(_, v)| v.iter().copied()).collect();
        let own = i64::try_from(split.saturating_sub(start).min(batch.len()))?;
        diesel::sql_query(
            "INSERT INTO document_chunks (id, document_id, project_id, chunk_index, content, embedding, embedding_model, embedded_at) \
             SELECT t.id, CASE WHEN t.n <= $6 THEN $5 ELSE $7 END, CASE WHEN t.n <= $6 THEN $8 END, \
                    $9 + t.n, t.content, $3[(t.n - 1) * 384 + 1 : t.n * 384], $4, now() \
             FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, content, n)",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<Text>, _>(&contents)
        .bind::<Array<Float4>, _>(&flat)
        .bind::<Text, _>(model)
        .bind::<SqlUuid, _>(doc)
        .bind::<BigInt, _>(own)
        .bind::<SqlUuid, _>(global_doc)
        .bind::<SqlUuid, _>(project)
        .bind::<BigInt, _>(i64::try_from(start)?)
        .execute(specs)?;
    }
    Ok(ProjectId(project))
}

/// p50 and p99 of `ms`.
fn percentiles(ms: &mut [f64]) -> (f64, f64) {
    if ms.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

/// The figures of one method at one size.
struct Measured {
    p50: f64,
    p99: f64,
    recall: Option<f64>,
    queries: usize,
}

/// Times and recalls of one method over the queries.
#[derive(Default)]
struct Tally {
    ms: Vec<f64>,
    recall: f64,
}

impl Tally {
    fn add(&mut self, started: Instant, found: Option<&[uuid::Uuid]>, truth: &[uuid::Uuid]) {
        self.ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(found) = found {
            self.recall += recall(found, truth);
        }
    }

    fn measured(mut self, with_recall: bool) -> Measured {
        let (p50, p99) = percentiles(&mut self.ms);
        let queries = self.ms.len();
        Measured {
            p50,
            p99,
            recall: with_recall.then(|| self.recall / queries.max(1) as f64),
            queries,
        }
    }
}

/// The figures at one size: ours, (a), (b), then ours at each compared candidate count.
struct AtSize {
    ours: Measured,
    scan: Measured,
    brute: Measured,
    compared: Vec<(i64, Measured)>,
}

fn recall(found: &[uuid::Uuid], truth: &[uuid::Uuid]) -> f64 {
    found.iter().filter(|id| truth.contains(id)).count() as f64 / truth.len().max(1) as f64
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = Array<Float4>)]
    embedding: Vec<f32>,
}

/// One size: load, index, then the three methods over the queries.
fn one_size(
    opts: &Opts,
    model: &str,
    corpus: (&[String], &[Vec<f32>]),
    queries: &[Vec<f32>],
    size: usize,
) -> Result<AtSize> {
    let global = if size >= 1_000_000 { size / 10 } else { 0 };
    let vectors = vectors_for(corpus.1, size);
    let mixed = size.saturating_sub(corpus.1.len());
    println!(
        "\nsearch over {} chunks ({} of the project, {} global; {} corpus vectors, {} mixtures of two)",
        thousands(size as f64),
        thousands((size - global) as f64),
        thousands(global as f64),
        thousands((size - mixed) as f64),
        thousands(mixed as f64)
    );
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let mut s = specs.connect();
    let started = Instant::now();
    let project = load(&mut s, model, corpus.0, &vectors, global)?;
    drop(vectors);
    println!("loaded in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let mut dbs = Dbs::connect(auth.url(), specs.url())?;
    let options = Options {
        batch_size: 5_000,
        threads: opts.threads.unwrap_or(Options::default().threads),
        quiet: true,
        ..Options::default()
    };
    let reports = jobs::run_job(
        Job::SearchIndex,
        &mut dbs,
        &options,
        std::sync::Arc::new(knowledge::embed::HashingEmbedder),
    )?;
    for r in &reports {
        println!(
            "  {}: {} rows, {} changed, {} ms",
            r.phase, r.rows_read, r.rows_changed, r.millis
        );
    }
    s.batch_execute("VACUUM ANALYZE")?;
    println!(
        "indexed (search-index backfill + VACUUM) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The limit holds what the database holds, read back.
    let stored: Vec<Stored> =
        diesel::sql_query("SELECT id, embedding FROM document_chunks").load(&mut s)?;
    ensure!(stored.len() == size, "{} chunks stored", stored.len());
    let defaults = SearchOptions::new(opts.k);
    let no_count = |exact: bool| SearchOptions {
        exact,
        count: false,
        probe_divisor: opts.probe_divisor.unwrap_or(defaults.probe_divisor),
        candidates: opts.candidates.or(defaults.candidates),
        ..defaults
    };
    let k = usize::try_from(opts.k)?;
    let (mut ours, mut scan, mut brute) = (Tally::default(), Tally::default(), Tally::default());
    let ids = |hits: &[search::Hit]| -> Vec<uuid::Uuid> {
        hits.iter().map(|h| h.chunk_id.into_uuid()).collect()
    };
    // One method at a time over all the queries, so that no method finds the
    // pages of a query's candidates cached by another's run of the same query.
    let queries = &queries[..opts.queries.min(queries.len())];
    let mut truths = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        let mut scored: Vec<(f32, uuid::Uuid)> = stored
            .par_iter()
            .map(|c| (knowledge::embed::dot(&c.embedding, q), c.id))
            .collect();
        scored.par_sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let truth: Vec<uuid::Uuid> = scored.iter().take(k).map(|x| x.1).collect();
        brute.add(t, None, &truth);
        truths.push(truth);
    }
    let mut timed = |tally: &mut Tally, options: &SearchOptions, n: usize| -> Result<()> {
        for (q, truth) in queries.iter().zip(&truths).take(n) {
            let t = Instant::now();
            let hits = search::search_vector(&mut s, model, Some(project), q, options)?;
            tally.add(t, Some(&ids(&hits)), truth);
        }
        Ok(())
    };
    timed(&mut ours, &no_count(false), queries.len())?;
    let mut compared = Vec::with_capacity(opts.compare_candidates.len());
    for &n in &opts.compare_candidates {
        let options = SearchOptions {
            candidates: Some(n),
            ..no_count(false)
        };
        let mut tally = Tally::default();
        timed(&mut tally, &options, queries.len())?;
        compared.push((n, tally.measured(true)));
    }
    timed(&mut scan, &no_count(true), opts.baseline_queries)?;
    Ok(AtSize {
        ours: ours.measured(true),
        scan: scan.measured(true),
        brute: brute.measured(false),
        compared,
    })
}

/// Runs the benchmark at every size, prints its tables and growth, writes its chart.
pub(crate) fn run(opts: &Opts, charts: &Path) -> Result<()> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(t) = opts.threads {
        pool = pool.num_threads(t);
    }
    let pool = pool.build()?;
    let embedder = opts.embedder.build()?;
    let corpus = corpus::read()?;
    println!(
        "corpus: {} manual pages, {} windows of {} words, {} queries",
        corpus.pages,
        thousands(corpus.chunks.len() as f64),
        corpus::WINDOW,
        corpus.queries.len()
    );
    // Queries spread over the pages, the same ones at every size.
    let step = (corpus.queries.len() / opts.queries.max(1)).max(1);
    let queries: Vec<String> = corpus
        .queries
        .iter()
        .step_by(step)
        .take(opts.queries)
        .cloned()
        .collect();
    let real = usize::try_from(opts.real)?.min(corpus.chunks.len()).max(1);
    let spread = corpus.chunks.len() as f64 / real as f64;
    let texts: Vec<String> = (0..real)
        .map(|i| corpus.chunks[((i as f64 * spread) as usize).min(corpus.chunks.len() - 1)].clone())
        .collect();
    let (chunks, queries) = pool.install(|| -> Result<_> {
        Ok((
            embedded(opts, embedder.as_ref(), "chunks", &texts)?,
            embedded(opts, embedder.as_ref(), "queries", &queries)?,
        ))
    })?;
    let mut growth = Growth::new(
        "search",
        "knowledge search: p50 latency against chunks",
        "chunks",
        "ms",
    );
    let mut targets = Table::new(
        format!("search at k = {} against its targets", opts.k),
        &["chunks", "p50 ms", "p99 ms", "recall@10", "targets", "met"],
    );
    for &size in &opts.sizes {
        let size = usize::try_from(size)?;
        let AtSize {
            ours,
            scan,
            brute,
            compared,
        } = pool.install(|| {
            one_size(
                opts,
                embedder.model(),
                (&corpus.chunks, &chunks),
                &queries,
                size,
            )
        })?;
        let mut table = Table::new(
            format!(
                "search over {} chunks, k = {} ({})",
                thousands(size as f64),
                opts.k,
                embedder.model()
            ),
            &[
                "method",
                "queries",
                "p50 ms",
                "p99 ms",
                "recall@10",
                "ours at p50 is",
            ],
        );
        let mut rows = vec![("ours: lists + sign codes + exact re-rank".to_owned(), &ours)];
        rows.extend(
            compared
                .iter()
                .map(|(n, m)| (format!("  ours with {n} candidates (tuning)"), m)),
        );
        rows.push(("(a) today's unnest scan (the baseline)".into(), &scan));
        rows.push(("(b) brute force in memory, Rust (the limit)".into(), &brute));
        for (name, m) in rows {
            table.row(vec![
                name,
                m.queries.to_string(),
                format!("{:.2}", m.p50),
                format!("{:.2}", m.p99),
                m.recall.map_or("(truth)".into(), |r| format!("{r:.4}")),
                if std::ptr::eq(m, &ours) {
                    "-".into()
                } else {
                    let r = m.p50 / ours.p50;
                    if r >= 1.0 {
                        format!("{r:.2}x faster")
                    } else {
                        format!("{:.2}x slower", 1.0 / r)
                    }
                },
            ]);
        }
        table.print();
        let x = size as f64;
        growth.add("ours", None, x, ours.p50);
        growth.add("(a) unnest scan", None, x, scan.p50);
        growth.add("(b) brute force in memory", None, x, brute.p50);
        let recall = ours.recall.unwrap_or(0.0);
        let (text, met) = if size <= 100_000 {
            (
                "p50 <= 20, p99 <= 50, recall >= 0.95",
                ours.p50 <= 20.0 && ours.p99 <= 50.0 && recall >= 0.95,
            )
        } else {
            (
                "p50 <= 100, recall >= 0.95",
                ours.p50 <= 100.0 && recall >= 0.95,
            )
        };
        targets.row(vec![
            short(x),
            format!("{:.2}", ours.p50),
            format!("{:.2}", ours.p99),
            format!("{recall:.4}"),
            text.into(),
            if met { "met".into() } else { "MISSED".into() },
        ]);
    }
    growth.report(&targets, charts)?;
    Ok(())
}
