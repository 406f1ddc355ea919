//! The deterministic generator: a ChaCha8 stream seeded with `--seed` and a
//! fixed epoch, so the same seed gives the same ids, times and words.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

const WORDS: &[&str] = &[
    "system",
    "users",
    "data",
    "service",
    "request",
    "latency",
    "storage",
    "team",
    "report",
    "invoice",
    "search",
    "payment",
    "schedule",
    "message",
    "queue",
    "cache",
    "audit",
    "export",
    "import",
    "dashboard",
    "mobile",
    "web",
    "backup",
    "policy",
    "access",
    "review",
    "deploy",
    "metric",
    "alert",
    "budget",
];

/// First names of seeded users.
pub(crate) const FIRST: &[&str] = &[
    "Ada", "Grace", "Linus", "Barbara", "Edsger", "Margaret", "Alan", "Frances", "Ken", "Radia",
];

/// Last names of seeded users.
pub(crate) const LAST: &[&str] = &[
    "Lovelace", "Hopper", "Torvalds", "Liskov", "Dijkstra", "Hamilton", "Turing", "Allen",
    "Thompson", "Perlman",
];

/// The generator every aggregate draws from, in a fixed order.
pub(crate) struct Gen {
    pub(crate) rng: ChaCha8Rng,
    epoch: DateTime<Utc>,
}

impl Gen {
    /// The generator of `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            epoch: Utc
                .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    /// A time within `days` of the epoch.
    pub(crate) fn time(&mut self, days: i64) -> DateTime<Utc> {
        self.epoch + Duration::seconds(self.rng.random_range(0..days.max(1) * 86_400))
    }

    /// A UUIDv7 carrying `at`, with generated random bits.
    pub(crate) fn id(&mut self, at: DateTime<Utc>) -> Uuid {
        let mut bytes = [0u8; 10];
        self.rng.fill(&mut bytes);
        uuid::Builder::from_unix_timestamp_millis(
            u64::try_from(at.timestamp_millis()).unwrap_or(0),
            &bytes,
        )
        .into_uuid()
    }

    /// One of `items` (not empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    /// One of `items` (not empty), by value.
    pub(crate) fn one<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    /// `n` words.
    pub(crate) fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| *self.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A word used as a key.
    pub(crate) fn word(&mut self) -> &'static str {
        self.one(WORDS)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
}
