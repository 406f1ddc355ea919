//! No raw secret is ever stored: after a scenario that creates every kind of
//! secret, none of them appears in any column of either database.

use accounts::api_keys::{self, KeySpec};
use accounts::provider_keys::{self, KeyRing};
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

/// Passwords, refresh tokens, a reset token, an API key, a provider key, an
/// invitation token, a link token and a link password: none is stored raw.
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

    let password = "first Secret passphrase".to_owned();
    let user = users::register(
        &mut a,
        &Registration {
            email: "ada@example.com",
            password: &password,
            ..Registration::default()
        },
        &client,
    )
    .expect("register");
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
    let second = tokens::rotate(&mut a, &first.token, Duration::days(1), &client).expect("rotate");
    secrets.push(("refresh token", first.token));
    secrets.push(("rotated refresh token", second.token));

    let reset = resets::request(&mut a, "ada@example.com", Duration::hours(1), &client)
        .expect("request")
        .expect("token");
    let new_password = "second Secret passphrase".to_owned();
    resets::complete(&mut a, &reset, &new_password, &client).expect("reset");
    secrets.push(("reset token", reset));
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
    api_keys::verify(&mut a, &api_key).expect("verify");
    secrets.push((
        "api key (beyond its display prefix)",
        api_key[12..].to_owned(),
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
    secrets.push(("provider key", provider_key));

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
    secrets.push(("invitation token", invited.token));

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
    shares::open_link(&mut s, &link.token, Some(&link_password)).expect("open");
    secrets.push(("link token", link.token));
    secrets.push(("link password", link_password));

    let mut leaks = Vec::new();
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
