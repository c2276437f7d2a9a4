//! The incremental path must give exactly what a full rebuild gives.

// Helpers outside #[test] fns panic on purpose: a failure here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
#[path = "../benches/support/generator.rs"]
mod generator;

use folio_core::portfolio::{EngineActivity, Portfolio, PortfolioInput, Range, Scope};
use folio_core::{AccountId, ActivityId, ActivityType, CurrencyCode};
use rust_decimal::Decimal;
use time::Duration;

fn small() -> PortfolioInput {
    generator::generate(3_000, 12, 4)
}

fn assert_same(a: &Portfolio, b: &Portfolio) {
    assert_eq!(a.total_series(), b.total_series());
    assert_eq!(a.holdings(a.end()).unwrap(), b.holdings(b.end()).unwrap());
    let (ra, rb) = (
        a.returns(Scope::Total, Range::Max).unwrap(),
        b.returns(Scope::Total, Range::Max).unwrap(),
    );
    assert_eq!(ra, rb);
}

fn withdrawal(id: i64, date: time::Date) -> EngineActivity {
    let mut a = EngineActivity::new(
        id,
        AccountId::new(1),
        ActivityType::Withdrawal,
        date,
        CurrencyCode::parse("EUR").unwrap(),
    );
    a.amount = Decimal::from(25);
    a
}

#[test]
fn appending_an_activity_on_the_last_day_matches_a_full_rebuild() {
    let input = small();
    let mut p = Portfolio::build(input.clone()).unwrap();
    let extra = withdrawal(1_000_000, p.end());
    p.upsert(extra.clone()).unwrap();
    let mut full = input;
    full.activities.push(extra);
    assert_same(&p, &Portfolio::build(full).unwrap());
}

#[test]
fn appending_an_activity_after_the_last_day_extends_the_series() {
    let input = small();
    let mut p = Portfolio::build(input.clone()).unwrap();
    let extra = withdrawal(1_000_000, p.end() + Duration::days(3));
    p.upsert(extra.clone()).unwrap();
    let mut full = input;
    full.activities.push(extra);
    let rebuilt = Portfolio::build(full).unwrap();
    assert_eq!(p.end(), rebuilt.end());
    assert_same(&p, &rebuilt);
}

#[test]
fn editing_an_activity_years_back_matches_a_full_rebuild() {
    let input = small();
    let mut p = Portfolio::build(input.clone()).unwrap();
    let mut edited = p.activities()[p.activities().len() / 3].clone();
    edited.fee += Decimal::ONE;
    p.upsert(edited.clone()).unwrap();
    let mut full = input;
    let slot = full
        .activities
        .iter_mut()
        .find(|a| a.id == edited.id)
        .unwrap();
    *slot = edited;
    assert_same(&p, &Portfolio::build(full).unwrap());
}

#[test]
fn removing_a_past_activity_matches_a_full_rebuild() {
    let input = small();
    let mut p = Portfolio::build(input.clone()).unwrap();
    let victim = p
        .activities()
        .iter()
        .find(|a| a.kind == ActivityType::Fee)
        .unwrap()
        .clone();
    p.remove(victim.id).unwrap();
    let mut full = input;
    full.activities.retain(|a| a.id != victim.id);
    assert_same(&p, &Portfolio::build(full).unwrap());
}

#[test]
fn holdings_at_a_past_date_match_a_portfolio_built_only_up_to_that_date() {
    let input = small();
    let p = Portfolio::build(input.clone()).unwrap();
    let as_of = p.total_series()[700].date;
    let mut cut = input;
    cut.activities.retain(|a| a.date <= as_of);
    cut.end = as_of;
    let early = Portfolio::build(cut).unwrap();
    assert_eq!(p.holdings(as_of).unwrap(), early.holdings(as_of).unwrap());
}

#[test]
fn extending_the_valuation_end_matches_a_full_rebuild() {
    let mut input = small();
    let mut p = Portfolio::build(input.clone()).unwrap();
    let later = p.end() + Duration::days(10);
    p.extend_to(later).unwrap();
    input.end = later;
    assert_same(&p, &Portfolio::build(input).unwrap());
}

#[test]
fn adding_and_removing_a_split_of_an_as_traded_asset_matches_a_full_rebuild() {
    // The only price predates the split, so every later day carries it divided by 2.
    let input = {
        let mut s = common::Scenario::new("EUR")
            .asset(common::X, "EUR")
            .deposit("2024-01-02", "10000")
            .buy("2024-01-02", common::X, "10", "100", "0")
            .price(common::X, "2024-01-02", "100")
            .end("2024-03-31");
        s.input
            .activities
            .push(withdrawal(50, common::day("2024-03-01")));
        s.input
    };
    for date in ["2024-02-01", "2024-03-31"] {
        let mut split = EngineActivity::new(
            99,
            AccountId::new(1),
            ActivityType::Split,
            common::day(date),
            CurrencyCode::parse("EUR").unwrap(),
        );
        (split.asset, split.quantity) = (Some(common::X), Decimal::from(2));
        let mut p = Portfolio::build(input.clone()).unwrap();
        p.upsert(split.clone()).unwrap();
        let mut full = input.clone();
        full.activities.push(split);
        assert_same(&p, &Portfolio::build(full).unwrap());
        p.remove(ActivityId::new(99)).unwrap();
        assert_same(&p, &Portfolio::build(input.clone()).unwrap());
    }
}
