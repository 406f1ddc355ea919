//! Secrets handed to people (tokens, keys) and what is stored instead (their SHA-256).
//!
//! A clear secret only ever travels inside a [`SecretString`] (the `secrecy`
//! crate): its `Debug` prints `[REDACTED]`, it has no `Display`, it is zeroed
//! when dropped, and reading it takes an explicit
//! [`expose_secret`](ExposeSecret::expose_secret). Every struct of this
//! workspace that carries one derives its `Debug` through it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
pub use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// 256 random bits from a CSPRNG, URL-safe base64 (43 characters).
pub fn random_token() -> SecretString {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    SecretString::from(URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 of a token: the only form in which tokens are stored.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
