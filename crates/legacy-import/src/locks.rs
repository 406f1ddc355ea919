//! The write path of SCHEMA.md §5 for the import's specs batches: the users
//! and teams a batch refers to are locked `FOR KEY SHARE` in auth, in a
//! transaction that ends only after the specs batch has committed, so a
//! deletion running at the same time waits for the batch (and its outbox
//! cleanup then sees the rows). A user or team deleted since the import mapped
//! it is dropped from the session map first, so its rows follow the column's
//! deletion policy instead of naming an account that is gone.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{Array, Text, Uuid as SqlUuid};
use uuid::Uuid;

use crate::plan::Spec;

/// The legacy columns of `spec` that name a user or a team (`@user(r.x)`,
/// `@team(r.x)` in its mapping), with their kind.
pub(crate) fn references(spec: &Spec) -> BTreeSet<(&'static str, String)> {
    let mut found = BTreeSet::new();
    for (_, expr) in &spec.columns {
        for kind in ["user", "team"] {
            let marker = format!("@{kind}(r.");
            for (at, _) in expr.match_indices(&marker) {
                let column: String = expr[at + marker.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                found.insert((kind, column));
            }
        }
    }
    found
}

#[derive(QueryableByName)]
struct Referenced {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = SqlUuid)]
    target_id: Uuid,
}

#[derive(QueryableByName)]
struct Present {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Locks, in `auth`'s open transaction, every user and team the staged batch
/// refers to, and forgets in the session map of `specs` those that are gone.
pub(crate) fn lock_references(
    auth: &mut PgConnection,
    specs: &mut PgConnection,
    spec: &Spec,
    row_type: &str,
) -> QueryResult<()> {
    let refs = references(spec);
    if refs.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = refs
        .iter()
        .map(|(kind, column)| format!("('{kind}', (y.v).{column})"))
        .collect();
    let referenced: Vec<Referenced> = diesel::sql_query(format!(
        "SELECT DISTINCT m.kind, m.target_id FROM pg_temp.legacy_stage s \
         CROSS JOIN LATERAL (SELECT s.doc::{row_type} AS v OFFSET 0) y \
         CROSS JOIN LATERAL (VALUES {}) v(kind, legacy) \
         JOIN pg_temp.legacy_map m ON m.kind = v.kind AND m.legacy_id = v.legacy",
        values.join(", ")
    ))
    .load(specs)?;
    for (kind, table) in [("user", "users"), ("team", "teams")] {
        let wanted: Vec<Uuid> = referenced
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.target_id)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let present: BTreeSet<Uuid> = diesel::sql_query(format!(
            "SELECT id FROM {table} WHERE id = ANY($1) ORDER BY id FOR KEY SHARE"
        ))
        .bind::<Array<SqlUuid>, _>(&wanted)
        .load::<Present>(auth)?
        .into_iter()
        .map(|p| p.id)
        .collect();
        let gone: Vec<Uuid> = wanted
            .into_iter()
            .filter(|id| !present.contains(id))
            .collect();
        if !gone.is_empty() {
            tracing::info!(
                kind,
                gone = gone.len(),
                "referenced rows deleted during the import"
            );
            diesel::sql_query(
                "DELETE FROM pg_temp.legacy_map WHERE kind = $1 AND target_id = ANY($2)",
            )
            .bind::<Text, _>(kind)
            .bind::<Array<SqlUuid>, _>(&gone)
            .execute(specs)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::references;
    use crate::plan::plan;

    #[test]
    fn every_user_and_team_column_of_specs_is_found() {
        let all: Vec<(String, std::collections::BTreeSet<(&str, String)>)> = plan()
            .iter()
            .map(|s| (s.source_table(), references(s)))
            .collect();
        let of = |t: &str| {
            all.iter()
                .find(|(n, _)| n == t)
                .map(|(_, r)| r.clone())
                .unwrap_or_default()
        };
        assert!(of("specs.projects").contains(&("user", "owner_id".to_owned())));
        assert!(of("specs.projects").contains(&("user", "creator_id".to_owned())));
        assert!(of("specs.project_shares").contains(&("team", "shared_with_team_id".to_owned())));
        assert!(of("specs.project_invitations").contains(&("user", "invited_by_id".to_owned())));
        assert!(of("specs.specifications").is_empty());
    }
}
