//! Embeds `migrations_specs/` as `db_core::SqlMigration`s (see db-core/build/embed_migrations.rs).

#[path = "../db-core/build/embed_migrations.rs"]
mod embed_migrations;

fn main() {
    embed_migrations::generate("../../migrations_specs", "migrations.rs");
}
