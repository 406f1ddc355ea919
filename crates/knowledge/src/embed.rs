//! Embeddings: 384 floats per text, L2-normalised, so cosine similarity is a dot product.
//!
//! Three implementations of [`Embedder`]:
//!
//! - [`minilm::MiniLmEmbedder`]: the seeds' model, sentence-transformers
//!   `all-MiniLM-L6-v2`, run in process from a local model directory. Semantic.
//! - [`HashingEmbedder`], built in and offline: feature hashing of lowercased
//!   words and word pairs into 384 signed buckets. It is **lexical, not
//!   semantic**: texts that share words score high, synonyms do not. It keeps
//!   the pipeline working (and testable) with no model at hand.
//! - [`CommandEmbedder`]: any external program speaking JSON lines, so a real
//!   sentence-embedding model plugs in without a code change. The program reads
//!   `{"id": <n>, "text": "..."}` lines on stdin and answers each with
//!   `{"id": <n>, "embedding": [384 floats]}` on stdout, in any order; it stays
//!   running across batches. `socrates-embed` serves the built-in embedders so.

pub mod choice;
pub mod minilm;

use std::hash::Hasher;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// Dimensions of every embedding (all-MiniLM-L6-v2's size, SCHEMA.md 1.1).
pub const DIMENSIONS: usize = 384;

/// Embedding failed.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The external program could not be started or talked to.
    #[error("embedding program {program}: {reason}")]
    Program {
        /// The program.
        program: String,
        /// What went wrong.
        reason: String,
    },
    /// Options that choose no usable embedder.
    #[error("{0}")]
    Choice(String),
    /// A model directory that cannot be used.
    #[error("model directory {dir}: {reason}")]
    ModelDir {
        /// The directory.
        dir: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An in-process model failed on its input.
    #[error("model {model}: {reason}")]
    Model {
        /// The model.
        model: String,
        /// What went wrong.
        reason: String,
    },
    /// The program answered something that is not a valid embedding.
    #[error("embedding program {program} broke the protocol: {reason}")]
    Protocol {
        /// The program.
        program: String,
        /// What was wrong.
        reason: String,
    },
}

/// Turns texts into embeddings.
pub trait Embedder: Send + Sync {
    /// The model name recorded with every embedding (`embedding_model`).
    fn model(&self) -> &str;
    /// One embedding (of [`DIMENSIONS`] floats, L2-normalised) per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;
}

/// Texts per slice of [`embed_in_slices`].
pub const SLICE: usize = 64;

/// Embeds `texts` in slices of [`SLICE`], side by side on the current rayon
/// pool; one embedding per text, in order. The embeddings backfill embeds this
/// way, and the benchmarks measure the embedder alone this way.
pub fn embed_in_slices(
    embedder: &dyn Embedder,
    texts: &[String],
) -> Result<Vec<Vec<f32>>, EmbedError> {
    use rayon::prelude::*;
    let slices: Vec<Vec<Vec<f32>>> = texts
        .par_chunks(SLICE)
        .map(|slice| {
            let refs: Vec<&str> = slice.iter().map(String::as_str).collect();
            embedder.embed(&refs)
        })
        .collect::<Result<_, _>>()?;
    Ok(slices.into_iter().flatten().collect())
}

/// Scales a vector to length 1 (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v {
            *x /= norm;
        }
    }
}

/// The dot product: the cosine similarity of two normalised vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The built-in, offline, lexical embedder (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct HashingEmbedder;

impl HashingEmbedder {
    /// The model name it records.
    pub const MODEL: &'static str = "socrates-hashing-v1-384";

    fn bucket(hash: u64) -> (usize, f32) {
        let index = usize::try_from(hash % DIMENSIONS as u64).unwrap_or(0);
        let sign = if hash >> 63 == 0 { 1.0 } else { -1.0 };
        (index, sign)
    }

    /// Lowercases `word` into `buf` (`str::to_lowercase`, without allocating
    /// for the common ASCII case).
    fn lowercase_into(word: &str, buf: &mut String) {
        buf.clear();
        if word.is_ascii() {
            buf.push_str(word);
            buf.make_ascii_lowercase();
        } else {
            buf.push_str(&word.to_lowercase());
        }
    }

    /// Embeds one text: every lowercased word adds ±1 to its bucket, every pair
    /// of neighbouring words ("w1 w2") ±0.5 to its bucket (FNV-1a, 64 bits).
    pub fn embed_one(text: &str) -> Vec<f32> {
        let mut v = vec![0.0f32; DIMENSIONS];
        let (mut previous, mut word) = (String::new(), String::new());
        let mut first = true;
        for raw in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            Self::lowercase_into(raw, &mut word);
            let mut h = fnv::FnvHasher::default();
            h.write(word.as_bytes());
            let (i, sign) = Self::bucket(h.finish());
            v[i] += sign;
            if !first {
                // FNV is a byte stream: this is the hash of "previous word".
                let mut h = fnv::FnvHasher::default();
                h.write(previous.as_bytes());
                h.write(b" ");
                h.write(word.as_bytes());
                let (i, sign) = Self::bucket(h.finish());
                v[i] += 0.5 * sign;
            }
            first = false;
            std::mem::swap(&mut previous, &mut word);
        }
        normalize(&mut v);
        v
    }
}

impl Embedder for HashingEmbedder {
    fn model(&self) -> &str {
        Self::MODEL
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts.iter().map(|t| Self::embed_one(t)).collect())
    }
}

/// One request line of the JSON-lines protocol.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    /// Position in the batch.
    pub id: usize,
    /// Text to embed.
    pub text: String,
}

/// One response line of the JSON-lines protocol.
#[derive(Debug, Serialize, Deserialize)]
pub struct Response {
    /// The request's id.
    pub id: usize,
    /// Its embedding.
    pub embedding: Vec<f32>,
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// An external embedding program (see the module documentation).
pub struct CommandEmbedder {
    program: String,
    args: Vec<String>,
    model: String,
    running: Mutex<Option<Running>>,
}

impl std::fmt::Debug for CommandEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandEmbedder")
            .field("program", &self.program)
            .field("model", &self.model)
            .finish()
    }
}

impl CommandEmbedder {
    /// An embedder that runs `program args...`, recording embeddings as `model`.
    pub fn new(program: impl Into<String>, args: Vec<String>, model: impl Into<String>) -> Self {
        Self {
            program: program.into(),
            args,
            model: model.into(),
            running: Mutex::new(None),
        }
    }

    fn program_error(&self, reason: impl Into<String>) -> EmbedError {
        EmbedError::Program {
            program: self.program.clone(),
            reason: reason.into(),
        }
    }

    fn protocol_error(&self, reason: impl Into<String>) -> EmbedError {
        EmbedError::Protocol {
            program: self.program.clone(),
            reason: reason.into(),
        }
    }

    fn start(&self) -> Result<Running, EmbedError> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| self.program_error(format!("cannot start: {e}")))?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| self.program_error("no stdin"))?;
        let stdout = BufReader::new(
            child
                .stdout
                .take()
                .ok_or_else(|| self.program_error("no stdout"))?,
        );
        Ok(Running {
            child,
            stdin,
            stdout,
        })
    }

    fn exchange(&self, running: &mut Running, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let Running {
            stdin,
            stdout,
            child,
        } = running;
        let mut out: Vec<Option<Vec<f32>>> = vec![None; texts.len()];
        std::thread::scope(|scope| -> Result<(), EmbedError> {
            // Write on another thread, so a program that answers as it reads never
            // blocks on a full pipe while we are still writing.
            let writer = scope.spawn(move || -> std::io::Result<()> {
                for (id, text) in texts.iter().enumerate() {
                    let line = serde_json::to_string(&Request {
                        id,
                        text: (*text).to_owned(),
                    })
                    .map_err(std::io::Error::other)?;
                    writeln!(stdin, "{line}")?;
                }
                stdin.flush()
            });
            let mut line = String::new();
            for _ in 0..texts.len() {
                line.clear();
                let read = stdout
                    .read_line(&mut line)
                    .map_err(|e| self.program_error(e.to_string()))?;
                if read == 0 {
                    let status = child
                        .try_wait()
                        .ok()
                        .flatten()
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "still running".into());
                    return Err(self.program_error(format!("closed its output early ({status})")));
                }
                let response: Response = serde_json::from_str(&line)
                    .map_err(|e| self.protocol_error(format!("bad line {line:?}: {e}")))?;
                let slot = out
                    .get_mut(response.id)
                    .ok_or_else(|| self.protocol_error(format!("unknown id {}", response.id)))?;
                if response.embedding.len() != DIMENSIONS {
                    return Err(self.protocol_error(format!(
                        "{} dimensions instead of {DIMENSIONS}",
                        response.embedding.len()
                    )));
                }
                if response.embedding.iter().any(|x| !x.is_finite()) {
                    return Err(self.protocol_error("non-finite value"));
                }
                let mut v = response.embedding;
                normalize(&mut v);
                *slot = Some(v);
            }
            writer
                .join()
                .map_err(|_| self.program_error("writer panicked"))?
                .map_err(|e| self.program_error(e.to_string()))
        })?;
        out.into_iter()
            .enumerate()
            .map(|(i, v)| v.ok_or_else(|| self.protocol_error(format!("no answer for id {i}"))))
            .collect()
    }
}

impl Embedder for CommandEmbedder {
    fn model(&self) -> &str {
        &self.model
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let mut guard = self
            .running
            .lock()
            .map_err(|_| self.program_error("poisoned"))?;
        if guard.is_none() {
            *guard = Some(self.start()?);
        }
        let running = guard
            .as_mut()
            .ok_or_else(|| self.program_error("not running"))?;
        let result = self.exchange(running, texts);
        if result.is_err() {
            // Start afresh next time rather than talk to a confused program.
            if let Some(mut dead) = guard.take() {
                let _ = dead.child.kill();
                let _ = dead.child.wait();
            }
        }
        result
    }
}

impl Drop for CommandEmbedder {
    fn drop(&mut self) {
        if let Ok(mut guard) = self.running.lock()
            && let Some(mut running) = guard.take()
        {
            drop(running.stdin);
            let _ = running.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_embeddings_are_unit_length_and_lexical() {
        let a = HashingEmbedder::embed_one("PostgreSQL stores the specifications");
        let b = HashingEmbedder::embed_one("the specifications live in PostgreSQL");
        let c = HashingEmbedder::embed_one("bananas are yellow");
        assert_eq!(a.len(), DIMENSIONS);
        assert!((dot(&a, &a) - 1.0).abs() < 1e-5);
        assert!(dot(&a, &b) > dot(&a, &c) + 0.3, "shared words score higher");
        assert_eq!(
            a,
            HashingEmbedder::embed_one("PostgreSQL stores the specifications"),
            "deterministic"
        );
        assert!(HashingEmbedder::embed_one("").iter().all(|x| *x == 0.0));
    }

    /// The definition, written plainly: words, then pairs, each hashed whole.
    fn reference(text: &str) -> Vec<f32> {
        let bucket = |feature: &str| {
            let mut h = fnv::FnvHasher::default();
            h.write(feature.as_bytes());
            HashingEmbedder::bucket(h.finish())
        };
        let mut v = vec![0.0f32; DIMENSIONS];
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        for w in &words {
            let (i, sign) = bucket(w);
            v[i] += sign;
        }
        for pair in words.windows(2) {
            let (i, sign) = bucket(&format!("{} {}", pair[0], pair[1]));
            v[i] += 0.5 * sign;
        }
        normalize(&mut v);
        v
    }

    #[test]
    fn the_fast_path_matches_the_definition() {
        for text in [
            "",
            "one",
            "Two Words",
            "ΣΊΣΥΦΟΣ and ΟΔΟΣ: final sigma, İstanbul, straße, ǅemal",
            "  punctuation,,, everywhere!!! (and) [brackets] 42 x86_64 ",
            "MiXeD CaSe repeated repeated REPEATED words words",
        ] {
            assert_eq!(
                HashingEmbedder::embed_one(text),
                reference(text),
                "{text:?}"
            );
        }
    }
}
