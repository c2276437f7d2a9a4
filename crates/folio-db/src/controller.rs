//! The budget controller: the pure decision logic of the connection gate.
//!
//! It owns the hard cap H and the target T ≤ H, and the circuit breaker. It does no I/O
//! and has no clock of its own: every method takes `now`, so tests drive it with a fake
//! clock. The gate (`gate.rs`) applies its decisions to a real semaphore.
//!
//! - **Multiplicative decrease**: a capacity error (MySQL 1040/1203/1226, PostgreSQL
//!   53300) halves T, and never leaves it above the connections we hold right now — the
//!   server just told us that is all we get. Decreases within `hold` of the previous
//!   one do not halve again: one burst of refusals is one signal.
//! - **Additive increase**: T grows by one at most every `increase_every`, and only
//!   while requests are waiting (the gate calls [`Controller::on_waiting`] from its
//!   queue), so an idle or lightly loaded process never probes for more.
//! - **Breaker**: consecutive failures to reach the server (down, starting, or no slot
//!   even at T = 1) open it; an hourly quota opens it at once. Open, it rejects at once
//!   with a `Retry-After`; after the cool-down one probe is let through (half-open);
//!   its success closes the breaker, its failure re-opens it with a doubled cool-down.

use std::time::{Duration, Instant};

/// Timing and thresholds of the controller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    /// Minimum time between two additive increases of T.
    pub increase_every: Duration,
    /// After a decrease, T neither halves again nor grows for this long.
    pub hold: Duration,
    /// Consecutive failed attempts that open the breaker.
    pub failures_to_open: u32,
    /// First cool-down of an opened breaker.
    pub cooldown_min: Duration,
    /// Longest cool-down (the doubling stops here).
    pub cooldown_max: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            increase_every: Duration::from_millis(500),
            hold: Duration::from_secs(2),
            failures_to_open: 3,
            cooldown_min: Duration::from_secs(1),
            cooldown_max: Duration::from_secs(30),
        }
    }
}

/// The circuit breaker's state, as exported in metrics (0, 1, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Requests flow normally.
    Closed,
    /// The server is considered down or over quota; requests are refused at once.
    Open,
    /// One probe request is testing whether the server is back.
    HalfOpen,
}

impl BreakerState {
    /// Stable label for metrics and `/readyz`.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::HalfOpen => "half_open",
        }
    }

    /// Numeric value for the `folio_db_breaker_state` gauge.
    pub const fn value(self) -> u8 {
        match self {
            Self::Closed => 0,
            Self::Open => 1,
            Self::HalfOpen => 2,
        }
    }
}

/// What the breaker says about a new request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Go ahead.
    Admit,
    /// Go ahead as the single probe of a half-open breaker.
    Probe,
    /// Refused; try again after this long.
    Reject { retry_after: Duration },
}

#[derive(Debug, Clone, Copy)]
enum Breaker {
    Closed { failures: u32 },
    Open { until: Instant, cooldown: Duration },
    HalfOpen { since: Instant, cooldown: Duration },
}

/// Hard cap, target and breaker of one process's connection budget.
#[derive(Debug)]
pub(crate) struct Controller {
    tuning: Tuning,
    hard_cap: u32,
    target: u32,
    last_increase: Option<Instant>,
    last_decrease: Option<Instant>,
    breaker: Breaker,
    last_success: Option<Instant>,
    last_failure: Option<Instant>,
}

impl Controller {
    /// A controller with T = H = `hard_cap` (at least 1) and the breaker closed.
    pub(crate) fn new(hard_cap: u32, tuning: Tuning) -> Self {
        let hard_cap = hard_cap.max(1);
        Self {
            tuning,
            hard_cap,
            target: hard_cap,
            last_increase: None,
            last_decrease: None,
            breaker: Breaker::Closed { failures: 0 },
            last_success: None,
            last_failure: None,
        }
    }

    pub(crate) fn hard_cap(&self) -> u32 {
        self.hard_cap
    }

    pub(crate) fn target(&self) -> u32 {
        self.target
    }

    pub(crate) fn last_success(&self) -> Option<Instant> {
        self.last_success
    }

    pub(crate) fn last_failure(&self) -> Option<Instant> {
        self.last_failure
    }

    /// The breaker's state as of `now` (an expired open breaker reads as half-open:
    /// the next request will be the probe).
    pub(crate) fn breaker_state(&self, now: Instant) -> BreakerState {
        match self.breaker {
            Breaker::Closed { .. } => BreakerState::Closed,
            Breaker::Open { until, .. } if now < until => BreakerState::Open,
            Breaker::Open { .. } | Breaker::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// Sets H from configuration and detection; T follows it down, never up (T grows
    /// back additively under load).
    pub(crate) fn set_hard_cap(&mut self, hard_cap: u32) -> u32 {
        self.hard_cap = hard_cap.max(1);
        self.target = self.target.min(self.hard_cap);
        self.target
    }

    /// Start-up found no free slot: run on one connection with the breaker probing,
    /// rather than failing (and crash-looping under a supervisor).
    pub(crate) fn start_degraded(&mut self, now: Instant) -> u32 {
        self.target = 1;
        self.last_decrease = Some(now);
        self.open(now, self.tuning.cooldown_min);
        self.target
    }

    /// Admission check for a new request.
    pub(crate) fn verdict(&mut self, now: Instant) -> Verdict {
        match self.breaker {
            Breaker::Closed { .. } => Verdict::Admit,
            Breaker::Open { until, .. } if now < until => Verdict::Reject {
                retry_after: until - now,
            },
            Breaker::Open { cooldown, .. } => {
                self.breaker = Breaker::HalfOpen {
                    since: now,
                    cooldown,
                };
                Verdict::Probe
            }
            // A probe that never reported (its caller vanished) must not wedge the
            // breaker: after a cool-down another probe is allowed.
            Breaker::HalfOpen { since, cooldown } if now.duration_since(since) >= cooldown => {
                self.breaker = Breaker::HalfOpen {
                    since: now,
                    cooldown,
                };
                Verdict::Probe
            }
            Breaker::HalfOpen { since, cooldown } => Verdict::Reject {
                retry_after: cooldown.saturating_sub(now.duration_since(since)),
            },
        }
    }

    /// A statement or connect succeeded: the server is reachable.
    pub(crate) fn on_success(&mut self, now: Instant) {
        self.last_success = Some(now);
        if !matches!(self.breaker, Breaker::Closed { failures: 0 }) {
            self.breaker = Breaker::Closed { failures: 0 };
        }
    }

    /// The server could not be reached or refused us outright (down, starting, no slot
    /// even at T = 1). Enough of these in a row open the breaker.
    pub(crate) fn on_failure(&mut self, now: Instant) {
        self.last_failure = Some(now);
        match self.breaker {
            Breaker::Closed { failures } => {
                let failures = failures + 1;
                if failures >= self.tuning.failures_to_open {
                    self.open(now, self.tuning.cooldown_min);
                } else {
                    self.breaker = Breaker::Closed { failures };
                }
            }
            Breaker::HalfOpen { cooldown, .. } => {
                let next = (cooldown * 2).min(self.tuning.cooldown_max);
                self.open(now, next);
            }
            Breaker::Open { .. } => {}
        }
    }

    /// An hourly quota is exhausted: stop at once and probe only rarely.
    pub(crate) fn on_quota(&mut self, now: Instant) {
        self.last_failure = Some(now);
        self.open(now, self.tuning.cooldown_max);
    }

    /// The server refused a new connection for lack of slots while we held `open`
    /// connections. Returns the new T.
    pub(crate) fn on_capacity(&mut self, now: Instant, open: u32) -> u32 {
        let cap_by_open = open.max(1);
        let in_hold = self
            .last_decrease
            .is_some_and(|t| now.duration_since(t) < self.tuning.hold);
        if self.target == 1 && !in_hold {
            // Not even one connection: count it towards opening the breaker.
            self.on_failure(now);
        }
        let halved = if in_hold {
            self.target
        } else {
            (self.target / 2).max(1)
        };
        let next = halved.min(cap_by_open).max(1);
        if next < self.target || !in_hold {
            self.last_decrease = Some(now);
        }
        self.target = next;
        next
    }

    /// Requests are waiting for a slot: grow T by one if allowed. Returns the new T
    /// when it changed.
    pub(crate) fn on_waiting(&mut self, now: Instant) -> Option<u32> {
        let closed = matches!(self.breaker, Breaker::Closed { .. });
        let since = |t: Option<Instant>, d: Duration| t.is_none_or(|t| now.duration_since(t) >= d);
        if closed
            && self.target < self.hard_cap
            && since(self.last_increase, self.tuning.increase_every)
            && since(self.last_decrease, self.tuning.hold)
        {
            self.target += 1;
            self.last_increase = Some(now);
            return Some(self.target);
        }
        None
    }

    fn open(&mut self, now: Instant, cooldown: Duration) {
        self.breaker = Breaker::Open {
            until: now + cooldown,
            cooldown,
        };
    }
}

#[cfg(test)]
#[path = "controller_tests.rs"]
mod tests;
