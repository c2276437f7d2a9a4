//! What the web layer shows about the database without touching it: Prometheus
//! metrics, readiness, and (for `folio doctor`) a full inspection that does connect.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::controller::BreakerState;
use crate::db::{Db, Mode, Pools};
use crate::detect::{Budget, Limits, compute_budget};
use crate::error::{DbResult, UnavailableReason};
use crate::metrics::{gauge, header};
use crate::stats::DbStats;

/// Whether the database can serve requests, as far as this process knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    /// `true`: send traffic. `false`: `/readyz` answers 503.
    pub ready: bool,
    /// Stable reason: `ok`, `breaker_open`, `breaker_half_open`, `recent_failure`,
    /// `closed`.
    pub reason: &'static str,
}

/// The result of `folio doctor`'s check: what the server allows and what Folio uses.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// Detected limits; `None` on SQLite, which has none.
    pub limits: Option<Limits>,
    /// The budget Folio would use.
    pub budget: Budget,
}

impl Db {
    /// Readiness from the breaker and the outcome of recent operations. Opens no
    /// connection: while the breaker is open the upkeep task probes the server, so
    /// this recovers on its own once the server is back.
    pub fn readiness(&self) -> Readiness {
        let inner = &self.inner;
        if inner.closed.load(std::sync::atomic::Ordering::SeqCst) {
            return Readiness {
                ready: false,
                reason: "closed",
            };
        }
        let snap = inner.gate.snapshot();
        match snap.breaker {
            BreakerState::Open => Readiness {
                ready: false,
                reason: "breaker_open",
            },
            BreakerState::HalfOpen => Readiness {
                ready: false,
                reason: "breaker_half_open",
            },
            BreakerState::Closed => match (snap.last_failure, snap.last_success) {
                (Some(f), s)
                    if s.is_none_or(|s| f > s) && f.elapsed() < Duration::from_secs(30) =>
                {
                    Readiness {
                        ready: false,
                        reason: "recent_failure",
                    }
                }
                _ => Readiness {
                    ready: true,
                    reason: "ok",
                },
            },
        }
    }

    /// Current pool and gate counts. Reads only in-process state; opens nothing.
    pub fn stats(&self) -> DbStats {
        let inner = &self.inner;
        let idle = match &inner.pools {
            Pools::Sqlite { read, write } => read.idle() + write.idle(),
            Pools::MySql(p) => p.idle(),
            Pools::Postgres(p) => p.idle(),
        };
        let snap = inner.gate.snapshot();
        DbStats {
            size: inner.open(),
            idle,
            in_use: u32_of(snap.in_use),
            waiters: u32_of(snap.waiters + snap.background_waiters),
            hard_cap: snap.hard_cap,
            target: snap.target,
            breaker: snap.breaker,
        }
    }

    /// The budget chosen at the last detection (none before the first connection, and
    /// never on SQLite).
    pub fn budget(&self) -> Option<Budget> {
        self.inner.lock_detected().budget.clone()
    }

    /// The last failed connection attempt as `code: message` (MySQL error number or
    /// SQLSTATE first), if any. For `folio doctor` and diagnostics; never show it to
    /// end users.
    pub fn last_connect_error(&self) -> Option<String> {
        self.inner
            .last_connect_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Operations answered as unavailable so far for `reason` (as in `/metrics`).
    pub fn unavailable_count(&self, reason: UnavailableReason) -> u64 {
        self.inner.metrics.unavailable_count(reason)
    }

    /// Connections opened and retries so far (as in `/metrics`).
    pub fn connect_and_retry_counts(&self) -> (u64, u64) {
        (self.inner.metrics.connects(), self.inner.metrics.retries())
    }

    /// Connects (through the gate), reads the limits and derives the budget. For
    /// `folio doctor`; the serving path detects on its own.
    pub async fn inspect(&self) -> DbResult<Inspection> {
        let deadline = Instant::now() + self.inner.cfg.acquire_timeout;
        let mut conn = self.acquire(Mode::Read, deadline).await?;
        let limits = match conn.held.as_mut() {
            Some(held) => self.inner.detect_on(held).await,
            None => None,
        };
        let open = self.inner.open();
        drop(conn);
        let budget = compute_budget(
            &self.inner.cfg,
            limits.as_ref().unwrap_or(&Limits::default()),
            open,
        );
        Ok(Inspection { limits, budget })
    }

    /// Every database and budget metric in Prometheus text format:
    /// `folio_db_connections{state}`, `folio_db_waiters{lane}`, `folio_db_hard_cap`,
    /// `folio_db_target`, `folio_db_breaker_state`, `folio_db_ready`,
    /// `folio_db_account_limit`, the `folio_db_acquire_wait_seconds` histogram and the
    /// counters `folio_db_connects_total`, `folio_db_connect_errors_total{code}`,
    /// `folio_db_retries_total`, `folio_db_capacity_decreases_total`,
    /// `folio_db_closes_total{reason}` and `folio_db_unavailable_total{reason}`.
    ///
    /// `folio_db_unavailable_total` counts every operation answered with
    /// [`crate::DbError::Unavailable`] — the web layer need not record 503s itself.
    pub fn metrics_text(&self) -> String {
        let s = self.stats();
        let snap = self.inner.gate.snapshot();
        let mut out = String::with_capacity(4096);
        header(
            &mut out,
            "folio_db_connections",
            "Open database connections by state.",
            "gauge",
        );
        let _ = writeln!(out, "folio_db_connections{{state=\"open\"}} {}", s.size);
        let _ = writeln!(out, "folio_db_connections{{state=\"idle\"}} {}", s.idle);
        let _ = writeln!(out, "folio_db_connections{{state=\"in_use\"}} {}", s.in_use);
        header(
            &mut out,
            "folio_db_waiters",
            "Operations queued at the gate, by lane.",
            "gauge",
        );
        let _ = writeln!(
            out,
            "folio_db_waiters{{lane=\"interactive\"}} {}",
            snap.waiters
        );
        let _ = writeln!(
            out,
            "folio_db_waiters{{lane=\"background\"}} {}",
            snap.background_waiters
        );
        gauge(
            &mut out,
            "folio_db_background_cap",
            "Slots background work (imports, price refresh) may hold now.",
            snap.background_cap,
        );
        gauge(
            &mut out,
            "folio_db_hard_cap",
            "Hard cap H: connections this process never exceeds.",
            s.hard_cap,
        );
        gauge(
            &mut out,
            "folio_db_target",
            "Target T <= H currently enforced by the gate.",
            s.target,
        );
        gauge(
            &mut out,
            "folio_db_debt",
            "Slots still to be withdrawn after T was lowered while they were in use.",
            snap.debt,
        );
        gauge(
            &mut out,
            "folio_db_breaker_state",
            "Circuit breaker: 0 closed, 1 open, 2 half-open.",
            s.breaker.value(),
        );
        gauge(
            &mut out,
            "folio_db_ready",
            "1 when /readyz reports the database ready.",
            u8::from(self.readiness().ready),
        );
        let account_limit = self
            .inner
            .lock_detected()
            .limits
            .as_ref()
            .and_then(|l| l.account_limit)
            .unwrap_or(0);
        gauge(
            &mut out,
            "folio_db_account_limit",
            "Detected per-account connection limit (0: none or unknown).",
            account_limit,
        );
        self.inner.metrics.render(&mut out);
        out
    }
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
