use std::str::FromStr;

use rust_decimal::Decimal;
use time::macros::date;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn strs(v: &[Decimal]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

#[test]
fn value_ticks_use_one_two_five_steps_and_cover_the_data() {
    let t = value_ticks(d("0"), d("9876"), 6);
    assert_eq!(t.step, d("2000"));
    assert_eq!(
        strs(&t.values),
        ["0", "2000", "4000", "6000", "8000", "10000"]
    );
    let t = value_ticks(d("10234.5"), d("12980"), 8);
    assert_eq!(t.step, d("500"));
    assert_eq!(t.min, d("10000"));
    assert_eq!(t.max, d("13000"));
    let t = value_ticks(d("0.012"), d("0.087"), 5);
    assert_eq!(
        strs(&t.values),
        ["0", "0.05", "0.1"],
        "0.02 steps would need 6 ticks"
    );
}

#[test]
fn value_ticks_never_exceed_the_maximum_count() {
    for (lo, hi) in [
        ("0", "1"),
        ("-37", "1234567"),
        ("0.0001", "0.0009"),
        ("-5", "-1"),
        ("3", "1003"),
    ] {
        for max in 2..10 {
            let t = value_ticks(d(lo), d(hi), max);
            assert!(
                t.values.len() <= max,
                "{lo}..{hi} max {max}: {:?}",
                t.values
            );
            assert!(t.min <= d(lo) && t.max >= d(hi), "covers {lo}..{hi}: {t:?}");
        }
    }
}

#[test]
fn value_ticks_straddle_zero_for_negative_values() {
    let t = value_ticks(d("-120"), d("80"), 6);
    assert_eq!(strs(&t.values), ["-150", "-100", "-50", "0", "50", "100"]);
}

#[test]
fn a_flat_series_gets_room_around_it() {
    let t = value_ticks(d("1000"), d("1000"), 5);
    assert!(t.min < d("1000") && t.max > d("1000"), "{t:?}");
    let t = value_ticks(Decimal::ZERO, Decimal::ZERO, 5);
    assert!(t.min < Decimal::ZERO && t.max > Decimal::ZERO, "{t:?}");
}

#[test]
fn extreme_values_do_not_panic() {
    let t = value_ticks(Decimal::MIN, Decimal::MAX, 6);
    assert!(!t.values.is_empty());
    let t = value_ticks(Decimal::MAX, Decimal::MAX, 6);
    assert!(!t.values.is_empty());
    let t = value_ticks(
        d("0.0000000000000000000000000001"),
        d("0.0000000000000000000000000002"),
        6,
    );
    assert!(!t.values.is_empty());
}

fn at_most(n: usize) -> impl Fn(&[(time::Date, String)]) -> bool {
    move |t| t.len() <= n
}

#[test]
fn date_ticks_pick_days_months_or_years_by_span() {
    let t = date_ticks(date!(2024 - 03 - 01), date!(2024 - 03 - 05), at_most(8));
    assert_eq!(t.len(), 5);
    assert_eq!(t[0], (date!(2024 - 03 - 01), "1 Mar".to_owned()));
    let t = date_ticks(date!(2023 - 11 - 15), date!(2024 - 04 - 20), at_most(8));
    let labels: Vec<&str> = t.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(labels, ["Dec", "2024", "Feb", "Mar", "Apr"]);
    let t = date_ticks(date!(2014 - 06 - 01), date!(2024 - 06 - 01), at_most(8));
    let labels: Vec<&str> = t.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(labels, ["2016", "2018", "2020", "2022", "2024"]);
}

#[test]
fn week_ticks_fall_on_mondays() {
    let t = date_ticks(date!(2024 - 03 - 01), date!(2024 - 04 - 10), at_most(7));
    assert!(
        t.iter().all(|(d, _)| d.weekday() == time::Weekday::Monday),
        "{t:?}"
    );
    assert_eq!(t[0].0, date!(2024 - 03 - 04));
}

#[test]
fn date_ticks_never_exceed_what_fits() {
    let t = date_ticks(date!(1900 - 01 - 01), date!(2024 - 01 - 01), at_most(3));
    assert!(t.len() <= 3 && !t.is_empty(), "{t:?}");
    assert!(date_ticks(date!(2024 - 01 - 01), date!(2024 - 01 - 01), at_most(3)).len() == 1);
}
