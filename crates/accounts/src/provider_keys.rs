//! Users' own LLM-provider API keys, encrypted with AES-256-GCM.
//!
//! The master keys form a versioned ring read from the environment:
//! `SOCRATES_MASTER_KEYS="1:<base64 of 32 bytes>,2:<...>"`, the newest version
//! (or `SOCRATES_MASTER_KEY_VERSION`) encrypting. Each row stores ciphertext,
//! a fresh 96-bit nonce and the key version; the associated data binds the
//! ciphertext to its row (`id || user_id || provider`), so a ciphertext copied
//! to another row or user does not decrypt. Rotating the master key is
//! [`rewrap`]: a resumable job that re-encrypts every row under the current version.

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use auth_db::ids::LlmProviderKeyId;
use auth_db::models::{JobCheckpoint, NewLlmProviderKey};
use auth_db::schema::{llm_provider_keys, users};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use db_core::{JobStatus, LlmProvider, UserId};
use diesel::prelude::*;
use rand::RngCore as _;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Client};
use crate::secret::SecretString;
use crate::{AccountError, check_present};

/// Versioned master keys; one of them (the current) encrypts.
#[derive(Clone)]
pub struct KeyRing {
    keys: BTreeMap<i32, [u8; 32]>,
    current: i32,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("keys", &"[REDACTED]")
            .field("versions", &self.keys.keys().collect::<Vec<_>>())
            .field("current", &self.current)
            .finish()
    }
}

fn ring_error(message: impl Into<String>) -> AccountError {
    AccountError::KeyRing(message.into())
}

impl KeyRing {
    /// A ring of `keys`, encrypting with version `current`.
    pub fn new(keys: BTreeMap<i32, [u8; 32]>, current: i32) -> Result<Self, AccountError> {
        if !keys.contains_key(&current) {
            return Err(ring_error(format!(
                "the current version {current} has no key"
            )));
        }
        if keys.keys().any(|v| *v < 1) {
            return Err(ring_error("versions start at 1"));
        }
        Ok(Self { keys, current })
    }

    /// Parses `"1:<base64>,2:<base64>"`; the current version is `current`, else the highest.
    pub fn parse(spec: &str, current: Option<&str>) -> Result<Self, AccountError> {
        let mut keys = BTreeMap::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (version, key) = entry
                .split_once(':')
                .ok_or_else(|| ring_error("entries look like <version>:<base64 key>"))?;
            let version: i32 = version
                .trim()
                .parse()
                .map_err(|_| ring_error(format!("bad version {version:?}")))?;
            let bytes = STANDARD
                .decode(key.trim())
                .map_err(|_| ring_error(format!("key {version} is not base64")))?;
            let key: [u8; 32] = bytes
                .try_into()
                .map_err(|_| ring_error(format!("key {version} is not 32 bytes")))?;
            if keys.insert(version, key).is_some() {
                return Err(ring_error(format!("version {version} appears twice")));
            }
        }
        let current = match current {
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| ring_error(format!("bad current version {v:?}")))?,
            None => *keys
                .keys()
                .next_back()
                .ok_or_else(|| ring_error("no keys"))?,
        };
        Self::new(keys, current)
    }

    /// Reads `SOCRATES_MASTER_KEYS` (and `SOCRATES_MASTER_KEY_VERSION`).
    pub fn from_env() -> Result<Self, AccountError> {
        let spec = std::env::var("SOCRATES_MASTER_KEYS")
            .map_err(|_| ring_error("SOCRATES_MASTER_KEYS is not set"))?;
        Self::parse(
            &spec,
            std::env::var("SOCRATES_MASTER_KEY_VERSION").ok().as_deref(),
        )
    }

    /// The version new ciphertexts use.
    pub fn current(&self) -> i32 {
        self.current
    }

    fn cipher(&self, version: i32) -> Result<Aes256Gcm, AccountError> {
        let key = self
            .keys
            .get(&version)
            .ok_or_else(|| ring_error(format!("no master key of version {version}")))?;
        Ok(Aes256Gcm::new(key.into()))
    }

    fn encrypt(
        &self,
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<(Vec<u8>, [u8; 12], i32), AccountError> {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher(self.current)?
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| AccountError::Crypto("encryption failed".into()))?;
        Ok((ciphertext, nonce, self.current))
    }

    fn decrypt(
        &self,
        version: i32,
        aad: &[u8],
        nonce: &[u8],
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, AccountError> {
        if nonce.len() != 12 {
            return Err(AccountError::Crypto("nonce is not 96 bits".into()));
        }
        self.cipher(version)?
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map_err(|_| {
                AccountError::Crypto(
                    "ciphertext does not authenticate (wrong key, row or data)".into(),
                )
            })
    }
}

/// The associated data binding a ciphertext to its row.
fn aad(id: LlmProviderKeyId, user: UserId, provider: LlmProvider) -> Vec<u8> {
    let mut aad = Vec::with_capacity(48);
    aad.extend_from_slice(id.as_uuid().as_bytes());
    aad.extend_from_slice(user.as_uuid().as_bytes());
    aad.extend_from_slice(provider.as_str().as_bytes());
    aad
}

/// Stores (or replaces) a user's key for a provider.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn store(
    conn: &mut PgConnection,
    ring: &KeyRing,
    user: UserId,
    provider: LlmProvider,
    secret: &str,
    client: &Client,
) -> Result<LlmProviderKeyId, AccountError> {
    check_present("api key", secret)?;
    crate::check_len("api key", secret, 4096)?;
    conn.transaction(|conn| {
        let exists: bool =
            diesel::select(diesel::dsl::exists(users::table.find(user))).get_result(conn)?;
        if !exists {
            return Err(AccountError::UnknownUser(user));
        }
        let existing: Option<LlmProviderKeyId> = llm_provider_keys::table
            .filter(
                llm_provider_keys::user_id
                    .eq(user)
                    .and(llm_provider_keys::provider.eq(provider)),
            )
            .select(llm_provider_keys::id)
            .for_update()
            .first(conn)
            .optional()?;
        let id = existing.unwrap_or_else(LlmProviderKeyId::new);
        let (ciphertext, nonce, version) =
            ring.encrypt(&aad(id, user, provider), secret.as_bytes())?;
        if existing.is_some() {
            diesel::update(llm_provider_keys::table.find(id))
                .set((
                    llm_provider_keys::ciphertext.eq(&ciphertext),
                    llm_provider_keys::nonce.eq(nonce.as_slice()),
                    llm_provider_keys::key_version.eq(version),
                    llm_provider_keys::is_active.eq(true),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(llm_provider_keys::table)
                .values(NewLlmProviderKey {
                    key_version: Some(version),
                    ..NewLlmProviderKey::new(id, user, provider, &ciphertext, &nonce)
                })
                .execute(conn)?;
        }
        audit::record(
            conn,
            client,
            Some(user),
            "provider_key.stored",
            Some(("llm_provider_key", &id.to_string())),
            json!({ "provider": provider }),
        )?;
        Ok(id)
    })
}

/// Decrypts a user's active key for a provider and notes its use.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn reveal(
    conn: &mut PgConnection,
    ring: &KeyRing,
    user: UserId,
    provider: LlmProvider,
) -> Result<SecretString, AccountError> {
    let row: (LlmProviderKeyId, Vec<u8>, Vec<u8>, i32) = llm_provider_keys::table
        .filter(
            llm_provider_keys::user_id
                .eq(user)
                .and(llm_provider_keys::provider.eq(provider)),
        )
        .filter(llm_provider_keys::is_active.eq(true))
        .select((
            llm_provider_keys::id,
            llm_provider_keys::ciphertext,
            llm_provider_keys::nonce,
            llm_provider_keys::key_version,
        ))
        .first(conn)
        .optional()?
        .ok_or(AccountError::NotFound)?;
    let (id, ciphertext, nonce, version) = row;
    let plaintext = ring.decrypt(version, &aad(id, user, provider), &nonce, &ciphertext)?;
    diesel::update(llm_provider_keys::table.find(id))
        .set(llm_provider_keys::last_used_at.eq(diesel::dsl::now))
        .execute(conn)?;
    String::from_utf8(plaintext)
        .map(SecretString::from)
        .map_err(|_| AccountError::Crypto("decrypted key is not UTF-8".into()))
}

/// Deletes a user's key for a provider.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub fn remove(
    conn: &mut PgConnection,
    user: UserId,
    provider: LlmProvider,
    client: &Client,
) -> Result<(), AccountError> {
    conn.transaction(|conn| {
        let removed = diesel::delete(
            llm_provider_keys::table.filter(
                llm_provider_keys::user_id
                    .eq(user)
                    .and(llm_provider_keys::provider.eq(provider)),
            ),
        )
        .execute(conn)?;
        if removed == 0 {
            return Err(AccountError::NotFound);
        }
        audit::record(
            conn,
            client,
            Some(user),
            "provider_key.removed",
            None,
            json!({ "provider": provider }),
        )?;
        Ok(())
    })
}

/// The checkpoint name of [`rewrap`].
pub const REWRAP_JOB: &str = "llm_provider_keys_rewrap";

/// Options of [`rewrap`].
#[derive(Debug, Clone)]
pub struct RewrapOptions {
    /// Rows per transaction.
    pub batch_size: i64,
    /// Stop (status `paused`, resumable) after this many batches.
    pub max_batches: Option<usize>,
    /// How long to wait for another rewrap to finish (rewraps never overlap:
    /// see [`db_core::work_lock`]).
    pub lock_timeout: std::time::Duration,
    /// Where the run holds its work lock: on its connection's session, or,
    /// behind a transaction pooler, on a connection of its own
    /// ([`db_core::LockOn::for_url`] chooses).
    pub lock_on: db_core::LockOn,
}

impl Default for RewrapOptions {
    fn default() -> Self {
        Self {
            batch_size: 500,
            max_batches: None,
            lock_timeout: db_core::migrate::DEFAULT_LOCK_TIMEOUT,
            lock_on: db_core::LockOn::Session,
        }
    }
}

/// What a rewrap run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RewrapReport {
    /// Rows re-encrypted under the current version in this run.
    pub rewrapped: u64,
    /// Rows that could not be decrypted (missing old key, tampered data).
    pub failed: u64,
    /// Rows re-encrypted over the whole job, earlier interrupted runs included.
    pub total_rewrapped: i64,
    /// The run stopped at `max_batches`; run again to continue.
    pub paused: bool,
}

type KeyRow = (LlmProviderKeyId, UserId, LlmProvider, Vec<u8>, Vec<u8>, i32);

/// Re-encrypts every row whose key version is not the current one, in batches
/// (keyset over ids, rows locked `FOR UPDATE SKIP LOCKED`), checkpointing the
/// cursor in `job_checkpoints` after each batch. A killed or paused run resumes
/// where it stopped; rows already rewrapped are never touched again. A pass that
/// reaches the end starts another from the first row while rows it skipped
/// (locked by a concurrent writer) remain, so the run ends with every row
/// rewrapped except those that cannot be decrypted.
///
/// A run holds the [`REWRAP_JOB`] work lock, so runs started at once go one
/// after the other: the later ones find nothing left to rewrap, and the
/// checkpoint counts each row once.
#[tracing::instrument(level = "debug", skip_all)]
pub fn rewrap(
    conn: &mut PgConnection,
    ring: &KeyRing,
    options: RewrapOptions,
    client: &Client,
) -> Result<RewrapReport, AccountError> {
    let lock_on = options.lock_on.clone();
    db_core::work_lock::with_work_lock_on(
        conn,
        &lock_on,
        REWRAP_JOB,
        options.lock_timeout,
        |conn| rewrap_locked(conn, ring, options, client),
    )
}

fn rewrap_locked(
    conn: &mut PgConnection,
    ring: &KeyRing,
    options: RewrapOptions,
    client: &Client,
) -> Result<RewrapReport, AccountError> {
    // Nothing to rewrap and nothing to resume: a no-op writes nothing (no
    // checkpoint run, no audit row), so a run after another changes nothing.
    let unfinished =
        JobCheckpoint::find(conn, REWRAP_JOB)?.is_some_and(|c| c.status != JobStatus::Completed);
    if !unfinished {
        let remaining: i64 = llm_provider_keys::table
            .filter(llm_provider_keys::key_version.ne(ring.current()))
            .count()
            .get_result(conn)?;
        if remaining == 0 {
            return Ok(RewrapReport::default());
        }
    }
    let mut job = JobCheckpoint::begin(conn, REWRAP_JOB, None)?;
    let mut cursor: Option<LlmProviderKeyId> = job.cursor.as_deref().and_then(|c| c.parse().ok());
    let mut report = RewrapReport::default();
    let mut failed_ids: Vec<LlmProviderKeyId> = Vec::new();
    let mut batches = 0usize;
    loop {
        if options.max_batches.is_some_and(|max| batches >= max) {
            job.finish(conn, JobStatus::Paused, None)?;
            report.paused = true;
            report.total_rewrapped = job.processed_count;
            return Ok(report);
        }
        batches += 1;
        let (batch, ok, failed) = conn.transaction::<_, AccountError, _>(|conn| {
            // Keyset: ids after the cursor (the nil UUID, which no row has, at first).
            let after = cursor.unwrap_or(LlmProviderKeyId(uuid::Uuid::nil()));
            let rows: Vec<KeyRow> = llm_provider_keys::table
                .filter(llm_provider_keys::key_version.ne(ring.current()))
                .filter(llm_provider_keys::id.gt(after))
                .filter(llm_provider_keys::id.ne_all(&failed_ids))
                .select((
                    llm_provider_keys::id,
                    llm_provider_keys::user_id,
                    llm_provider_keys::provider,
                    llm_provider_keys::ciphertext,
                    llm_provider_keys::nonce,
                    llm_provider_keys::key_version,
                ))
                .order(llm_provider_keys::id)
                .limit(options.batch_size.max(1))
                .for_update()
                .skip_locked()
                .load(conn)?;
            let (mut ok, mut failed, mut error) = (0i64, Vec::new(), None);
            for (id, user, provider, ciphertext, nonce, version) in &rows {
                let aad = aad(*id, *user, *provider);
                match ring.decrypt(*version, &aad, nonce, ciphertext) {
                    Ok(plaintext) => {
                        let (ciphertext, nonce, version) = ring.encrypt(&aad, &plaintext)?;
                        diesel::update(llm_provider_keys::table.find(*id))
                            .set((
                                llm_provider_keys::ciphertext.eq(&ciphertext),
                                llm_provider_keys::nonce.eq(nonce.as_slice()),
                                llm_provider_keys::key_version.eq(version),
                            ))
                            .execute(conn)?;
                        ok += 1;
                    }
                    Err(err) => {
                        failed.push(*id);
                        error = Some(format!("{id}: {err}"));
                    }
                }
            }
            let next = rows.last().map(|r| r.0.to_string());
            let failed_count = i64::try_from(failed.len()).unwrap_or(i64::MAX);
            job.advance(conn, next.as_deref(), ok, failed_count, error.as_deref())?;
            Ok((rows.iter().map(|r| r.0).collect::<Vec<_>>(), ok, failed))
        })?;
        report.rewrapped += u64::try_from(ok).unwrap_or(0);
        report.failed += failed.len() as u64;
        failed_ids.extend(failed);
        if let Some(last) = batch.last() {
            cursor = Some(*last);
            continue;
        }
        // End of a pass. Start over while rewrappable rows remain behind us.
        let remaining: i64 = llm_provider_keys::table
            .filter(llm_provider_keys::key_version.ne(ring.current()))
            .filter(llm_provider_keys::id.ne_all(&failed_ids))
            .count()
            .get_result(conn)?;
        job.advance(conn, None, 0, 0, None)?;
        if remaining == 0 || cursor.is_none() {
            break;
        }
        cursor = None;
    }
    let status = if report.failed > 0 {
        JobStatus::Failed
    } else {
        JobStatus::Completed
    };
    // The end of the job and its audit row commit together: a run killed
    // between them would leave a completed job that nobody audited.
    conn.transaction::<_, AccountError, _>(|conn| {
        job.finish(conn, status, None)?;
        audit::record(
            conn,
            client,
            None,
            "provider_key.rewrapped",
            None,
            // The job's totals, over every run it took (an interrupted job is
            // audited once, by the run that completes it, as an uninterrupted one).
            json!({ "version": ring.current(), "rewrapped": job.processed_count, "failed": job.failed_count }),
        )?;
        Ok(())
    })?;
    report.total_rewrapped = job.processed_count;
    Ok(report)
}
