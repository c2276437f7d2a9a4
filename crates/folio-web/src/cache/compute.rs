//! Filling the cache: a view that finds no usable entry applies the pending writes to
//! the entry (incremental) or loads and builds the portfolio (full), on the blocking
//! pool, once per user at a time.

use std::sync::Arc;
use std::time::Instant;

use folio_core::portfolio::Portfolio;
use folio_core::{CurrencyCode, UserId};
use folio_db::models::UserSettings;

use super::stats::Work;
use super::{Computed, Lookup, change};
use crate::error::PageError;
use crate::portfolio::{UserData, today};

/// The user's computed portfolio: from the cache, brought up to date with the writes
/// made since, or loaded and built (then cached). The work runs on the blocking pool,
/// so a large history does not stall other requests.
pub(crate) async fn computed(
    state: &crate::AppState,
    user: UserId,
    base: &CurrencyCode,
    prefs: &UserSettings,
) -> Result<Arc<Computed>, PageError> {
    let cache = &state.portfolios;
    if let Some(c) = cache.peek(user, base, prefs) {
        cache.stats.hit();
        return Ok(c);
    }
    if cache.capacity == 0 {
        return compute(state, user, base, prefs, Lookup::Miss(0)).await;
    }
    let flight = cache.flight(user);
    let result = {
        let _turn = flight.lock().await;
        let found = cache.lookup(user, base, prefs, true);
        compute(state, user, base, prefs, found).await
    };
    cache.land(user, flight);
    result
}

/// Does what `found` calls for and stores the result.
async fn compute(
    state: &crate::AppState,
    user: UserId,
    base: &CurrencyCode,
    prefs: &UserSettings,
    found: Lookup,
) -> Result<Arc<Computed>, PageError> {
    let cache = &state.portfolios;
    let started = Instant::now();
    let (generation, loaded, work, computed) = match found {
        Lookup::Hit(c) => {
            cache.stats.hit(); // filled by the view this one waited for
            return Ok(c);
        }
        Lookup::Stale {
            computed,
            changes,
            generation,
            loaded,
        } => {
            let (computed, work) = blocking(move || {
                let mut c = Arc::try_unwrap(computed).unwrap_or_else(|shared| (*shared).clone());
                let incremental = change::bring_up_to_date(&mut c, &changes, today());
                (
                    c,
                    if incremental {
                        Work::Incremental
                    } else {
                        Work::Full
                    },
                )
            })
            .await?;
            (generation, loaded, work, computed)
        }
        Lookup::Miss(generation) => {
            let data = UserData::load(&state.db, user).await?;
            let (base, prefs) = (base.clone(), prefs.clone());
            let computed = blocking(move || build(data, base, prefs)).await?;
            (generation, started, Work::Full, computed)
        }
    };
    cache.stats.miss(work, started.elapsed());
    let computed = Arc::new(computed);
    cache.store(user, generation, Arc::clone(&computed), loaded);
    Ok(computed)
}

/// Builds the portfolio of `data` valued up to today.
pub(super) fn build(data: UserData, base: CurrencyCode, prefs: UserSettings) -> Computed {
    let as_of = today();
    let input = data.engine_input(&base, &prefs, as_of, None);
    Computed {
        portfolio: Portfolio::build(input),
        data,
        as_of,
        base,
        prefs,
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| PageError::Internal(format!("portfolio computation failed: {e}")))
}
