//! In-process counters of the connection budget, rendered as Prometheus text by
//! [`crate::Db::metrics_text`]. Plain atomics: recording never blocks a request.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::UnavailableReason;

/// Why the layer closed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CloseReason {
    /// Unused longer than the idle timeout.
    Idle,
    /// Older than its (jittered) maximum lifetime.
    Lifetime,
    /// Idle close to the server's own idle limit (`wait_timeout`), so the server would
    /// have closed it anyway.
    ServerTimeout,
    /// More connections open than the target T allows.
    Surplus,
    /// The connection failed while in use.
    Broken,
    /// The liveness ping before reuse failed: the server had closed it.
    PingFailed,
    /// The process is shutting down.
    Shutdown,
}

impl CloseReason {
    const ALL: [CloseReason; 7] = [
        Self::Idle,
        Self::Lifetime,
        Self::ServerTimeout,
        Self::Surplus,
        Self::Broken,
        Self::PingFailed,
        Self::Shutdown,
    ];

    const fn label(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Lifetime => "lifetime",
            Self::ServerTimeout => "server_timeout",
            Self::Surplus => "surplus",
            Self::Broken => "broken",
            Self::PingFailed => "ping_failed",
            Self::Shutdown => "shutdown",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

const UNAVAILABLE: [UnavailableReason; 7] = [
    UnavailableReason::Timeout,
    UnavailableReason::QueueFull,
    UnavailableReason::BreakerOpen,
    UnavailableReason::Capacity,
    UnavailableReason::ConnectionLost,
    UnavailableReason::ServerStarting,
    UnavailableReason::Quota,
];

fn unavailable_index(r: UnavailableReason) -> usize {
    UNAVAILABLE.iter().position(|x| *x == r).unwrap_or(0)
}

/// Upper bounds of the acquire-wait histogram, in microseconds and as printed.
const BUCKETS: [(u64, &str); 12] = [
    (1_000, "0.001"),
    (5_000, "0.005"),
    (10_000, "0.01"),
    (25_000, "0.025"),
    (50_000, "0.05"),
    (100_000, "0.1"),
    (250_000, "0.25"),
    (500_000, "0.5"),
    (1_000_000, "1"),
    (2_500_000, "2.5"),
    (5_000_000, "5"),
    (10_000_000, "10"),
];

/// Counters shared by the gate and the pools of one `Db`.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    connects: AtomicU64,
    connect_errors: Mutex<BTreeMap<String, u64>>,
    retries: AtomicU64,
    capacity_decreases: AtomicU64,
    closes: [AtomicU64; 7],
    unavailable: [AtomicU64; 7],
    wait_buckets: [AtomicU64; 12],
    wait_count: AtomicU64,
    wait_sum_micros: AtomicU64,
}

impl Metrics {
    pub(crate) fn connected(&self) {
        self.connects.fetch_add(1, Ordering::Relaxed);
    }

    /// A connect attempt failed; `code` is the MySQL error number, the SQLSTATE, or a
    /// short word (`io`, `timeout`, `tls`, `other`).
    pub(crate) fn connect_error(&self, code: &str) {
        let mut map = self
            .connect_errors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *map.entry(code.to_owned()).or_default() += 1;
    }

    pub(crate) fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn decreased(&self) {
        self.capacity_decreases.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn closed(&self, reason: CloseReason) {
        self.closes[reason.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn unavailable(&self, reason: UnavailableReason) {
        self.unavailable[unavailable_index(reason)].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn unavailable_count(&self, reason: UnavailableReason) -> u64 {
        self.unavailable[unavailable_index(reason)].load(Ordering::Relaxed)
    }

    pub(crate) fn connects(&self) -> u64 {
        self.connects.load(Ordering::Relaxed)
    }

    pub(crate) fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    pub(crate) fn waited(&self, wait: Duration) {
        let micros = u64::try_from(wait.as_micros()).unwrap_or(u64::MAX);
        for (i, (le, _)) in BUCKETS.iter().enumerate() {
            if micros <= *le {
                self.wait_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.wait_count.fetch_add(1, Ordering::Relaxed);
        self.wait_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// Appends the counters (not the gauges) in Prometheus text format.
    pub(crate) fn render(&self, out: &mut String) {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        counter(
            out,
            "folio_db_connects_total",
            "Connections opened.",
            load(&self.connects),
        );
        header(
            out,
            "folio_db_connect_errors_total",
            "Failed connection attempts by server error code.",
            "counter",
        );
        {
            let map = self
                .connect_errors
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (code, n) in map.iter() {
                let _ = writeln!(out, "folio_db_connect_errors_total{{code=\"{code}\"}} {n}");
            }
        }
        counter(
            out,
            "folio_db_retries_total",
            "Operations retried on a fresh connection or after a capacity refusal.",
            load(&self.retries),
        );
        counter(
            out,
            "folio_db_capacity_decreases_total",
            "Times the target T was lowered after a capacity refusal.",
            load(&self.capacity_decreases),
        );
        header(
            out,
            "folio_db_closes_total",
            "Connections closed by this process, by reason.",
            "counter",
        );
        for r in CloseReason::ALL {
            let _ = writeln!(
                out,
                "folio_db_closes_total{{reason=\"{}\"}} {}",
                r.label(),
                load(&self.closes[r.index()])
            );
        }
        header(
            out,
            "folio_db_unavailable_total",
            "Operations refused as unavailable (HTTP 503), by reason.",
            "counter",
        );
        for r in UNAVAILABLE {
            let _ = writeln!(
                out,
                "folio_db_unavailable_total{{reason=\"{}\"}} {}",
                r.label(),
                load(&self.unavailable[unavailable_index(r)])
            );
        }
        header(
            out,
            "folio_db_acquire_wait_seconds",
            "Time operations waited at the gate for a connection slot.",
            "histogram",
        );
        for (i, (_, le)) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "folio_db_acquire_wait_seconds_bucket{{le=\"{le}\"}} {}",
                load(&self.wait_buckets[i])
            );
        }
        let count = load(&self.wait_count);
        let sum = load(&self.wait_sum_micros);
        let _ = writeln!(
            out,
            "folio_db_acquire_wait_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "folio_db_acquire_wait_seconds_sum {}.{:06}",
            sum / 1_000_000,
            sum % 1_000_000
        );
        let _ = writeln!(out, "folio_db_acquire_wait_seconds_count {count}");
    }
}

pub(crate) fn header(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

pub(crate) fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    header(out, name, help, "gauge");
    let _ = writeln!(out, "{name} {value}");
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    header(out, name, help, "counter");
    let _ = writeln!(out, "{name} {value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_sum_is_in_seconds() {
        let m = Metrics::default();
        m.waited(Duration::from_micros(800));
        m.waited(Duration::from_millis(300));
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("folio_db_acquire_wait_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(out.contains("folio_db_acquire_wait_seconds_bucket{le=\"0.5\"} 2\n"));
        assert!(out.contains("folio_db_acquire_wait_seconds_bucket{le=\"+Inf\"} 2\n"));
        assert!(out.contains("folio_db_acquire_wait_seconds_sum 0.300800\n"));
    }

    #[test]
    fn every_unavailable_reason_has_its_own_series() {
        let m = Metrics::default();
        m.unavailable(UnavailableReason::Quota);
        m.connect_error("1226");
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("folio_db_unavailable_total{reason=\"quota\"} 1\n"));
        assert!(out.contains("folio_db_unavailable_total{reason=\"timeout\"} 0\n"));
        assert!(out.contains("folio_db_connect_errors_total{code=\"1226\"} 1\n"));
    }
}
