//! Accounts against a real socrates_auth: each scenario on a fresh database.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use accounts::secret::ExposeSecret as _;
use std::collections::BTreeMap;

use accounts::admin::{self, MANAGE_ROLES};
use accounts::api_keys::{self, KeySpec};
use accounts::provider_keys::{self, KeyRing, RewrapOptions};
use accounts::users::{self, LoginPolicy, Registration};
use accounts::{AccountError, Client, resets, tokens};
use auth_db::enums::{ApiKeyStatus, UserStatus};
use auth_db::models::User;
use auth_db::schema::{self, audit_logs, llm_provider_keys, refresh_tokens};
use base64::Engine as _;
use chrono::{Duration, Utc};
use db_core::{DbError, LlmProvider, UserId};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use test_db::TestDatabase;

fn db() -> TestDatabase {
    TestDatabase::new(&auth_db::MIGRATION_SET)
}

fn client() -> Client {
    Client {
        ip: Some("192.0.2.7".parse().expect("ip")),
        user_agent: Some("tests/1.0".into()),
    }
}

fn register(conn: &mut PgConnection, email: &str) -> User {
    users::register(
        conn,
        &Registration {
            email,
            password: "correct horse battery",
            ..Registration::default()
        },
        &client(),
    )
    .expect("register")
}

fn actions(conn: &mut PgConnection, user: Option<UserId>) -> Vec<String> {
    let query = audit_logs::table
        .order(audit_logs::created_at)
        .select(audit_logs::action)
        .into_boxed();
    let query = match user {
        Some(u) => query.filter(audit_logs::user_id.eq(u)),
        None => query.filter(audit_logs::user_id.is_null()),
    };
    query.load(conn).expect("audit")
}

fn ring(versions: &[i32]) -> KeyRing {
    let spec: Vec<String> = versions
        .iter()
        .map(|v| {
            let key = [u8::try_from(*v).expect("small"); 32];
            format!(
                "{v}:{}",
                base64::engine::general_purpose::STANDARD.encode(key)
            )
        })
        .collect();
    KeyRing::parse(&spec.join(","), None).expect("ring")
}

/// Registration normalises the e-mail and stores an Argon2id hash; duplicates are refused.
#[test]
fn registration() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "  Ada@Example.COM ");
    assert_eq!(user.email, "ada@example.com");
    assert!(
        user.password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );
    let err = users::register(
        &mut conn,
        &Registration {
            email: "ADA@example.com",
            password: "another password",
            ..Registration::default()
        },
        &client(),
    )
    .expect_err("duplicate");
    assert!(matches!(err, AccountError::EmailTaken), "{err:?}");
    assert_eq!(actions(&mut conn, Some(user.id)), vec!["user.registered"]);
}

fn stranger() -> Client {
    Client {
        ip: Some("198.51.100.66".parse().expect("ip")),
        user_agent: Some("curl/8".into()),
    }
}

/// An unknown e-mail and a wrong password fail alike; failures lock the account,
/// which refuses even the right password to a client it does not know until the
/// lock lapses; success resets the count.
#[test]
fn login_and_lockout() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "grace@example.com");
    let policy = LoginPolicy {
        max_failures: 3,
        lock_for: Duration::minutes(10),
        ..LoginPolicy::default()
    };
    let unknown = users::login(
        &mut conn,
        "nobody@example.com",
        "whatever1",
        &client(),
        &policy,
    )
    .expect_err("unknown");
    let wrong = users::login(
        &mut conn,
        "grace@example.com",
        "wrong password",
        &client(),
        &policy,
    )
    .expect_err("wrong");
    assert_eq!(unknown.to_string(), wrong.to_string());
    assert!(
        matches!(unknown, AccountError::InvalidCredentials)
            && matches!(wrong, AccountError::InvalidCredentials)
    );

    let ok = users::login(
        &mut conn,
        "GRACE@example.com",
        "correct horse battery",
        &client(),
        &policy,
    )
    .expect("login");
    assert_eq!(ok.failed_login_count, 0);
    assert!(ok.last_login_at.is_some());

    for _ in 0..3 {
        let err = users::login(
            &mut conn,
            "grace@example.com",
            "wrong password",
            &stranger(),
            &policy,
        )
        .expect_err("wrong");
        assert!(matches!(err, AccountError::InvalidCredentials));
    }
    let err = users::login(
        &mut conn,
        "grace@example.com",
        "correct horse battery",
        &stranger(),
        &policy,
    )
    .expect_err("locked");
    assert!(matches!(err, AccountError::InvalidCredentials), "{err:?}");
    let audit = actions(&mut conn, Some(user.id));
    assert!(audit.contains(&"user.locked".to_owned()), "{audit:?}");

    diesel::update(schema::users::table.find(user.id))
        .set(schema::users::locked_until.eq(Utc::now() - Duration::seconds(1)))
        .execute(&mut conn)
        .expect("lapse");
    let ok = users::login(
        &mut conn,
        "grace@example.com",
        "correct horse battery",
        &client(),
        &policy,
    )
    .expect("login");
    assert_eq!((ok.failed_login_count, ok.locked_until), (0, None));

    diesel::update(schema::users::table.find(user.id))
        .set(schema::users::status.eq(UserStatus::Suspended))
        .execute(&mut conn)
        .expect("suspend");
    let err = users::login(
        &mut conn,
        "grace@example.com",
        "correct horse battery",
        &client(),
        &policy,
    )
    .expect_err("suspended");
    assert!(
        matches!(err, AccountError::NotActive(UserStatus::Suspended)),
        "{err:?}"
    );
}

/// A hash made with older (weaker) parameters is replaced at the next successful login.
#[test]
fn login_rehashes_old_parameters() {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "old@example.com");
    let weak = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(8192, 1, 1, None).expect("params"),
    )
    .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
    .expect("hash")
    .to_string();
    diesel::update(schema::users::table.find(user.id))
        .set(schema::users::password_hash.eq(&weak))
        .execute(&mut conn)
        .expect("set");
    let after = users::login(
        &mut conn,
        "old@example.com",
        "correct horse battery",
        &client(),
        &LoginPolicy::default(),
    )
    .expect("login");
    assert!(
        after
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        after.password_hash
    );
    assert_ne!(after.password_hash, weak);
}

/// Rotation hands out a successor; presenting the rotated token again revokes the
/// whole family and is audited; expired and unknown tokens are refused by type.
#[test]
fn refresh_token_rotation_and_reuse() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "linus@example.com");
    let ttl = Duration::days(30);
    let first = tokens::issue(&mut conn, user.id, ttl, &client()).expect("issue");
    let stored: Vec<u8> = refresh_tokens::table
        .find(first.id)
        .select(refresh_tokens::token_hash)
        .first(&mut conn)
        .expect("row");
    assert_eq!(stored.len(), 32);
    assert_ne!(stored, first.token.expose_secret().as_bytes());

    let second =
        tokens::rotate(&mut conn, first.token.expose_secret(), ttl, &client()).expect("rotate");
    assert_eq!(second.family_id, first.id);
    let third = tokens::rotate(&mut conn, second.token.expose_secret(), ttl, &client())
        .expect("rotate again");

    let err =
        tokens::rotate(&mut conn, first.token.expose_secret(), ttl, &client()).expect_err("reuse");
    assert!(matches!(err, AccountError::TokenReused), "{err:?}");
    let live: i64 = refresh_tokens::table
        .filter(
            refresh_tokens::family_id
                .eq(first.id)
                .and(refresh_tokens::revoked_at.is_null()),
        )
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(live, 0, "the whole family is revoked");
    let err = tokens::rotate(&mut conn, third.token.expose_secret(), ttl, &client())
        .expect_err("revoked");
    assert!(matches!(err, AccountError::TokenRevoked), "{err:?}");
    assert!(actions(&mut conn, Some(user.id)).contains(&"token.reuse_detected".to_owned()));

    let short =
        tokens::issue(&mut conn, user.id, Duration::seconds(-1), &client()).expect("issue expired");
    assert!(matches!(
        tokens::rotate(&mut conn, short.token.expose_secret(), ttl, &client()),
        Err(AccountError::TokenExpired)
    ));
    assert!(matches!(
        tokens::rotate(&mut conn, "made-up", ttl, &client()),
        Err(AccountError::TokenUnknown)
    ));
}

/// A reset is single-use and expiring, replaces the password and revokes refresh tokens;
/// an unknown address gets no token and no error.
#[test]
fn password_reset() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "barbara@example.com");
    let session = tokens::issue(&mut conn, user.id, Duration::days(1), &client()).expect("issue");
    assert!(
        resets::request(
            &mut conn,
            "nobody@example.com",
            Duration::hours(1),
            &client()
        )
        .expect("request")
        .is_none()
    );
    let token = resets::request(
        &mut conn,
        "Barbara@example.com",
        Duration::hours(1),
        &client(),
    )
    .expect("request")
    .expect("a token for a real account");
    assert_eq!(
        resets::complete(
            &mut conn,
            token.expose_secret(),
            "a brand new password",
            &client()
        )
        .expect("reset"),
        user.id
    );
    assert!(matches!(
        resets::complete(
            &mut conn,
            token.expose_secret(),
            "yet another password",
            &client()
        ),
        Err(AccountError::TokenUsed)
    ));
    users::login(
        &mut conn,
        "barbara@example.com",
        "a brand new password",
        &client(),
        &LoginPolicy::default(),
    )
    .expect("new password");
    assert!(matches!(
        tokens::rotate(
            &mut conn,
            session.token.expose_secret(),
            Duration::days(1),
            &client()
        ),
        Err(AccountError::TokenRevoked)
    ));
    let stale = resets::request(
        &mut conn,
        "barbara@example.com",
        Duration::seconds(-1),
        &client(),
    )
    .expect("request")
    .expect("token");
    assert!(matches!(
        resets::complete(
            &mut conn,
            stale.expose_secret(),
            "whatever password",
            &client()
        ),
        Err(AccountError::TokenExpired)
    ));
}

mod administration;
mod secrets_at_rest;
