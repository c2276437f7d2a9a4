//! Shared application state: the one `Db`, settings and the per-process caches.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use folio_core::UserId;
use folio_db::Db;

use crate::WebConfig;
use crate::auth::session::SessionCache;
use crate::auth::throttle::LoginThrottle;
use crate::cache::{Change, PortfolioCache};
use crate::metrics::HttpMetrics;

/// Everything handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The process's only database handle.
    pub db: Db,
    /// Web settings.
    pub cfg: Arc<WebConfig>,
    /// Sessions already read from the database, so steady-state requests skip it.
    pub(crate) sessions: Arc<SessionCache>,
    /// Failed-login counters per client address and per account.
    pub(crate) throttle: Arc<LoginThrottle>,
    /// Request counters for `/metrics`.
    pub(crate) metrics: Arc<HttpMetrics>,
    /// False until migrations have run: a start-up that found no free database slot
    /// serves 503 (not 500s from missing tables) until a background retry succeeds.
    schema_ready: Arc<AtomicBool>,
    /// One lock per user for check-then-save changes, so two concurrent requests of the
    /// same user cannot both pass the portfolio check (e.g. two sells of the last
    /// shares). In-process only: several instances each serialise their own requests.
    write_locks: Arc<std::sync::Mutex<HashMap<UserId, Arc<tokio::sync::Mutex<()>>>>>,
    /// Computed portfolios per user; a write guard's drop invalidates the user's entry.
    pub(crate) portfolios: Arc<PortfolioCache>,
    /// Results derived from a user's current computed portfolio (see `pages::memo`).
    pub(crate) memos: Arc<crate::pages::memo::Memos>,
    /// Places for web imports being parsed, checked or written (`import_concurrency`):
    /// an import holds the whole file and its rows in memory, so their number is bounded.
    pub(crate) imports: Arc<tokio::sync::Semaphore>,
}

/// Held while a handler changes a user's data: serialises that user's check-then-save
/// changes and, when dropped (after the write), updates the user's cached portfolio:
/// with the changes reported through [`WriteGuard::applied`] the next view applies them
/// incrementally; with none, the cached portfolio is dropped and recomputed.
pub(crate) struct WriteGuard {
    _lock: tokio::sync::OwnedMutexGuard<()>,
    user: UserId,
    portfolios: Arc<PortfolioCache>,
    changes: Vec<Change>,
}

impl WriteGuard {
    /// Reports a write that has committed. Call it for every write the handler made
    /// (after it succeeded): a handler that reports some writes but not others would
    /// leave the cache behind the database.
    pub(crate) fn applied(&mut self, change: Change) {
        self.changes.push(change.normalized());
    }
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        let changes = std::mem::take(&mut self.changes);
        self.portfolios.written(self.user, changes);
    }
}

impl AppState {
    /// Builds the state around the process's `Db`.
    pub fn new(db: Db, cfg: WebConfig) -> Self {
        Self {
            db,
            sessions: Arc::new(SessionCache::new(cfg.session_cache_ttl)),
            portfolios: Arc::new(PortfolioCache::new(cfg.portfolio_cache_users)),
            memos: Arc::default(),
            imports: Arc::new(tokio::sync::Semaphore::new(cfg.import_concurrency.max(1))),
            cfg: Arc::new(cfg),
            throttle: Arc::new(LoginThrottle::default()),
            metrics: Arc::new(HttpMetrics::default()),
            schema_ready: Arc::new(AtomicBool::new(true)),
            write_locks: Arc::default(),
        }
    }

    /// Like [`AppState::new`], for a database whose migrations have not run yet.
    pub fn new_pending_schema(db: Db, cfg: WebConfig) -> Self {
        let state = Self::new(db, cfg);
        state.schema_ready.store(false, Ordering::SeqCst);
        state
    }

    /// Waits until no other check-then-save change of this user is running, and holds
    /// that position until the guard drops (after the write). Every handler that changes
    /// a user's data must hold it: its drop invalidates the cached portfolio.
    pub(crate) async fn serialize_writes(&self, user: UserId) -> WriteGuard {
        let lock = {
            let mut map = self
                .write_locks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(map.entry(user).or_default())
        };
        WriteGuard {
            _lock: lock.lock_owned().await,
            user,
            portfolios: Arc::clone(&self.portfolios),
            changes: Vec::new(),
        }
    }

    /// Forgets per-user locks nobody holds or waits for.
    fn prune_write_locks(&self) {
        let mut map = self
            .write_locks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, lock| Arc::strong_count(lock) > 1);
    }

    /// Marks the schema as migrated; requests are served from now on.
    pub fn mark_schema_ready(&self) {
        self.schema_ready.store(true, Ordering::SeqCst);
    }

    /// Whether migrations have run.
    pub fn schema_ready(&self) -> bool {
        self.schema_ready.load(Ordering::SeqCst)
    }

    /// Starts the periodic clean-up of expired sessions and stale throttle entries.
    pub(crate) fn spawn_housekeeping(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(600));
            loop {
                tick.tick().await;
                state.sessions.prune();
                state.throttle.prune();
                state.prune_write_locks();
                match folio_db::repo::sessions::delete_expired_sessions(&state.db).await {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
                }
            }
        })
    }
}
