//! Counters of the portfolio cache for `/metrics`: how often pages were served from it,
//! how often it had to work, and how long that work took.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What the cache did for page views since start-up.
#[derive(Debug, Default)]
pub(crate) struct CacheStats {
    hits: AtomicU64,
    misses: AtomicU64,
    incremental: AtomicU64,
    incremental_micros: AtomicU64,
    full: AtomicU64,
    full_micros: AtomicU64,
}

/// Which kind of work a miss took.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Work {
    /// Known writes applied with the engine's incremental API (or a new day appended).
    Incremental,
    /// Everything loaded and the whole history computed.
    Full,
}

impl CacheStats {
    /// A view served from the cache as it was.
    pub(crate) fn hit(&self) {
        self.hits.fetch_add(1, Ordering::Relaxed);
    }

    /// A view that had to update or compute the portfolio, and how long that took.
    pub(crate) fn miss(&self, work: Work, took: Duration) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let (count, total) = match work {
            Work::Incremental => (&self.incremental, &self.incremental_micros),
            Work::Full => (&self.full, &self.full_micros),
        };
        count.fetch_add(1, Ordering::Relaxed);
        total.fetch_add(micros, Ordering::Relaxed);
    }

    /// Prometheus text; `users` is the number of users cached now.
    pub(crate) fn render(&self, users: usize) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: String| {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            ));
        };
        metric(
            "folio_portfolio_cache_users",
            "gauge",
            "Users whose computed portfolio is in memory.",
            users.to_string(),
        );
        let counters = [
            (
                "hits",
                "Page views served from the cached portfolio.",
                &self.hits,
            ),
            (
                "misses",
                "Page views that updated or computed the portfolio.",
                &self.misses,
            ),
            (
                "incremental_updates",
                "Cached portfolios brought up to date incrementally.",
                &self.incremental,
            ),
            (
                "full_computations",
                "Portfolios loaded and computed from scratch.",
                &self.full,
            ),
        ];
        for (name, help, c) in counters {
            let name = format!("folio_portfolio_cache_{name}_total");
            metric(&name, "counter", help, get(c).to_string());
        }
        let seconds = [
            (
                "full_computation",
                "Time spent loading and computing portfolios.",
                &self.full_micros,
            ),
            (
                "incremental_update",
                "Time spent on incremental updates.",
                &self.incremental_micros,
            ),
        ];
        for (name, help, c) in seconds {
            let (s, us) = (get(c) / 1_000_000, get(c) % 1_000_000);
            let name = format!("folio_portfolio_{name}_seconds_total");
            metric(&name, "counter", help, format!("{s}.{us:06}"));
        }
        out
    }
}
