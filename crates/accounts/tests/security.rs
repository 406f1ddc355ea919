//! Account security against an attacker: what a password change, a reset, an
//! API key and a login refuse, each on a fresh socrates_auth.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use std::time::{Duration as StdDuration, Instant};

use accounts::api_keys::{self, KeySpec};
use accounts::secret::ExposeSecret as _;
use accounts::users::{self, LoginPolicy, Registration};
use accounts::{AccountError, Client, resets, tokens};
use auth_db::enums::UserStatus;
use auth_db::models::{ApiKey, User};
use auth_db::schema::{api_keys as api_keys_table, audit_logs, users as users_table};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use test_db::TestDatabase;

const PASSWORD: &str = "correct horse battery";

fn db() -> TestDatabase {
    TestDatabase::new(&auth_db::MIGRATION_SET)
}

fn client(ip: &str) -> Client {
    Client {
        ip: Some(ip.parse().expect("ip")),
        user_agent: Some("security-tests".into()),
    }
}

fn owner() -> Client {
    client("192.0.2.7")
}

fn register(conn: &mut PgConnection, email: &str) -> User {
    users::register(
        conn,
        &Registration {
            email,
            password: PASSWORD,
            ..Registration::default()
        },
        &owner(),
    )
    .expect("register")
}

fn set_status(conn: &mut PgConnection, user: &User, status: UserStatus) {
    diesel::update(users_table::table.find(user.id))
        .set(users_table::status.eq(status))
        .execute(conn)
        .expect("status");
}

/// Item 9: a password change revokes every refresh token of the user but the
/// family the caller keeps, and voids every pending reset.
#[test]
fn changing_a_password_revokes_sessions_and_pending_resets() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "ada@example.com");
    let ttl = Duration::days(1);
    let current = tokens::issue(&mut conn, user.id, ttl, &owner()).expect("current");
    let stolen = tokens::issue(&mut conn, user.id, ttl, &owner()).expect("stolen");
    let reset = resets::request(&mut conn, "ada@example.com", Duration::hours(1), &owner())
        .expect("request")
        .expect("token");

    users::set_password(
        &mut conn,
        user.id,
        "a new long password",
        Some(current.family_id),
        &owner(),
    )
    .expect("change");
    assert!(
        matches!(
            tokens::rotate(&mut conn, stolen.token.expose_secret(), ttl, &owner()),
            Err(AccountError::TokenRevoked)
        ),
        "another session's refresh token outlived the password change"
    );
    let kept = tokens::rotate(&mut conn, current.token.expose_secret(), ttl, &owner())
        .expect("the kept session goes on");
    assert!(
        matches!(
            resets::complete(
                &mut conn,
                reset.expose_secret(),
                "attacker password",
                &owner()
            ),
            Err(AccountError::TokenUsed)
        ),
        "a reset requested before the change still works"
    );
    users::login(
        &mut conn,
        "ada@example.com",
        "a new long password",
        &owner(),
        &LoginPolicy::default(),
    )
    .expect("the new password works, the reset changed nothing");

    // Without a session to keep, every token goes.
    users::set_password(&mut conn, user.id, "a third long password", None, &owner())
        .expect("change");
    assert!(matches!(
        tokens::rotate(&mut conn, kept.token.expose_secret(), ttl, &owner()),
        Err(AccountError::TokenRevoked)
    ));
}

/// Item 10: the key of a user who is suspended, inactive or deleted is refused
/// and its use not counted; the same key works again once the user is active.
#[test]
fn api_keys_of_users_who_are_not_active_are_refused() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "bob@example.com");
    let (row, key) = api_keys::create(
        &mut conn,
        user.id,
        &KeySpec {
            name: "ci",
            ..KeySpec::default()
        },
        &owner(),
    )
    .expect("key");
    for status in [
        UserStatus::Suspended,
        UserStatus::Inactive,
        UserStatus::Deleted,
    ] {
        set_status(&mut conn, &user, status);
        let err = api_keys::verify(&mut conn, key.expose_secret()).expect_err("refused");
        assert!(
            matches!(err, AccountError::NotActive(s) if s == status),
            "{status}: {err:?}"
        );
    }
    let unused: ApiKey = api_keys_table::table
        .find(row.id)
        .select(ApiKey::as_select())
        .first(&mut conn)
        .expect("row");
    assert_eq!((unused.usage_count, unused.last_used_at), (0, None));
    set_status(&mut conn, &user, UserStatus::Active);
    assert_eq!(
        api_keys::verify(&mut conn, key.expose_secret())
            .expect("active again")
            .usage_count,
        1
    );
}

/// Item 11: completing one reset voids the user's other pending resets, and a
/// user who is not active cannot reset (the token stays unused, nothing changes).
#[test]
fn a_reset_voids_the_others_and_needs_an_active_user() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "carol@example.com");
    let request = |conn: &mut PgConnection| {
        resets::request(conn, "carol@example.com", Duration::hours(1), &owner())
            .expect("request")
            .expect("token")
    };
    let (first, second) = (request(&mut conn), request(&mut conn));
    resets::complete(
        &mut conn,
        first.expose_secret(),
        "the reset password",
        &owner(),
    )
    .expect("reset");
    assert!(matches!(
        resets::complete(
            &mut conn,
            second.expose_secret(),
            "another password",
            &owner()
        ),
        Err(AccountError::TokenUsed)
    ));

    let pending = request(&mut conn);
    set_status(&mut conn, &user, UserStatus::Suspended);
    let err = resets::complete(
        &mut conn,
        pending.expose_secret(),
        "a suspended user's password",
        &owner(),
    )
    .expect_err("suspended");
    assert!(
        matches!(err, AccountError::NotActive(UserStatus::Suspended)),
        "{err:?}"
    );
    set_status(&mut conn, &user, UserStatus::Active);
    users::login(
        &mut conn,
        "carol@example.com",
        "the reset password",
        &owner(),
        &LoginPolicy::default(),
    )
    .expect("the refused reset changed nothing");
}

/// How long a refused login takes, slowest of three.
fn slowest_refusal(
    conn: &mut PgConnection,
    email: &str,
    password: &str,
    client: &Client,
    policy: &LoginPolicy,
) -> (StdDuration, String) {
    let mut slowest = StdDuration::ZERO;
    let mut message = String::new();
    for _ in 0..3 {
        let started = Instant::now();
        let err = users::login(conn, email, password, client, policy).expect_err("refused");
        slowest = slowest.max(started.elapsed());
        assert!(matches!(err, AccountError::InvalidCredentials), "{err:?}");
        message = err.to_string();
    }
    (slowest, message)
}

/// Item 12: a locked account, an unknown e-mail and a wrong password give the
/// same error after the same work (a password verification: the locked path is
/// not the fast one); a lock keeps strangers out but not the account's known
/// client, and attempts refused by the lock do not extend it.
#[test]
fn a_locked_account_looks_like_a_wrong_password_and_keeps_its_owner_in() {
    let db = db();
    let mut conn = db.conn();
    let user = register(&mut conn, "dan@example.com");
    register(&mut conn, "erin@example.com");
    let policy = LoginPolicy {
        max_failures: 3,
        ..LoginPolicy::default()
    };
    // The owner has logged in from their own client before.
    users::login(&mut conn, "dan@example.com", PASSWORD, &owner(), &policy).expect("owner");

    let stranger = client("203.0.113.9");
    for _ in 0..3 {
        users::login(&mut conn, "dan@example.com", "guess", &stranger, &policy).expect_err("guess");
    }
    let locked_until = |conn: &mut PgConnection| -> Option<chrono::DateTime<Utc>> {
        users_table::table
            .find(user.id)
            .select(users_table::locked_until)
            .first(conn)
            .expect("user")
    };
    let lock = locked_until(&mut conn).expect("locked");

    let other = client("203.0.113.10");
    let (wrong, wrong_msg) =
        slowest_refusal(&mut conn, "erin@example.com", "guess", &other, &policy);
    let (unknown, unknown_msg) =
        slowest_refusal(&mut conn, "nobody@example.com", "guess", &other, &policy);
    let (locked_right, locked_msg) =
        slowest_refusal(&mut conn, "dan@example.com", PASSWORD, &stranger, &policy);
    let (locked_wrong, _) = slowest_refusal(&mut conn, "dan@example.com", "guess", &other, &policy);
    assert_eq!(wrong_msg, unknown_msg);
    assert_eq!(wrong_msg, locked_msg);
    // Each refusal verifies a password (Argon2id, tens of milliseconds); a path
    // that skipped it would take a database round trip only. The comparison is
    // between the quickest possible kind and a quarter of the hashing kind.
    let hashing = wrong.min(unknown);
    for (what, took) in [
        ("locked, right password", locked_right),
        ("locked, wrong", locked_wrong),
    ] {
        assert!(
            took * 4 >= hashing,
            "{what}: {took:?} against {hashing:?} for a wrong password: the lock answers without the work"
        );
    }
    assert_eq!(
        locked_until(&mut conn),
        Some(lock),
        "attempts refused by the lock extended it"
    );

    let back = users::login(&mut conn, "dan@example.com", PASSWORD, &owner(), &policy)
        .expect("the known client gets in through a stranger's lock");
    assert_eq!((back.failed_login_count, back.locked_until), (0, None));
}

/// Item 12: a client with too many failures over all accounts is refused, even
/// with a right password, while other clients are not; the failures age out.
#[test]
fn a_client_with_many_failures_is_throttled_on_its_own() {
    let db = db();
    let mut conn = db.conn();
    register(&mut conn, "fay@example.com");
    let policy = LoginPolicy {
        max_client_failures: 4,
        ..LoginPolicy::default()
    };
    let sprayer = client("203.0.113.50");
    for i in 0..4 {
        users::login(
            &mut conn,
            &format!("user{i}@example.com"),
            "password1",
            &sprayer,
            &policy,
        )
        .expect_err("unknown");
    }
    let err = users::login(&mut conn, "fay@example.com", PASSWORD, &sprayer, &policy)
        .expect_err("throttled");
    assert!(matches!(err, AccountError::InvalidCredentials), "{err:?}");
    let fay = users::login(&mut conn, "fay@example.com", PASSWORD, &owner(), &policy)
        .expect("another client is not throttled");
    assert_eq!(
        fay.failed_login_count, 0,
        "the throttled attempt counted against the account"
    );
    let narrow = LoginPolicy {
        client_window: Duration::milliseconds(1),
        ..policy
    };
    std::thread::sleep(StdDuration::from_millis(5));
    users::login(&mut conn, "fay@example.com", PASSWORD, &sprayer, &narrow)
        .expect("failures outside the window no longer count");
    let reasons: Vec<serde_json::Value> = audit_logs::table
        .filter(audit_logs::action.eq("user.login_failed"))
        .filter(audit_logs::user_id.is_not_null())
        .select(audit_logs::details)
        .load(&mut conn)
        .expect("audit");
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0]["reason"], "throttled");
}
