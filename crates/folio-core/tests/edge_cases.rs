//! Named edge cases from the engine issue: each is a situation peers get wrong.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use folio_core::portfolio::{EngineActivity, EngineError, LotMethod, Range, Scope};
use folio_core::{AccountId, ActivityType, AssetClass, PricingMode};

#[test]
fn partial_sells_across_three_lots_take_the_oldest_units_first() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "10000")
        .buy("2024-01-02", X, "5", "10", "0")
        .buy("2024-01-03", X, "5", "20", "0")
        .buy("2024-01-04", X, "5", "30", "0")
        .sell("2024-01-05", X, "7", "40", "0")
        .sell("2024-01-06", X, "5", "40", "0")
        .price(X, "2024-01-06", "40")
        .build();
    let h = p.holdings(day("2024-01-06")).unwrap();
    let x = &h.holdings[0];
    assert_eq!(x.quantity, d("3"));
    assert_eq!(x.totals.cost_basis, d("90"));
    assert_eq!(x.lots[0].acquired, day("2024-01-04"));
    // 7 × 40 − (50 + 40) = 190, then 5 × 40 − (60 + 60) = 80
    assert_eq!(x.totals.realized, d("270"));
}

#[test]
fn selling_to_zero_then_rebuying_starts_a_fresh_lot() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "10000")
        .buy("2024-01-02", X, "10", "100", "0")
        .sell("2024-01-03", X, "10", "110", "0")
        .buy("2024-01-04", X, "5", "120", "0")
        .price(X, "2024-01-04", "120")
        .build();
    let x = &p.holdings(day("2024-01-04")).unwrap().holdings[0];
    assert_eq!(x.quantity, d("5"));
    assert_eq!(x.totals.cost_basis, d("600"));
    assert_eq!(x.totals.realized, d("100"));
    assert_eq!(x.lots.len(), 1);
    assert_eq!(x.lots[0].acquired, day("2024-01-04"));
}

#[test]
fn a_dividend_after_the_position_is_closed_is_still_income_of_that_holding() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "10", "100", "0")
        .sell("2024-02-01", X, "10", "100", "0")
        .dividend("2024-02-15", X, "12", "0")
        .price(X, "2024-02-01", "100")
        .build();
    let h = p.holdings(day("2024-02-15")).unwrap();
    assert_eq!(h.holdings[0].quantity, d("0"));
    assert_eq!(h.holdings[0].totals.income, d("12"));
    assert!(!h.holdings[0].totals.price_missing);
    assert_eq!(h.total.value, d("1012"));
    let income = p.income(Scope::Asset(X)).unwrap();
    assert_eq!(income.total, d("12"));
}

#[test]
fn a_back_dated_activity_gives_the_same_result_as_entering_it_in_order() {
    let base = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2023-01-02", "10000")
        .buy("2023-01-02", X, "10", "100", "1")
        .sell("2024-03-01", X, "5", "130", "1")
        .price(X, "2023-01-02", "100")
        .price(X, "2024-03-01", "130")
        .end("2024-03-05");
    let mut late = base.input.clone();
    let mut back = EngineActivity::new(99, A1, ActivityType::Buy, day("2023-06-01"), ccy("EUR"));
    back.asset = Some(X);
    back.quantity = d("3");
    back.unit_price = d("105");
    let mut incremental = folio_core::portfolio::Portfolio::build(late.clone()).unwrap();
    incremental.upsert(back.clone()).unwrap();
    late.activities.push(back);
    let full = folio_core::portfolio::Portfolio::build(late).unwrap();
    assert_eq!(incremental.total_series(), full.total_series());
    assert_eq!(
        incremental.holdings(day("2024-03-05")).unwrap(),
        full.holdings(day("2024-03-05")).unwrap()
    );
    assert_eq!(
        full.holdings(day("2024-03-05")).unwrap().holdings[0].quantity,
        d("8")
    );
}

#[test]
fn fractional_quantities_net_to_exactly_zero() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "0.1", "3", "0")
        .buy("2024-01-03", X, "0.2", "3", "0")
        .sell("2024-01-04", X, "0.3", "3", "0")
        .price(X, "2024-01-04", "3")
        .build();
    let x = &p.holdings(day("2024-01-04")).unwrap().holdings[0];
    assert!(x.quantity.is_zero());
    assert!(x.totals.cost_basis.is_zero());
    assert!(x.lots.is_empty());
    assert!(x.totals.realized.is_zero());
}

#[test]
fn a_reverse_split_one_for_ten_keeps_cost_and_value() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "100", "2", "0")
        .price(X, "2024-01-02", "2")
        .split("2024-01-03", X, "0.1")
        .price(X, "2024-01-03", "20")
        .sell("2024-01-04", X, "5", "20", "0")
        .build();
    let h = p.holdings(day("2024-01-04")).unwrap();
    assert_eq!(h.holdings[0].quantity, d("5"));
    assert_eq!(h.holdings[0].totals.cost_basis, d("100"));
    assert_eq!(h.holdings[0].totals.realized, d("0"));
    let s = p.total_series();
    assert_eq!(s[0].value, s[1].value);
}

#[test]
fn a_pence_quoted_stock_is_valued_in_pounds_not_in_pence() {
    let p = Scenario::new("EUR")
        .account(A1, "GBP", true)
        .asset(X, "GBp")
        .fx("GBP", "EUR", "2024-01-02", "1.15")
        .act(ActivityType::Deposit, "2024-01-02", "GBP", |a| {
            a.amount = d("200")
        })
        .buy("2024-01-02", X, "100", "150", "500")
        .price(X, "2024-01-03", "160")
        .end("2024-01-03")
        .build();
    let h = p.holdings(day("2024-01-03")).unwrap();
    let x = &h.holdings[0];
    assert_eq!(x.cost_local, d("155"));
    assert_eq!(x.totals.cost_basis, d("178.25"));
    assert_eq!(x.price.as_ref().unwrap().price, d("1.60"));
    assert_eq!(x.totals.market_value, d("184"));
    assert_eq!(h.accounts[0].cash_local, d("45"));
}

#[test]
fn a_currency_with_no_rate_on_the_first_day_is_reported_not_guessed() {
    let s = Scenario::new("EUR")
        .account(A1, "USD", true)
        .fx("USD", "EUR", "2024-01-03", "0.9")
        .act(ActivityType::Deposit, "2024-01-02", "USD", |a| {
            a.amount = d("100")
        });
    let err = folio_core::portfolio::Portfolio::build(s.input).unwrap_err();
    assert_eq!(
        err,
        EngineError::MissingFxRate {
            from: ccy("USD"),
            to: ccy("EUR"),
            date: day("2024-01-02")
        }
    );
    assert!(
        err.to_string()
            .contains("no USD/EUR exchange rate on or before 2024-01-02")
    );
}

#[test]
fn a_portfolio_that_starts_mid_range_measures_from_its_first_day() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-03-04", "1000")
        .buy("2024-03-04", X, "10", "100", "0")
        .price(X, "2024-03-04", "100")
        .price(X, "2024-06-28", "125")
        .end("2024-06-28")
        .build();
    let ytd = p.returns(Scope::Total, Range::YearToDate).unwrap();
    assert_eq!(ytd.twr, d("0.25"));
    assert_eq!(ytd.explanation.start_value, d("0"));
    assert_eq!(ytd.explanation.base_date, day("2024-03-03"));
    assert_eq!(ytd.gain, d("250"));
    assert_eq!(ytd.simple, Some(d("0.25")));
    assert_eq!(ytd.simple_annualized, None);
}

#[test]
fn selling_more_than_held_is_refused_with_the_quantities() {
    let s = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "2", "10", "0")
        .sell("2024-01-03", X, "3", "10", "0");
    let err = folio_core::portfolio::Portfolio::build(s.input).unwrap_err();
    assert!(matches!(err, EngineError::InsufficientQuantity { .. }));
    assert!(err.to_string().contains("holds only 2"));
}

#[test]
fn a_holding_with_no_price_yet_is_valued_at_cost_and_flagged() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "10", "50", "1")
        .price(X, "2024-01-04", "60")
        .end("2024-01-04")
        .build();
    let s = p.total_series();
    assert!(s[0].price_missing && s[1].price_missing && !s[2].price_missing);
    assert_eq!(s[0].value, d("1000"));
    let h = p.holdings(day("2024-01-03")).unwrap();
    assert!(h.holdings[0].totals.price_missing && h.total.price_missing);
    assert_eq!(h.holdings[0].totals.market_value, d("501"));
    let r = p.returns(Scope::Total, Range::Max).unwrap();
    assert_eq!(r.explanation.days_valued_at_cost, 2);
}

#[test]
fn a_manually_valued_property_uses_its_valuation_entries() {
    let mut s = Scenario::new("EUR")
        .account(A1, "EUR", false)
        .asset(X, "EUR")
        .buy("2020-01-02", X, "1", "300000", "0")
        .price(X, "2020-01-02", "300000")
        .price(X, "2022-06-30", "360000")
        .end("2023-01-02");
    s.input.assets[0].class = AssetClass::RealEstate;
    s.input.assets[0].pricing = PricingMode::Manual;
    let p = s.build();
    let h = p.holdings(day("2023-01-02")).unwrap();
    assert_eq!(h.total.market_value, d("360000"));
    let a = p.allocation(day("2023-01-02")).unwrap();
    assert_eq!(a.by_class[0].key, "REAL_ESTATE");
    assert_eq!(a.by_class[0].weight, Some(d("1")));
}

fn transfer_scenario(method: LotMethod) -> folio_core::portfolio::Portfolio {
    let mut s = Scenario::new("EUR")
        .account(A2, "EUR", true)
        .asset(X, "EUR")
        .deposit("2024-01-02", "10000")
        .buy("2024-01-02", X, "10", "100", "0")
        .buy("2024-01-03", X, "10", "200", "0")
        .price(X, "2024-01-03", "200")
        .act(ActivityType::TransferOut, "2024-01-04", "EUR", |a| {
            a.asset = Some(X);
            a.quantity = d("15");
            a.fee = d("3");
        });
    s.input.settings.lot_method = method;
    let out_id = s.input.activities.last().unwrap().id;
    let mut incoming = EngineActivity::new(
        50,
        AccountId::new(2),
        ActivityType::TransferIn,
        day("2024-01-04"),
        ccy("EUR"),
    );
    incoming.asset = Some(X);
    incoming.quantity = d("15");
    incoming.transfer_of = Some(out_id);
    s.input.activities.push(incoming);
    s.end("2024-01-04").build()
}

#[test]
fn a_partial_transfer_moves_lots_fifo_with_their_dates_and_the_fee_prorated() {
    let p = transfer_scenario(LotMethod::Fifo);
    let h = p.holdings(day("2024-01-04")).unwrap();
    let dest = h.holdings.iter().find(|r| r.account == A2).unwrap();
    assert_eq!(dest.quantity, d("15"));
    assert_eq!(dest.lots.len(), 2);
    assert_eq!(dest.lots[0].acquired, day("2024-01-02"));
    assert_eq!(dest.lots[0].cost_base, d("1002"));
    assert_eq!(dest.lots[1].cost_base, d("1001"));
    let src = h.holdings.iter().find(|r| r.account == A1).unwrap();
    assert_eq!(src.totals.cost_basis, d("1000"));
    assert_eq!(h.total.value, d("10000") - d("3") + d("1000"));
}

#[test]
fn a_linked_transfer_is_a_flow_for_each_account_but_not_for_the_portfolio() {
    let p = transfer_scenario(LotMethod::AverageCost);
    let day4 = |scope| {
        p.series(scope)
            .unwrap()
            .into_iter()
            .find(|pt| pt.date == day("2024-01-04"))
            .unwrap()
    };
    assert_eq!(day4(Scope::Total).inflow, d("0"));
    assert_eq!(day4(Scope::Total).outflow, d("0"));
    assert_eq!(day4(Scope::Account(A1)).outflow, d("3000"));
    assert_eq!(day4(Scope::Account(A2)).inflow, d("3000"));
    let twr = p.returns(Scope::Total, Range::Max).unwrap().twr;
    // 10000 → 11000 (price 100 → 200 on 10 units) → 10997 after the 3 fee.
    assert_eq!(twr, d("0.0997"));
}

#[test]
fn a_cash_transfer_between_own_accounts_changes_no_total() {
    let mut s = Scenario::new("EUR")
        .account(A2, "EUR", true)
        .deposit("2024-01-02", "1000")
        .act(ActivityType::TransferOut, "2024-01-03", "EUR", |a| {
            a.amount = d("400")
        });
    let out_id = s.input.activities.last().unwrap().id;
    let mut incoming = EngineActivity::new(
        50,
        A2,
        ActivityType::TransferIn,
        day("2024-01-03"),
        ccy("EUR"),
    );
    incoming.amount = d("400");
    incoming.transfer_of = Some(out_id);
    s.input.activities.push(incoming);
    let p = s.end("2024-01-03").build();
    let h = p.holdings(day("2024-01-03")).unwrap();
    assert_eq!(h.accounts[0].cash_local, d("600"));
    assert_eq!(h.accounts[1].cash_local, d("400"));
    assert_eq!(p.total_series()[1].inflow, d("0"));
    assert_eq!(p.returns(Scope::Total, Range::Max).unwrap().twr, d("0"));
}
