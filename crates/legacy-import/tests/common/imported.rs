//! One import of the fixture per test binary, and queries on its result.

use std::sync::OnceLock;

use diesel::prelude::*;
use legacy_import::Report;

use super::{LegacyPair, Ours, small_batches};

/// One import of the fixture, shared by the tests of this file (they only read).
pub fn imported() -> &'static (LegacyPair, Ours, Report) {
    static DONE: OnceLock<(LegacyPair, Ours, Report)> = OnceLock::new();
    DONE.get_or_init(|| {
        let legacy = LegacyPair::new();
        let ours = Ours::new();
        let report = ours.import(&legacy, &small_batches());
        (legacy, ours, report)
    })
}

pub fn id(table: u8, row: u8) -> String {
    format!("{table}000000-0000-4000-8000-0000000000{row:02}")
}

/// One text value (`NULL` as `None`).
pub fn value(conn: &mut PgConnection, sql: &str) -> Option<String> {
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        v: Option<String>,
    }
    diesel::sql_query(format!("SELECT ({sql})::text AS v"))
        .get_result::<V>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .v
}

pub fn auth(sql: &str) -> Option<String> {
    value(&mut imported().1.auth.connect_direct(), sql)
}

pub fn specs(sql: &str) -> Option<String> {
    value(&mut imported().1.specs.connect_direct(), sql)
}

/// The quarantine's outcome and reason of a legacy row (`None`: not there).
pub fn fate(in_auth: bool, table: &str, legacy: &str) -> Option<String> {
    let sql = format!(
        "SELECT outcome || ':' || reason || coalesce(':' || merged_into, '') FROM legacy_import_quarantine \
         WHERE source_table = '{table}' AND legacy_id = '{legacy}'"
    );
    if in_auth { auth(&sql) } else { specs(&sql) }
}
