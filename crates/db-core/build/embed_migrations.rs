//! Build-script helper shared by `auth-db` and `specs-db` (included with `#[path]`).
//!
//! Turns a Diesel migrations directory into a Rust array of
//! `db_core::SqlMigration` whose SQL is embedded with `include_str!`, so the
//! runner checksums and prints exactly the text it executes. A build script
//! reports a bad migrations directory by panicking with what is wrong.

use std::fmt::Write as _;
use std::path::Path;

/// Writes `$OUT_DIR/<out_file>` for the migrations in `dir` (relative to the crate).
pub(crate) fn generate(dir: &str, out_file: &str) {
    println!("cargo:rerun-if-changed={dir}");
    let root = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|e| panic!("CARGO_MANIFEST_DIR: {e}")),
    )
    .join(dir)
    .canonicalize()
    .unwrap_or_else(|e| panic!("migrations directory {dir}: {e}"));
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("reading {}: {e}", root.display())))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    let mut code = String::from("&[\n");
    let mut versions = std::collections::BTreeSet::new();
    for name in &names {
        let (prefix, rest) = name
            .split_once('_')
            .unwrap_or_else(|| panic!("migration directory {name:?} is not <version>_<name>"));
        let version = prefix.replace('-', "");
        assert!(
            !rest.is_empty() && version.len() == 14 && version.chars().all(|c| c.is_ascii_digit()),
            "migration directory {name:?} is not <YYYY-MM-DD-NNNNNN>_<name>"
        );
        assert!(
            versions.insert(version.clone()),
            "two migrations share version {version}"
        );
        let up = root.join(name).join("up.sql");
        let down = root.join(name).join("down.sql");
        for file in [&up, &down] {
            assert!(
                file.is_file(),
                "{} is missing: every migration needs up.sql and down.sql",
                file.display()
            );
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let run_in_transaction = run_in_transaction(&root.join(name).join("metadata.toml"));
        writeln!(
            code,
            "    db_core::SqlMigration {{ name: {name:?}, version: {version:?}, up: include_str!({up:?}), down: include_str!({down:?}), run_in_transaction: {run_in_transaction} }},",
            up = up.display().to_string(),
            down = down.display().to_string(),
        )
        .unwrap_or_else(|e| panic!("writing to a String: {e}"));
    }
    code.push_str("]\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}")))
        .join(out_file);
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}

/// Diesel's `metadata.toml` of a migration directory (the keys this runner reads).
#[derive(serde::Deserialize)]
struct Metadata {
    #[serde(default = "yes")]
    run_in_transaction: bool,
}

fn yes() -> bool {
    true
}

/// What a migration's `metadata.toml` says of `run_in_transaction` (Diesel's
/// key, default true); a file that does not parse stops the build.
pub(crate) fn run_in_transaction(metadata: &Path) -> bool {
    println!("cargo:rerun-if-changed={}", metadata.display());
    let Ok(text) = std::fs::read_to_string(metadata) else {
        return true;
    };
    toml::from_str::<Metadata>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", metadata.display()))
        .run_in_transaction
}
