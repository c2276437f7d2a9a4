//! Returns of single accounts and assets, remembered for as long as the computed
//! portfolio they came from is the user's current one.
//!
//! The whole portfolio's daily series is cached with the portfolio, but an account's or
//! an asset's series is swept on demand (days × assets in scope), and the holdings and
//! accounts lists ask for one per row: about a millisecond each for a ten-year history,
//! on every view. This memo keeps each result next to a weak reference to the
//! [`Computed`] it was computed from; a write replaces that `Computed`, so a stale
//! entry can never match again (and is dropped when the memo is full).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use folio_core::UserId;
use folio_core::portfolio::{EngineError, Range, Returns, Scope};

use crate::cache::Computed;
use crate::error::PageError;

/// Entries kept at most; beyond it, dead entries go first, then everything.
const CAPACITY: usize = 4096;

type Key = (UserId, Scope, String);

struct Entry {
    from: Weak<Computed>,
    value: Shared,
}

static MEMO: Mutex<Option<HashMap<Key, Entry>>> = Mutex::new(None);

/// One scope's returns, shared between the memo and the pages.
pub(crate) type Shared = Arc<Result<Returns, EngineError>>;

/// The returns of each of `scopes` over `range`, from the memo where it holds them for
/// this very `Computed`, else computed on the blocking pool (a ten-year history takes
/// a while per scope) and remembered.
pub(crate) async fn returns(
    c: &Arc<Computed>,
    user: UserId,
    scopes: &[Scope],
    range: Range,
) -> Result<Vec<Shared>, PageError> {
    let range_key = format!("{range:?}");
    let found: Vec<Option<Shared>> = {
        let guard = MEMO.lock().unwrap_or_else(PoisonError::into_inner);
        scopes
            .iter()
            .map(|&s| {
                let e = guard.as_ref()?.get(&(user, s, range_key.clone()))?;
                let live = e.from.upgrade().is_some_and(|f| Arc::ptr_eq(&f, c));
                live.then(|| Arc::clone(&e.value))
            })
            .collect()
    };
    if found.iter().all(Option::is_some) {
        return Ok(found.into_iter().flatten().collect());
    }
    let (c, scopes) = (Arc::clone(c), scopes.to_vec());
    tokio::task::spawn_blocking(move || fill(&c, user, &scopes, range, range_key, found))
        .await
        .map_err(|e| PageError::Internal(format!("returns computation failed: {e}")))
}

/// Computes the missing returns and remembers them.
fn fill(
    c: &Arc<Computed>,
    user: UserId,
    scopes: &[Scope],
    range: Range,
    range_key: String,
    mut found: Vec<Option<Shared>>,
) -> Vec<Shared> {
    let mut fresh = Vec::new();
    for (slot, &scope) in found.iter_mut().zip(scopes) {
        if slot.is_none() {
            let value = Arc::new(match &c.portfolio {
                Ok(p) => p.returns(scope, range),
                Err(e) => Err(e.clone()),
            });
            fresh.push(((user, scope, range_key.clone()), Arc::clone(&value)));
            *slot = Some(value);
        }
    }
    remember(c, fresh);
    found.into_iter().flatten().collect()
}

fn remember(c: &Arc<Computed>, fresh: Vec<(Key, Shared)>) {
    let mut guard = MEMO.lock().unwrap_or_else(PoisonError::into_inner);
    let map = guard.get_or_insert_with(HashMap::new);
    if map.len().saturating_add(fresh.len()) > CAPACITY {
        map.retain(|_, e| e.from.strong_count() > 0);
        if map.len().saturating_add(fresh.len()) > CAPACITY {
            map.clear();
        }
    }
    for (k, value) in fresh {
        let from = Arc::downgrade(c);
        map.insert(k, Entry { from, value });
    }
}
