//! Admin roles and grants; bad input.

use super::*;

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
