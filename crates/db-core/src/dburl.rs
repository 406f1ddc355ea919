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
    /// `SOCRATES_POOL_MODE` holds neither `session` nor `transaction`.
    #[error("${env} is {0:?}; it must be session or transaction", env = PoolMode::ENV)]
    Mode(String),
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
///
/// One parameter is ours, not libpq's: `pool_mode=transaction` says the URL
/// reaches a transaction pooler such as PgBouncer (`pool_mode=session`: a
/// direct server or a session pooler). It is taken out of the URL handed to
/// libpq, which refuses parameters it does not know; see [`PoolMode`].
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    url: Url,
    /// The decoded database name.
    database: String,
    /// What the URL said of the pooler in front of the server, if anything.
    pool_mode: Option<PoolMode>,
}

/// What sits between a client and the server, as far as session state goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolMode {
    /// Every connection is one server session for its whole life: a direct
    /// connection, or a pooler in session mode.
    Session,
    /// Each transaction (and each statement outside one) may run on another
    /// server connection: PgBouncer's `pool_mode = transaction`. Nothing that
    /// lives in a session (named prepared statements, `SET`, session advisory
    /// locks, temporary tables) survives from one transaction to the next.
    Transaction,
}

impl PoolMode {
    /// The environment variable that gives the mode of URLs that say none.
    pub const ENV: &'static str = "SOCRATES_POOL_MODE";

    fn parse(value: &str) -> Option<Self> {
        match value {
            "session" => Some(Self::Session),
            "transaction" => Some(Self::Transaction),
            _ => None,
        }
    }

    /// The name used in URLs and in [`Self::ENV`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::Transaction => "transaction",
        }
    }

    /// The mode [`Self::ENV`] gives, if it is set; an unknown value is an error.
    pub fn from_env() -> Result<Option<Self>, UrlError> {
        match std::env::var(Self::ENV) {
            Ok(value) if value.is_empty() => Ok(None),
            Ok(value) => Self::parse(&value).map(Some).ok_or(UrlError::Mode(value)),
            Err(_) => Ok(None),
        }
    }
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
                pool_mode: None,
            }
            .redacted(),
            reason,
        };
        let mut url = url;
        let mut pool_mode = None;
        if url.query_pairs().any(|(k, _)| k == "pool_mode") {
            let mut kept = Vec::new();
            for (key, value) in url.query_pairs() {
                if key == "pool_mode" {
                    let Some(mode) = PoolMode::parse(&value) else {
                        return Err(invalid(
                            &url,
                            "its pool_mode must be session or transaction",
                        ));
                    };
                    pool_mode = Some(mode);
                } else {
                    kept.push((key.into_owned(), value.into_owned()));
                }
            }
            if kept.is_empty() {
                url.set_query(None);
            } else {
                url.query_pairs_mut().clear().extend_pairs(kept);
            }
        }
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
        Ok(Self {
            url,
            database,
            pool_mode,
        })
    }

    /// What the URL says of a pooler in front of the server, else what
    /// [`PoolMode::ENV`] says, else nothing (`None`: not declared). A value of
    /// the variable that is neither mode counts as nothing here; programs
    /// check it once with [`PoolMode::from_env`], as `socrates-db` does.
    pub fn declared_pool_mode(&self) -> Option<PoolMode> {
        self.pool_mode
            .or_else(|| PoolMode::from_env().ok().flatten())
    }

    /// The pool mode connections to this URL are made for: the declared one,
    /// [`PoolMode::Session`] when none is declared.
    pub fn pool_mode(&self) -> PoolMode {
        self.declared_pool_mode().unwrap_or(PoolMode::Session)
    }

    /// The same URL, declared to reach a server through a pooler in `mode`.
    pub fn with_pool_mode(&self, mode: PoolMode) -> Self {
        Self {
            pool_mode: Some(mode),
            ..self.clone()
        }
    }

    /// The same database and parameters on another host and port (a pooler's
    /// or a replica's), the pool mode left undeclared.
    pub fn with_host_port(&self, host: &str, port: u16) -> Result<Self, UrlError> {
        let mut url = self.url.clone();
        let bad = |reason| UrlError::Invalid {
            url: self.redacted(),
            reason,
        };
        url.set_host(Some(host)).map_err(|_| bad("invalid host"))?;
        url.set_port(Some(port)).map_err(|()| bad("invalid port"))?;
        Ok(Self {
            url,
            database: self.database.clone(),
            pool_mode: None,
        })
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
            pool_mode: self.pool_mode,
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

    /// The full URL for libpq, password included (and `pool_mode` left out):
    /// for connecting, never for printing.
    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The whole URL as [`DbUrl::parse`] reads it back: password and declared
    /// pool mode included. For handing to another program, never for printing.
    pub fn to_url_string(&self) -> String {
        self.declared().to_string()
    }

    /// The URL with the declared pool mode put back among its parameters.
    fn declared(&self) -> Url {
        let mut url = self.url.clone();
        if let Some(mode) = self.pool_mode {
            url.query_pairs_mut()
                .append_pair("pool_mode", mode.as_str());
        }
        url
    }

    /// The URL with any password replaced by `***`: safe to print. A pool
    /// mode the URL declared is printed with it.
    pub fn redacted(&self) -> String {
        let mut url = self.declared();
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
            pool_mode: None,
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
    fn pool_mode_is_ours_and_never_reaches_libpq() {
        let url =
            DbUrl::parse("postgres://u@h:6432/socrates_auth?sslmode=disable&pool_mode=transaction")
                .expect("valid");
        assert_eq!(url.pool_mode(), PoolMode::Transaction);
        assert_eq!(
            url.as_str(),
            "postgres://u@h:6432/socrates_auth?sslmode=disable"
        );
        assert!(url.redacted().ends_with("pool_mode=transaction"), "{url}");
        let specs = url.with_database("socrates_specs");
        assert_eq!(specs.pool_mode(), PoolMode::Transaction);
        let only = DbUrl::parse("postgres://u@h/db?pool_mode=session").expect("valid");
        assert_eq!(only.as_str(), "postgres://u@h/db");
        assert_eq!(only.declared_pool_mode(), Some(PoolMode::Session));
        let err = DbUrl::parse("postgres://u:pw@h/db?pool_mode=statement").expect_err("unknown");
        assert!(err.to_string().contains("pool_mode"), "{err}");
        assert!(!err.to_string().contains("pw"), "{err}");
        let moved = url.with_host_port("127.0.0.1", 5432).expect("valid");
        assert_eq!(
            moved.as_str(),
            "postgres://u@127.0.0.1:5432/socrates_auth?sslmode=disable"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident(r#"a"b"#), r#""a""b""#);
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
