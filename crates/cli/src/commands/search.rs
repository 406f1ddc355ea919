//! `socrates-db search`: the knowledge base's similarity search, for operators.
//!
//! It searches as a service does (the index, or `--exact`) but counts nothing:
//! an operator's tries are not the knowledge base's use.

use anyhow::{Result, bail};
use clap::Args;
use knowledge::embed::choice::EmbedderOptions;
use specs_db::ids::ProjectId;

use super::{connect_pair, require_current};
use crate::config::DbArgs;

/// Options of `search`.
#[derive(Debug, Args)]
pub(crate) struct Opts {
    /// Search this project's chunks and the approved global ones
    #[arg(long, value_name = "ID", required_unless_present = "global_only")]
    project: Option<uuid::Uuid>,
    /// Search the approved global chunks only
    #[arg(long, conflicts_with = "project")]
    global_only: bool,
    /// How many chunks to return
    #[arg(long, value_name = "N", default_value_t = 10, allow_negative_numbers = true, value_parser = crate::config::count(1_000))]
    k: usize,
    /// Rank every visible chunk by the exact cosine (no index)
    #[arg(long)]
    exact: bool,
    #[command(flatten)]
    embedder: EmbedderOptions,
    /// Print the hits as JSON
    #[arg(long)]
    json: bool,
    /// What to look for
    query: String,
}

/// One line of text, at most `chars` characters.
fn snippet(text: &str, chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// Prints the `k` most similar chunks, best first.
pub(crate) fn run(args: &DbArgs, opts: &Opts) -> Result<()> {
    let embedder = opts.embedder.build()?;
    let targets = args.targets(&crate::config::Only::default().sets())?;
    let (mut auth, mut specs) = connect_pair(&targets)?;
    require_current(args, &mut auth, &mut specs)?;
    let project = opts.project.map(ProjectId);
    if let Some(p) = project {
        use diesel::prelude::*;
        use specs_db::schema::projects;
        let found: bool =
            diesel::select(diesel::dsl::exists(projects::table.find(p))).get_result(&mut specs)?;
        if !found {
            bail!("no project {p}");
        }
    }
    let k = i64::try_from(opts.k)?;
    let options = knowledge::search::Options {
        exact: opts.exact,
        count: false,
        ..knowledge::search::Options::new(k)
    };
    let hits = knowledge::search::search_with(
        &mut specs,
        embedder.as_ref(),
        project,
        &opts.query,
        &options,
    )?;
    if opts.json {
        outln!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(());
    }
    if hits.is_empty() {
        outln!(
            "no chunk embedded by {} is visible{}",
            embedder.model(),
            if project.is_some() {
                " from this project"
            } else {
                " globally"
            }
        );
    }
    for (rank, hit) in hits.iter().enumerate() {
        outln!(
            "{:>3}  {:.4}  {}  {}{}",
            rank + 1,
            hit.score,
            hit.document_id,
            hit.section
                .as_deref()
                .map(|s| format!("[{}] ", snippet(s, 40)))
                .unwrap_or_default(),
            snippet(&hit.content, 100)
        );
    }
    Ok(())
}
