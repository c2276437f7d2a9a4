//! Monthly and yearly TWR, and the maximum drawdown, of a built portfolio against
//! hand-computed values.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use folio_core::portfolio::{Range, Scope};

/// 10 X at 100 on 31 Jan; +10% in February; 1,100 more paid in and invested at 110 on
/// 1 March; −10% in March. TWR index: 1 → 1.1 (end Feb) → 0.99 (end Mar).
fn two_deposits() -> folio_core::portfolio::Portfolio {
    Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-31", "1000")
        .buy("2024-01-31", X, "10", "100", "0")
        .price(X, "2024-01-31", "100")
        .price(X, "2024-02-29", "110")
        .deposit("2024-03-01", "1100")
        .buy("2024-03-01", X, "10", "110", "0")
        .price(X, "2024-03-31", "99")
        .end("2024-04-15")
        .build()
}

#[test]
fn monthly_twr_neutralises_the_march_deposit_and_the_year_chains_the_months() {
    let p = two_deposits();
    let r = p.period_returns(Scope::Total).unwrap();
    assert_eq!(r.monthly[&(2024, 1)], d("0"));
    assert_eq!(r.monthly[&(2024, 2)], d("0.1"));
    assert_eq!(r.monthly[&(2024, 3)], d("-0.1"));
    assert_eq!(r.monthly[&(2024, 4)], d("0"));
    assert_eq!(r.yearly[&2024], d("-0.01"), "1.1 × 0.9 − 1");
    let max = p.returns(Scope::Total, Range::Max).unwrap();
    assert_eq!(max.twr, r.yearly[&2024], "same chain as the range return");
}

#[test]
fn the_holding_scope_has_its_own_months() {
    let p = two_deposits();
    let r = p.period_returns(Scope::Asset(X)).unwrap();
    assert_eq!(r.monthly[&(2024, 2)], d("0.1"));
    assert_eq!(r.monthly[&(2024, 3)], d("-0.1"));
}

#[test]
fn max_drawdown_runs_from_the_february_peak_to_the_march_trough() {
    let w = two_deposits().max_drawdown(Scope::Total).unwrap().unwrap();
    assert_eq!(w.depth, d("-0.1"), "0.99 / 1.1 − 1");
    assert_eq!((w.peak, w.trough), (day("2024-02-29"), day("2024-03-31")));
    assert_eq!(w.recovered, None);
}

#[test]
fn an_unknown_scope_is_an_error_not_an_empty_grid() {
    let p = two_deposits();
    assert!(p.period_returns(Scope::Asset(Y)).is_err());
}
