//! Choosing an embedder: the options every program that embeds shares.
//!
//! With the `cli` feature (on by default) [`EmbedderOptions`] is also a set of
//! `clap` arguments, so `socrates-db backfill`, `socrates-db search` and
//! `socrates-embed` spell them alike: `--embedder hashing|minilm|command`,
//! `--model-dir DIR` (or `SOCRATES_EMBEDDER_MODEL_DIR`), `--embedder-command
//! PROGRAM` with `--embedder-arg ARG` and `--embedder-model NAME`.

use std::path::PathBuf;
use std::sync::Arc;

use super::minilm::MiniLmEmbedder;
use super::{CommandEmbedder, EmbedError, Embedder, HashingEmbedder};

/// The kinds of embedder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum EmbedderKind {
    /// The built-in lexical hashing embedder
    Hashing,
    /// all-MiniLM-L6-v2 in process, from --model-dir
    Minilm,
    /// An external program speaking JSON lines (--embedder-command)
    Command,
}

/// Which embedder to use, and where its model or program is.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct EmbedderOptions {
    /// The embedder [default: command with --embedder-command, otherwise hashing]
    #[cfg_attr(feature = "cli", arg(long, value_enum, value_name = "KIND"))]
    pub embedder: Option<EmbedderKind>,
    /// The all-MiniLM-L6-v2 model directory (sentence-transformers layout) for --embedder minilm
    #[cfg_attr(
        feature = "cli",
        arg(long, value_name = "DIR", env = "SOCRATES_EMBEDDER_MODEL_DIR")
    )]
    pub model_dir: Option<PathBuf>,
    /// External embedding program speaking JSON lines (implies --embedder command)
    #[cfg_attr(feature = "cli", arg(long, value_name = "PROGRAM"))]
    pub embedder_command: Option<String>,
    /// Argument for the embedding program (repeatable)
    #[cfg_attr(
        feature = "cli",
        arg(
            long = "embedder-arg",
            value_name = "ARG",
            requires = "embedder_command"
        )
    )]
    pub embedder_args: Vec<String>,
    /// Model name recorded with embeddings from the external program
    #[cfg_attr(
        feature = "cli",
        arg(long, value_name = "NAME", requires = "embedder_command")
    )]
    pub embedder_model: Option<String>,
}

fn refuse(reason: impl Into<String>) -> EmbedError {
    EmbedError::Choice(reason.into())
}

impl EmbedderOptions {
    /// The kind these options choose.
    pub fn kind(&self) -> EmbedderKind {
        match (self.embedder, &self.embedder_command) {
            (Some(kind), _) => kind,
            (None, Some(_)) => EmbedderKind::Command,
            (None, None) => EmbedderKind::Hashing,
        }
    }

    /// Builds the embedder (loading the model, not yet starting a program).
    pub fn build(&self) -> Result<Arc<dyn Embedder>, EmbedError> {
        let kind = self.kind();
        if kind != EmbedderKind::Command && self.embedder_command.is_some() {
            return Err(refuse(format!(
                "--embedder-command goes with --embedder command, not {}",
                kind.name()
            )));
        }
        Ok(match kind {
            EmbedderKind::Hashing => Arc::new(HashingEmbedder),
            EmbedderKind::Minilm => {
                let Some(dir) = &self.model_dir else {
                    return Err(refuse(
                        "--embedder minilm needs --model-dir DIR or SOCRATES_EMBEDDER_MODEL_DIR \
                         (the README says where the model comes from)",
                    ));
                };
                Arc::new(MiniLmEmbedder::load(dir)?)
            }
            EmbedderKind::Command => {
                let Some(program) = &self.embedder_command else {
                    return Err(refuse(
                        "--embedder command needs --embedder-command PROGRAM",
                    ));
                };
                let Some(model) = &self.embedder_model else {
                    return Err(refuse(
                        "--embedder-command needs --embedder-model (the name recorded with each embedding)",
                    ));
                };
                Arc::new(CommandEmbedder::new(
                    program.clone(),
                    self.embedder_args.clone(),
                    model.clone(),
                ))
            }
        })
    }
}

impl EmbedderKind {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Hashing => "hashing",
            Self::Minilm => "minilm",
            Self::Command => "command",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_and_the_refusals() {
        let built = EmbedderOptions::default()
            .build()
            .ok()
            .map(|e| e.model().to_owned());
        assert_eq!(built.as_deref(), Some(HashingEmbedder::MODEL));
        let refused = |o: EmbedderOptions| o.build().err().map(|e| e.to_string());
        let minilm = EmbedderOptions {
            embedder: Some(EmbedderKind::Minilm),
            ..EmbedderOptions::default()
        };
        assert!(refused(minilm.clone()).is_some_and(|e| e.contains("needs --model-dir")));
        let both = EmbedderOptions {
            embedder_command: Some("prog".into()),
            embedder_model: Some("m".into()),
            ..minilm
        };
        assert!(refused(both).is_some_and(|e| e.contains("not minilm")));
        let nameless = EmbedderOptions {
            embedder_command: Some("prog".into()),
            ..EmbedderOptions::default()
        };
        assert!(refused(nameless).is_some_and(|e| e.contains("--embedder-model")));
        let command = EmbedderOptions {
            embedder: Some(EmbedderKind::Command),
            ..EmbedderOptions::default()
        };
        assert!(refused(command).is_some_and(|e| e.contains("--embedder-command PROGRAM")));
    }
}
