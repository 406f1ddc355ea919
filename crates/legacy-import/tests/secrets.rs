//! After an import: users log in with their Socrates2 passwords (rehashed to
//! Argon2id on the way), refresh tokens keep working while no raw token is
//! stored anywhere, check-refs is clean, and over-long text is quarantined.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use accounts::Client;
use accounts::users::LoginPolicy;
use common::{LegacyPair, Ours, small_batches};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use secrecy::ExposeSecret;

fn password_hash(ours: &Ours, email: &str) -> String {
    #[derive(QueryableByName)]
    struct H {
        #[diesel(sql_type = diesel::sql_types::Text)]
        h: String,
    }
    diesel::sql_query("SELECT password_hash AS h FROM users WHERE email = $1")
        .bind::<diesel::sql_types::Text, _>(email)
        .get_result::<H>(&mut ours.auth.connect_direct())
        .unwrap()
        .h
}

#[test]
fn users_log_in_with_their_old_passwords_and_are_rehashed() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    ours.import(&legacy, &small_batches());
    let mut auth = ours.auth.connect_direct();
    let client = Client::default();
    let policy = LoginPolicy::default();
    // $2b$ (alice) and the merged Alice@Example.com's address, which is alice's account
    assert!(password_hash(&ours, "alice@example.com").starts_with("$2b$"));
    let alice = accounts::users::login(
        &mut auth,
        "ALICE@example.com",
        "legacy password 1",
        &client,
        &policy,
    )
    .expect("alice logs in with her Socrates2 password");
    assert!(
        password_hash(&ours, "alice@example.com").starts_with("$argon2id$"),
        "rehashed"
    );
    // and again, now against the Argon2id hash
    let again = accounts::users::login(
        &mut auth,
        "alice@example.com",
        "legacy password 1",
        &client,
        &policy,
    )
    .expect("second login");
    assert_eq!(alice.id, again.id);
    assert!(
        accounts::users::login(
            &mut auth,
            "alice@example.com",
            "correct horse",
            &client,
            &policy
        )
        .is_err(),
        "the merged duplicate's password is not alice's"
    );
    // $2a$: bob is inactive in Socrates2 (is_active = false): the password is right, the account is not active
    let bob = accounts::users::login(
        &mut auth,
        "bob@example.com",
        "legacy password 2",
        &client,
        &policy,
    );
    assert!(
        matches!(bob, Err(accounts::AccountError::NotActive(_))),
        "{bob:?}"
    );
    assert!(
        password_hash(&ours, "bob@example.com").starts_with("$2a$"),
        "not rehashed: not logged in"
    );
    // $2y$, with a wrong password first
    assert!(
        accounts::users::login(
            &mut auth,
            "carol@example.com",
            "nope nope",
            &client,
            &policy
        )
        .is_err()
    );
}

#[test]
fn refresh_tokens_keep_working_and_no_raw_token_is_stored_anywhere() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    ours.import(&legacy, &small_batches());
    let raw = [
        "legacy-refresh-token-of-alice-0123456789abcd",
        "legacy-refresh-token-of-alice2-123456789abcd",
        "legacy-refresh-token-of-bob-0123456789abcdef",
        "legacy-refresh-token-of-dave-0123456789abcde",
        "legacy-invitation-token-1",
        "legacy-invitation-token-2",
        "legacy-invitation-token-3",
        "legacy-invitation-token-5",
    ];
    for db in [&ours.auth, &ours.specs] {
        let mut conn = db.connect_direct();
        #[derive(QueryableByName)]
        struct Col {
            #[diesel(sql_type = diesel::sql_types::Text)]
            table_name: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            column_name: String,
        }
        let columns: Vec<Col> = diesel::sql_query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'bytea', 'ARRAY')",
        )
        .load(&mut conn)
        .unwrap();
        assert!(columns.len() > 50);
        for c in &columns {
            for token in raw {
                let hits = test_db::count(
                    &mut conn,
                    &format!(
                        "SELECT count(*) AS n FROM {} WHERE position('{token}' IN \"{}\"::text) > 0 \
                         OR position(encode(convert_to('{token}', 'UTF8'), 'hex') IN \"{}\"::text) > 0",
                        c.table_name, c.column_name, c.column_name
                    ),
                );
                assert_eq!(hits, 0, "{}.{} holds {token}", c.table_name, c.column_name);
            }
        }
    }
    let mut auth = ours.auth.connect_direct();
    let client = Client::default();
    // alice's session goes on: her token rotates to a new one of ours
    let next = accounts::tokens::rotate(&mut auth, raw[0], chrono::Duration::days(7), &client)
        .expect("alice's Socrates2 refresh token still works");
    assert_eq!(
        next.user_id.to_string(),
        "11000000-0000-4000-8000-000000000001"
    );
    assert_ne!(next.token.expose_secret(), raw[0]);
    // the merged account's token now belongs to alice
    let merged = accounts::tokens::rotate(&mut auth, raw[1], chrono::Duration::days(7), &client)
        .expect("the merged account's token works");
    assert_eq!(merged.user_id, next.user_id);
    // a token revoked in Socrates2 stays revoked
    assert!(
        accounts::tokens::rotate(&mut auth, raw[2], chrono::Duration::days(7), &client).is_err()
    );
}

#[test]
fn check_refs_is_clean_after_an_import() {
    let legacy = LegacyPair::new();
    let ours = Ours::new();
    ours.import(&legacy, &small_batches());
    let report = cross_db::scan(
        &mut ours.auth.connect_direct(),
        &mut ours.specs.connect_direct(),
        &cross_db::ScanOptions::default(),
    )
    .unwrap();
    assert!(!report.has_orphans(), "{report:#?}");
    assert!(report.references > 20);
}

/// A value longer than our column allows is quarantined whole, never cut
/// (here a legacy column someone widened by hand).
#[test]
fn text_longer_than_our_columns_is_rejected_not_cut() {
    let legacy = LegacyPair::new();
    legacy
        .specs
        .connect_direct()
        .batch_execute(&format!(
            "ALTER TABLE teams ALTER COLUMN name TYPE varchar(400); \
             INSERT INTO teams (id, name, owner_id) VALUES \
             ('21000000-0000-4000-8000-000000000009', '{}', '11000000-0000-4000-8000-000000000001')",
            "n".repeat(300)
        ))
        .unwrap();
    let ours = Ours::new();
    let report = ours.import(&legacy, &small_batches());
    let teams = report.table("specs.teams").unwrap();
    assert_eq!(
        teams.rejected_by_reason.get("value_too_long"),
        Some(&1),
        "{teams:?}"
    );
    assert_eq!(
        test_db::count(
            &mut ours.auth.connect_direct(),
            "SELECT count(*) AS n FROM legacy_import_quarantine WHERE legacy_id = '21000000-0000-4000-8000-000000000009' \
             AND length(legacy_row ->> 'name') = 300"
        ),
        1
    );
}
