//! Teams, invitations, shares and the access decision, on real databases.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

use accounts::secret::ExposeSecret as _;
use accounts::users::{self, Registration};
use accounts::{AccountError, Client};
use auth_db::enums::{InvitationRole, MembershipStatus, TeamRole, TeamStatus};
use auth_db::schema::{team_members, teams};
use chrono::{Duration, Utc};
use collaboration::shares::{self, Grantee};
use collaboration::{CollabError, access::access, invitations, teams as team_ops};
use db_core::{InvitationStatus, PermissionLevel, TeamId, UserId};
use diesel::prelude::*;
use specs_db::ids::ProjectId;
use specs_db::models::NewProject;
use specs_db::schema::{project_shares, projects};
use test_db::Pair;

/// The harness's pair, and the collaboration scenarios on it.
struct World(Pair);

impl std::ops::Deref for World {
    type Target = Pair;

    fn deref(&self) -> &Pair {
        &self.0
    }
}

impl World {
    fn new() -> Self {
        Self(Pair::new())
    }

    fn user(&self, email: &str) -> UserId {
        users::register(
            &mut self.auth.conn(),
            &Registration {
                email,
                password: "correct horse battery",
                ..Registration::default()
            },
            &Client::default(),
        )
        .expect("register")
        .id
    }

    fn project(&self, owner: UserId) -> ProjectId {
        let (mut auth, mut specs) = (self.auth.conn(), self.specs.conn());
        cross_db::write::<_, cross_db::XdbError>(
            &mut auth,
            &mut specs,
            &cross_db::Refs::new().user(owner),
            |w| {
                let id = ProjectId::new();
                diesel::insert_into(projects::table)
                    .values(NewProject::new(id, owner, owner, "shared project"))
                    .execute(w.specs)?;
                Ok(id)
            },
        )
        .expect("project")
    }

    fn access(&self, user: UserId, project: ProjectId) -> Option<PermissionLevel> {
        access(&mut self.auth.conn(), &mut self.specs.conn(), user, project).expect("access")
    }

    fn share(
        &self,
        actor: UserId,
        project: ProjectId,
        grantee: Grantee,
        level: PermissionLevel,
        expires: Option<chrono::DateTime<Utc>>,
    ) -> Result<specs_db::models::ProjectShare, CollabError> {
        shares::share(
            &mut self.auth.conn(),
            &mut self.specs.conn(),
            actor,
            project,
            grantee,
            level,
            expires,
        )
    }

    fn counts(&self, team: TeamId) -> (i32, i32, i64) {
        let mut auth = self.auth.conn();
        let (members, projects): (i32, i32) = teams::table
            .find(team)
            .select((teams::member_count, teams::project_count))
            .first(&mut auth)
            .expect("team");
        let active: i64 = team_members::table
            .filter(
                team_members::team_id
                    .eq(team)
                    .and(team_members::status.eq(MembershipStatus::Active)),
            )
            .count()
            .get_result(&mut auth)
            .expect("count");
        (members, projects, active)
    }
}

use PermissionLevel::{Admin, Read, Write};

/// The access matrix: owner, each team role through a team share, direct shares,
/// public, link, expired and revoked grants, inactive memberships and teams.
#[test]
fn access_matrix() {
    let w = World::new();
    let owner = w.user("owner@example.com");
    let project = w.project(owner);
    let stranger = w.user("stranger@example.com");

    // Team roles through one team share with write access.
    let team_owner = w.user("team-owner@example.com");
    let team = team_ops::create_team(&mut w.auth.conn(), team_owner, "builders", None)
        .expect("team")
        .id;
    let mut by_role = vec![(team_owner, TeamRole::Owner)];
    for (email, role) in [
        ("lead@example.com", TeamRole::Lead),
        ("dev@example.com", TeamRole::Developer),
        ("viewer@example.com", TeamRole::Viewer),
    ] {
        let u = w.user(email);
        team_ops::add_member(&mut w.auth.conn(), team_owner, team, u, role).expect("member");
        by_role.push((u, role));
    }
    w.share(owner, project, Grantee::Team(team), Write, None)
        .expect("team share");
    // Direct shares at each level.
    let direct: Vec<(UserId, PermissionLevel)> = [
        ("r@example.com", Read),
        ("w@example.com", Write),
        ("a@example.com", Admin),
    ]
    .into_iter()
    .map(|(email, level)| {
        let u = w.user(email);
        w.share(owner, project, Grantee::User(u), level, None)
            .expect("direct share");
        (u, level)
    })
    .collect();
    let expired = w.user("expired@example.com");
    let s = w
        .share(
            owner,
            project,
            Grantee::User(expired),
            Write,
            Some(Utc::now() + Duration::milliseconds(200)),
        )
        .expect("short share");
    let revoked = w.user("revoked@example.com");
    let r = w
        .share(owner, project, Grantee::User(revoked), Write, None)
        .expect("share to revoke");
    shares::revoke(&mut w.auth.conn(), &mut w.specs.conn(), owner, r.id).expect("revoke");
    // A viewer of the team with a direct write share gets the stronger grant.
    let viewer = by_role[3].0;
    w.share(owner, project, Grantee::User(viewer), Write, None)
        .expect("stronger direct share");
    // Inactive membership.
    let suspended = w.user("suspended@example.com");
    team_ops::add_member(
        &mut w.auth.conn(),
        team_owner,
        team,
        suspended,
        TeamRole::Developer,
    )
    .expect("member");
    team_ops::update_member(
        &mut w.auth.conn(),
        team_owner,
        team,
        suspended,
        None,
        Some(MembershipStatus::Suspended),
    )
    .expect("suspend");
    std::thread::sleep(std::time::Duration::from_millis(250));

    let mut matrix: Vec<(&str, UserId, Option<PermissionLevel>)> = vec![
        ("owner", owner, Some(Admin)),
        ("stranger", stranger, None),
        ("team owner via write share", by_role[0].0, Some(Write)),
        ("team lead via write share", by_role[1].0, Some(Write)),
        ("team developer via write share", by_role[2].0, Some(Write)),
        (
            "team viewer, plus a direct write share",
            viewer,
            Some(Write),
        ),
        ("expired direct share", expired, None),
        ("revoked direct share", revoked, None),
        ("suspended team member", suspended, None),
    ];
    for (u, level) in &direct {
        matrix.push(("direct share", *u, Some(*level)));
    }
    for (what, user, expected) in &matrix {
        assert_eq!(w.access(*user, project), *expected, "{what}");
    }
    // A team viewer without a direct share is capped at read.
    let plain_viewer = w.user("viewer2@example.com");
    team_ops::add_member(
        &mut w.auth.conn(),
        team_owner,
        team,
        plain_viewer,
        TeamRole::Viewer,
    )
    .expect("member");
    assert_eq!(
        w.access(plain_viewer, project),
        Some(Read),
        "team viewer via write share"
    );

    // Public: read for everyone, even strangers.
    w.share(owner, project, Grantee::Public, Read, None)
        .expect("public");
    assert_eq!(w.access(stranger, project), Some(Read), "public share");
    assert!(matches!(
        w.share(owner, project, Grantee::Public, Write, None),
        Err(CollabError::Invalid { .. })
    ));

    // An archived team grants nothing.
    team_ops::set_status(&mut w.auth.conn(), team_owner, team, TeamStatus::Archived)
        .expect("archive");
    assert_eq!(
        w.access(by_role[2].0, project),
        Some(Read),
        "archived team: only the public share is left"
    );

    // Links: read with the token (and password), refused otherwise, counted.
    let link = shares::create_link(
        &mut w.auth.conn(),
        &mut w.specs.conn(),
        owner,
        project,
        Some("link password"),
        None,
    )
    .expect("link");
    let mut specs = w.specs.conn();
    assert_eq!(
        shares::open_link(
            &mut specs,
            link.token.expose_secret(),
            Some("link password")
        )
        .expect("open"),
        (project, Read)
    );
    assert!(matches!(
        shares::open_link(&mut specs, link.token.expose_secret(), Some("wrong")),
        Err(CollabError::Account(AccountError::InvalidCredentials))
    ));
    assert!(matches!(
        shares::open_link(&mut specs, "forged", None),
        Err(CollabError::Account(AccountError::TokenUnknown))
    ));
    let short = shares::create_link(
        &mut w.auth.conn(),
        &mut w.specs.conn(),
        owner,
        project,
        None,
        Some(Utc::now() + Duration::milliseconds(100)),
    )
    .expect("link");
    std::thread::sleep(std::time::Duration::from_millis(150));
    assert!(matches!(
        shares::open_link(&mut specs, short.token.expose_secret(), None),
        Err(CollabError::Account(AccountError::TokenExpired))
    ));
    let count: i32 = project_shares::table
        .find(link.share.id)
        .select(project_shares::access_count)
        .first(&mut specs)
        .expect("share");
    assert_eq!(count, 1);

    // Only admins share; the expired share row is still there, just powerless.
    let (writer, _) = direct[1];
    assert!(matches!(
        w.share(writer, project, Grantee::User(stranger), Read, None),
        Err(CollabError::Forbidden(_))
    ));
    assert!(
        project_shares::table
            .find(s.id)
            .count()
            .get_result::<i64>(&mut specs)
            .expect("row")
            == 1
    );
}

/// A user's project list: owned, shared directly, shared with an active team; not
/// public, expired or foreign ones; newest first.
#[test]
fn list_projects_includes_shares() {
    let w = World::new();
    let me = w.user("me@example.com");
    let other = w.user("other@example.com");
    let mine = w.project(me);
    let direct = w.project(other);
    let via_team = w.project(other);
    let public = w.project(other);
    let expired = w.project(other);
    let _unrelated = w.project(other);
    let team = team_ops::create_team(&mut w.auth.conn(), other, "t", None)
        .expect("team")
        .id;
    team_ops::add_member(&mut w.auth.conn(), other, team, me, TeamRole::Viewer).expect("member");
    w.share(other, direct, Grantee::User(me), Read, None)
        .expect("share");
    w.share(other, via_team, Grantee::Team(team), Write, None)
        .expect("share");
    // Reachable two ways (directly and through the team): listed once.
    w.share(other, direct, Grantee::Team(team), Read, None)
        .expect("share");
    w.share(other, public, Grantee::Public, Read, None)
        .expect("share");
    w.share(
        other,
        expired,
        Grantee::User(me),
        Read,
        Some(Utc::now() + Duration::milliseconds(100)),
    )
    .expect("share");
    std::thread::sleep(std::time::Duration::from_millis(150));
    let listed =
        collaboration::access::list_projects(&mut w.auth.conn(), &mut w.specs.conn(), me, 50)
            .expect("list");
    let ids: Vec<ProjectId> = listed.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![via_team, direct, mine], "newest first, each once");
    team_ops::set_status(&mut w.auth.conn(), other, team, TeamStatus::Archived).expect("archive");
    let listed =
        collaboration::access::list_projects(&mut w.auth.conn(), &mut w.specs.conn(), me, 50)
            .expect("list");
    assert_eq!(
        listed.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![direct, mine]
    );
    assert_eq!(
        collaboration::access::list_projects(&mut w.auth.conn(), &mut w.specs.conn(), me, 1)
            .expect("list")
            .len(),
        1
    );
}

/// Team counters follow every membership change and every team share.
#[test]
fn team_counters_stay_right() {
    let w = World::new();
    let owner = w.user("owner@example.com");
    let team = team_ops::create_team(&mut w.auth.conn(), owner, "crew", Some("the crew"))
        .expect("team")
        .id;
    assert_eq!(w.counts(team), (1, 0, 1));
    let a = w.user("a@example.com");
    let b = w.user("b@example.com");
    let mut auth = w.auth.conn();
    team_ops::add_member(&mut auth, owner, team, a, TeamRole::Developer).expect("add");
    team_ops::add_member(&mut auth, owner, team, b, TeamRole::Lead).expect("add");
    assert!(matches!(
        team_ops::add_member(&mut auth, owner, team, a, TeamRole::Viewer),
        Err(CollabError::AlreadyMember { .. })
    ));
    assert_eq!(w.counts(team), (3, 0, 3));
    team_ops::update_member(
        &mut auth,
        owner,
        team,
        a,
        None,
        Some(MembershipStatus::Inactive),
    )
    .expect("deactivate");
    assert_eq!(w.counts(team), (2, 0, 2));
    team_ops::remove_member(&mut auth, b, team, b).expect("leave");
    assert_eq!(w.counts(team), (1, 0, 1));
    assert!(matches!(
        team_ops::remove_member(&mut auth, owner, team, owner),
        Err(CollabError::Forbidden(_))
    ));
    team_ops::add_member(&mut auth, owner, team, a, TeamRole::Developer).expect("reactivate");
    assert_eq!(w.counts(team), (2, 0, 2));

    let p1 = w.project(owner);
    let p2 = w.project(owner);
    let s1 = w
        .share(owner, p1, Grantee::Team(team), Read, None)
        .expect("share");
    w.share(owner, p1, Grantee::Team(team), Write, None)
        .expect("same grantee: an update");
    w.share(owner, p2, Grantee::Team(team), Read, None)
        .expect("share");
    assert_eq!(w.counts(team), (2, 2, 2));
    shares::revoke(&mut w.auth.conn(), &mut w.specs.conn(), owner, s1.id).expect("revoke");
    assert_eq!(w.counts(team), (2, 1, 2));

    team_ops::transfer_ownership(&mut w.auth.conn(), owner, team, a).expect("transfer");
    let new_owner: UserId = teams::table
        .find(team)
        .select(teams::owner_id)
        .first(&mut w.auth.conn())
        .expect("team");
    assert_eq!(new_owner, a);
    assert!(matches!(
        team_ops::create_team(&mut w.auth.conn(), a, "crew", None),
        Err(CollabError::TeamNameTaken(_))
    ));
}

mod team_invitations;
