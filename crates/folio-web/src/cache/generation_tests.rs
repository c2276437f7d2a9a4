//! Cache bookkeeping: a write that overlaps a computation or an update keeps its result
//! out (also across a prune of the generations map), least recently used users leave
//! first, a disabled cache stores nothing.

use super::*;

#[test]
fn a_write_during_an_update_keeps_its_result_out() {
    let cache = PortfolioCache::new(8);
    let (user, eur, prefs) = (UserId::new(1), ccy("EUR"), UserSettings::default());
    let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs, true) else {
        unreachable!()
    };
    cache.store(user, g, sample(), Instant::now());
    cache.written(user, vec![Change::ActivityDeleted(ActivityId::new(1))]);
    let Lookup::Stale { generation, .. } = cache.lookup(user, &eur, &prefs, true) else {
        unreachable!()
    };
    cache.written(user, vec![Change::ActivityDeleted(ActivityId::new(2))]); // meanwhile
    cache.store(user, generation, sample(), Instant::now());
    assert!(matches!(
        cache.lookup(user, &eur, &prefs, true),
        Lookup::Miss(_)
    ));
}

#[test]
fn a_write_during_computation_keeps_the_stale_result_out() {
    let cache = PortfolioCache::new(8);
    let (user, eur) = (UserId::new(1), ccy("EUR"));
    let prefs = UserSettings::default();
    let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs, true) else {
        panic!("empty cache hit")
    };
    cache.invalidate(user); // a write finished meanwhile
    cache.store(user, g, sample(), Instant::now());
    assert!(cache.peek(user, &eur, &prefs).is_none());
    let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs, true) else {
        unreachable!()
    };
    cache.store(user, g, sample(), Instant::now());
    assert!(cache.peek(user, &eur, &prefs).is_some());
    assert!(
        cache.peek(user, &ccy("USD"), &prefs).is_none(),
        "another base currency is another computation"
    );
}

#[test]
fn the_least_recently_used_user_leaves_first() {
    let cache = PortfolioCache::new(2);
    let (eur, prefs) = (ccy("EUR"), UserSettings::default());
    for id in 1..=3 {
        let user = UserId::new(id);
        let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs, true) else {
            unreachable!()
        };
        cache.store(user, g, sample(), Instant::now());
        if id == 2 {
            // touch user 1 so that user 2 is the least recently used
            assert!(cache.peek(UserId::new(1), &eur, &prefs).is_some());
        }
    }
    assert_eq!(cache.len(), 2);
    assert!(cache.peek(UserId::new(2), &eur, &prefs).is_none());
    assert!(cache.peek(UserId::new(1), &eur, &prefs).is_some());
}

#[tokio::test]
async fn a_disabled_cache_stores_nothing() {
    let cache = PortfolioCache::new(0);
    let (user, eur, prefs) = (UserId::new(1), ccy("EUR"), UserSettings::default());
    cache.store(user, 0, sample(), Instant::now());
    assert!(cache.peek(user, &eur, &prefs).is_none());
}

#[test]
fn a_write_forgotten_by_a_prune_still_keeps_an_overlapping_result_out() {
    let cache = PortfolioCache::new(8);
    let (user, eur, prefs) = (UserId::new(1), ccy("EUR"), UserSettings::default());
    let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs, true) else {
        unreachable!()
    };
    cache.invalidate(user); // the write commits while the view computes
    // Many other users write, and one view is stored: the generations map is pruned,
    // forgetting the write above (the user has no entry).
    for id in 2..=1100 {
        cache.invalidate(UserId::new(id));
    }
    let Lookup::Miss(other) = cache.lookup(UserId::new(2), &eur, &prefs, true) else {
        unreachable!()
    };
    cache.store(UserId::new(2), other, sample(), Instant::now());
    cache.store(user, g, sample(), Instant::now());
    assert!(
        cache.peek(user, &eur, &prefs).is_none(),
        "the pre-write result must not be stored"
    );
    assert!(cache.peek(UserId::new(2), &eur, &prefs).is_some());
}
