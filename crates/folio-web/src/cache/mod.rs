//! Computed portfolios kept per user in process, so a page view after the first one
//! neither reloads nor recomputes the user's whole history.
//!
//! Correctness rule: every handler that changes a user's data (activities, accounts,
//! assets, prices, FX rates, settings) holds [`crate::AppState::serialize_writes`]
//! while it writes. A handler that reports what it wrote ([`Change`], through
//! [`crate::state::WriteGuard::applied`]) has the cached portfolio brought up to date
//! with the engine's incremental API on the next view; any other write invalidates the
//! entry. A computation that started before a write finished is never stored
//! (generation check), so a page never shows figures older than the user's last
//! acknowledged change. A new day only appends the new day's valuation.
//!
//! Concurrent views of one user that find no usable entry compute once (single-flight):
//! the others wait for that result.
//!
//! Limits: the cache holds at most `capacity` users (least recently used leaves first),
//! and it is per process — another Folio process writing the same user's data (a second
//! instance, `folio import` from the CLI) is not seen until the entry is evicted,
//! invalidated here, or [`MAX_AGE`] has passed since it was loaded.

mod change;
mod compute;
mod stats;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use folio_core::portfolio::{EngineError, Portfolio};
use folio_core::{CurrencyCode, UserId};
use folio_db::models::UserSettings;
use time::Date;

pub(crate) use change::Change;
pub(crate) use compute::computed;
pub(crate) use stats::CacheStats;

use crate::portfolio::{UserData, today};

/// An entry loaded longer ago than this is reloaded even without a local write, so
/// changes made by another process show up within this time.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(300);

/// One user's data and the portfolio built from it, valued up to `as_of`.
#[derive(Clone)]
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

/// An empty user's computed portfolio, for tests of code keyed by a `Computed`.
#[cfg(test)]
pub(crate) fn empty_for_tests() -> Arc<Computed> {
    let eur = CurrencyCode::parse("EUR").expect("a valid code");
    Arc::new(compute::build(
        UserData::default(),
        eur,
        UserSettings::default(),
    ))
}

struct Entry {
    /// The user's generation `computed` plus `pending` stand for.
    generation: u64,
    computed: Arc<Computed>,
    /// Writes made since `computed`, applied by the next view.
    pending: Vec<Change>,
    /// When the data was loaded from the database (incremental updates keep it).
    loaded: Instant,
    used: Instant,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<UserId, Entry>,
    /// The user's last write, as a tick of `clock`; survives eviction of the entry.
    generations: HashMap<UserId, u64>,
    /// Ticks once per write of any user, so a generation is never reused.
    clock: u64,
    /// The generation of users not in `generations`: the clock when it was last pruned
    /// (0 before), so a generation read before a prune can never match after it.
    floor: u64,
}

impl Inner {
    fn generation(&self, user: UserId) -> u64 {
        self.generations.get(&user).copied().unwrap_or(self.floor)
    }
}

/// The per-process cache of computed portfolios.
pub(crate) struct PortfolioCache {
    capacity: usize,
    inner: Mutex<Inner>,
    /// One lock per user while a view fills the entry (single-flight).
    flights: Mutex<HashMap<UserId, Arc<tokio::sync::Mutex<()>>>>,
    /// Counters for `/metrics`.
    pub(crate) stats: CacheStats,
}

/// What a view finds in the cache.
enum Lookup {
    /// Up to date: use it.
    Hit(Arc<Computed>),
    /// Usable after applying known writes and/or appending days (taken out of the map).
    Stale {
        computed: Arc<Computed>,
        changes: Vec<Change>,
        generation: u64,
        loaded: Instant,
    },
    /// Nothing usable: load and compute, to be stored if `generation` still holds.
    Miss(u64),
}

impl PortfolioCache {
    /// A cache holding at most `capacity` users' portfolios (0 disables caching).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::default(),
            flights: Mutex::default(),
            stats: CacheStats::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets the user's portfolio; the next view recomputes it.
    #[cfg(test)]
    pub(crate) fn invalidate(&self, user: UserId) {
        self.written(user, Vec::new());
    }

    /// Records that a write of the user finished: with the `changes` it made, the entry
    /// is updated on the next view; with none (unknown write), it is dropped.
    pub(crate) fn written(&self, user: UserId, changes: Vec<Change>) {
        let mut inner = self.lock();
        let before = inner.generation(user);
        inner.clock = inner.clock.wrapping_add(1);
        let now = inner.clock;
        inner.generations.insert(user, now);
        match inner.entries.get_mut(&user) {
            Some(e) if !changes.is_empty() && e.generation == before => {
                e.pending.extend(changes);
                e.generation = now;
            }
            _ => {
                inner.entries.remove(&user);
            }
        }
    }

    /// The entry if it can be used as it is (no bookkeeping beyond recency).
    fn peek(
        &self,
        user: UserId,
        base: &CurrencyCode,
        prefs: &UserSettings,
    ) -> Option<Arc<Computed>> {
        match self.lookup(user, base, prefs, false) {
            Lookup::Hit(c) => Some(c),
            Lookup::Stale { .. } | Lookup::Miss(_) => None,
        }
    }

    /// What a view should do; with `claim`, a stale entry is taken out of the map for
    /// the caller to update (callers hold the user's flight lock then).
    fn lookup(
        &self,
        user: UserId,
        base: &CurrencyCode,
        prefs: &UserSettings,
        claim: bool,
    ) -> Lookup {
        let mut inner = self.lock();
        let generation = inner.generation(user);
        let now = Instant::now();
        let Some(e) = inner.entries.get_mut(&user) else {
            return Lookup::Miss(generation);
        };
        let c = &e.computed;
        let usable = e.generation == generation
            && now.duration_since(e.loaded) < MAX_AGE
            && &c.base == base
            && c.prefs == *prefs
            && c.as_of <= today();
        if usable && e.pending.is_empty() && c.as_of == today() {
            e.used = now;
            return Lookup::Hit(Arc::clone(&e.computed));
        }
        if !claim {
            return Lookup::Miss(generation);
        }
        let Some(e) = inner.entries.remove(&user) else {
            return Lookup::Miss(generation);
        };
        if !usable {
            return Lookup::Miss(generation);
        }
        Lookup::Stale {
            computed: e.computed,
            changes: e.pending,
            generation,
            loaded: e.loaded,
        }
    }

    /// Keeps `computed` unless a write of the user finished since `generation` was read.
    fn store(&self, user: UserId, generation: u64, computed: Arc<Computed>, loaded: Instant) {
        if self.capacity == 0 {
            return;
        }
        let mut inner = self.lock();
        if inner.generation(user) != generation {
            return; // a write finished while this was computed: it is already stale
        }
        if !inner.entries.contains_key(&user) && inner.entries.len() >= self.capacity {
            let oldest = inner.entries.iter().min_by_key(|(_, e)| e.used);
            if let Some(u) = oldest.map(|(u, _)| *u) {
                inner.entries.remove(&u);
            }
        }
        let entry = Entry {
            generation,
            computed,
            pending: Vec::new(),
            loaded,
            used: Instant::now(),
        };
        inner.entries.insert(user, entry);
        // Generations of users with no entry need not be kept forever. Raising the
        // floor to the clock makes every generation read before the prune stale, so a
        // computation that overlapped a forgotten write can still not be stored.
        if inner.generations.len() > self.capacity.saturating_mul(4).max(1024) {
            let Inner {
                entries,
                generations,
                clock,
                floor,
            } = &mut *inner;
            for (u, e) in entries.iter() {
                generations.entry(*u).or_insert(e.generation);
            }
            generations.retain(|u, _| entries.contains_key(u));
            *floor = *clock;
        }
    }

    /// Number of users cached (for metrics and tests).
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// The user's flight lock, created on first use.
    fn flight(&self, user: UserId) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.flights.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(map.entry(user).or_default())
    }

    /// Forgets the user's flight lock when nobody else holds or waits for it.
    fn land(&self, user: UserId, flight: Arc<tokio::sync::Mutex<()>>) {
        let mut map = self.flights.lock().unwrap_or_else(PoisonError::into_inner);
        if Arc::strong_count(&flight) <= 2 {
            map.remove(&user);
        }
    }
}
