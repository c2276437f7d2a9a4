//! Login throttling: failed attempts are counted per client address and per submitted
//! email (whether or not it exists, so the throttle reveals nothing) in a fixed window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per submitted email within the window.
const PER_ACCOUNT: u32 = 5;
/// Failures allowed per client address within the window (covers spraying many emails).
const PER_ADDRESS: u32 = 20;
/// Window length; the counters reset after it.
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Upper bound on tracked keys, so an attacker cannot grow memory without limit.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Counter {
    failures: u32,
    since: Instant,
}

/// In-process failure counters (per instance; several instances each enforce their own).
#[derive(Debug, Default)]
pub(crate) struct LoginThrottle {
    counters: Mutex<HashMap<String, Counter>>,
}

impl LoginThrottle {
    /// `Some(wait)` when either key is over its limit.
    pub(crate) fn blocked(&self, address: &str, email: &str) -> Option<Duration> {
        let now = Instant::now();
        let map = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        [
            (format!("ip:{address}"), PER_ADDRESS),
            (format!("acct:{email}"), PER_ACCOUNT),
        ]
        .iter()
        .filter_map(|(key, limit)| {
            let c = map.get(key)?;
            let age = now.duration_since(c.since);
            (age < WINDOW && c.failures >= *limit).then(|| WINDOW - age)
        })
        .max()
    }

    /// Counts a failed attempt against both keys.
    pub(crate) fn record_failure(&self, address: &str, email: &str) {
        let now = Instant::now();
        let mut map = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= MAX_KEYS {
            map.retain(|_, c| now.duration_since(c.since) < WINDOW);
        }
        for key in [format!("ip:{address}"), format!("acct:{email}")] {
            let c = map.entry(key).or_insert(Counter {
                failures: 0,
                since: now,
            });
            if now.duration_since(c.since) >= WINDOW {
                *c = Counter {
                    failures: 0,
                    since: now,
                };
            }
            c.failures += 1;
        }
    }

    /// A successful login clears the account's counter (not the address's).
    pub(crate) fn record_success(&self, email: &str) {
        let mut map = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(&format!("acct:{email}"));
    }

    /// Drops expired counters.
    pub(crate) fn prune(&self) {
        let now = Instant::now();
        let mut map = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, c| now.duration_since(c.since) < WINDOW);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_blocked_after_five_failures_from_anywhere() {
        let t = LoginThrottle::default();
        for i in 0..PER_ACCOUNT {
            assert!(
                t.blocked(&format!("10.0.0.{i}"), "ann@example.com")
                    .is_none()
            );
            t.record_failure(&format!("10.0.0.{i}"), "ann@example.com");
        }
        assert!(t.blocked("10.9.9.9", "ann@example.com").is_some());
        assert!(t.blocked("10.9.9.9", "bob@example.com").is_none());
    }

    #[test]
    fn an_address_is_blocked_after_twenty_failures_across_emails() {
        let t = LoginThrottle::default();
        for i in 0..PER_ADDRESS {
            t.record_failure("10.0.0.1", &format!("u{i}@example.com"));
        }
        assert!(t.blocked("10.0.0.1", "new@example.com").is_some());
        assert!(t.blocked("10.0.0.2", "new@example.com").is_none());
    }

    #[test]
    fn success_clears_the_account_counter() {
        let t = LoginThrottle::default();
        for _ in 0..PER_ACCOUNT {
            t.record_failure("10.0.0.1", "ann@example.com");
        }
        t.record_success("ann@example.com");
        assert!(t.blocked("10.0.0.2", "ann@example.com").is_none());
    }
}
