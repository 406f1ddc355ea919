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

/// API keys: shown once, stored hashed with a display prefix, counted on use,
/// revocable only by their owner, refused once revoked or expired.
#[test]
fn api_keys() {
    let db = db();
    let mut conn = db.conn();
    let owner = register(&mut conn, "owner@example.com");
    let other = register(&mut conn, "other@example.com");
    let scopes = vec!["projects.read".to_owned()];
    let (row, key) = api_keys::create(
        &mut conn,
        owner.id,
        &KeySpec {
            name: "ci",
            scopes: &scopes,
            ..KeySpec::default()
        },
        &client(),
    )
    .expect("create");
    assert!(
        key.expose_secret().starts_with("sk_") && key.expose_secret().starts_with(&row.key_prefix)
    );
    assert_eq!(row.key_prefix.len(), 12);
    assert_eq!(
        api_keys::verify(&mut conn, key.expose_secret())
            .expect("verify")
            .usage_count,
        1
    );
    assert_eq!(
        api_keys::verify(&mut conn, key.expose_secret())
            .expect("verify")
            .usage_count,
        2
    );
    assert!(matches!(
        api_keys::revoke(&mut conn, other.id, row.id, &client()),
        Err(AccountError::NotFound)
    ));
    api_keys::revoke(&mut conn, owner.id, row.id, &client()).expect("revoke");
    assert!(matches!(
        api_keys::verify(&mut conn, key.expose_secret()),
        Err(AccountError::TokenRevoked)
    ));
    assert!(matches!(
        api_keys::verify(&mut conn, "sk_nope"),
        Err(AccountError::TokenUnknown)
    ));

    let (expiring, key) = api_keys::create(
        &mut conn,
        owner.id,
        &KeySpec {
            name: "short",
            expires_at: Some(Utc::now() + Duration::milliseconds(300)),
            ..KeySpec::default()
        },
        &client(),
    )
    .expect("create");
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(matches!(
        api_keys::verify(&mut conn, key.expose_secret()),
        Err(AccountError::TokenExpired)
    ));
    let status: ApiKeyStatus = schema::api_keys::table
        .find(expiring.id)
        .select(schema::api_keys::status)
        .first(&mut conn)
        .expect("row");
    assert_eq!(status, ApiKeyStatus::Expired);
}

/// Provider keys are ciphertext bound to their row: they decrypt in place, not when
/// copied to another user's row; a new master key is rolled out by a resumable rewrap.
#[test]
fn provider_keys_encrypt_bind_and_rewrap() {
    let db = db();
    let mut conn = db.conn();
    let ada = register(&mut conn, "ada@example.com");
    let bob = register(&mut conn, "bob@example.com");
    let v1 = ring(&[1]);
    provider_keys::store(
        &mut conn,
        &v1,
        ada.id,
        LlmProvider::Claude,
        "sk-ant-secret-ada",
        &client(),
    )
    .expect("store");
    provider_keys::store(
        &mut conn,
        &v1,
        bob.id,
        LlmProvider::Claude,
        "sk-ant-secret-bob",
        &client(),
    )
    .expect("store");
    assert_eq!(
        provider_keys::reveal(&mut conn, &v1, ada.id, LlmProvider::Claude)
            .expect("reveal")
            .expose_secret(),
        "sk-ant-secret-ada"
    );

    // Copy Ada's ciphertext and nonce onto Bob's row: it must not decrypt there.
    conn.batch_execute(&format!(
        "UPDATE llm_provider_keys b SET ciphertext = a.ciphertext, nonce = a.nonce \
         FROM llm_provider_keys a WHERE a.user_id = '{}' AND b.user_id = '{}'",
        ada.id, bob.id
    ))
    .expect("tamper");
    assert!(matches!(
        provider_keys::reveal(&mut conn, &v1, bob.id, LlmProvider::Claude),
        Err(AccountError::Crypto(_))
    ));
    provider_keys::store(
        &mut conn,
        &v1,
        bob.id,
        LlmProvider::Claude,
        "sk-ant-secret-bob",
        &client(),
    )
    .expect("restore");

    let mut users_made = Vec::new();
    for i in 0..10 {
        let u = register(&mut conn, &format!("u{i}@example.com"));
        provider_keys::store(
            &mut conn,
            &v1,
            u.id,
            LlmProvider::OpenAi,
            &format!("sk-openai-{i}"),
            &client(),
        )
        .expect("store");
        users_made.push(u.id);
    }
    let v2 = ring(&[1, 2]);
    let paused = provider_keys::rewrap(
        &mut conn,
        &v2,
        RewrapOptions {
            batch_size: 4,
            max_batches: Some(2),
            ..RewrapOptions::default()
        },
        &client(),
    )
    .expect("first run");
    assert!(paused.paused);
    assert_eq!(paused.rewrapped, 8);
    let rest = provider_keys::rewrap(
        &mut conn,
        &v2,
        RewrapOptions {
            batch_size: 4,
            max_batches: None,
            ..RewrapOptions::default()
        },
        &client(),
    )
    .expect("resume");
    assert_eq!(
        (
            rest.rewrapped,
            rest.failed,
            rest.total_rewrapped,
            rest.paused
        ),
        (4, 0, 12, false)
    );
    let versions: Vec<i32> = llm_provider_keys::table
        .select(llm_provider_keys::key_version)
        .load(&mut conn)
        .expect("versions");
    assert!(versions.iter().all(|v| *v == 2), "{versions:?}");
    let only_v2 = ring(&[2]);
    for (i, u) in users_made.iter().enumerate() {
        assert_eq!(
            provider_keys::reveal(&mut conn, &only_v2, *u, LlmProvider::OpenAi)
                .expect("reveal")
                .expose_secret(),
            format!("sk-openai-{i}")
        );
    }
    let again = provider_keys::rewrap(&mut conn, &v2, RewrapOptions::default(), &client())
        .expect("nothing left");
    assert_eq!(again.rewrapped, 0);
    assert!(KeyRing::parse("1:short", None).is_err());
    assert!(matches!(
        provider_keys::reveal(&mut conn, &ring(&[7]), ada.id, LlmProvider::Claude),
        Err(AccountError::KeyRing(_))
    ));
}

/// Roles need `roles.manage`; the first admin comes from bootstrap (once); grants
/// and revocations are audited in the append-only admin trail.
#[test]
fn admin_roles_and_grants() {
    let db = db();
    let mut conn = db.conn();
    let root = register(&mut conn, "root@example.com");
    let alice = register(&mut conn, "alice@example.com");
    let perms = vec!["users.suspend".to_owned()];
    assert!(matches!(
        admin::create_role(&mut conn, alice.id, "support", None, &perms, &client()),
        Err(AccountError::Forbidden(p)) if p == MANAGE_ROLES
    ));
    admin::bootstrap(&mut conn, root.id, &client()).expect("bootstrap");
    assert!(matches!(
        admin::bootstrap(&mut conn, alice.id, &client()),
        Err(AccountError::Forbidden(_))
    ));
    assert!(admin::has_permission(&mut conn, root.id, "anything.at_all").expect("check"));
    let support = admin::create_role(
        &mut conn,
        root.id,
        "support",
        Some("helpdesk"),
        &perms,
        &client(),
    )
    .expect("role");
    admin::grant(
        &mut conn,
        root.id,
        alice.id,
        support.id,
        Some("on call"),
        &client(),
    )
    .expect("grant");
    assert!(admin::has_permission(&mut conn, alice.id, "users.suspend").expect("check"));
    assert!(!admin::has_permission(&mut conn, alice.id, "users.delete").expect("check"));
    assert!(matches!(
        admin::create_role(&mut conn, alice.id, "x", None, &[], &client()),
        Err(AccountError::Forbidden(_))
    ));
    admin::revoke(&mut conn, root.id, alice.id, support.id, &client()).expect("revoke");
    assert!(!admin::has_permission(&mut conn, alice.id, "users.suspend").expect("check"));
    admin::grant(&mut conn, root.id, alice.id, support.id, None, &client()).expect("re-grant");
    assert!(admin::has_permission(&mut conn, alice.id, "users.suspend").expect("check"));

    let trail: Vec<String> = auth_db::schema::admin_audit_logs::table
        .order(auth_db::schema::admin_audit_logs::created_at)
        .select(auth_db::schema::admin_audit_logs::action)
        .load(&mut conn)
        .expect("trail");
    assert_eq!(
        trail,
        vec![
            "admin.bootstrapped",
            "role.created",
            "role.granted",
            "role.revoked",
            "role.granted"
        ]
    );
    for sql in [
        "UPDATE admin_audit_logs SET action = 'forged'",
        "DELETE FROM admin_audit_logs",
        "DELETE FROM audit_logs",
    ] {
        let err = conn.batch_execute(sql).expect_err("append-only");
        assert!(err.to_string().contains("is append-only"), "{sql}: {err}");
    }
}

/// Bad input gets a typed error each and changes no row.
#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "real@example.com");
    let issued = tokens::issue(&mut conn, user.id, Duration::days(1), &client()).expect("issue");
    tokens::rotate(
        &mut conn,
        issued.token.expose_secret(),
        Duration::days(1),
        &client(),
    )
    .expect("rotate");
    let before: BTreeMap<String, String> = db.fingerprint();
    let long = "x".repeat(300);
    let ghost = UserId::new();
    let no_scopes: Vec<String> = Vec::new();
    let cases: Vec<(&str, Result<(), AccountError>)> = vec![
        (
            "malformed e-mail",
            users::register(
                &mut conn,
                &Registration {
                    email: "not-an-email",
                    password: "long enough pw",
                    ..Registration::default()
                },
                &client(),
            )
            .map(drop),
        ),
        (
            "overlong username",
            users::register(
                &mut conn,
                &Registration {
                    email: "new@example.com",
                    password: "long enough pw",
                    username: Some(&long),
                    ..Registration::default()
                },
                &client(),
            )
            .map(drop),
        ),
        (
            "short password",
            users::register(
                &mut conn,
                &Registration {
                    email: "new@example.com",
                    password: "short",
                    ..Registration::default()
                },
                &client(),
            )
            .map(drop),
        ),
        (
            "malformed login",
            users::login(
                &mut conn,
                "nope",
                "whatever",
                &client(),
                &LoginPolicy::default(),
            )
            .map(drop),
        ),
        (
            "unknown user token",
            tokens::issue(&mut conn, ghost, Duration::days(1), &client()).map(drop),
        ),
        (
            "unknown refresh token",
            tokens::rotate(&mut conn, "forged", Duration::days(1), &client()).map(drop),
        ),
        (
            "reset for malformed e-mail",
            resets::request(&mut conn, "@@", Duration::hours(1), &client()).map(drop),
        ),
        (
            "foreign reset token",
            resets::complete(
                &mut conn,
                issued.token.expose_secret(),
                "new password here",
                &client(),
            )
            .map(drop),
        ),
        (
            "empty key name",
            api_keys::create(
                &mut conn,
                user.id,
                &KeySpec {
                    name: " ",
                    scopes: &no_scopes,
                    ..KeySpec::default()
                },
                &client(),
            )
            .map(drop),
        ),
        (
            "key for unknown user",
            api_keys::create(
                &mut conn,
                ghost,
                &KeySpec {
                    name: "k",
                    ..KeySpec::default()
                },
                &client(),
            )
            .map(drop),
        ),
        (
            "negative rate limit",
            api_keys::create(
                &mut conn,
                user.id,
                &KeySpec {
                    name: "k",
                    rate_limit: Some(-1),
                    ..KeySpec::default()
                },
                &client(),
            )
            .map(drop),
        ),
        (
            "refresh token as api key",
            api_keys::verify(&mut conn, issued.token.expose_secret()).map(drop),
        ),
        (
            "provider key for unknown user",
            provider_keys::store(
                &mut conn,
                &ring(&[1]),
                ghost,
                LlmProvider::Gemini,
                "k",
                &client(),
            )
            .map(drop),
        ),
        (
            "empty provider key",
            provider_keys::store(
                &mut conn,
                &ring(&[1]),
                user.id,
                LlmProvider::Gemini,
                "",
                &client(),
            )
            .map(drop),
        ),
    ];
    for (what, result) in cases {
        let err = result.expect_err(what);
        assert!(
            !matches!(err, AccountError::Db(_)),
            "{what}: untyped error {err:?}"
        );
    }
    assert_eq!(db.fingerprint(), before, "a refused call changed a row");

    // Unknown enum values never reach SQL through the types; raw SQL meets the CHECK.
    assert!("anthropic".parse::<LlmProvider>().is_err());
    let err = diesel::sql_query("UPDATE users SET role = 'root'")
        .execute(&mut conn)
        .expect_err("check");
    assert!(
        matches!(DbError::from(err), DbError::CheckViolation { constraint, .. } if constraint == "ck_users_role")
    );
}
