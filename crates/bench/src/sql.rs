//! The benchmarks' data loaders live in `sql/` beside this file, with `{name}`
//! placeholders for their sizes.

use anyhow::{Result, ensure};

/// Creates `bench.uuid7(at)`: UUIDv7 ids for fixtures and pgbench scripts.
pub(crate) const UUID7: &str = include_str!("sql/uuid7.sql");

/// `template` with every `{name}` of `vars` replaced by its value; a
/// placeholder left unfilled is an error, not SQL.
pub(crate) fn fill(template: &str, vars: &[(&str, i64)]) -> Result<String> {
    let mut sql = template.to_owned();
    for (name, value) in vars {
        sql = sql.replace(&format!("{{{name}}}"), &value.to_string());
    }
    let unfilled = sql
        .match_indices('{')
        .filter_map(|(i, _)| {
            let rest = &sql[i + 1..];
            let end = rest.find('}')?;
            let name = &rest[..end];
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .then(|| name.to_owned())
        })
        .collect::<Vec<_>>();
    ensure!(unfilled.is_empty(), "unfilled placeholders {unfilled:?}");
    Ok(sql)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_filled_and_missing_ones_refused() {
        assert_eq!(
            super::fill("SELECT {n} + {n}, '{}'", &[("n", 2)]).ok(),
            Some("SELECT 2 + 2, '{}'".to_owned())
        );
        assert!(super::fill("SELECT {missing}", &[("n", 2)]).is_err());
    }
}
