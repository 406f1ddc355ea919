//! `all-MiniLM-L6-v2` in process: what sentence-transformers computes, on candle.
//!
//! The pipeline of the model's three sentence-transformers modules:
//!
//! 1. *Transformer*: the tokenizer of `tokenizer.json` (WordPiece, lowercasing,
//!    `[CLS] … [SEP]`), truncated at `max_seq_length` (256, from
//!    `sentence_bert_config.json`), then the BERT forward pass;
//! 2. *Pooling*: the mean of the token embeddings under the attention mask;
//! 3. *Normalize*: L2 normalisation.
//!
//! A batch is padded to its own longest text, never to 256. Texts are sorted by
//! length and run in groups, so short texts do not pay for a long neighbour's
//! padding; the answers come back in the caller's order. The matrix products
//! run on the current rayon pool, so a caller's `--threads` governs them.
//!
//! The model directory is local and in the sentence-transformers layout; the
//! code never downloads anything.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use serde::Deserialize;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::{DIMENSIONS, EmbedError, Embedder, normalize};

/// The files a model directory must hold.
pub const REQUIRED_FILES: [&str; 5] = [
    "config.json",
    "tokenizer.json",
    "model.safetensors",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
];

/// Texts run through the network at once (after sorting by length).
const GROUP: usize = 32;

/// `sentence_bert_config.json`.
#[derive(Debug, Deserialize)]
struct SentenceBertConfig {
    max_seq_length: usize,
}

/// `1_Pooling/config.json`: the dimension and the `pooling_mode_*` flags.
#[derive(Debug, Deserialize)]
struct PoolingConfig {
    word_embedding_dimension: usize,
    #[serde(flatten)]
    modes: serde_json::Map<String, serde_json::Value>,
}

/// all-MiniLM-L6-v2 (or a model of the same shape) loaded from a directory.
pub struct MiniLmEmbedder {
    model: BertModel,
    tokenizer: Tokenizer,
    max_seq_length: usize,
    dir: PathBuf,
}

impl std::fmt::Debug for MiniLmEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MiniLmEmbedder")
            .field("dir", &self.dir)
            .field("max_seq_length", &self.max_seq_length)
            .finish()
    }
}

fn dir_error(dir: &Path, reason: impl std::fmt::Display) -> EmbedError {
    EmbedError::ModelDir {
        dir: dir.display().to_string(),
        reason: reason.to_string(),
    }
}

fn read_json<T: for<'de> Deserialize<'de>>(dir: &Path, file: &str) -> Result<T, EmbedError> {
    let text = std::fs::read_to_string(dir.join(file))
        .map_err(|e| dir_error(dir, format!("cannot read {file}: {e}")))?;
    serde_json::from_str(&text).map_err(|e| dir_error(dir, format!("{file} is not valid: {e}")))
}

fn model_error(e: impl std::fmt::Display) -> EmbedError {
    EmbedError::Model {
        model: MiniLmEmbedder::MODEL.into(),
        reason: e.to_string(),
    }
}

impl MiniLmEmbedder {
    /// The model name recorded with its embeddings.
    pub const MODEL: &'static str = "all-MiniLM-L6-v2";

    /// Loads the model in `dir`. A directory missing a file, with another
    /// dimension than 384, another pooling than the mean of tokens, or a
    /// sequence length the network cannot take, is refused with one line.
    pub fn load(dir: &Path) -> Result<Self, EmbedError> {
        if !dir.is_dir() {
            return Err(dir_error(dir, "not a directory"));
        }
        let missing: Vec<&str> = REQUIRED_FILES
            .iter()
            .copied()
            .filter(|f| !dir.join(f).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(dir_error(
                dir,
                format!(
                    "missing {} (a sentence-transformers model directory holds {})",
                    missing.join(", "),
                    REQUIRED_FILES.join(", ")
                ),
            ));
        }
        let pooling: PoolingConfig = read_json(dir, "1_Pooling/config.json")?;
        if pooling.word_embedding_dimension != DIMENSIONS {
            return Err(dir_error(
                dir,
                format!(
                    "the model has {} dimensions; embeddings here have {DIMENSIONS}",
                    pooling.word_embedding_dimension
                ),
            ));
        }
        let on: Vec<&str> = pooling
            .modes
            .iter()
            .filter(|(k, v)| k.starts_with("pooling_mode_") && v.as_bool() == Some(true))
            .map(|(k, _)| k.as_str())
            .collect();
        if on != ["pooling_mode_mean_tokens"] {
            return Err(dir_error(
                dir,
                format!(
                    "the pooling is {} instead of pooling_mode_mean_tokens alone",
                    if on.is_empty() {
                        "none".to_owned()
                    } else {
                        on.join(" + ")
                    }
                ),
            ));
        }
        let config: Config = read_json(dir, "config.json")?;
        if config.hidden_size != DIMENSIONS {
            return Err(dir_error(
                dir,
                format!(
                    "config.json has hidden_size {}; embeddings here have {DIMENSIONS}",
                    config.hidden_size
                ),
            ));
        }
        let sbert: SentenceBertConfig = read_json(dir, "sentence_bert_config.json")?;
        if sbert.max_seq_length == 0 || sbert.max_seq_length > config.max_position_embeddings {
            return Err(dir_error(
                dir,
                format!(
                    "max_seq_length {} is outside 1..={}",
                    sbert.max_seq_length, config.max_position_embeddings
                ),
            ));
        }
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| dir_error(dir, format!("tokenizer.json is not valid: {e}")))?;
        let pad_id = u32::try_from(config.pad_token_id)
            .map_err(|_| dir_error(dir, "pad_token_id out of range"))?;
        let pad_token = tokenizer
            .id_to_token(pad_id)
            .ok_or_else(|| dir_error(dir, format!("the tokenizer has no token {pad_id}")))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            pad_token,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: sbert.max_seq_length,
                ..TruncationParams::default()
            }))
            .map_err(|e| dir_error(dir, format!("truncation: {e}")))?;
        let weights = std::fs::read(dir.join("model.safetensors"))
            .map_err(|e| dir_error(dir, format!("cannot read model.safetensors: {e}")))?;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| dir_error(dir, format!("model.safetensors: {e}")))?;
        let model = BertModel::load(vb, &config).map_err(|e| {
            dir_error(
                dir,
                format!("model.safetensors does not fit config.json: {e}"),
            )
        })?;
        Ok(Self {
            model,
            tokenizer,
            max_seq_length: sbert.max_seq_length,
            dir: dir.to_owned(),
        })
    }

    /// The longest input in tokens (longer texts are truncated).
    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    /// Token counts of `texts` after truncation, special tokens included.
    pub fn token_counts(&self, texts: &[&str]) -> Result<Vec<usize>, EmbedError> {
        let mut tokenizer = self.tokenizer.clone();
        tokenizer.with_padding(None);
        let encodings = tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(model_error)?;
        Ok(encodings.iter().map(|e| e.get_ids().len()).collect())
    }

    /// One group: tokenise (padded to its longest), run, mean-pool, normalise.
    fn run(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(model_error)?;
        let rows = encodings.len();
        let width = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(rows * width);
        let mut mask = Vec::with_capacity(rows * width);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let device = &self.model.device;
        let ids = Tensor::from_vec(ids, (rows, width), device).map_err(model_error)?;
        let mask = Tensor::from_vec(mask, (rows, width), device).map_err(model_error)?;
        let types = ids.zeros_like().map_err(model_error)?;
        let hidden = self
            .model
            .forward(&ids, &types, Some(&mask))
            .map_err(model_error)?;
        let pooled = (|| -> candle_core::Result<Vec<Vec<f32>>> {
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
            let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
            summed.broadcast_div(&counts)?.to_vec2::<f32>()
        })()
        .map_err(model_error)?;
        Ok(pooled
            .into_iter()
            .map(|mut v| {
                normalize(&mut v);
                v
            })
            .collect())
    }
}

impl Embedder for MiniLmEmbedder {
    fn model(&self) -> &str {
        Self::MODEL
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        // Longest first, so each group pads to about its own length.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(texts[i].len()));
        let mut out = vec![Vec::new(); texts.len()];
        for group in order.chunks(GROUP) {
            let batch: Vec<&str> = group.iter().map(|&i| texts[i]).collect();
            for (&i, v) in group.iter().zip(self.run(&batch)?) {
                out[i] = v;
            }
        }
        Ok(out)
    }
}
