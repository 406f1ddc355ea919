//! PostgreSQL connection URLs: which server, which database, printable without secrets.

use std::fmt;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use url::Url;

/// A `postgres://` URL was malformed.
#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    /// Not a URL at all.
    #[error("invalid database URL {url:?}: {source}")]
    Parse {
        /// The input, with any password removed.
        url: String,
        /// Why it did not parse.
        source: url::ParseError,
    },
    /// A URL, but not for PostgreSQL, or without a database name.
    #[error("invalid database URL {url:?}: {reason}")]
    Invalid {
        /// The input, with any password removed.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// A parsed `postgres://user[:password]@host[:port]/database[?params]` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl(Url);

impl DbUrl {
    /// Parses and validates a PostgreSQL URL that names a database.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let url = Url::parse(input).map_err(|source| UrlError::Parse {
            url: redact_str(input),
            source,
        })?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(UrlError::Invalid {
                url: redact_str(input),
                reason: "the scheme must be postgres:// or postgresql://",
            });
        }
        let this = Self(url);
        if this.database().is_empty() {
            return Err(UrlError::Invalid {
                url: this.redacted(),
                reason: "it names no database",
            });
        }
        Ok(this)
    }

    /// The database name (the URL's path without its leading `/`).
    pub fn database(&self) -> &str {
        self.0.path().trim_start_matches('/')
    }

    /// The same server and credentials, another database.
    pub fn with_database(&self, name: &str) -> Self {
        let mut url = self.0.clone();
        url.set_path(&format!("/{name}"));
        Self(url)
    }

    /// The server's maintenance database (`postgres`), for CREATE/DROP DATABASE.
    pub fn maintenance(&self) -> Self {
        self.with_database("postgres")
    }

    /// Host name or address (`localhost` when the URL names none).
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or("localhost")
    }

    /// TCP port (5432 when the URL names none).
    pub fn port(&self) -> u16 {
        self.0.port().unwrap_or(5432)
    }

    /// The full URL, password included: for connecting, never for printing.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The URL with any password replaced by `***`: safe to print.
    pub fn redacted(&self) -> String {
        let mut url = self.0.clone();
        if url.password().is_some() {
            // Cannot fail: the URL has a host, so it can carry a password.
            let _ = url.set_password(Some("***"));
        }
        url.to_string()
    }

    /// Whether something accepts TCP connections at the URL's host and port.
    ///
    /// This is how "no server answers" is decided before starting the private
    /// cluster: a refused or timed-out connection means nobody is there, while a
    /// server that answers and then refuses our credentials is reported as such.
    pub fn server_answers(&self, timeout: Duration) -> bool {
        let Ok(addrs) = (self.host(), self.port()).to_socket_addrs() else {
            return false;
        };
        addrs
            .into_iter()
            .any(|addr| TcpStream::connect_timeout(&addr, timeout).is_ok())
    }
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DbUrl").field(&self.redacted()).finish()
    }
}

impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::str::FromStr for DbUrl {
    type Err = UrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn redact_str(input: &str) -> String {
    match Url::parse(input) {
        Ok(url) => DbUrl(url).redacted(),
        Err(_) => "<unparseable>".to_owned(),
    }
}

/// Quotes an SQL identifier (`"name"`, inner quotes doubled).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes an SQL string literal (`'text'`, inner quotes doubled).
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_swaps_database() {
        let url = DbUrl::parse(
            "postgres://postgres:secret@db.example:6543/socrates_auth?sslmode=disable",
        )
        .expect("valid");
        assert_eq!(url.database(), "socrates_auth");
        assert_eq!(url.host(), "db.example");
        assert_eq!(url.port(), 6543);
        let specs = url.with_database("socrates_specs");
        assert_eq!(
            specs.as_str(),
            "postgres://postgres:secret@db.example:6543/socrates_specs?sslmode=disable"
        );
        assert!(!specs.redacted().contains("secret"));
        assert_eq!(url.maintenance().database(), "postgres");
    }

    #[test]
    fn rejects_bad_urls_without_leaking_passwords() {
        let err = DbUrl::parse("mysql://u:pw@h/db").expect_err("wrong scheme");
        assert!(!err.to_string().contains("pw"), "{err}");
        assert!(DbUrl::parse("postgres://u@h").is_err());
        assert!(DbUrl::parse("not a url").is_err());
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident(r#"a"b"#), r#""a""b""#);
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
