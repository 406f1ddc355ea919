//! E-mail addresses: stored trimmed and lowercase (a CHECK enforces lowercase).

use crate::AccountError;

/// Longest address `users.email` holds.
pub const MAX_EMAIL: usize = 255;

/// Trims, lowercases and validates an address.
pub fn normalize(input: &str) -> Result<String, AccountError> {
    let email = input.trim().to_lowercase();
    if email.len() > MAX_EMAIL {
        return Err(AccountError::TooLong {
            field: "email",
            max: MAX_EMAIL,
        });
    }
    if !email_address::EmailAddress::is_valid(&email) || !email.contains('.') {
        return Err(AccountError::InvalidEmail(input.trim().to_owned()));
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_rejects() {
        assert_eq!(
            normalize("  Ada@Example.COM ").expect("valid"),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@@example.com",
            "ada example@x.com",
            "ada@localhost",
        ] {
            assert!(
                matches!(normalize(bad), Err(AccountError::InvalidEmail(_))),
                "{bad:?}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(matches!(
            normalize(&long),
            Err(AccountError::TooLong { field: "email", .. })
        ));
    }
}
