//! Password hashing: Argon2id with the `argon2` crate's defaults (the OWASP
//! parameters: m = 19 MiB, t = 2, p = 1), PHC strings in `users.password_hash`.
//!
//! Accounts imported from Socrates2 keep their passlib bcrypt hashes
//! (`$2b$`, `$2a$`, `$2y$`): [`verify`] checks those with the `bcrypt` crate
//! (which, like passlib, uses the first 72 bytes of the password) and asks for a
//! rehash, so the first successful login replaces them with Argon2id.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::AccountError;

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// Longest password accepted (bounds the hashing work an attacker can ask for).
pub const MAX_PASSWORD: usize = 1024;

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Checks a new password against the policy.
pub fn check_policy(password: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD {
        return Err(AccountError::WeakPassword("shorter than 8 characters"));
    }
    if password.len() > MAX_PASSWORD {
        return Err(AccountError::TooLong {
            field: "password",
            max: MAX_PASSWORD,
        });
    }
    Ok(())
}

/// Hashes a password into a PHC string.
pub fn hash(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Crypto(e.to_string()))
}

/// The outcome of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// Right password; `rehash` when the stored hash uses other parameters.
    Match {
        /// The stored hash should be replaced by a fresh one.
        rehash: bool,
    },
    /// Wrong password (or an unreadable hash).
    Mismatch,
}

/// Whether `stored` is a bcrypt modular-crypt hash (`$2a$`, `$2b$`, `$2y$`,
/// two-digit cost, 53 characters of salt and hash).
pub fn is_bcrypt(stored: &str) -> bool {
    let bytes = stored.as_bytes();
    bytes.len() == 60
        && matches!(&bytes[..4], b"$2a$" | b"$2b$" | b"$2y$")
        && bytes[4].is_ascii_digit()
        && bytes[5].is_ascii_digit()
        && bytes[6] == b'$'
        && bytes[7..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'/')
}

/// Checks `password` against a stored hash: a PHC string (Argon2id), or a
/// bcrypt hash imported from Socrates2, which always asks for a rehash.
pub fn verify(password: &str, stored: &str) -> Verified {
    if is_bcrypt(stored) {
        return match bcrypt::verify(password, stored) {
            Ok(true) => Verified::Match { rehash: true },
            Ok(false) | Err(_) => Verified::Mismatch,
        };
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verified::Mismatch;
    };
    if argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Verified::Mismatch;
    }
    let current = Params::default();
    let same = parsed.algorithm == argon2::ARGON2ID_IDENT
        && parsed.version == Some(Version::V0x13.into())
        && Params::try_from(&parsed).is_ok_and(|p| {
            p.m_cost() == current.m_cost()
                && p.t_cost() == current.t_cost()
                && p.p_cost() == current.p_cost()
        });
    Verified::Match { rehash: !same }
}

/// Spends the same work as [`verify`] on a fixed hash: used when the e-mail is
/// unknown, so that case takes the same path and time as a wrong password.
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not the password of anyone").unwrap_or_default());
    let _ = verify(password, dummy);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_flag_old_parameters() {
        let stored = hash("correct horse").expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert_eq!(
            verify("correct horse", &stored),
            Verified::Match { rehash: false }
        );
        assert_eq!(verify("wrong horse", &stored), Verified::Mismatch);
        assert_eq!(verify("correct horse", "not a hash"), Verified::Mismatch);
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).expect("params"),
        );
        let old = weak
            .hash_password(b"correct horse", &SaltString::generate(&mut OsRng))
            .expect("hash")
            .to_string();
        assert_eq!(
            verify("correct horse", &old),
            Verified::Match { rehash: true }
        );
    }

    #[test]
    fn bcrypt_hashes_of_every_prefix_verify_and_ask_for_a_rehash() {
        // Made by passlib 1.7.4 (`passlib.hash.bcrypt.using(rounds=4, ident=...)`).
        for (password, stored) in [
            (
                "correct horse",
                "$2b$04$Pj7ZDLMhxbVtOGlMyQIIaeUd.r7dbd2D49jiHij1Jd7fKpEQP9fB2",
            ),
            (
                "legacy password 2",
                "$2a$04$5NjiYLgHztBWGZgKWuYUDuF4OmFmn4N4eo6NrIER8anMBymtYh0V.",
            ),
            (
                "legacy password 3",
                "$2y$04$C.qBb9TvHTLkDzMUapCQu.NuXvGwN14l44zXZnKxnZ53uLP7UBaoC",
            ),
        ] {
            assert!(is_bcrypt(stored), "{stored}");
            assert_eq!(verify(password, stored), Verified::Match { rehash: true });
            assert_eq!(verify("wrong horse", stored), Verified::Mismatch);
        }
        let made = bcrypt::hash_with_result("correct horse", 4).expect("bcrypt");
        for version in [
            bcrypt::Version::TwoA,
            bcrypt::Version::TwoB,
            bcrypt::Version::TwoY,
        ] {
            let stored = made.format_for_version(version);
            assert!(is_bcrypt(&stored), "{stored}");
            assert_eq!(
                verify("correct horse", &stored),
                Verified::Match { rehash: true }
            );
            assert_eq!(verify("wrong horse", &stored), Verified::Mismatch);
        }
        assert!(!is_bcrypt("$2b$04$short"));
        assert!(!is_bcrypt(
            "$2x$04$Pj7ZDLMhxbVtOGlMyQIIaeUd.r7dbd2D49jiHij1Jd7fKpEQP9fB2"
        ));
        // passlib truncates at 72 bytes, and so does the import's check.
        let long = "p".repeat(80);
        let stored = bcrypt::hash(&long, 4).expect("bcrypt");
        assert_eq!(
            verify(&"p".repeat(72), &stored),
            Verified::Match { rehash: true }
        );
    }

    #[test]
    fn policy() {
        assert!(matches!(
            check_policy("short"),
            Err(AccountError::WeakPassword(_))
        ));
        assert!(matches!(
            check_policy(&"x".repeat(1025)),
            Err(AccountError::TooLong { .. })
        ));
        assert!(check_policy("long enough").is_ok());
    }
}
