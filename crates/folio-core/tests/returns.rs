//! Returns against hand-worked textbook examples and the range rules.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use folio_core::ActivityType;
use folio_core::portfolio::{EngineError, Range, Scope, xirr};

#[test]
fn twr_neutralises_a_mid_period_deposit_as_in_the_gips_example() {
    // 10 units at 100; +10% to 110; deposit 1100 at the start of day 3 (bought at 110);
    // then +10% again to 121. TWR = 1.1 × 1.1 − 1 = 21% whatever the deposit size.
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-01", "1000")
        .buy("2024-01-01", X, "10", "100", "0")
        .price(X, "2024-01-01", "100")
        .price(X, "2024-01-02", "110")
        .deposit("2024-01-03", "1100")
        .buy("2024-01-03", X, "10", "110", "0")
        .price(X, "2024-01-04", "121")
        .end("2024-01-04")
        .build();
    let r = p.returns(Scope::Total, Range::Max).unwrap();
    assert_eq!(r.twr, d("0.21"));
    assert_eq!(r.gain, d("320"));
    assert_eq!(r.explanation.flows.len(), 2);
    assert_eq!(r.explanation.net_flows, d("2100"));
    // Simple return: 320 / (0 + 2100).
    assert_eq!(
        r.simple.unwrap().round_dp(10),
        (d("320") / d("2100")).round_dp(10)
    );
}

#[test]
fn mwr_of_one_deposit_growing_ten_percent_in_a_year_is_ten_percent() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2023-01-01", "1000")
        .buy("2023-01-01", X, "10", "100", "0")
        .price(X, "2023-01-01", "100")
        .price(X, "2024-01-01", "110")
        .end("2024-01-01")
        .build();
    let r = p.returns(Scope::Total, Range::Max).unwrap();
    let mwr = r.mwr.unwrap();
    assert!((mwr.annual - d("0.1")).abs() < d("0.0000001"), "{mwr:?}");
    assert_eq!(r.twr, d("0.1"));
    // MAX starts at the close before the first day: 366 days, so 1.1^(365/366) − 1.
    assert_eq!(r.twr_annualized.map(|t| t.round_dp(6)), Some(d("0.099714")));
}

#[test]
fn xirr_matches_the_excel_compatible_example_with_irregular_dates() {
    // Same flows as Microsoft's XIRR documentation; value from pyxirr 0.10.8.
    let flows = [
        (day("2008-01-01"), d("-10000")),
        (day("2008-03-01"), d("2750")),
        (day("2008-10-30"), d("4250")),
        (day("2009-02-15"), d("3250")),
        (day("2009-04-01"), d("2750")),
    ];
    let r = xirr(&flows).unwrap();
    assert!((r.annual - d("0.3733625335")).abs() < d("0.0000000001"));
}

#[test]
fn a_total_loss_has_no_money_weighted_return_and_says_why() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-01", "1000")
        .buy("2024-01-01", X, "10", "100", "0")
        .price(X, "2024-01-02", "0")
        .end("2024-01-02")
        .build();
    let r = p.returns(Scope::Total, Range::Max).unwrap();
    assert_eq!(r.twr, d("-1"));
    assert!(matches!(r.mwr, Err(EngineError::NoIrr(_))));
}

#[test]
fn named_ranges_resolve_to_the_documented_base_dates() {
    let first = day("2015-05-05");
    let last = day("2024-02-29");
    assert_eq!(Range::OneDay.resolve(first, last).0, day("2024-02-28"));
    assert_eq!(Range::OneWeek.resolve(first, last).0, day("2024-02-22"));
    assert_eq!(Range::MonthToDate.resolve(first, last).0, day("2024-01-31"));
    assert_eq!(Range::YearToDate.resolve(first, last).0, day("2023-12-31"));
    assert_eq!(Range::OneYear.resolve(first, last).0, day("2023-02-28"));
    assert_eq!(Range::ThreeYears.resolve(first, last).0, day("2021-02-28"));
    assert_eq!(Range::FiveYears.resolve(first, last).0, day("2019-02-28"));
    assert_eq!(Range::Max.resolve(first, last).0, day("2015-05-04"));
    let custom = Range::Custom {
        start: day("2010-01-01"),
        end: day("2016-01-01"),
    };
    assert_eq!(
        custom.resolve(first, last),
        (day("2015-05-04"), day("2016-01-01"))
    );
}

#[test]
fn every_named_range_and_scope_produces_a_return_with_its_explanation() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2018-01-02", "5000")
        .buy("2018-01-02", X, "10", "100", "2")
        .price(X, "2018-01-02", "100")
        .price(X, "2021-06-30", "150")
        .dividend("2023-06-30", X, "30", "0")
        .price(X, "2024-06-27", "170")
        .act(ActivityType::Withdrawal, "2024-06-28", "EUR", |a| {
            a.amount = d("100")
        })
        .end("2024-06-28")
        .build();
    for scope in [
        Scope::Total,
        Scope::Account(A1),
        Scope::Asset(X),
        Scope::Holding(A1, X),
    ] {
        for range in Range::NAMED {
            let r = p.returns(scope, range).unwrap();
            assert_eq!(r.explanation.end_date, day("2024-06-28"));
            assert_eq!(r.explanation.range, range.label());
            assert_eq!(
                r.gain,
                r.explanation.end_value - r.explanation.start_value - r.explanation.net_flows
            );
            assert_eq!(r.twr_annualized.is_some(), r.explanation.days >= 365);
        }
    }
    let holding = p.returns(Scope::Holding(A1, X), Range::Max).unwrap();
    assert_eq!(holding.explanation.flows[0].inflow, d("1002"));
    assert_eq!(holding.gain, d("1700") + d("30") - d("1002"));
}
