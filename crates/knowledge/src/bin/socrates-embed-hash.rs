//! `socrates-embed-hash`: the reference program for `knowledge::embed::CommandEmbedder`.
//!
//! Reads `{"id": n, "text": "..."}` lines on stdin and answers each with
//! `{"id": n, "embedding": [...]}` on stdout, using the built-in hashing
//! embedder. Copy its loop to put any model behind the same protocol.

use std::io::{BufRead, Write};

use knowledge::embed::{HashingEmbedder, Request, Response};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Request = serde_json::from_str(&line).map_err(std::io::Error::other)?;
        let response = Response {
            id: request.id,
            embedding: HashingEmbedder::embed_one(&request.text),
        };
        writeln!(
            stdout,
            "{}",
            serde_json::to_string(&response).map_err(std::io::Error::other)?
        )?;
        stdout.flush()?;
    }
    Ok(())
}
