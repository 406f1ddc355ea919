//! Real English text for the search benchmark: Debian's manual pages.
//!
//! The pages of the packages `manpages` and `manpages-dev` (sections 2 to 7 of
//! the Linux man-pages project), found with `dpkg-query -L`, read from their
//! gzip files, stripped of troff requests and escapes. Chunks are windows of
//! [`WINDOW`] words every [`STRIDE`] words over each page's running text, as a
//! knowledge base chunks a document; queries are the pages' one-line
//! descriptions (`open, openat, creat - open and possibly create a file`),
//! which are not part of any chunk.

use std::io::Read;

use anyhow::{Context, Result, bail, ensure};

/// Words per chunk.
pub(crate) const WINDOW: usize = 24;
/// Words between the starts of two chunks.
pub(crate) const STRIDE: usize = 12;

/// The corpus: chunk texts and query texts, in a fixed order.
pub(crate) struct Corpus {
    /// Chunk texts.
    pub(crate) chunks: Vec<String>,
    /// Query texts.
    pub(crate) queries: Vec<String>,
    /// Pages read.
    pub(crate) pages: usize,
}

/// The man-page files of the two packages, sorted.
fn files() -> Result<Vec<String>> {
    let out = std::process::Command::new("dpkg-query")
        .args(["-L", "manpages", "manpages-dev"])
        .output()
        .context("dpkg-query (the search benchmark reads Debian's manual pages)")?;
    if !out.status.success() {
        bail!(
            "the search benchmark reads the manual pages of the Debian packages manpages and manpages-dev: \
             apt-get install manpages manpages-dev"
        );
    }
    let mut files: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| {
            l.starts_with("/usr/share/man/man")
                && l.ends_with(".gz")
                && l.as_bytes().get(18).is_some_and(u8::is_ascii_digit)
        })
        .map(str::to_owned)
        .collect();
    files.sort();
    Ok(files)
}

/// A troff line as text: escapes removed or replaced.
fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // Fonts: \fB, \fI, \fR, \fP, \f(XX.
            Some('f') => {
                // \fX, or \f(XX with a two-letter name.
                let font = chars.next();
                let skip = if font == Some('(') { 2 } else { 0 };
                for _ in 0..skip {
                    chars.next();
                }
            }
            // Special characters: \(xx, \[name].
            Some('(') => {
                chars.next();
                chars.next();
                out.push(' ');
            }
            Some('[') => {
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                }
                out.push(' ');
            }
            Some('-') => out.push('-'),
            Some('e') => out.push('\\'),
            Some('&' | '%' | '|' | '^' | ',' | '/') => {}
            Some(' ') => out.push(' '),
            Some('*') => {
                chars.next();
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// One page: its one-line description and its running text.
fn page(text: &str) -> Option<(Option<String>, Vec<String>)> {
    if text.starts_with(".so ") {
        return None;
    }
    let (mut description, mut in_name, mut words) = (None, false, Vec::new());
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix(".SH") {
            in_name = heading.trim().trim_matches('"') == "NAME";
            continue;
        }
        if line.starts_with('.') || line.starts_with('\'') || line.trim().is_empty() {
            continue;
        }
        let line = plain(line);
        if in_name {
            // The description is a query; it is not a chunk's text too.
            if description.is_none()
                && let Some((_, what)) = line.split_once(" - ")
            {
                description = Some(what.trim().to_owned());
            }
            continue;
        }
        words.extend(line.split_whitespace().map(str::to_owned));
    }
    Some((description, words))
}

/// Reads the corpus (a few seconds).
pub(crate) fn read() -> Result<Corpus> {
    let files = files()?;
    ensure!(
        !files.is_empty(),
        "no manual page of manpages or manpages-dev is installed"
    );
    let mut corpus = Corpus {
        chunks: Vec::new(),
        queries: Vec::new(),
        pages: 0,
    };
    for file in files {
        let mut text = String::new();
        let raw = std::fs::read(&file).with_context(|| file.clone())?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut bytes)
            .with_context(|| file.clone())?;
        text.push_str(&String::from_utf8_lossy(&bytes));
        let Some((description, words)) = page(&text) else {
            continue;
        };
        corpus.pages += 1;
        if let Some(d) = description.filter(|d| d.split_whitespace().count() >= 3) {
            corpus.queries.push(d);
        }
        let mut start = 0;
        while start < words.len() {
            let end = (start + WINDOW).min(words.len());
            if end - start >= WINDOW / 2 {
                corpus.chunks.push(words[start..end].join(" "));
            }
            if end == words.len() {
                break;
            }
            start += STRIDE;
        }
    }
    Ok(corpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn troff_becomes_text() {
        assert_eq!(
            plain(r"\fBopen\fP() returns \-1 on error\(em see \fIerrno\fR(3)."),
            "open() returns -1 on error  see errno(3)."
        );
        let (description, words) = page(
            ".TH OPEN 2\n.SH NAME\nopen, creat \\- open and possibly create a file\n.SH DESCRIPTION\n\
             The \\fBopen\\fP() system call opens the file.\n.PP\nIt returns a descriptor.\n",
        )
        .unwrap_or_default();
        assert_eq!(
            description.as_deref(),
            Some("open and possibly create a file")
        );
        assert_eq!(words.len(), 11, "{words:?}");
        assert!(page(".so man2/open.2\n").is_none());
    }
}
