//! No raw secret is ever stored: after a scenario that creates every kind of
//! secret, none of them appears in any column of either database; and no value
//! that holds one in clear shows it when formatted.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use accounts::api_keys::{self, KeySpec};
use accounts::provider_keys::{self, KeyRing};
use accounts::secret::ExposeSecret as _;
use accounts::users::{self, LoginPolicy, Registration};
use accounts::{Client, resets, tokens};
use auth_db::enums::InvitationRole;
use base64::Engine as _;
use chrono::Duration;
use collaboration::shares::{self, Grantee};
use collaboration::{invitations, teams};
use db_core::{LlmProvider, PermissionLevel};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bytea, Text};
use specs_db::ids::ProjectId;
use specs_db::models::NewProject;
use specs_db::schema::projects;
use test_db::TestDatabase;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
}

#[derive(QueryableByName)]
struct Hits {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every column of every table (bookkeeping included) that could hold text or bytes.
fn searchable_columns(conn: &mut PgConnection) -> Vec<Column> {
    diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = 'public' \
           AND data_type IN ('text', 'character varying', 'jsonb', 'bytea', 'ARRAY', 'inet')",
    )
    .load(conn)
    .expect("columns")
}

/// Rows of `conn` where any searchable column contains `secret` (as text or as bytes).
fn occurrences(conn: &mut PgConnection, secret: &str) -> Vec<String> {
    let mut found = Vec::new();
    for c in searchable_columns(conn) {
        let (t, col) = (&c.table_name, &c.column_name);
        let hits: Hits = if c.data_type == "bytea" {
            diesel::sql_query(format!(
                "SELECT count(*) AS n FROM \"{t}\" WHERE position($1 in \"{col}\") > 0"
            ))
            .bind::<Bytea, _>(secret.as_bytes())
            .get_result(conn)
            .expect("search bytes")
        } else {
            diesel::sql_query(format!(
                "SELECT count(*) AS n FROM \"{t}\" WHERE strpos(\"{col}\"::text, $1) > 0"
            ))
            .bind::<Text, _>(secret)
            .get_result(conn)
            .expect("search text")
        };
        if hits.n > 0 {
            found.push(format!("{t}.{col}"));
        }
    }
    found
}

/// `{:?}` and `{:#?}` of a value that holds a clear secret.
fn formatted(value: &impl std::fmt::Debug) -> String {
    format!("{value:?}\n{value:#?}")
}

/// Passwords, refresh tokens, a reset token, an API key, a provider key, an
/// invitation token, a link token and a link password: none is stored raw, and
/// every value the crates hand out holding one in clear (`tokens::Issued`, the
/// reset token, the API key, the revealed provider key, `invitations::Invited`,
/// `shares::Link`, `users::Registration`, `KeyRing`) redacts it in `Debug`. None
/// of them implements `Display` (`secrecy::SecretString` has none), so no
/// `{}` can print one either.
#[test]
fn no_raw_secret_is_stored_anywhere() {
    let auth = TestDatabase::new(&auth_db::MIGRATION_SET);
    let specs = TestDatabase::new(&specs_db::MIGRATION_SET);
    let (mut a, mut s) = (auth.conn(), specs.conn());
    let client = Client {
        ip: Some("198.51.100.4".parse().expect("ip")),
        user_agent: Some("secrets-test".into()),
    };
    let mut secrets: Vec<(&str, String)> = Vec::new();
    let mut shown: Vec<(&str, String)> = Vec::new();

    let password = "first Secret passphrase".to_owned();
    let registration = Registration {
        email: "ada@example.com",
        password: &password,
        ..Registration::default()
    };
    shown.push(("Registration", formatted(&registration)));
    let user = users::register(&mut a, &registration, &client).expect("register");
    secrets.push(("password", password.clone()));
    users::login(
        &mut a,
        "ada@example.com",
        &password,
        &client,
        &LoginPolicy::default(),
    )
    .expect("login");
    users::login(
        &mut a,
        "ada@example.com",
        "a wrong Secret guess",
        &client,
        &LoginPolicy::default(),
    )
    .expect_err("wrong");
    secrets.push(("mistyped password", "a wrong Secret guess".into()));

    let first = tokens::issue(&mut a, user.id, Duration::days(1), &client).expect("issue");
    let second = tokens::rotate(
        &mut a,
        first.token.expose_secret(),
        Duration::days(1),
        &client,
    )
    .expect("rotate");
    shown.push(("tokens::Issued", formatted(&first)));
    shown.push(("tokens::Issued (rotated)", formatted(&second)));
    secrets.push(("refresh token", first.token.expose_secret().to_owned()));
    secrets.push((
        "rotated refresh token",
        second.token.expose_secret().to_owned(),
    ));

    let reset = resets::request(&mut a, "ada@example.com", Duration::hours(1), &client)
        .expect("request")
        .expect("token");
    let new_password = "second Secret passphrase".to_owned();
    resets::complete(&mut a, reset.expose_secret(), &new_password, &client).expect("reset");
    shown.push(("reset token", formatted(&reset)));
    secrets.push(("reset token", reset.expose_secret().to_owned()));
    secrets.push(("new password", new_password));

    let (_, api_key) = api_keys::create(
        &mut a,
        user.id,
        &KeySpec {
            name: "ci",
            ..KeySpec::default()
        },
        &client,
    )
    .expect("api key");
    api_keys::verify(&mut a, api_key.expose_secret()).expect("verify");
    shown.push(("API key", formatted(&api_key)));
    secrets.push((
        "api key (beyond its display prefix)",
        api_key.expose_secret()[12..].to_owned(),
    ));

    let ring = KeyRing::parse(
        &format!(
            "1:{}",
            base64::engine::general_purpose::STANDARD.encode([42u8; 32])
        ),
        None,
    )
    .expect("ring");
    let provider_key = "sk-ant-api03-very-Secret-provider-key".to_owned();
    provider_keys::store(
        &mut a,
        &ring,
        user.id,
        LlmProvider::Claude,
        &provider_key,
        &client,
    )
    .expect("store");
    let revealed =
        provider_keys::reveal(&mut a, &ring, user.id, LlmProvider::Claude).expect("reveal");
    assert_eq!(revealed.expose_secret(), provider_key);
    shown.push(("revealed provider key", formatted(&revealed)));
    shown.push(("KeyRing", formatted(&ring)));
    secrets.push(("provider key", provider_key));
    secrets.push((
        "master key",
        base64::engine::general_purpose::STANDARD.encode([42u8; 32]),
    ));

    let team = teams::create_team(&mut a, user.id, "team", None).expect("team");
    let invited = invitations::invite(
        &mut a,
        user.id,
        team.id,
        "grace@example.com",
        InvitationRole::Developer,
        Duration::days(1),
    )
    .expect("invite");
    shown.push(("invitations::Invited", formatted(&invited)));
    secrets.push(("invitation token", invited.token.expose_secret().to_owned()));

    let project = cross_db::write::<_, cross_db::XdbError>(
        &mut a,
        &mut s,
        &cross_db::Refs::new().user(user.id),
        |w| {
            let id = ProjectId::new();
            diesel::insert_into(projects::table)
                .values(NewProject::new(id, user.id, user.id, "p"))
                .execute(w.specs)?;
            Ok(id)
        },
    )
    .expect("project");
    shares::share(
        &mut a,
        &mut s,
        user.id,
        project,
        Grantee::Public,
        PermissionLevel::Read,
        None,
    )
    .expect("public");
    let link_password = "link Secret phrase".to_owned();
    let link = shares::create_link(&mut a, &mut s, user.id, project, Some(&link_password), None)
        .expect("link");
    shares::open_link(&mut s, link.token.expose_secret(), Some(&link_password)).expect("open");
    shown.push(("shares::Link", formatted(&link)));
    secrets.push(("link token", link.token.expose_secret().to_owned()));
    secrets.push(("link password", link_password));

    let mut leaks = Vec::new();
    for (holder, text) in &shown {
        for (what, secret) in &secrets {
            if text.contains(secret.as_str()) {
                leaks.push(format!("{what} shown by the Debug of {holder}"));
            }
        }
        assert!(
            text.contains("REDACTED"),
            "{holder} does not say it redacts: {text}"
        );
    }
    for (what, secret) in &secrets {
        for (db, conn) in [("auth", &mut a), ("specs", &mut s)] {
            for place in occurrences(conn, secret) {
                leaks.push(format!("{what} found in {db}.{place}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "raw secrets stored:\n{}",
        leaks.join("\n")
    );
    // The sweep finds what is there: the e-mail address is stored in clear.
    assert_eq!(
        occurrences(&mut a, "ada@example.com"),
        vec!["users.email".to_owned()]
    );
}
