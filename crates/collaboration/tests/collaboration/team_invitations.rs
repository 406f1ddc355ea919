//! Team invitations; bad input.

use super::*;

/// Invitations: hashed tokens, accepted only by their addressee, once, in time;
/// declined and revoked ones stay answered; one pending invitation per address.
#[test]
fn invitations() {
    let w = World::new();
    let owner = w.user("owner@example.com");
    let invitee = w.user("invitee@example.com");
    let intruder = w.user("intruder@example.com");
    let team = team_ops::create_team(&mut w.auth.conn(), owner, "guild", None)
        .expect("team")
        .id;
    let mut auth = w.auth.conn();
    let sent = invitations::invite(
        &mut auth,
        owner,
        team,
        "Invitee@Example.com",
        InvitationRole::Developer,
        Duration::days(7),
    )
    .expect("invite");
    assert_eq!(sent.invitation.invited_email, "invitee@example.com");
    assert_ne!(
        sent.invitation.token_hash,
        sent.token.expose_secret().as_bytes()
    );
    assert!(matches!(
        invitations::invite(
            &mut auth,
            owner,
            team,
            "invitee@example.com",
            InvitationRole::Viewer,
            Duration::days(7)
        ),
        Err(CollabError::InvitationPending)
    ));
    assert!(matches!(
        invitations::accept(&mut auth, intruder, sent.token.expose_secret()),
        Err(CollabError::WrongInvitee)
    ));
    assert!(matches!(
        invitations::invite(
            &mut auth,
            invitee,
            team,
            "x@example.com",
            InvitationRole::Viewer,
            Duration::days(1)
        ),
        Err(CollabError::NotFound)
    ));
    assert_eq!(
        invitations::accept(&mut auth, invitee, sent.token.expose_secret()).expect("accept"),
        team
    );
    assert_eq!(w.counts(team), (2, 0, 2));
    assert!(matches!(
        invitations::accept(&mut auth, invitee, sent.token.expose_secret()),
        Err(CollabError::NotPending(InvitationStatus::Accepted))
    ));

    let other = w.user("other@example.com");
    let declined = invitations::invite(
        &mut auth,
        owner,
        team,
        "other@example.com",
        InvitationRole::Viewer,
        Duration::days(1),
    )
    .expect("invite");
    invitations::decline(&mut auth, other, declined.token.expose_secret()).expect("decline");
    assert!(matches!(
        invitations::accept(&mut auth, other, declined.token.expose_secret()),
        Err(CollabError::NotPending(InvitationStatus::Declined))
    ));
    let revoked = invitations::invite(
        &mut auth,
        owner,
        team,
        "other@example.com",
        InvitationRole::Viewer,
        Duration::days(1),
    )
    .expect("invite again");
    invitations::revoke(&mut auth, owner, revoked.invitation.id).expect("revoke");
    assert!(matches!(
        invitations::accept(&mut auth, other, revoked.token.expose_secret()),
        Err(CollabError::NotPending(InvitationStatus::Revoked))
    ));
    let stale = invitations::invite(
        &mut auth,
        owner,
        team,
        "other@example.com",
        InvitationRole::Viewer,
        Duration::milliseconds(50),
    )
    .expect("invite");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(matches!(
        invitations::accept(&mut auth, other, stale.token.expose_secret()),
        Err(CollabError::Account(AccountError::TokenExpired))
    ));
    assert_eq!(invitations::expire_due(&mut auth).expect("expire"), 1);
    assert!(matches!(
        invitations::accept(&mut auth, other, "forged"),
        Err(CollabError::Account(AccountError::TokenUnknown))
    ));
}

/// Bad input: a typed error each, and neither database changes.
#[test]
fn bad_input_changes_nothing() {
    let w = World::new();
    let owner = w.user("owner@example.com");
    let member = w.user("member@example.com");
    let team = team_ops::create_team(&mut w.auth.conn(), owner, "t", None)
        .expect("team")
        .id;
    let project = w.project(owner);
    let (auth_before, specs_before) = (w.auth.fingerprint(), w.specs.fingerprint());
    let (mut auth, mut specs) = (w.auth.conn(), w.specs.conn());
    let ghost_user = UserId::new();
    let ghost_team = TeamId::new();
    let long = "n".repeat(300);
    let results: Vec<(&str, Result<(), CollabError>)> = vec![
        (
            "empty team name",
            team_ops::create_team(&mut auth, owner, "  ", None).map(drop),
        ),
        (
            "overlong team name",
            team_ops::create_team(&mut auth, owner, &long, None).map(drop),
        ),
        (
            "team for unknown owner",
            team_ops::create_team(&mut auth, ghost_user, "x", None).map(drop),
        ),
        (
            "duplicate team name",
            team_ops::create_team(&mut auth, owner, "t", None).map(drop),
        ),
        (
            "member of unknown team",
            team_ops::add_member(&mut auth, owner, ghost_team, member, TeamRole::Viewer).map(drop),
        ),
        (
            "second owner",
            team_ops::add_member(&mut auth, owner, team, member, TeamRole::Owner).map(drop),
        ),
        (
            "unknown member",
            team_ops::add_member(&mut auth, owner, team, ghost_user, TeamRole::Viewer).map(drop),
        ),
        (
            "non-manager adds",
            team_ops::add_member(&mut auth, member, team, member, TeamRole::Viewer).map(drop),
        ),
        (
            "malformed invitation e-mail",
            invitations::invite(
                &mut auth,
                owner,
                team,
                "nope",
                InvitationRole::Viewer,
                Duration::days(1),
            )
            .map(drop),
        ),
        (
            "non-positive ttl",
            invitations::invite(
                &mut auth,
                owner,
                team,
                "x@example.com",
                InvitationRole::Viewer,
                Duration::zero(),
            )
            .map(drop),
        ),
        (
            "share to unknown user",
            shares::share(
                &mut auth,
                &mut specs,
                owner,
                project,
                Grantee::User(ghost_user),
                Read,
                None,
            )
            .map(drop),
        ),
        (
            "share to unknown team",
            shares::share(
                &mut auth,
                &mut specs,
                owner,
                project,
                Grantee::Team(ghost_team),
                Read,
                None,
            )
            .map(drop),
        ),
        (
            "share of unknown project",
            shares::share(
                &mut auth,
                &mut specs,
                owner,
                ProjectId::new(),
                Grantee::User(member),
                Read,
                None,
            )
            .map(drop),
        ),
        (
            "share by non-admin",
            shares::share(
                &mut auth,
                &mut specs,
                member,
                project,
                Grantee::User(member),
                Read,
                None,
            )
            .map(drop),
        ),
        (
            "share expiring in the past",
            shares::share(
                &mut auth,
                &mut specs,
                owner,
                project,
                Grantee::User(member),
                Read,
                Some(Utc::now() - Duration::hours(1)),
            )
            .map(drop),
        ),
        (
            "weak link password",
            shares::create_link(&mut auth, &mut specs, owner, project, Some("123"), None).map(drop),
        ),
        (
            "unknown link",
            shares::open_link(&mut specs, "forged", None).map(drop),
        ),
    ];
    for (what, result) in results {
        let err = result.expect_err(what);
        assert!(
            !matches!(err, CollabError::Db(_)),
            "{what}: untyped {err:?}"
        );
    }
    assert_eq!(w.auth.fingerprint(), auth_before, "auth changed");
    assert_eq!(w.specs.fingerprint(), specs_before, "specs changed");
}
