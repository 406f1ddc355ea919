//! Each transformation of MAPPING.md, on the fixture's rows (ids
//! `TT000000-0000-4000-8000-0000000000NN`: TT the table, NN the row): accounts,
//! teams, projects, sessions, questions and specifications.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests fail by panicking"
)]

mod common;

use common::imported::{auth, fate, id, specs};
#[test]
fn accounts_keep_their_ids_and_duplicate_emails_are_merged() {
    let alice = id(11, 1);
    assert_eq!(
        auth(&format!("SELECT email || '|' || role || '|' || status || '|' || first_name FROM users WHERE id = '{alice}'")).as_deref(),
        Some("alice@example.com|admin|active|Alice")
    );
    // Alice@Example.com differs only in case: merged into alice, recorded.
    assert_eq!(
        fate(true, "auth.users", &id(11, 2)),
        Some(format!("merged:duplicate_email:{alice}"))
    );
    assert_eq!(
        auth("SELECT count(*) FROM users WHERE email = 'alice@example.com'").as_deref(),
        Some("1")
    );
    // is_active = false becomes status inactive; a deleted account stays deleted.
    assert_eq!(
        auth(&format!(
            "SELECT status FROM users WHERE id = '{}'",
            id(11, 3)
        ))
        .as_deref(),
        Some("inactive")
    );
    assert_eq!(
        auth(&format!(
            "SELECT status FROM users WHERE id = '{}'",
            id(11, 4)
        ))
        .as_deref(),
        Some("deleted")
    );
    assert_eq!(
        fate(true, "auth.users", &id(11, 5)).as_deref(),
        Some("rejected:invalid_email")
    );
    assert_eq!(
        fate(true, "auth.users", &id(11, 6)).as_deref(),
        Some("rejected:password_hash_unrecognized")
    );
    // The bcrypt hashes are kept as they are, all three prefixes.
    assert_eq!(
        auth(&format!(
            "SELECT left(password_hash, 4) FROM users WHERE id = '{}'",
            id(11, 3)
        ))
        .as_deref(),
        Some("$2a$")
    );
}

#[test]
fn admin_grants_follow_merged_accounts_and_soft_references_are_cleared() {
    assert_eq!(
        auth("SELECT array_to_string(permissions, ',') FROM admin_roles WHERE name = 'superadmin'")
            .as_deref(),
        Some("users.suspend,users.delete"),
        "NULL elements are dropped"
    );
    // granted_by pointed nowhere: SET NULL, as the FK ours has.
    assert_eq!(
        auth(&format!(
            "SELECT granted_by_id FROM admin_users WHERE id = '{}'",
            id(13, 1)
        )),
        None
    );
    assert_eq!(
        fate(true, "auth.admin_users", &id(13, 2)),
        Some(format!("merged:duplicate_grant:{}", id(13, 1)))
    );
    assert_eq!(
        fate(true, "auth.admin_users", &id(13, 3)).as_deref(),
        Some("rejected:user_not_imported")
    );
    assert_eq!(
        auth(&format!(
            "SELECT host(ip_address) FROM admin_audit_logs WHERE id = '{}'",
            id(14, 1)
        ))
        .as_deref(),
        Some("10.0.0.1")
    );
    assert_eq!(
        fate(true, "auth.admin_audit_logs", &id(14, 2)).as_deref(),
        Some("rejected:invalid_ip_address")
    );
    assert_eq!(
        fate(true, "auth.admin_audit_logs", &id(14, 3)).as_deref(),
        Some("rejected:admin_not_imported")
    );
}

#[test]
fn teams_members_and_api_keys_move_to_auth() {
    let (alice, bob) = (id(11, 1), id(11, 3));
    assert_eq!(
        auth(&format!(
            "SELECT owner_id FROM teams WHERE id = '{}'",
            id(21, 1)
        )),
        Some(alice.clone())
    );
    assert_eq!(
        fate(true, "specs.teams", &id(21, 2)).as_deref(),
        Some("rejected:owner_not_imported")
    );
    // owned by the merged account: owned by the one it was merged into; 'ARCHIVED' is ours lower-cased
    assert_eq!(
        auth(&format!(
            "SELECT owner_id || ':' || status FROM teams WHERE id = '{}'",
            id(21, 3)
        )),
        Some(format!("{alice}:archived"))
    );
    assert_eq!(
        auth(&format!(
            "SELECT user_id || ':' || role || ':' || (metadata -> 'legacy' ->> 'role') FROM team_members WHERE id = '{}'",
            id(22, 1)
        )),
        Some(format!("{bob}:developer:member"))
    );
    assert_eq!(
        auth(&format!(
            "SELECT role FROM team_members WHERE id = '{}'",
            id(22, 2)
        ))
        .as_deref(),
        Some("lead")
    );
    assert_eq!(
        fate(true, "specs.team_members", &id(22, 3)),
        Some(format!("merged:duplicate_membership:{}", id(22, 2)))
    );
    assert_eq!(
        fate(true, "specs.team_members", &id(22, 4)).as_deref(),
        Some("rejected:team_not_imported")
    );
    assert_eq!(
        fate(true, "specs.team_members", &id(22, 5)).as_deref(),
        Some("rejected:unknown_role")
    );
    // API keys cannot be verified: imported revoked, with the reason.
    assert_eq!(
        auth(&format!(
            "SELECT status || ':' || (revoked_at IS NOT NULL) || ':' || octet_length(key_hash) || ':' || array_to_string(scopes, ',') \
             || ':' || (metadata -> 'legacy' ->> 'revoked_reason' LIKE 'imported from Socrates2%') FROM api_keys WHERE id = '{}'",
            id(23, 1)
        ))
        .as_deref(),
        Some("revoked:true:32:read,write:true")
    );
    assert_eq!(
        fate(true, "specs.api_keys", &id(23, 2)).as_deref(),
        Some("rejected:user_not_imported")
    );
}

#[test]
fn projects_map_owners_and_phases_and_orphans_are_quarantined() {
    let alice = id(11, 1);
    assert_eq!(
        specs(&format!(
            "SELECT owner_id || ':' || current_phase || ':' || maturity_score || ':' || (metadata ->> 'color') || ':' || (metadata -> 'legacy' ->> 'current_phase') FROM projects WHERE id = '{}'",
            id(31, 1)
        )),
        Some(format!("{alice}:analysis:40:blue:specification"))
    );
    assert_eq!(
        specs(&format!(
            "SELECT owner_id || ':' || current_phase || ':' || status FROM projects WHERE id = '{}'",
            id(31, 2)
        )),
        Some(format!("{alice}:implementation:on_hold"))
    );
    assert_eq!(
        fate(false, "specs.projects", &id(31, 3)).as_deref(),
        Some("rejected:owner_not_found")
    );
    assert_eq!(
        fate(false, "specs.projects", &id(31, 4)).as_deref(),
        Some("rejected:unknown_phase")
    );
    assert_eq!(
        specs(&format!(
            "SELECT status || ':' || (archived_at IS NOT NULL) FROM projects WHERE id = '{}'",
            id(31, 6)
        ))
        .as_deref(),
        Some("archived:true")
    );
    assert_eq!(
        fate(false, "specs.projects", &id(31, 7)).as_deref(),
        Some("rejected:maturity_score_out_of_range")
    );
    // Everything under a quarantined project follows it there.
    assert_eq!(
        fate(false, "specs.sessions", &id(32, 3)).as_deref(),
        Some("rejected:project_not_imported")
    );
    assert_eq!(
        fate(false, "specs.specifications", &id(35, 9)).as_deref(),
        Some("rejected:project_not_imported")
    );
    assert_eq!(
        fate(false, "specs.generated_projects", &id(37, 3)).as_deref(),
        Some("rejected:project_not_imported")
    );
    assert_eq!(
        fate(false, "specs.generated_files", &id(38, 2)).as_deref(),
        Some("rejected:generated_project_not_imported")
    );
}

#[test]
fn sessions_conversations_and_questions() {
    let alice = id(11, 1);
    assert_eq!(
        specs(&format!("SELECT status || ':' || (metadata -> 'legacy' ->> 'status') FROM sessions WHERE id = '{}'", id(32, 1))).as_deref(),
        Some("active:paused")
    );
    // a user that was not imported: set_null, the legacy id kept in metadata
    assert_eq!(
        specs(&format!(
            "SELECT coalesce(user_id::text, 'null') || ':' || (metadata -> 'legacy' ->> 'user_id') FROM sessions WHERE id = '{}'",
            id(32, 4)
        )),
        Some(format!("null:{}", id(11, 6)))
    );
    assert_eq!(
        fate(false, "specs.sessions", &id(32, 5)).as_deref(),
        Some("rejected:ended_before_started")
    );
    assert_eq!(
        specs(&format!(
            "SELECT user_id FROM conversation_history WHERE id = '{}'",
            id(33, 1)
        )),
        Some(alice)
    );
    assert_eq!(
        specs(&format!(
            "SELECT message_type FROM conversation_history WHERE id = '{}'",
            id(33, 2)
        ))
        .as_deref(),
        Some("question"),
        "upper-case model values are ours lower-cased"
    );
    assert_eq!(
        fate(false, "specs.conversation_history", &id(33, 3)).as_deref(),
        Some("rejected:session_not_imported")
    );
    assert_eq!(
        fate(false, "specs.conversation_history", &id(33, 4)).as_deref(),
        Some("rejected:unknown_role")
    );
    // Text arrives byte for byte: newlines, tabs, backslashes, quotes, any script.
    assert_eq!(
        specs(&format!(
            "SELECT content FROM conversation_history WHERE id = '{}'",
            id(33, 5)
        ))
        .as_deref(),
        Some("two\nlines\ta tab, a \\ backslash, \"quotes\", \u{fc}n\u{ef}c\u{f6}de and \u{1F600}")
    );
    assert_eq!(
        specs(&format!(
            "SELECT length(context) || ':' || quality_score FROM questions WHERE id = '{}'",
            id(34, 1)
        ))
        .as_deref(),
        Some("500:0.95")
    );
    assert_eq!(
        specs(&format!("SELECT coalesce(session_id::text, 'null') || ':' || category FROM questions WHERE id = '{}'", id(34, 2))).as_deref(),
        Some("null:requirements")
    );
    assert_eq!(
        fate(false, "specs.questions", &id(34, 3)).as_deref(),
        Some("rejected:category_missing")
    );
    assert_eq!(
        fate(false, "specs.questions", &id(34, 4)).as_deref(),
        Some("rejected:unknown_category")
    );
    assert_eq!(
        specs(&format!(
            "SELECT priority FROM questions WHERE id = '{}'",
            id(34, 5)
        ))
        .as_deref(),
        Some("medium")
    );
}

#[test]
fn both_specification_shapes_become_one_version_chain_per_key() {
    // The original shape: versions 1..3 of 'database', all is_current in Socrates2.
    let chain = specs(
        "SELECT string_agg(version || ':' || is_current || ':' || coalesce(superseded_by::text, '-') || ':' || value, ' ' ORDER BY version) \
         FROM specifications WHERE key = 'database'",
    )
    .unwrap();
    assert_eq!(
        chain,
        format!(
            "1:false:{}:PostgreSQL 12 2:false:{}:PostgreSQL 14 3:true:-:PostgreSQL 15",
            id(35, 2),
            id(35, 3)
        )
    );
    assert_eq!(
        specs("SELECT DISTINCT category || ':' || spec_type FROM specifications WHERE key = 'database'").as_deref(),
        Some("requirements:functional"),
        "'general' is filed by its type"
    );
    assert_eq!(
        specs(&format!("SELECT source || ':' || (metadata -> 'legacy' -> 'spec_metadata' ->> 'a') FROM specifications WHERE id = '{}'", id(35, 3))).as_deref(),
        Some("user_input:2"),
        "direct_input is user input; the json column is kept in metadata"
    );
    // The 017 shape: content wins over value, superseded_by becomes a uuid.
    assert_eq!(
        specs(&format!(
            "SELECT superseded_by || ':' || (superseded_at IS NOT NULL) || ':' || value FROM specifications WHERE id = '{}'",
            id(35, 4)
        )),
        Some(format!("{}:true:OAuth2", id(35, 5)))
    );
    assert_eq!(
        specs(&format!(
            "SELECT is_current || ':' || value || ':' || (metadata -> 'legacy' ->> 'value') || ':' || (metadata -> 'legacy' ->> 'superseded_by') \
             FROM specifications WHERE id = '{}'",
            id(35, 5)
        ))
        .as_deref(),
        Some("true:OAuth2 + MFA:old value:not-a-uuid")
    );
    assert_eq!(
        specs("SELECT count(*) FROM (SELECT project_id, category, key FROM specifications WHERE is_current GROUP BY 1, 2, 3 HAVING count(*) > 1) x").as_deref(),
        Some("0"),
        "one current version per key"
    );
    assert_eq!(
        fate(false, "specs.specifications", &id(35, 6)).as_deref(),
        Some("rejected:statement_missing")
    );
    assert_eq!(
        fate(false, "specs.specifications", &id(35, 7)).as_deref(),
        Some("rejected:unknown_category")
    );
    assert_eq!(
        fate(false, "specs.specifications", &id(35, 8)).as_deref(),
        Some("rejected:confidence_out_of_range")
    );
    assert_eq!(
        specs(&format!(
            "SELECT spec_type || ':' || status FROM specifications WHERE id = '{}'",
            id(35, 10)
        ))
        .as_deref(),
        Some("non_functional:implemented")
    );
}
