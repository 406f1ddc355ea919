//! PostgreSQL connection URLs: which server, which database, printable without secrets.

use std::fmt;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
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
///
/// Its parts are percent-decoded as libpq decodes them (`rel_a%22b` names the
/// database `rel_a"b`), so the database this type names, creates and prints is
/// the one a connection reaches.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    url: Url,
    /// The decoded database name.
    database: String,
}

/// What [`DbUrl::with_database`] escapes in a database name: everything but
/// the characters RFC 3986 leaves unreserved, so `/`, `?`, `#` and `%` stay
/// part of the name.
const NAME_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Decodes one percent-encoded URL part as libpq does: every `%` starts two hex
/// digits (libpq refuses "invalid percent-encoded token" otherwise), and the
/// bytes must be UTF-8.
fn decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(part)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

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
        let invalid = |url: &Url, reason| UrlError::Invalid {
            url: DbUrl {
                url: url.clone(),
                database: String::new(),
            }
            .redacted(),
            reason,
        };
        let Some(database) = url.path().strip_prefix('/').and_then(decode) else {
            return Err(invalid(
                &url,
                "its database name is not valid percent-encoded UTF-8",
            ));
        };
        if database.is_empty() {
            return Err(invalid(&url, "it names no database"));
        }
        if decode(url.username()).is_none() || url.password().is_some_and(|p| decode(p).is_none()) {
            return Err(invalid(
                &url,
                "its user or password is not valid percent-encoded UTF-8",
            ));
        }
        if database.contains('\0') {
            return Err(invalid(&url, "its database name holds a NUL character"));
        }
        Ok(Self { url, database })
    }

    /// The database name, decoded (the URL's path without its leading `/`).
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The user name, decoded (empty when the URL names none: libpq then uses the OS user).
    pub fn user(&self) -> String {
        decode(self.url.username()).unwrap_or_default()
    }

    /// The same server and credentials, another database (`name` is encoded as needed).
    pub fn with_database(&self, name: &str) -> Self {
        let mut url = self.url.clone();
        url.set_path(&format!("/{}", utf8_percent_encode(name, NAME_ESCAPES)));
        Self {
            url,
            database: name.to_owned(),
        }
    }

    /// The server's maintenance database (`postgres`), for CREATE/DROP DATABASE.
    pub fn maintenance(&self) -> Self {
        self.with_database("postgres")
    }

    /// Host name or address (`localhost` when the URL names none).
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or("localhost")
    }

    /// TCP port (5432 when the URL names none).
    pub fn port(&self) -> u16 {
        self.url.port().unwrap_or(5432)
    }

    /// The full URL, password included: for connecting, never for printing.
    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The URL with any password replaced by `***`: safe to print.
    pub fn redacted(&self) -> String {
        let mut url = self.url.clone();
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
        Ok(url) => DbUrl {
            url,
            database: String::new(),
        }
        .redacted(),
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
    fn decodes_names_as_libpq_does() {
        let url = DbUrl::parse("postgres://ad%40min:p%2Fw@h/rel_a%22b%20c").expect("valid");
        assert_eq!(url.database(), "rel_a\"b c");
        assert_eq!(url.user(), "ad@min");
        assert_eq!(url.maintenance().database(), "postgres");
        for name in ["rel_a\"b", "a/b?c#d", "100%", "naïve", "x y"] {
            let swapped = url.with_database(name);
            assert_eq!(swapped.database(), name);
            let reparsed = DbUrl::parse(swapped.as_str()).expect("reparse");
            assert_eq!(reparsed.database(), name, "{}", swapped.as_str());
        }
        assert!(DbUrl::parse("postgres://h/bad%ff").is_err());
        assert!(DbUrl::parse("postgres://h/nul%00").is_err());
        assert!(
            DbUrl::parse("postgres://h/%2").is_err(),
            "libpq refuses a broken escape"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident(r#"a"b"#), r#""a""b""#);
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
