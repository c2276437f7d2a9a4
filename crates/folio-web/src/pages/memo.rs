//! Results remembered for as long as the computed portfolio they came from is the
//! user's current one.
//!
//! Each entry keeps a weak reference to the [`Computed`] it was computed from and only
//! answers for that very `Computed` (`Arc::ptr_eq`): a write replaces the user's
//! `Computed`, so a stale entry can never match again, and two apps in one process
//! (each with its own memos in its `AppState`) never see each other's results.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use folio_core::UserId;
use folio_core::portfolio::{EngineError, Returns, Scope};

use crate::cache::Computed;

/// Entries kept at most per memo; beyond it, dead entries go first, then everything.
const CAPACITY: usize = 4096;

struct Entry<V> {
    from: Weak<Computed>,
    value: Arc<V>,
}

/// A memo of `V` by `K`, each entry valid for one `Computed`.
pub(crate) struct Memo<K, V> {
    map: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Eq + Hash, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V> Memo<K, V> {
    /// The value remembered under `key` for this very `c`, if any.
    pub(crate) fn get(&self, key: &K, c: &Arc<Computed>) -> Option<Arc<V>> {
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        let e = map.get(key)?;
        let live = e.from.upgrade().is_some_and(|f| Arc::ptr_eq(&f, c));
        live.then(|| Arc::clone(&e.value))
    }

    /// Remembers `fresh`, computed from `c`.
    pub(crate) fn put(&self, c: &Arc<Computed>, fresh: Vec<(K, Arc<V>)>) {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
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
}

/// The memos of one app.
#[derive(Default)]
pub(crate) struct Memos {
    /// Returns of one scope over one range (key: user, scope, range).
    pub returns: Memo<(UserId, Scope, String), Result<Returns, EngineError>>,
    /// The performance page's figures (key: user, range, benchmark, privacy mode).
    pub performance: Memo<(UserId, String, String, bool), super::performance::Figures>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::empty_for_tests;

    #[test]
    fn an_entry_answers_only_for_the_computed_it_came_from_and_only_in_its_own_memo() {
        let (current, replaced) = (empty_for_tests(), empty_for_tests());
        let key = (UserId::new(1), "1Y".to_owned());
        let memo: Memo<(UserId, String), u32> = Memo::default();
        memo.put(&current, vec![(key.clone(), Arc::new(7))]);
        assert_eq!(memo.get(&key, &current).as_deref(), Some(&7));
        assert_eq!(memo.get(&key, &replaced), None, "after a write");
        assert_eq!(memo.get(&(UserId::new(2), "1Y".into()), &current), None);
        let other_app: Memo<(UserId, String), u32> = Memo::default();
        assert_eq!(other_app.get(&key, &current), None);
        drop(current);
        memo.put(
            &replaced,
            vec![((UserId::new(3), "1Y".into()), Arc::new(1))],
        );
        assert_eq!(memo.get(&key, &replaced), None);
    }
}
