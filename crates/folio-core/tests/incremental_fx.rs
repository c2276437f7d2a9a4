//! Incremental exchange-rate updates must give exactly what a full rebuild with the same
//! rates gives (ledger conversions and daily valuation alike).

// Helpers outside #[test] fns panic on purpose: a failure here is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../benches/support/generator.rs"]
mod generator;

use folio_core::CurrencyCode;
use folio_core::portfolio::{Portfolio, PortfolioInput, Range, Scope};
use rust_decimal::Decimal;
use time::Duration;

fn small() -> PortfolioInput {
    generator::generate(3_000, 12, 4)
}

fn ccy(s: &str) -> CurrencyCode {
    CurrencyCode::parse(s).unwrap()
}

fn assert_same(a: &Portfolio, b: &Portfolio) {
    assert_eq!(a.total_series(), b.total_series());
    let holdings = a.holdings(a.end()).unwrap();
    assert_eq!(holdings, b.holdings(b.end()).unwrap());
    let mid = a.total_series()[a.total_series().len() / 2].date;
    assert_eq!(a.holdings(mid).unwrap(), b.holdings(mid).unwrap());
    let assets = holdings.holdings.iter().map(|h| Scope::Asset(h.asset));
    for scope in std::iter::once(Scope::Total).chain(assets.take(4)) {
        assert_eq!(
            a.returns(scope, Range::Max).unwrap(),
            b.returns(scope, Range::Max).unwrap()
        );
    }
}

#[test]
fn correcting_usd_rates_years_back_matches_a_full_rebuild() {
    let input = small();
    let end = input.end;
    let (usd, eur) = (ccy("USD"), ccy("EUR"));
    let dates = [end - Duration::days(900), end - Duration::days(30), end];
    let mut p = Portfolio::build(input.clone()).unwrap();
    let before = p.total_series().last().unwrap().value;
    let rates = dates.map(|d| (usd.clone(), eur.clone(), d, Decimal::new(5, 1)));
    p.upsert_fx_rates(rates.clone()).unwrap();
    let mut full = input;
    for (from, to, date, rate) in rates {
        full.fx.insert(&from, &to, date, rate);
    }
    assert_same(&p, &Portfolio::build(full).unwrap());
    assert_ne!(p.total_series().last().unwrap().value, before);
}

#[test]
fn removing_a_gbp_rate_falls_back_like_a_full_rebuild() {
    let input = small();
    let (gbp, eur) = (ccy("GBP"), ccy("EUR"));
    let series = input.fx.series(&gbp, &eur).unwrap();
    let (date, _) = series.points()[series.points().len() / 2];
    let mut p = Portfolio::build(input.clone()).unwrap();
    p.remove_fx_rate(&gbp, &eur, date).unwrap();
    let mut full = input;
    assert!(full.fx.remove(&gbp, &eur, date));
    assert_same(&p, &Portfolio::build(full).unwrap());
}

#[test]
fn removing_a_rate_that_does_not_exist_changes_nothing() {
    let input = small();
    let mut p = Portfolio::build(input.clone()).unwrap();
    let day = input.end - Duration::days(1);
    p.remove_fx_rate(&ccy("JPY"), &ccy("EUR"), day).unwrap();
    assert_same(&p, &Portfolio::build(input).unwrap());
}
