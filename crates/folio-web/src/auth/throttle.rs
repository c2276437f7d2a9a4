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
    counters: Mutex<HashMap<[u8; 32], Counter>>,
}

impl LoginThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Counter>> {
        self.counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Some(wait)` when either key is over its limit, or when the table is full of
    /// fresh entries (many addresses or emails at once): then everyone waits a minute
    /// rather than memory growing without bound.
    pub(crate) fn blocked(&self, address: &str, email: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= MAX_KEYS {
            map.retain(|_, c| now.duration_since(c.since) < WINDOW);
            if map.len() >= MAX_KEYS {
                return Some(Duration::from_secs(60));
            }
        }
        [
            (key("ip", address), PER_ADDRESS),
            (key("acct", email), PER_ACCOUNT),
        ]
        .iter()
        .filter_map(|(k, limit)| {
            let c = map.get(k)?;
            let age = now.duration_since(c.since);
            (age < WINDOW && c.failures >= *limit).then(|| WINDOW - age)
        })
        .max()
    }

    /// Counts a failed attempt against both keys.
    pub(crate) fn record_failure(&self, address: &str, email: &str) {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= MAX_KEYS {
            map.retain(|_, c| now.duration_since(c.since) < WINDOW);
            if map.len() >= MAX_KEYS {
                return;
            }
        }
        for k in [key("ip", address), key("acct", email)] {
            let c = map.entry(k).or_insert(Counter {
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
        self.lock().remove(&key("acct", email));
    }

    /// Counts one attempt of something rate-limited per address (registrations) and
    /// says how long to wait when `limit` attempts in the window are exceeded.
    pub(crate) fn hit(&self, kind: &str, address: &str, limit: u32) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= MAX_KEYS {
            map.retain(|_, c| now.duration_since(c.since) < WINDOW);
            if map.len() >= MAX_KEYS {
                return Some(Duration::from_secs(60));
            }
        }
        let c = map.entry(key(kind, address)).or_insert(Counter {
            failures: 0,
            since: now,
        });
        if now.duration_since(c.since) >= WINDOW {
            *c = Counter {
                failures: 0,
                since: now,
            };
        }
        if c.failures >= limit {
            return Some(WINDOW.saturating_sub(now.duration_since(c.since)));
        }
        c.failures += 1;
        None
    }

    /// Drops expired counters.
    pub(crate) fn prune(&self) {
        let now = Instant::now();
        self.lock()
            .retain(|_, c| now.duration_since(c.since) < WINDOW);
    }
}

/// A fixed-size key: SHA-256 of kind and value, so a submitted 64 KiB "email" costs the
/// table 32 bytes.
fn key(kind: &str, value: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update([0]);
    h.update(value.as_bytes());
    h.finalize().into()
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
    fn registrations_per_address_are_limited() {
        let t = LoginThrottle::default();
        for _ in 0..3 {
            assert!(t.hit("reg", "10.0.0.1", 3).is_none());
        }
        assert!(t.hit("reg", "10.0.0.1", 3).is_some());
        assert!(t.hit("reg", "10.0.0.2", 3).is_none());
    }

    #[test]
    fn keys_are_fixed_size_whatever_the_input() {
        let t = LoginThrottle::default();
        t.record_failure("10.0.0.1", &"x".repeat(65_536));
        assert!(t.lock().keys().all(|k| k.len() == 32));
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
