//! Unit tests of the index functions against hand-computed values.
#![allow(clippy::arithmetic_side_effects, clippy::unwrap_used)]

use super::*;
use time::macros::date;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn months_and_years_are_ratios_of_the_index_at_period_ends() {
    // Base 100 on 31 Dec 2023; 110 at the end of Jan, 99 at the end of Feb, 108.9 mid-March.
    let index = [
        (date!(2023 - 12 - 31), d("100")),
        (date!(2024 - 01 - 15), d("105")),
        (date!(2024 - 01 - 31), d("110")),
        (date!(2024 - 02 - 29), d("99")),
        (date!(2024 - 03 - 15), d("108.9")),
    ];
    let r = period_returns(&index).unwrap();
    assert_eq!(
        r.monthly.get(&(2023, 12)),
        None,
        "the base closes no period"
    );
    assert_eq!(r.monthly[&(2024, 1)], d("0.1"));
    assert_eq!(r.monthly[&(2024, 2)], d("-0.1"));
    assert_eq!(r.monthly[&(2024, 3)], d("0.1"));
    assert_eq!(r.yearly[&2024], d("0.089"), "108.9 / 100 − 1");
    assert_eq!(r.yearly.len(), 1);
}

#[test]
fn a_year_end_closes_the_year_and_the_next_year_starts_from_it() {
    let index = [
        (date!(2022 - 06 - 30), d("1")),
        (date!(2022 - 12 - 31), d("1.2")),
        (date!(2023 - 12 - 31), d("0.9")),
    ];
    let r = period_returns(&index).unwrap();
    assert_eq!(
        r.yearly[&2022],
        d("0.2"),
        "partial year from the first point"
    );
    assert_eq!(r.yearly[&2023], d("-0.25"));
    // Months without a new point carry the last value: 0% in between.
    assert_eq!(r.monthly[&(2023, 6)], Decimal::ZERO);
    assert_eq!(r.monthly[&(2023, 12)], d("-0.25"));
}

#[test]
fn max_drawdown_finds_the_deepest_fall_from_a_running_peak_and_its_recovery() {
    let index = [
        (date!(2024 - 01 - 01), d("100")),
        (date!(2024 - 01 - 02), d("120")),
        (date!(2024 - 01 - 03), d("90")), // −25% from 120
        (date!(2024 - 01 - 04), d("130")),
        (date!(2024 - 01 - 05), d("110")), // −15.38% from 130: shallower
        (date!(2024 - 01 - 06), d("125")),
    ];
    let w = max_drawdown(&index).unwrap().unwrap();
    assert_eq!(w.depth, d("-0.25"));
    assert_eq!(
        (w.peak, w.trough),
        (date!(2024 - 01 - 02), date!(2024 - 01 - 03))
    );
    assert_eq!(w.recovered, Some(date!(2024 - 01 - 04)));
}

#[test]
fn an_index_that_never_falls_has_no_drawdown_and_an_unrecovered_one_says_so() {
    let up = [
        (date!(2024 - 01 - 01), d("1")),
        (date!(2024 - 01 - 02), d("2")),
    ];
    assert_eq!(max_drawdown(&up).unwrap(), None);
    assert_eq!(max_drawdown(&[]).unwrap(), None);
    let down = [
        (date!(2024 - 01 - 01), d("2")),
        (date!(2024 - 01 - 02), d("1.5")),
    ];
    let w = max_drawdown(&down).unwrap().unwrap();
    assert_eq!((w.depth, w.recovered), (d("-0.25"), None));
}

#[test]
fn an_index_return_needs_a_value_on_or_before_the_base() {
    let index = [
        (date!(2024 - 01 - 10), d("50")),
        (date!(2024 - 02 - 10), d("60")),
    ];
    let r = index_return(&index, date!(2024 - 01 - 31), date!(2024 - 02 - 29));
    assert_eq!(r, Ok(Some(d("0.2"))));
    assert_eq!(
        index_return(&index, date!(2024 - 01 - 09), date!(2024 - 02 - 29)),
        Ok(None),
        "no price before the base: too little history"
    );
}

#[test]
fn the_twr_index_of_a_series_starts_at_one_the_day_before_and_chains_days() {
    let point = |day: Date, value: i64, inflow: i64| DailyPoint {
        date: day,
        value: value.into(),
        inflow: inflow.into(),
        ..DailyPoint::default()
    };
    let points = [
        point(date!(2024 - 01 - 01), 100, 100),
        point(date!(2024 - 01 - 02), 110, 0),
        point(date!(2024 - 01 - 03), 176, 50),
    ];
    let index = index_of(&points).unwrap();
    assert_eq!(index[0], (date!(2023 - 12 - 31), Decimal::ONE));
    assert_eq!(index[2].1, d("1.1"));
    assert_eq!(
        index[3].1,
        d("1.21"),
        "176 / (110 + 50) = 1.1 on top of 1.1"
    );
}

#[test]
fn a_split_does_not_move_the_split_adjusted_index() {
    let prices = [
        (date!(2024 - 01 - 01), d("100")),
        (date!(2024 - 02 - 01), d("52")), // the split day: as traded after a 2:1 split
        (date!(2024 - 03 - 01), d("55")),
    ];
    let splits = [
        (date!(2024 - 02 - 01), d("2")),
        (date!(2024 - 02 - 01), d("2")),
    ];
    let index = split_adjusted(&prices, &splits).unwrap();
    assert_eq!(
        index[1].1,
        d("104"),
        "a split recorded in two accounts counts once"
    );
    assert_eq!(index[2].1, d("110"));
    let r = index_return(&index, date!(2024 - 01 - 01), date!(2024 - 03 - 01));
    assert_eq!(r, Ok(Some(d("0.1"))), "55 × 2 / 100 − 1, not 55 / 100 − 1");
}
