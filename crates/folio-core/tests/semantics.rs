//! Hand-worked examples of every activity type; the same numbers appear in
//! docs/calculations.md.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use folio_core::ActivityType;
use folio_core::portfolio::{LotMethod, Scope};

fn three_trades(method: LotMethod, fees_in_cost: bool) -> folio_core::portfolio::Portfolio {
    let mut s = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "10000")
        .buy("2024-01-02", X, "10", "100", "5")
        .buy("2024-02-01", X, "10", "120", "5")
        .sell("2024-03-01", X, "15", "130", "5")
        .price(X, "2024-03-01", "130")
        .end("2024-03-01");
    s.input.settings.lot_method = method;
    s.input.settings.fees_in_cost_basis = fees_in_cost;
    s.build()
}

#[test]
fn fifo_sell_consumes_the_oldest_lot_first_with_fees_in_cost() {
    let p = three_trades(LotMethod::Fifo, true);
    let h = p.holdings(day("2024-03-01")).unwrap();
    let x = &h.holdings[0];
    assert_eq!(x.quantity, d("5"));
    assert_eq!(x.totals.cost_basis, d("602.5"));
    assert_eq!(x.totals.realized, d("337.5"));
    assert_eq!(x.totals.market_value, d("650"));
    assert_eq!(h.accounts[0].cash_local, d("9735"));
    assert_eq!(h.total.value, d("10385"));
    assert_eq!(h.total.total_gain, d("385"));
}

#[test]
fn average_cost_sell_uses_the_pooled_cost_per_unit() {
    let p = three_trades(LotMethod::AverageCost, true);
    let x = &p.holdings(day("2024-03-01")).unwrap().holdings[0];
    assert_eq!(x.totals.cost_basis, d("552.5"));
    assert_eq!(x.totals.realized, d("287.5"));
    assert_eq!(x.totals.total_gain, d("385"));
}

#[test]
fn fees_excluded_from_cost_are_reported_as_costs_and_total_gain_is_unchanged() {
    let p = three_trades(LotMethod::Fifo, false);
    let x = &p.holdings(day("2024-03-01")).unwrap().holdings[0];
    assert_eq!(x.totals.cost_basis, d("600"));
    assert_eq!(x.totals.realized, d("350"));
    assert_eq!(x.totals.costs, d("15"));
    assert_eq!(x.totals.unrealized, d("50"));
    assert_eq!(x.totals.total_gain, d("385"));
}

#[test]
fn the_sell_disposal_lists_the_lot_pieces_it_consumed() {
    let p = three_trades(LotMethod::Fifo, true);
    let h = p.holdings(day("2024-03-01")).unwrap();
    assert_eq!(h.holdings[0].lots.len(), 1);
    assert_eq!(h.holdings[0].lots[0].acquired, day("2024-02-01"));
    let disposals = p.disposals(Scope::Total);
    assert_eq!(disposals.len(), 1);
    assert_eq!(disposals[0].consumed.lots.len(), 2);
    assert_eq!(disposals[0].consumed.cost_base, d("1607.5"));
    assert_eq!(disposals[0].proceeds, d("1945"));
}

#[test]
fn a_dividend_is_gross_income_with_withholding_tax_as_a_cost() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "10", "100", "0")
        .dividend("2024-03-15", X, "20", "3")
        .price(X, "2024-01-02", "100")
        .end("2024-03-15")
        .build();
    let h = p.holdings(day("2024-03-15")).unwrap();
    assert_eq!(h.holdings[0].totals.income, d("20"));
    assert_eq!(h.holdings[0].totals.costs, d("3"));
    assert_eq!(h.accounts[0].cash_local, d("17"));
    assert_eq!(h.total.total_gain, d("17"));
    let income = p.income(Scope::Total).unwrap();
    assert_eq!(income.by_month[&(2024, 3)], d("20"));
    assert_eq!(income.yield_on_cost, Some(d("0.02")));
}

#[test]
fn interest_fee_and_tax_move_cash_and_count_as_performance_not_flows() {
    let p = Scenario::new("EUR")
        .deposit("2024-01-02", "1000")
        .act(ActivityType::Interest, "2024-01-31", "EUR", |a| {
            a.amount = d("4")
        })
        .act(ActivityType::Fee, "2024-01-31", "EUR", |a| {
            a.amount = d("1.5")
        })
        .act(ActivityType::Tax, "2024-01-31", "EUR", |a| {
            a.amount = d("1")
        })
        .act(ActivityType::Withdrawal, "2024-02-01", "EUR", |a| {
            a.amount = d("500")
        })
        .end("2024-02-01")
        .build();
    let h = p.holdings(day("2024-02-01")).unwrap();
    assert_eq!(h.accounts[0].cash_local, d("501.5"));
    assert_eq!(h.total.total_gain, d("1.5"));
    let last = p.total_series().last().unwrap();
    assert_eq!(last.net_contributions, d("500"));
    assert_eq!(last.outflow, d("500"));
}

#[test]
fn a_split_rescales_lots_and_keeps_cost_and_value() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "5", "100", "0")
        .price(X, "2024-03-29", "140")
        .split("2024-04-01", X, "2")
        .price(X, "2024-04-01", "70")
        .end("2024-04-01")
        .build();
    let before = p.holdings(day("2024-03-29")).unwrap();
    let after = p.holdings(day("2024-04-01")).unwrap();
    assert_eq!(before.holdings[0].quantity, d("5"));
    assert_eq!(after.holdings[0].quantity, d("10"));
    assert_eq!(after.holdings[0].totals.cost_basis, d("500"));
    assert_eq!(before.total.value, after.total.value);
}

#[test]
fn split_adjusted_history_is_multiplied_back_before_valuing_old_quantities() {
    let p = Scenario::new("EUR")
        .asset(X, "EUR")
        .adjusted(X)
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "5", "100", "0")
        .price(X, "2024-03-29", "70")
        .split("2024-04-01", X, "2")
        .price(X, "2024-04-01", "70")
        .end("2024-04-01")
        .build();
    let series = p.total_series();
    let on = |date: &str| series.iter().find(|pt| pt.date == day(date)).unwrap().value;
    assert_eq!(on("2024-03-29"), d("1200"));
    assert_eq!(on("2024-04-01"), d("1200"));
}

#[test]
fn a_holdings_only_account_treats_buys_as_inflows_and_pays_out_income() {
    let p = Scenario::new("EUR")
        .account(A1, "EUR", false)
        .asset(X, "EUR")
        .buy("2024-01-02", X, "10", "100", "5")
        .dividend("2024-01-03", X, "10", "0")
        .price(X, "2024-01-02", "100")
        .price(X, "2024-01-03", "110")
        .end("2024-01-03")
        .build();
    let s = p.total_series();
    assert_eq!(s[0].inflow, d("1005"));
    assert_eq!(s[0].value, d("1000"));
    assert_eq!(s[1].outflow, d("10"));
    assert_eq!(s[1].cash, d("0"));
    let r = p
        .returns(Scope::Total, folio_core::portfolio::Range::Max)
        .unwrap();
    // (1000/1005) × ((1100 + 10)/1000) − 1
    assert_eq!(
        r.twr.round_dp(10),
        (d("1110") / d("1005") - d("1")).round_dp(10)
    );
}

#[test]
fn a_usd_holding_splits_unrealized_gain_into_price_and_currency_effect() {
    let p = Scenario::new("EUR")
        .asset(X, "USD")
        .fx("USD", "EUR", "2024-01-02", "0.9")
        .fx("USD", "EUR", "2024-06-28", "0.95")
        .deposit("2024-01-02", "900")
        .buy("2024-01-02", X, "10", "100", "0")
        .price(X, "2024-06-28", "110")
        .end("2024-06-28")
        .build();
    let h = p.holdings(day("2024-06-28")).unwrap();
    let t = &h.holdings[0].totals;
    assert_eq!(t.cost_basis, d("900"));
    assert_eq!(t.market_value, d("1045"));
    assert_eq!(t.price_effect, d("95"));
    assert_eq!(t.currency_effect, d("50"));
    assert_eq!(h.accounts[0].cash_local, d("0"));
}

#[test]
fn allocation_splits_value_by_class_account_currency_and_asset_with_cash_as_cash() {
    let p = Scenario::new("EUR")
        .asset(X, "USD")
        .asset(Y, "EUR")
        .fx("USD", "EUR", "2024-01-02", "0.5")
        .deposit("2024-01-02", "1000")
        .buy("2024-01-02", X, "10", "100", "0")
        .buy("2024-01-02", Y, "2", "100", "0")
        .price(X, "2024-01-02", "100")
        .price(Y, "2024-01-02", "100")
        .end("2024-01-02")
        .build();
    let a = p.allocation(day("2024-01-02")).unwrap();
    assert_eq!(a.total, d("1000"));
    let weight = |slices: &[folio_core::portfolio::Slice], key: &str| {
        slices.iter().find(|s| s.key == key).and_then(|s| s.weight)
    };
    assert_eq!(weight(&a.by_class, "EQUITY"), Some(d("0.7")));
    assert_eq!(weight(&a.by_class, "CASH"), Some(d("0.3")));
    assert_eq!(weight(&a.by_currency, "USD"), Some(d("0.5")));
    assert_eq!(weight(&a.by_currency, "EUR"), Some(d("0.5")));
    assert_eq!(weight(&a.by_asset, "10"), Some(d("0.5")));
    assert_eq!(weight(&a.by_account, "1"), Some(d("1")));
}

#[test]
fn income_is_reported_per_holding_by_month_and_year_in_base_currency() {
    let p = Scenario::new("EUR")
        .asset(X, "USD")
        .asset(Y, "EUR")
        .fx("USD", "EUR", "2023-01-02", "0.5")
        .deposit("2023-01-02", "10000")
        .buy("2023-01-02", X, "10", "100", "0")
        .buy("2023-01-02", Y, "10", "100", "0")
        .dividend("2023-06-15", X, "10", "0")
        .dividend("2024-02-15", X, "20", "0")
        .dividend("2024-02-20", Y, "7", "0")
        .end("2024-03-01")
        .build();
    let x = p.income(Scope::Asset(X)).unwrap();
    assert_eq!(x.by_year[&2023], d("5"));
    assert_eq!(x.by_month[&(2024, 2)], d("10"));
    assert_eq!(x.trailing_12m, d("15"));
    assert_eq!(x.yield_on_cost, Some(d("0.03")));
    let total = p.income(Scope::Total).unwrap();
    assert_eq!(total.by_month[&(2024, 2)], d("17"));
    assert_eq!(total.total, d("22"));
}
