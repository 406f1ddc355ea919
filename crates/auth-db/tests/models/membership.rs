//! Round trips of teams, members and invitations.

use super::*;
use auth_db::enums::*;
use auth_db::ids::*;
use auth_db::models::*;
use auth_db::schema::*;

/// `teams`: inserted with every column set, read back equal, and updated.
#[test]
fn teams() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
    let id = TeamId::new();
    let v_settings = json!({"sample": "teams.settings"});
    let v_metadata = json!({"sample": "teams.metadata"});
    diesel::insert_into(teams::table)
        .values(NewTeam {
            id,
            name: "teams.name",
            description: Some("teams.description"),
            owner_id: users_id,
            status: Some(TeamStatus::Archived),
            member_count: Some(7),
            project_count: Some(7),
            settings: Some(&v_settings),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert teams");
    let row: Team = teams::table
        .find(id)
        .select(Team::as_select())
        .first(conn)
        .expect("read teams");
    assert_eq!(row.id, id);
    assert_eq!(row.name, "teams.name");
    assert_eq!(row.description.as_deref(), Some("teams.description"));
    assert_eq!(row.owner_id, users_id);
    assert_eq!(row.status, TeamStatus::Archived);
    assert_eq!(row.member_count, 7);
    assert_eq!(row.project_count, 7);
    assert_eq!(row.settings, v_settings);
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: Team = diesel::update(teams::table.find(id))
        .set(TeamChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(Team::as_returning())
        .get_result(conn)
        .expect("update teams");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `team_members`: inserted with every column set, read back equal, and updated.
#[test]
fn team_members() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
    let teams_id = parents::team(conn, users_id);
    let id = TeamMemberId::new();
    let v_metadata = json!({"sample": "team_members.metadata"});
    diesel::insert_into(team_members::table)
        .values(NewTeamMember {
            id,
            team_id: teams_id,
            user_id: users_id,
            role: Some(TeamRole::Lead),
            permission_level: Some(PermissionLevel::Write),
            status: Some(MembershipStatus::Invited),
            invited_by_id: Some(users_id),
            joined_at: Some(t0()),
            contribution_score: Some(0.5),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert team_members");
    let row: TeamMember = team_members::table
        .find(id)
        .select(TeamMember::as_select())
        .first(conn)
        .expect("read team_members");
    assert_eq!(row.id, id);
    assert_eq!(row.team_id, teams_id);
    assert_eq!(row.user_id, users_id);
    assert_eq!(row.role, TeamRole::Lead);
    assert_eq!(row.permission_level, Some(PermissionLevel::Write));
    assert_eq!(row.status, MembershipStatus::Invited);
    assert_eq!(row.invited_by_id, Some(users_id));
    assert_eq!(row.joined_at, t0());
    assert_eq!(row.contribution_score, Some(0.5));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: TeamMember = diesel::update(team_members::table.find(id))
        .set(TeamMemberChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(TeamMember::as_returning())
        .get_result(conn)
        .expect("update team_members");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `team_invitations`: inserted with every column set, read back equal, and updated.
#[test]
fn team_invitations() {
    let db = TestDatabase::new(&auth_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let users_id = parents::user(conn);
    let teams_id = parents::team(conn, users_id);
    let id = TeamInvitationId::new();
    let v_token_hash = vec![0xABu8; 32];
    diesel::insert_into(team_invitations::table)
        .values(NewTeamInvitation {
            id,
            team_id: teams_id,
            invited_by_id: users_id,
            invited_email: "grace@example.com",
            role: Some(InvitationRole::Developer),
            token_hash: &v_token_hash,
            status: Some(InvitationStatus::Accepted),
            expires_at: t0(),
            responded_at: Some(t0()),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert team_invitations");
    let row: TeamInvitation = team_invitations::table
        .find(id)
        .select(TeamInvitation::as_select())
        .first(conn)
        .expect("read team_invitations");
    assert_eq!(row.id, id);
    assert_eq!(row.team_id, teams_id);
    assert_eq!(row.invited_by_id, users_id);
    assert_eq!(row.invited_email, "grace@example.com");
    assert_eq!(row.role, InvitationRole::Developer);
    assert_eq!(row.token_hash, v_token_hash);
    assert_eq!(row.status, InvitationStatus::Accepted);
    assert_eq!(row.expires_at, t0());
    assert_eq!(row.responded_at, Some(t0()));
    assert_eq!(row.created_at, t0());
    let changed_row: TeamInvitation = diesel::update(team_invitations::table.find(id))
        .set(TeamInvitationChanges {
            expires_at: Some(t0() + Duration::days(1)),
            ..Default::default()
        })
        .returning(TeamInvitation::as_returning())
        .get_result(conn)
        .expect("update team_invitations");
    assert_eq!(changed_row.expires_at, t0() + Duration::days(1));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}
