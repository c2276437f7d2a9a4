//! The background upkeep of one `Db`: closes idle, expired and surplus connections,
//! probes a half-open breaker when no request does, and re-reads the server's limits
//! periodically — on an idle connection already open, never on one opened for it.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use crate::controller::BreakerState;
use crate::db::{Db, Inner, Mode, Pools};
use crate::detect::{Limits, compute_budget};
use crate::exec::Held;
use crate::gate::Lane;

/// Starts the upkeep task; it ends when the last `Db` clone is dropped or closed.
pub(crate) fn spawn(weak: Weak<Inner>) {
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        return;
    };
    rt.spawn(async move {
        loop {
            let tick = match weak.upgrade() {
                Some(inner) => inner.tick_period(),
                None => return,
            };
            tokio::time::sleep(tick).await;
            let Some(inner) = weak.upgrade() else { return };
            if inner.closed.load(Ordering::SeqCst) {
                return;
            }
            inner.maintain().await;
        }
    });
}

impl Inner {
    /// Often enough that an idle connection outlives its idle timeout by at most a
    /// quarter of it (and never more than a second).
    fn tick_period(&self) -> Duration {
        (self.cfg.idle_timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(1))
    }

    async fn maintain(self: &Arc<Self>) {
        let snap = self.gate.snapshot();
        self.trim(snap.target);
        if let Pools::Sqlite { write, .. } = &self.pools {
            write.reap(1);
        }
        if snap.breaker == BreakerState::HalfOpen && snap.waiters == 0 {
            self.probe().await;
        } else if self.detection_due(Some(self.cfg.detect_interval)) {
            self.redetect().await;
        }
    }

    /// Opens (or reuses) one connection to learn whether the server is back, so
    /// `/readyz` recovers even when no request arrives.
    async fn probe(self: &Arc<Self>) {
        let db = Db {
            inner: Arc::clone(self),
            lane: Lane::Background,
        };
        let deadline = Instant::now() + self.cfg.acquire_timeout.min(Duration::from_secs(5));
        if let Ok(mut conn) = db.acquire(Mode::Read, deadline).await {
            let r = conn.as_ref().ping().await;
            conn.observe(&r);
            if r.is_ok() {
                tracing::info!("database reachable again; circuit breaker closed");
            }
        }
    }

    /// Whether the limits should be (re-)read: never read yet, or older than `every`.
    pub(crate) fn detection_due(&self, every: Option<Duration>) -> bool {
        if self.backend == crate::Backend::Sqlite {
            return false;
        }
        let at = self.lock_detected().at;
        match (at, every) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(t), Some(every)) => t.elapsed() >= every,
        }
    }

    async fn redetect(self: &Arc<Self>) {
        let Some(_admission) = self.gate.try_admit() else {
            return;
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        let held = match &self.pools {
            Pools::MySql(p) => p.checkout_idle(deadline).await.map(Held::MySql),
            Pools::Postgres(p) => p.checkout_idle(deadline).await.map(Held::Postgres),
            Pools::Sqlite { .. } => None,
        };
        if let Some(mut held) = held {
            self.detect_on(&mut held).await;
            self.checkin(held, false);
        }
    }

    /// Reads the limits on `held` and applies the budget they imply.
    pub(crate) async fn detect_on(&self, held: &mut Held) -> Option<Limits> {
        let result = match held {
            Held::MySql(c) => crate::detect::mysql(&mut c.conn).await,
            Held::Postgres(c) => crate::detect::postgres(&mut c.conn).await,
            Held::SqliteRead(_) | Held::SqliteWrite(_) => return None,
        };
        let limits = match result {
            Ok(limits) => limits,
            Err(e) => {
                // Not fatal: the gate adapts to refusals anyway. Try again later.
                tracing::warn!(error = %e, "could not read the database's connection limits");
                self.lock_detected().at = Some(Instant::now());
                return None;
            }
        };
        let budget = compute_budget(&self.cfg, &limits, self.open());
        let target = self.gate.set_hard_cap(budget.hard_cap);
        self.trim(target);
        let mut detected = self.lock_detected();
        let changed = detected.budget.as_ref().map(|b| b.hard_cap) != Some(budget.hard_cap);
        if changed {
            tracing::info!(
                server = %limits.server,
                account = %limits.account,
                account_limit = ?limits.account_limit,
                server_limit = ?limits.server_limit,
                held_by_others = budget.held_by_others,
                reserve = budget.reserve,
                hard_cap = budget.hard_cap,
                limited_by = budget.limited_by,
                target,
                idle_timeout_s = budget.idle_timeout.as_secs(),
                max_lifetime_s = budget.max_lifetime.as_secs(),
                "database connection budget"
            );
            for w in &budget.warnings {
                tracing::warn!("database: {w}");
            }
        }
        detected.limits = Some(limits.clone());
        detected.budget = Some(budget);
        detected.at = Some(Instant::now());
        Some(limits)
    }
}
