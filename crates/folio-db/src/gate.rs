//! The connection gate: every database operation passes it before touching a pool, so
//! the whole process shares one bounded, adaptive budget.
//!
//! A fair (FIFO) tokio semaphore holds T permits; the [`Controller`] decides T and the
//! breaker. Shrinking T takes free permits away at once and records the rest as *debt*:
//! the next permits returned are forgotten instead of released, until the debt is paid,
//! so in-flight work is never interrupted and T is honoured as soon as it finishes.
//! Background work first passes a second, smaller semaphore (its share), so it can
//! never occupy more than that share of the budget.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::controller::{BreakerState, Controller, Tuning, Verdict};
use crate::error::{DbError, UnavailableReason};

/// How often a waiting request re-checks the breaker and asks for more slots.
const WAIT_TICK: Duration = Duration::from_millis(250);

/// Which share of the budget an operation draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// A user is waiting for the answer: short deadline, the whole budget.
    Interactive,
    /// Price refresh, imports and the like: longer deadline, a small share.
    Background,
}

/// Limits of the gate that do not change at run time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GateSettings {
    /// Most operations queued at once (per lane); beyond it, an immediate 503.
    pub max_waiters: usize,
    /// Slots background work may hold at once (from the configured maximum).
    pub background_cap: u32,
    /// Background share of H in percent; when detection lowers H, the background
    /// slots shrink with it.
    pub background_share_percent: u8,
}

struct State {
    ctl: Controller,
    /// T as currently applied to the semaphore.
    applied: u32,
    /// Permits still to be withheld after a shrink.
    debt: u32,
    /// Background slots currently in the background semaphore.
    background_cap: u32,
}

/// Admission control in front of the pools.
pub(crate) struct Gate {
    state: Mutex<State>,
    permits: Arc<Semaphore>,
    background: Arc<Semaphore>,
    waiters: AtomicUsize,
    background_waiters: AtomicUsize,
    in_use: AtomicUsize,
    settings: GateSettings,
}

/// Proof of admission; the budget slot is returned (or forgotten, to pay debt) on drop.
pub(crate) struct Admission {
    gate: Arc<Gate>,
    permit: Option<OwnedSemaphorePermit>,
    _background: Option<OwnedSemaphorePermit>,
    /// Waited this long at the gate.
    pub(crate) waited: Duration,
}

impl Gate {
    pub(crate) fn new(hard_cap: u32, settings: GateSettings, tuning: Tuning) -> Arc<Self> {
        let ctl = Controller::new(hard_cap, tuning);
        let t = ctl.target();
        Arc::new(Self {
            state: Mutex::new(State {
                ctl,
                applied: t,
                debt: 0,
                background_cap: settings.background_cap.max(1),
            }),
            permits: Arc::new(Semaphore::new(usize_of(t))),
            background: Arc::new(Semaphore::new(usize_of(settings.background_cap.max(1)))),
            waiters: AtomicUsize::new(0),
            background_waiters: AtomicUsize::new(0),
            in_use: AtomicUsize::new(0),
            settings,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits in line for a slot, at most until `deadline`.
    pub(crate) async fn admit(
        self: &Arc<Self>,
        lane: Lane,
        deadline: Instant,
    ) -> Result<Admission, DbError> {
        let started = Instant::now();
        self.check_breaker(started)?;
        let background = match lane {
            Lane::Interactive => None,
            Lane::Background => Some(
                self.wait_for(&self.background, &self.background_waiters, deadline)
                    .await?,
            ),
        };
        let permit = self
            .wait_for(&self.permits, &self.waiters, deadline)
            .await?;
        self.in_use.fetch_add(1, Ordering::SeqCst);
        Ok(Admission {
            gate: Arc::clone(self),
            permit: Some(permit),
            _background: background,
            waited: started.elapsed(),
        })
    }

    fn check_breaker(&self, now: Instant) -> Result<(), DbError> {
        match self.lock().ctl.verdict(now) {
            Verdict::Admit | Verdict::Probe => Ok(()),
            Verdict::Reject { retry_after } => {
                Err(unavailable(UnavailableReason::BreakerOpen, retry_after))
            }
        }
    }

    async fn wait_for(
        &self,
        sem: &Arc<Semaphore>,
        waiters: &AtomicUsize,
        deadline: Instant,
    ) -> Result<OwnedSemaphorePermit, DbError> {
        if let Ok(permit) = Arc::clone(sem).try_acquire_owned() {
            return Ok(permit);
        }
        if waiters.fetch_add(1, Ordering::SeqCst) >= self.settings.max_waiters {
            waiters.fetch_sub(1, Ordering::SeqCst);
            return Err(unavailable(UnavailableReason::QueueFull, WAIT_TICK * 8));
        }
        let _queued = Queued(waiters);
        // The acquire future keeps its place in the FIFO queue across ticks.
        let acquire = Arc::clone(sem).acquire_owned();
        tokio::pin!(acquire);
        loop {
            self.on_waiting();
            let now = Instant::now();
            if now >= deadline {
                return Err(unavailable(UnavailableReason::Timeout, retry_after_wait()));
            }
            let tick = (deadline - now).min(WAIT_TICK);
            tokio::select! {
                acquired = &mut acquire => {
                    return acquired.map_err(|_closed| {
                        unavailable(UnavailableReason::BreakerOpen, retry_after_wait())
                    });
                }
                () = tokio::time::sleep(tick) => {}
            }
            let now = Instant::now();
            if self.lock().ctl.breaker_state(now) == BreakerState::Open {
                return Err(unavailable(
                    UnavailableReason::BreakerOpen,
                    retry_after_wait(),
                ));
            }
        }
    }

    /// Requests are queued: let the controller grow T.
    fn on_waiting(&self) {
        let mut s = self.lock();
        if let Some(t) = s.ctl.on_waiting(Instant::now()) {
            self.apply(&mut s, t);
        }
    }

    /// Applies a new T to the semaphore, paying or recording debt.
    fn apply(&self, s: &mut State, target: u32) {
        if target > s.applied {
            let grow = target - s.applied;
            let pay = grow.min(s.debt);
            s.debt -= pay;
            self.permits.add_permits(usize_of(grow - pay));
        } else if target < s.applied {
            let shrink = s.applied - target;
            let taken =
                u32::try_from(self.permits.forget_permits(usize_of(shrink))).unwrap_or(shrink);
            s.debt += shrink.saturating_sub(taken);
        }
        s.applied = target;
    }

    /// A statement or connect succeeded.
    pub(crate) fn on_success(&self) {
        self.lock().ctl.on_success(Instant::now());
    }

    /// The server was unreachable or starting.
    pub(crate) fn on_failure(&self) {
        self.lock().ctl.on_failure(Instant::now());
    }

    /// An hourly quota is exhausted.
    pub(crate) fn on_quota(&self) {
        self.lock().ctl.on_quota(Instant::now());
    }

    /// The server refused a connection for lack of slots while we held `open`.
    /// Returns the new T.
    pub(crate) fn on_capacity(&self, open: u32) -> u32 {
        let mut s = self.lock();
        let t = s.ctl.on_capacity(Instant::now(), open);
        self.apply(&mut s, t);
        t
    }

    /// Sets H (after detection). Returns the new T.
    pub(crate) fn set_hard_cap(&self, hard_cap: u32) -> u32 {
        let mut s = self.lock();
        let t = s.ctl.set_hard_cap(hard_cap);
        self.apply(&mut s, t);
        let share = u32::from(self.settings.background_share_percent);
        let bg = (s.ctl.hard_cap().saturating_mul(share) / 100)
            .max(1)
            .min(self.settings.background_cap.max(1));
        if bg > s.background_cap {
            // H rose again (another client left): the background share grows back, up
            // to what was configured.
            self.background.add_permits(usize_of(bg - s.background_cap));
            s.background_cap = bg;
        } else if bg < s.background_cap {
            // Best effort: free background slots are withdrawn now; held ones return
            // normally (background work is short and never more than a few slots).
            let taken = self
                .background
                .forget_permits(usize_of(s.background_cap - bg));
            s.background_cap -= u32::try_from(taken).unwrap_or(0);
        }
        t
    }

    /// A slot right now or none (maintenance never queues behind requests).
    pub(crate) fn try_admit(self: &Arc<Self>) -> Option<Admission> {
        let permit = Arc::clone(&self.permits).try_acquire_owned().ok()?;
        self.in_use.fetch_add(1, Ordering::SeqCst);
        Some(Admission {
            gate: Arc::clone(self),
            permit: Some(permit),
            _background: None,
            waited: Duration::ZERO,
        })
    }

    /// Start-up found no free slot: T = 1, breaker probing.
    pub(crate) fn start_degraded(&self) -> u32 {
        let mut s = self.lock();
        let t = s.ctl.start_degraded(Instant::now());
        self.apply(&mut s, t);
        t
    }

    pub(crate) fn snapshot(&self) -> GateSnapshot {
        let now = Instant::now();
        let s = self.lock();
        GateSnapshot {
            hard_cap: s.ctl.hard_cap(),
            target: s.ctl.target(),
            debt: s.debt,
            breaker: s.ctl.breaker_state(now),
            last_success: s.ctl.last_success(),
            last_failure: s.ctl.last_failure(),
            in_use: self.in_use.load(Ordering::SeqCst),
            waiters: self.waiters.load(Ordering::SeqCst),
            background_waiters: self.background_waiters.load(Ordering::SeqCst),
            background_cap: s.background_cap,
        }
    }

    /// Refuses every waiting and future admission (shutdown).
    pub(crate) fn close(&self) {
        self.permits.close();
        self.background.close();
    }
}

/// The gate's state at one moment, for metrics and readiness.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GateSnapshot {
    pub hard_cap: u32,
    pub target: u32,
    pub debt: u32,
    pub breaker: BreakerState,
    pub last_success: Option<Instant>,
    pub last_failure: Option<Instant>,
    pub in_use: usize,
    pub waiters: usize,
    pub background_waiters: usize,
    /// Slots background work may hold right now.
    pub background_cap: u32,
}

impl Drop for Admission {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            let mut s = self.gate.lock();
            if s.debt > 0 {
                s.debt -= 1;
                permit.forget();
            } else {
                drop(permit);
            }
        }
        self.gate.in_use.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Counts a queued request for as long as it waits.
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn usize_of(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn retry_after_wait() -> Duration {
    Duration::from_secs(2)
}

/// A 503-shaped error; `Retry-After` is rounded up to whole seconds, at least one.
pub(crate) fn unavailable(reason: UnavailableReason, retry_after: Duration) -> DbError {
    let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    DbError::Unavailable {
        reason,
        retry_after: Duration::from_secs(secs.max(1)),
    }
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;
