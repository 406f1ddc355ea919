//! API keys and provider keys.

use super::*;

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
