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

/// Entries kept at most; beyond it, dead entries go first, then everything.
const CAPACITY: usize = 4096;

type Key = (UserId, Scope, String);

struct Entry {
    from: Weak<Computed>,
    value: Arc<Result<Returns, EngineError>>,
}

static MEMO: Mutex<Option<HashMap<Key, Entry>>> = Mutex::new(None);

/// The returns of each of `scopes` over `range`, from the memo where it holds them for
/// this very `Computed`, else computed (outside the lock) and remembered.
pub(crate) fn returns(
    c: &Arc<Computed>,
    user: UserId,
    scopes: &[Scope],
    range: Range,
) -> Vec<Arc<Result<Returns, EngineError>>> {
    let range_key = format!("{range:?}");
    let key = |s: Scope| (user, s, range_key.clone());
    let mut found: Vec<Option<Arc<Result<Returns, EngineError>>>> = {
        let guard = MEMO.lock().unwrap_or_else(PoisonError::into_inner);
        scopes
            .iter()
            .map(|&s| {
                let e = guard.as_ref()?.get(&key(s))?;
                let live = e.from.upgrade().is_some_and(|f| Arc::ptr_eq(&f, c));
                live.then(|| Arc::clone(&e.value))
            })
            .collect()
    };
    let mut fresh = Vec::new();
    for (slot, &scope) in found.iter_mut().zip(scopes) {
        if slot.is_none() {
            let value = Arc::new(match &c.portfolio {
                Ok(p) => p.returns(scope, range),
                Err(e) => Err(e.clone()),
            });
            fresh.push((key(scope), Arc::clone(&value)));
            *slot = Some(value);
        }
    }
    if !fresh.is_empty() {
        remember(c, fresh);
    }
    found.into_iter().flatten().collect()
}

fn remember(c: &Arc<Computed>, fresh: Vec<(Key, Arc<Result<Returns, EngineError>>)>) {
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
