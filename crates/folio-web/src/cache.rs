//! Computed portfolios kept per user in process, so a page view after the first one
//! does not reload and recompute the user's whole history.
//!
//! Correctness rule: every handler that changes a user's data (activities, accounts,
//! assets, prices, FX rates, settings) holds [`crate::AppState::serialize_writes`]
//! while it writes; dropping that guard invalidates the user's entry. A computation
//! that started before a write finished is never stored (generation check), so a page
//! can never show figures older than the user's last acknowledged change.
//!
//! Limits: the cache holds at most `capacity` users (least recently used leaves
//! first), and it is per process — another Folio process writing the same user's data
//! (a second instance, `folio import` from the CLI) is not seen until the entry is
//! evicted, invalidated here, or [`MAX_AGE`] has passed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use folio_core::portfolio::{EngineError, Portfolio};
use folio_core::{CurrencyCode, UserId};
use folio_db::models::UserSettings;
use time::Date;

use crate::error::PageError;
use crate::portfolio::{UserData, today};

/// An entry older than this is recomputed even without a local write, so changes made
/// by another process show up within this time.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(300);

/// One user's data and the portfolio built from it, valued up to `as_of`.
pub(crate) struct Computed {
    /// The stored records the portfolio was built from.
    pub data: UserData,
    /// The engine's result; an error (e.g. an overflow) is shown on the page.
    pub portfolio: Result<Portfolio, EngineError>,
    /// The valuation day (today, UTC, when computed).
    pub as_of: Date,
    /// Base currency the figures are in.
    pub base: CurrencyCode,
    /// The settings the figures were computed with.
    pub prefs: UserSettings,
}

struct Entry {
    generation: u64,
    computed: Arc<Computed>,
    made: Instant,
    used: Instant,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<UserId, Entry>,
    /// Bumped by every invalidation of the user; survives eviction of the entry.
    generations: HashMap<UserId, u64>,
}

/// The per-process cache of computed portfolios.
pub(crate) struct PortfolioCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl PortfolioCache {
    /// A cache holding at most `capacity` users' portfolios (0 disables caching).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets the user's portfolio; the next view recomputes it.
    pub(crate) fn invalidate(&self, user: UserId) {
        let mut inner = self.lock();
        inner.entries.remove(&user);
        let g = inner.generations.entry(user).or_insert(0);
        *g = g.wrapping_add(1);
    }

    /// The cached entry if it is still valid for these settings and today.
    fn lookup(&self, user: UserId, base: &CurrencyCode, prefs: &UserSettings) -> Lookup {
        let mut inner = self.lock();
        let generation = inner.generations.get(&user).copied().unwrap_or(0);
        let now = Instant::now();
        if let Some(e) = inner.entries.get_mut(&user) {
            let c = &e.computed;
            let fresh = e.generation == generation
                && now.duration_since(e.made) < MAX_AGE
                && c.as_of == today()
                && &c.base == base
                && c.prefs == *prefs;
            if fresh {
                e.used = now;
                return Lookup::Hit(Arc::clone(&e.computed));
            }
        }
        Lookup::Miss(generation)
    }

    fn store(&self, user: UserId, generation: u64, computed: Arc<Computed>) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.lock();
        if inner.generations.get(&user).copied().unwrap_or(0) != generation {
            return; // a write finished while this was computed: it is already stale
        }
        if !inner.entries.contains_key(&user) && inner.entries.len() >= self.capacity {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(u, _)| *u);
            if let Some(u) = oldest {
                inner.entries.remove(&u);
            }
        }
        let now = Instant::now();
        inner.entries.insert(
            user,
            Entry {
                generation,
                computed,
                made: now,
                used: now,
            },
        );
        // Generations of users with no entry and no recent write need not be kept
        // forever; a bounded map keeps memory flat with many users.
        if inner.generations.len() > self.capacity.saturating_mul(4).max(1024) {
            let Inner {
                entries,
                generations,
            } = &mut *inner;
            generations.retain(|u, _| entries.contains_key(u));
        }
    }

    /// Number of users cached (for metrics and tests).
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

enum Lookup {
    Hit(Arc<Computed>),
    Miss(u64),
}

/// The user's computed portfolio: from the cache, or loaded and built (then cached).
/// Building runs on the blocking pool, so a large history does not stall other requests.
pub(crate) async fn computed(
    state: &crate::AppState,
    user: UserId,
    base: &CurrencyCode,
    prefs: &UserSettings,
) -> Result<Arc<Computed>, PageError> {
    let generation = match state.portfolios.lookup(user, base, prefs) {
        Lookup::Hit(c) => return Ok(c),
        Lookup::Miss(g) => g,
    };
    let data = UserData::load(&state.db, user).await?;
    let (base, prefs) = (base.clone(), prefs.clone());
    let computed = tokio::task::spawn_blocking(move || {
        let as_of = today();
        let input = data.engine_input(&base, &prefs, as_of, None);
        let portfolio = Portfolio::build(input);
        Computed {
            data,
            portfolio,
            as_of,
            base,
            prefs,
        }
    })
    .await
    .map_err(|e| PageError::Internal(format!("portfolio computation failed: {e}")))?;
    let computed = Arc::new(computed);
    state
        .portfolios
        .store(user, generation, Arc::clone(&computed));
    Ok(computed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(base: &str) -> Arc<Computed> {
        let base = CurrencyCode::parse(base).unwrap();
        let prefs = UserSettings::default();
        let data = UserData::default();
        let input = data.engine_input(&base, &prefs, today(), None);
        Arc::new(Computed {
            portfolio: Portfolio::build(input),
            data,
            as_of: today(),
            base,
            prefs,
        })
    }

    #[test]
    fn a_write_during_computation_keeps_the_stale_result_out() {
        let cache = PortfolioCache::new(8);
        let (user, eur) = (UserId::new(1), CurrencyCode::parse("EUR").unwrap());
        let prefs = UserSettings::default();
        let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs) else {
            panic!("empty cache hit")
        };
        cache.invalidate(user); // a write finished meanwhile
        cache.store(user, g, sample("EUR"));
        assert!(matches!(cache.lookup(user, &eur, &prefs), Lookup::Miss(_)));
        let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs) else {
            unreachable!()
        };
        cache.store(user, g, sample("EUR"));
        assert!(matches!(cache.lookup(user, &eur, &prefs), Lookup::Hit(_)));
        let usd = CurrencyCode::parse("USD").unwrap();
        assert!(
            matches!(cache.lookup(user, &usd, &prefs), Lookup::Miss(_)),
            "another base currency is another computation"
        );
    }

    #[test]
    fn the_least_recently_used_user_leaves_first() {
        let cache = PortfolioCache::new(2);
        let eur = CurrencyCode::parse("EUR").unwrap();
        let prefs = UserSettings::default();
        for id in 1..=3 {
            let user = UserId::new(id);
            let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs) else {
                unreachable!()
            };
            cache.store(user, g, sample("EUR"));
            if id == 2 {
                // touch user 1 so that user 2 is the least recently used
                assert!(matches!(
                    cache.lookup(UserId::new(1), &eur, &prefs),
                    Lookup::Hit(_)
                ));
            }
        }
        assert_eq!(cache.len(), 2);
        assert!(matches!(
            cache.lookup(UserId::new(2), &eur, &prefs),
            Lookup::Miss(_)
        ));
        assert!(matches!(
            cache.lookup(UserId::new(1), &eur, &prefs),
            Lookup::Hit(_)
        ));
    }
}
