//! Splitting a document into retrieval chunks.
//!
//! Deterministic: the same text always gives the same chunks with the same
//! indexes. The text is read as blocks (paragraphs separated by blank lines;
//! fenced code blocks whole), each under the last Markdown heading seen; blocks
//! of one section are packed into chunks of at most `max_tokens`, and a block
//! longer than that is split at sentence ends, then at words.
//!
//! Tokens are counted without a model's tokenizer: each run of letters or
//! digits is one token and each other visible character is one. It is an
//! approximation that errs long, which is the safe side for context budgets.

/// How to chunk.
#[derive(Debug, Clone, Copy)]
pub struct ChunkOptions {
    /// Most tokens in one chunk.
    pub max_tokens: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        Self { max_tokens: 200 }
    }
}

/// One chunk of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// 0-based position in the document.
    pub index: usize,
    /// The text.
    pub content: String,
    /// Approximate tokens.
    pub tokens: usize,
    /// `paragraph` or `code`.
    pub kind: &'static str,
    /// The heading it sits under, if any.
    pub section: Option<String>,
}

/// Counts tokens as described in the module documentation.
pub fn count_tokens(text: &str) -> usize {
    let mut tokens = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if !in_word {
                tokens += 1;
                in_word = true;
            }
        } else {
            in_word = false;
            if !c.is_whitespace() {
                tokens += 1;
            }
        }
    }
    tokens
}

struct Block {
    text: String,
    code: bool,
    section: Option<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let mut current: Vec<&str> = Vec::new();
    let mut in_code = false;
    let flush =
        |current: &mut Vec<&str>, out: &mut Vec<Block>, code: bool, section: &Option<String>| {
            let joined = current.join("\n");
            if !joined.trim().is_empty() {
                out.push(Block {
                    text: joined.trim_end().to_owned(),
                    code,
                    section: section.clone(),
                });
            }
            current.clear();
        };
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        if in_code {
            current.push(line);
            if fence {
                flush(&mut current, &mut out, true, &section);
                in_code = false;
            }
            continue;
        }
        if fence {
            flush(&mut current, &mut out, false, &section);
            current.push(line);
            in_code = true;
        } else if let Some(heading) = line.trim_start().strip_prefix('#') {
            flush(&mut current, &mut out, false, &section);
            let title = heading.trim_start_matches('#').trim();
            section = (!title.is_empty()).then(|| title.chars().take(255).collect());
        } else if line.trim().is_empty() {
            flush(&mut current, &mut out, false, &section);
        } else {
            current.push(line);
        }
    }
    flush(&mut current, &mut out, in_code, &section);
    out
}

/// Splits one over-long block: at sentence ends where possible, else at words.
fn split_long(text: &str, max: usize) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut sentence = String::new();
    for word in text.split_whitespace() {
        let candidate = if sentence.is_empty() {
            word.to_owned()
        } else {
            format!("{sentence} {word}")
        };
        if count_tokens(&candidate) > max && !sentence.is_empty() {
            pieces.push(std::mem::take(&mut sentence));
            sentence = word.to_owned();
        } else {
            sentence = candidate;
        }
        if word.ends_with(['.', '!', '?']) && count_tokens(&sentence) * 2 >= max {
            pieces.push(std::mem::take(&mut sentence));
        }
    }
    if !sentence.is_empty() {
        pieces.push(sentence);
    }
    pieces
}

/// Chunks a document's text.
pub fn chunk(text: &str, options: ChunkOptions) -> Vec<Chunk> {
    let max = options.max_tokens.max(8);
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut push = |content: String, kind: &'static str, section: &Option<String>| {
        let tokens = count_tokens(&content);
        chunks.push(Chunk {
            index: chunks.len(),
            content,
            tokens,
            kind,
            section: section.clone(),
        });
    };
    let mut pending: Option<(String, Option<String>)> = None;
    for block in blocks(text) {
        if block.code {
            if let Some((text, section)) = pending.take() {
                push(text, "paragraph", &section);
            }
            push(block.text, "code", &block.section);
            continue;
        }
        let pieces = if count_tokens(&block.text) > max {
            split_long(&block.text, max)
        } else {
            vec![block.text]
        };
        for piece in pieces {
            pending = match pending.take() {
                Some((text, section))
                    if section == block.section
                        && count_tokens(&text) + count_tokens(&piece) <= max =>
                {
                    Some((format!("{text}\n\n{piece}"), section))
                }
                Some((text, section)) => {
                    push(text, "paragraph", &section);
                    Some((piece, block.section.clone()))
                }
                None => Some((piece, block.section.clone())),
            };
        }
    }
    if let Some((text, section)) = pending {
        push(text, "paragraph", &section);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_tokens() {
        assert_eq!(count_tokens("Hello, world! It's 2026."), 9);
        assert_eq!(count_tokens(""), 0);
    }

    #[test]
    fn chunks_are_stable_bounded_and_sectioned() {
        let long = "This sentence has exactly eight word tokens here. ".repeat(40);
        let text = format!(
            "# Intro\n\nShort paragraph one.\n\nShort paragraph two.\n\n## Details\n\n{long}\n\n```rust\nfn main() {{}}\n```\n\nTail."
        );
        let a = chunk(&text, ChunkOptions { max_tokens: 60 });
        let b = chunk(&text, ChunkOptions { max_tokens: 60 });
        assert_eq!(a, b, "deterministic");
        assert!(a.iter().enumerate().all(|(i, c)| c.index == i));
        assert!(
            a.iter().all(|c| c.tokens <= 60 || c.kind == "code"),
            "{a:#?}"
        );
        assert_eq!(a[0].content, "Short paragraph one.\n\nShort paragraph two.");
        assert_eq!(a[0].section.as_deref(), Some("Intro"));
        assert!(
            a.iter()
                .any(|c| c.kind == "code" && c.content.contains("fn main"))
        );
        assert_eq!(a.last().map(|c| c.content.as_str()), Some("Tail."));
        assert!(
            a[1..]
                .iter()
                .all(|c| c.section.as_deref() == Some("Details"))
        );
        let words: usize = a
            .iter()
            .filter(|c| c.kind == "paragraph")
            .map(|c| c.content.split_whitespace().count())
            .sum();
        assert_eq!(words, 3 + 3 + 40 * 8 + 1, "no word lost or repeated");
    }
}
