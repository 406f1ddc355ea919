//! The input checks every domain crate makes before it writes, written once.
//!
//! Each domain crate maps a [`TextProblem`] into its own error type (with its
//! own wording); the rule itself lives here.

use std::fmt;

/// Why a text value is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Empty, or only white space.
    Empty,
    /// More characters (not bytes) than its column holds.
    TooLong {
        /// The column's limit, in characters.
        max: usize,
    },
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("must not be empty"),
            Self::TooLong { max } => write!(f, "longer than {max} characters"),
        }
    }
}

/// Refuses text that is blank or longer than `max` characters.
pub fn text(value: &str, max: usize) -> Result<(), TextProblem> {
    non_blank(value)?;
    length(value, max)
}

/// Refuses text that is empty or only white space.
pub fn non_blank(value: &str) -> Result<(), TextProblem> {
    if value.trim().is_empty() {
        return Err(TextProblem::Empty);
    }
    Ok(())
}

/// Refuses text longer than `max` characters (blank text is allowed).
pub fn length(value: &str, max: usize) -> Result<(), TextProblem> {
    if value.chars().count() > max {
        return Err(TextProblem::TooLong { max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_and_refuses_blank_text() {
        assert_eq!(text("  \t", 5), Err(TextProblem::Empty));
        assert_eq!(text("naïve", 5), Ok(()));
        assert_eq!(text("naïves", 5), Err(TextProblem::TooLong { max: 5 }));
        assert_eq!(length("", 5), Ok(()));
        assert_eq!(
            TextProblem::TooLong { max: 5 }.to_string(),
            "longer than 5 characters"
        );
    }
}
