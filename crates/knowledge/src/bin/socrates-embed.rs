//! `socrates-embed`: an embedding server speaking the JSON-lines protocol of
//! `knowledge::embed::CommandEmbedder`, with the built-in embedders.
//!
//! Reads `{"id": n, "text": "..."}` lines on stdin and answers each with
//! `{"id": n, "embedding": [384 floats]}` on stdout. Lines that arrive together
//! are embedded together (up to `--max-batch`), so a client that writes a whole
//! batch before reading gets the model's batched speed. A line that is not a
//! request ends the server with one line on stderr and exit status 1; end of
//! input ends it with 0.
//!
//! ```text
//! socrates-db backfill embeddings --embedder-command socrates-embed \
//!     --embedder-arg=--embedder --embedder-arg=minilm --embedder-model all-MiniLM-L6-v2
//! ```

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use clap::Parser;
use knowledge::embed::choice::{EmbedderKind, EmbedderOptions};
use knowledge::embed::{Embedder, Request, Response};

/// Serve embeddings over stdin and stdout, as JSON lines.
#[derive(Debug, Parser)]
#[command(name = "socrates-embed", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    embedder: EmbedderOptions,
    /// Threads for the model (default: the machine's cores)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Most texts embedded at once
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    max_batch: u16,
}

/// Embeds the waiting requests and writes their answers.
fn answer(
    embedder: &dyn Embedder,
    pending: &mut Vec<Request>,
    output: &mut impl Write,
) -> Result<(), String> {
    if pending.is_empty() {
        return Ok(());
    }
    let texts: Vec<&str> = pending.iter().map(|r| r.text.as_str()).collect();
    let vectors = embedder.embed(&texts).map_err(|e| e.to_string())?;
    for (request, embedding) in pending.drain(..).zip(vectors) {
        let response = Response {
            id: request.id,
            embedding,
        };
        let text = serde_json::to_string(&response).map_err(|e| e.to_string())?;
        writeln!(output, "{text}").map_err(|e| format!("writing stdout: {e}"))?;
    }
    output.flush().map_err(|e| format!("writing stdout: {e}"))
}

fn serve(embedder: &dyn Embedder, max_batch: usize) -> Result<(), String> {
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = std::io::BufWriter::new(std::io::stdout().lock());
    let mut line = String::new();
    let mut pending: Vec<Request> = Vec::new();
    loop {
        line.clear();
        let read = input
            .read_line(&mut line)
            .map_err(|e| format!("reading stdin: {e}"))?;
        if read == 0 {
            return answer(embedder, &mut pending, &mut output);
        }
        if !line.trim().is_empty() {
            let request: Request = serde_json::from_str(&line)
                .map_err(|e| format!("not a request line {:?}: {e}", line.trim_end()))?;
            pending.push(request);
        }
        // Answer when nothing more is waiting or the batch is full.
        if pending.len() >= max_batch || input.buffer().is_empty() {
            answer(embedder, &mut pending, &mut output)?;
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let fail = |e: String| {
        eprintln!("socrates-embed: error: {e}");
        ExitCode::FAILURE
    };
    if cli.embedder.kind() == EmbedderKind::Command {
        return fail(
            "socrates-embed serves the built-in embedders: --embedder hashing or minilm".into(),
        );
    }
    let embedder = match cli.embedder.build() {
        Ok(e) => e,
        Err(e) => return fail(e.to_string()),
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = cli.threads {
        pool = pool.num_threads(n.into());
    }
    let pool = match pool.build() {
        Ok(p) => p,
        Err(e) => return fail(format!("threads: {e}")),
    };
    match pool.install(|| serve(embedder.as_ref(), cli.max_batch.into())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
