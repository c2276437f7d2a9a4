//! Incremental price updates must give exactly what a full rebuild with the same prices
//! gives.

// Helpers outside #[test] fns panic on purpose: a failure here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
#[path = "../benches/support/generator.rs"]
mod generator;

use common::*;
use folio_core::portfolio::{Portfolio, PortfolioInput, Range, Scope};
use folio_core::{ActivityType, AssetId};
use rust_decimal::Decimal;
use time::{Date, Duration};

/// EUR-quoted and pence-quoted assets of the generated portfolio.
const EUR_ASSET: AssetId = AssetId::new(1000);
const GBP_ASSET: AssetId = AssetId::new(1002);

fn small() -> PortfolioInput {
    generator::generate(3_000, 12, 4)
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

/// Builds `input`, applies `change` incrementally, and compares with a rebuild of
/// `input` after `edit_input`.
fn check(
    input: PortfolioInput,
    change: impl FnOnce(&mut Portfolio),
    edit_input: impl FnOnce(&mut PortfolioInput),
) {
    let mut p = Portfolio::build(input.clone()).unwrap();
    change(&mut p);
    let mut full = input;
    edit_input(&mut full);
    assert_same(&p, &Portfolio::build(full).unwrap());
}

fn last_price(input: &PortfolioInput, asset: AssetId) -> (Date, Decimal) {
    *input.prices.series(asset).unwrap().points().last().unwrap()
}

#[test]
fn appending_todays_price_for_one_asset_matches_a_full_rebuild() {
    let mut input = small();
    // The morning before today's close arrives: the generator priced every weekday.
    let (today, close) = last_price(&input, EUR_ASSET);
    assert_eq!(today, input.end);
    assert!(input.prices.remove(EUR_ASSET, today));
    check(
        input,
        |p| p.set_price(EUR_ASSET, today, close).unwrap(),
        |i| i.prices.insert(EUR_ASSET, today, close),
    );
}

#[test]
fn correcting_a_pence_price_years_back_matches_a_full_rebuild() {
    let input = small();
    let points = input.prices.series(GBP_ASSET).unwrap().points().to_vec();
    let (date, close) = points[points.len() / 4];
    let corrected = close * Decimal::from(3);
    check(
        input,
        |p| p.set_price(GBP_ASSET, date, corrected).unwrap(),
        |i| i.prices.insert(GBP_ASSET, date, corrected),
    );
}

#[test]
fn removing_a_price_years_back_matches_a_full_rebuild() {
    let input = small();
    let points = input.prices.series(EUR_ASSET).unwrap().points().to_vec();
    let (date, _) = points[points.len() / 3];
    check(
        input,
        |p| p.remove_price(EUR_ASSET, date).unwrap(),
        |i| assert!(i.prices.remove(EUR_ASSET, date)),
    );
}

#[test]
fn a_batch_of_prices_for_several_assets_and_dates_matches_a_full_rebuild() {
    let input = small();
    let end = input.end;
    let batch: Vec<_> = (0..12)
        .map(|i| {
            let asset = AssetId::new(1000 + i);
            let date = end - Duration::days(400 * (i % 3));
            (asset, date, Decimal::new(12_345 + i, 2))
        })
        .collect();
    let again = batch.clone();
    check(
        input,
        |p| p.upsert_prices(batch).unwrap(),
        |i| {
            for (asset, date, close) in again {
                i.prices.insert(asset, date, close);
            }
        },
    );
}

#[test]
fn a_price_after_the_last_valued_day_is_used_once_the_portfolio_is_extended() {
    let input = small();
    let later = input.end + Duration::days(5);
    let mut p = Portfolio::build(input.clone()).unwrap();
    p.set_price(EUR_ASSET, later, Decimal::from(77)).unwrap();
    assert_same(&p, &Portfolio::build(input.clone()).unwrap());
    p.extend_to(later).unwrap();
    let mut full = input;
    full.prices.insert(EUR_ASSET, later, Decimal::from(77));
    full.end = later;
    assert_same(&p, &Portfolio::build(full).unwrap());
}

#[test]
fn a_price_for_an_unknown_asset_changes_nothing_now_but_is_kept() {
    let input = small();
    let mut p = Portfolio::build(input.clone()).unwrap();
    p.set_price(AssetId::new(9), input.end, Decimal::ONE)
        .unwrap();
    assert_same(&p, &Portfolio::build(input).unwrap());
}

/// A security transfer is booked at market value on its date, so a price on that day
/// changes the ledger's flows, not only the valuation.
fn with_transfers(adjusted: bool) -> PortfolioInput {
    let mut s = Scenario::new("EUR")
        .account(A2, "EUR", true)
        .asset(X, "EUR")
        .deposit("2024-01-02", "10000")
        .buy("2024-01-02", X, "10", "100", "1")
        .price(X, "2024-01-02", "100")
        .price(X, "2024-03-01", "120")
        .split("2024-04-02", X, "2")
        .price(X, "2024-06-03", "70")
        .end("2024-07-31");
    if adjusted {
        s = s.adjusted(X);
    }
    s = s.act(ActivityType::TransferOut, "2024-05-06", "EUR", |a| {
        a.asset = Some(X);
        a.quantity = d("6");
    });
    let out = s.input.activities.last().unwrap().id;
    s = s.act(ActivityType::TransferIn, "2024-05-06", "EUR", |a| {
        a.account = A2;
        a.asset = Some(X);
        a.quantity = d("6");
        a.transfer_of = Some(out);
    });
    s.act(ActivityType::TransferIn, "2024-05-07", "EUR", |a| {
        a.asset = Some(X);
        a.quantity = d("2");
        a.unit_price = d("50");
    })
    .input
}

#[test]
fn a_price_on_a_transfer_date_re_books_the_transfer_like_a_full_rebuild() {
    // (date, close, account whose inflow that day is the transfer at market value).
    let cases = [
        ("2024-05-06", "80", Some((A2, "480"))),
        ("2024-05-07", "81", Some((A1, "162"))),
        ("2024-02-01", "9", None),
    ];
    for adjusted in [false, true] {
        let input = with_transfers(adjusted);
        for (date, close, flow) in cases {
            let (date, close) = (day(date), d(close));
            let mut p = Portfolio::build(input.clone()).unwrap();
            p.set_price(X, date, close).unwrap();
            let mut full = input.clone();
            full.prices.insert(X, date, close);
            let rebuilt = Portfolio::build(full).unwrap();
            assert_same(&p, &rebuilt);
            for account in [A1, A2] {
                let series = p.series(Scope::Account(account)).unwrap();
                assert_eq!(series, rebuilt.series(Scope::Account(account)).unwrap());
                if let Some((_, inflow)) = flow.filter(|f| f.0 == account) {
                    let point = series.iter().find(|p| p.date == date).unwrap();
                    assert_eq!(point.inflow, d(inflow), "{adjusted} {date}");
                }
            }
        }
    }
}

#[test]
fn removing_every_price_values_the_holding_at_cost_like_a_full_rebuild() {
    let input = with_transfers(false);
    let mut p = Portfolio::build(input.clone()).unwrap();
    let dates: Vec<Date> = input
        .prices
        .series(X)
        .unwrap()
        .points()
        .iter()
        .map(|p| p.0)
        .collect();
    for &date in &dates {
        p.remove_price(X, date).unwrap();
    }
    let mut full = input;
    full.prices.set(X, vec![]);
    let rebuilt = Portfolio::build(full).unwrap();
    assert_same(&p, &rebuilt);
    assert!(p.holdings(p.end()).unwrap().total.price_missing);
}
