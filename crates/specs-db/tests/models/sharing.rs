//! Round trips of project shares and invitations.

use super::*;
use specs_db::enums::*;
use specs_db::ids::*;
use specs_db::models::*;
use specs_db::schema::*;

/// `project_shares`: inserted with every column set, read back equal, and updated.
#[test]
fn project_shares() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = ProjectShareId::new();
    let v_shared_with_team_id = TeamId::new();
    let v_shared_by_id = UserId::new();
    let v_metadata = json!({"sample": "project_shares.metadata"});
    diesel::insert_into(project_shares::table)
        .values(NewProjectShare {
            id,
            project_id: projects_id,
            access_type: AccessType::Team,
            shared_with_user_id: None,
            shared_with_team_id: Some(v_shared_with_team_id),
            shared_by_id: v_shared_by_id,
            permission_level: Some(PermissionLevel::Write),
            link_token_hash: None,
            link_password_hash: Some("project_shares.link_password_hash"),
            expires_at: Some(t0()),
            access_count: Some(7),
            last_accessed_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert project_shares");
    let row: ProjectShare = project_shares::table
        .find(id)
        .select(ProjectShare::as_select())
        .first(conn)
        .expect("read project_shares");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.access_type, AccessType::Team);
    assert_eq!(row.shared_with_user_id, None);
    assert_eq!(row.shared_with_team_id, Some(v_shared_with_team_id));
    assert_eq!(row.shared_by_id, v_shared_by_id);
    assert_eq!(row.permission_level, PermissionLevel::Write);
    assert_eq!(row.link_token_hash, None);
    assert_eq!(
        row.link_password_hash.as_deref(),
        Some("project_shares.link_password_hash")
    );
    assert_eq!(row.expires_at, Some(t0()));
    assert_eq!(row.access_count, 7);
    assert_eq!(row.last_accessed_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: ProjectShare = diesel::update(project_shares::table.find(id))
        .set(ProjectShareChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(ProjectShare::as_returning())
        .get_result(conn)
        .expect("update project_shares");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}

/// `project_invitations`: inserted with every column set, read back equal, and updated.
#[test]
fn project_invitations() {
    let db = TestDatabase::new(&specs_db::MIGRATION_SET);
    let conn = &mut db.conn();
    let projects_id = parents::project(conn);
    let id = ProjectInvitationId::new();
    let v_invited_user_id = UserId::new();
    let v_invited_by_id = UserId::new();
    let v_token_hash = vec![0xABu8; 32];
    let v_metadata = json!({"sample": "project_invitations.metadata"});
    diesel::insert_into(project_invitations::table)
        .values(NewProjectInvitation {
            id,
            project_id: projects_id,
            invited_user_id: Some(v_invited_user_id),
            invited_email: Some("linus@example.com"),
            invited_by_id: v_invited_by_id,
            role: Some(ProjectRole::Member),
            permission_level: Some(PermissionLevel::Write),
            status: Some(InvitationStatus::Accepted),
            token_hash: &v_token_hash,
            expires_at: t0(),
            message: Some("project_invitations.message"),
            responded_at: Some(t0()),
            metadata: Some(&v_metadata),
            created_at: Some(t0()),
        })
        .execute(conn)
        .expect("insert project_invitations");
    let row: ProjectInvitation = project_invitations::table
        .find(id)
        .select(ProjectInvitation::as_select())
        .first(conn)
        .expect("read project_invitations");
    assert_eq!(row.id, id);
    assert_eq!(row.project_id, projects_id);
    assert_eq!(row.invited_user_id, Some(v_invited_user_id));
    assert_eq!(row.invited_email.as_deref(), Some("linus@example.com"));
    assert_eq!(row.invited_by_id, v_invited_by_id);
    assert_eq!(row.role, ProjectRole::Member);
    assert_eq!(row.permission_level, Some(PermissionLevel::Write));
    assert_eq!(row.status, InvitationStatus::Accepted);
    assert_eq!(row.token_hash, v_token_hash);
    assert_eq!(row.expires_at, t0());
    assert_eq!(row.message.as_deref(), Some("project_invitations.message"));
    assert_eq!(row.responded_at, Some(t0()));
    assert_eq!(row.metadata, v_metadata);
    assert_eq!(row.created_at, t0());
    let changed = json!({"changed": true});
    let changed_row: ProjectInvitation = diesel::update(project_invitations::table.find(id))
        .set(ProjectInvitationChanges {
            metadata: Some(&changed),
            ..Default::default()
        })
        .returning(ProjectInvitation::as_returning())
        .get_result(conn)
        .expect("update project_invitations");
    assert_eq!(changed_row.metadata, json!({"changed": true}));
    assert!(
        changed_row.updated_at > row.updated_at,
        "set_updated_at trigger"
    );
}
