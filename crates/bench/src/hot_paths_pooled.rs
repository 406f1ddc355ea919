//! The hot paths through PgBouncer (`hot-paths --via-pooler URL`).
//!
//! Many clients, few server connections: that is what a pooler is for. For
//! each operation and each client count (`--pooler-clients`, default 8 and
//! 64), side by side:
//!
//! - **crates via PgBouncer**: one client connection per thread to PgBouncer
//!   in transaction mode (`pool_mode=transaction`: no named statements);
//! - **pgbench via PgBouncer**: the same SQL, as many clients, `-M extended`
//!   (unnamed statements: named ones do not survive a transaction pooler);
//! - **crates direct**: the threads share a `db_core` pool of at most
//!   `--server-connections` connections per database (PgBouncer's
//!   `default_pool_size`), the same server budget as the pooler's;
//! - **crates on the replica** (reads, with `--replica`): the read paths on a
//!   streaming replica, once it has replayed the load.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use db_core::{DbUrl, PoolMode, build_pool};
use test_db::TestDatabase;

use crate::hot_paths::{Data, Op, Operation, Opts, Pools, Stats, drive};
use crate::pgbench::{Clients, pgbench};
use crate::report::{Table, thousands};

/// The side each group of rows opens with.
const VIA: &str = "crates via PgBouncer";

/// What the main run prepared.
pub(crate) struct Setup<'a> {
    pub(crate) auth: &'a TestDatabase,
    pub(crate) specs: &'a TestDatabase,
    pub(crate) program: &'a Path,
    pub(crate) data: &'a Data<'a>,
    pub(crate) operations: &'a [Operation],
    pub(crate) sessions: usize,
}

/// `db`'s database at the server `server` names (its host and port).
fn beside(db: &TestDatabase, server: &DbUrl) -> Result<DbUrl> {
    Ok(db
        .direct_url()
        .with_host_port(server.host(), server.port())?)
}

/// Waits until `replica` has replayed everything `primary` has written.
fn caught_up(primary: &DbUrl, replica: &DbUrl) -> Result<()> {
    let done = db_core::replica::wait_caught_up(
        &mut db_core::connect(primary)?,
        replica,
        Duration::from_secs(300),
    )?;
    ensure!(done, "{replica} did not catch up in 5 minutes");
    Ok(())
}

/// Measures and prints the pooler table.
pub(crate) fn run(opts: &Opts, pooler: &str, setup: &Setup<'_>) -> Result<()> {
    let pooler = DbUrl::parse(pooler).context("--via-pooler")?;
    let pooled = |db: &TestDatabase| -> Result<DbUrl> {
        Ok(beside(db, &pooler)?.with_pool_mode(PoolMode::Transaction))
    };
    let (auth_pooled, specs_pooled) = (pooled(setup.auth)?, pooled(setup.specs)?);
    let probed = db_core::pooler::probe(&DbUrl::parse(specs_pooled.as_str())?)?;
    ensure!(
        probed.is_pooler(),
        "{pooler} does not behave as a transaction pooler ({probed})"
    );
    let replica = match &opts.replica {
        Some(url) => {
            let server = DbUrl::parse(url).context("--replica")?;
            let urls = (beside(setup.auth, &server)?, beside(setup.specs, &server)?);
            caught_up(setup.auth.direct_url(), &urls.0)?;
            caught_up(setup.specs.direct_url(), &urls.1)?;
            Some(urls)
        }
        None => None,
    };
    let budget = opts.server_connections;
    let mut table = Table::new(
        format!(
            "hot paths through PgBouncer (transaction mode) at {} messages, {} s each; direct pools \
             and PgBouncer both use at most {budget} server connections per database",
            thousands(opts.messages as f64),
            opts.seconds
        ),
        &[
            "operation",
            "clients",
            "side",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "pgbench via pooler is",
        ],
    );
    for op in setup.operations {
        for &clients in &opts.pooler_clients {
            let threads = clients as usize;
            let via = Pools {
                auth: build_pool(&auth_pooled, clients),
                specs: build_pool(&specs_pooled, clients),
            };
            let direct = Pools {
                auth: build_pool(setup.auth.direct_url(), clients.min(budget)),
                specs: build_pool(setup.specs.direct_url(), clients.min(budget)),
            };
            let ours = drive(threads, opts.seconds, &|rng| {
                setup.data.run(&via, op.op, rng)
            })?;
            let limit = pgbench(
                setup.program,
                specs_pooled.as_str(),
                opts,
                Clients {
                    count: threads,
                    protocol: "extended",
                },
                op.op.file(),
                &op.script,
                setup.sessions,
            )?;
            let plain = drive(threads, opts.seconds, &|rng| {
                setup.data.run(&direct, op.op, rng)
            })?;
            let on_replica = match (&replica, op.op) {
                (Some((auth, specs)), Op::Last | Op::Mine) => {
                    let pools = Pools {
                        auth: build_pool(auth, clients.min(budget)),
                        specs: build_pool(specs, clients.min(budget)),
                    };
                    Some(drive(threads, opts.seconds, &|rng| {
                        setup.data.run(&pools, op.op, rng)
                    })?)
                }
                _ => None,
            };
            let mut row = |name: &str, side: &str, stats: &Stats, ratio: String| {
                table.row(vec![
                    name.into(),
                    // The client count opens each group of rows.
                    if side == VIA {
                        clients.to_string()
                    } else {
                        String::new()
                    },
                    side.into(),
                    thousands(stats.rate()),
                    format!("{:.2}", stats.p50_ms),
                    format!("{:.2}", stats.p99_ms),
                    ratio,
                ]);
            };
            let first = if clients == opts.pooler_clients[0] {
                op.name
            } else {
                ""
            };
            row(
                first,
                VIA,
                &ours,
                format!("{:.2}x as fast", limit.rate() / ours.rate()),
            );
            row(
                "",
                "pgbench via PgBouncer (the limit)",
                &limit,
                String::new(),
            );
            row(
                "",
                &format!("crates direct, pool of {}", clients.min(budget)),
                &plain,
                format!("{:.2}x as fast", limit.rate() / plain.rate()),
            );
            if let Some(stats) = &on_replica {
                row(
                    "",
                    "crates on the replica",
                    stats,
                    format!("{:.2}x as fast", limit.rate() / stats.rate()),
                );
            }
        }
    }
    table.print();
    Ok(())
}
