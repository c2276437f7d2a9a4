//! Dashboard sections built from the portfolio: the value chart, allocation, the top
//! holdings and the warnings with links to where each is fixed.

use folio_core::portfolio::{EngineError, Holdings, Portfolio, Slice as EngineSlice};
use rust_decimal::Decimal;
use time::Date;

use crate::charts::{AllocationChart, Chart, Slice, TimeChart, Unit};
use crate::format::{money, percent, share, signed_money, tone, units};
use crate::portfolio::UserData;

/// Value and net contributions from the close of `base` to `end`.
pub(super) fn value_chart(p: &Portfolio, base: Date, end: Date) -> Chart {
    let days = p.total_series();
    let from = days.partition_point(|d| d.date < base);
    let to = days.partition_point(|d| d.date <= end);
    let shown = days.get(from..to).unwrap_or_default();
    TimeChart::new("Value over time", Unit::Money)
        .series("Value", shown.iter().map(|d| (d.date, d.value)).collect())
        .dashed_series(
            "Net contributions",
            shown
                .iter()
                .map(|d| (d.date, d.net_contributions))
                .collect(),
        )
        .render()
}

/// By asset class, account and currency at the close of `today`.
pub(super) fn allocation(
    p: &Portfolio,
    data: &UserData,
    today: Date,
) -> Result<Vec<Chart>, EngineError> {
    let a = p.allocation(today)?;
    let named = |slices: &[EngineSlice], name: &dyn Fn(&str) -> String| -> Vec<Slice> {
        slices
            .iter()
            .map(|s| Slice {
                label: name(&s.key),
                value: s.value,
                weight: s.weight,
            })
            .collect()
    };
    let class = |k: &str| {
        k.parse::<folio_core::AssetClass>()
            .map_or_else(|_| k.to_owned(), |c| c.label().to_owned())
    };
    let account = |k: &str| {
        k.parse::<i64>()
            .ok()
            .and_then(|id| data.accounts.iter().find(|a| a.id.get() == id))
            .map_or_else(|| k.to_owned(), |a| a.name.to_string())
    };
    Ok(vec![
        AllocationChart::new("By asset class", "Class", named(&a.by_class, &class)).render(),
        AllocationChart::new("By account", "Account", named(&a.by_account, &account)).render(),
        AllocationChart::new(
            "By currency",
            "Currency",
            named(&a.by_currency, &|k| k.to_owned()),
        )
        .render(),
    ])
}

/// One row of the top holdings.
pub(crate) struct TopHolding {
    pub symbol: String,
    pub name: String,
    pub account: String,
    pub asset_id: i64,
    pub quantity: String,
    pub cost: String,
    pub value: String,
    pub weight: String,
    pub gain: String,
    pub gain_pct: String,
    pub tone: &'static str,
    pub no_price: bool,
}

fn ratio(num: Decimal, den: Decimal) -> String {
    match den.is_zero() {
        true => String::new(),
        false => num.checked_div(den).map_or_else(|| "—".into(), percent),
    }
}

fn share_of(part: Decimal, whole: Decimal) -> String {
    match whole.is_zero() {
        true => String::new(),
        false => part.checked_div(whole).map_or_else(|| "—".into(), share),
    }
}

/// The `n` largest open positions by market value, and the totals row of all of them.
pub(super) fn top_holdings(
    data: &UserData,
    h: &Holdings,
    n: usize,
) -> (Vec<TopHolding>, TopHolding) {
    let total = h.total.value;
    let mut open: Vec<_> = h
        .holdings
        .iter()
        .filter(|r| !r.quantity.is_zero())
        .collect();
    open.sort_by_key(|r| std::cmp::Reverse(r.totals.market_value));
    let rows = open
        .into_iter()
        .take(n)
        .map(|r| {
            let asset = data.asset(r.asset);
            let t = &r.totals;
            TopHolding {
                symbol: asset.map_or_else(|| "?".into(), |a| a.symbol.to_string()),
                name: asset.map_or_else(String::new, |a| a.name.to_string()),
                account: data
                    .account(r.account)
                    .map_or_else(String::new, |a| a.name.to_string()),
                asset_id: r.asset.get(),
                quantity: units(r.quantity),
                cost: money(t.cost_basis),
                value: money(t.market_value),
                weight: share_of(t.market_value, total),
                gain: signed_money(t.unrealized),
                gain_pct: ratio(t.unrealized, t.cost_basis),
                tone: tone(t.unrealized),
                no_price: r.price.is_none(),
            }
        })
        .collect();
    let t = &h.total;
    let totals = TopHolding {
        symbol: "Total".into(),
        name: String::new(),
        account: String::new(),
        asset_id: 0,
        quantity: String::new(),
        cost: money(t.cost_basis),
        value: money(t.market_value),
        weight: share_of(t.market_value, total),
        gain: signed_money(t.unrealized),
        gain_pct: ratio(t.unrealized, t.cost_basis),
        tone: tone(t.unrealized),
        no_price: t.price_missing,
    };
    (rows, totals)
}

/// Something the engine had to work around, with where to fix it.
pub(crate) struct Warning {
    pub text: String,
    pub href: String,
    pub link: &'static str,
}

/// Holdings valued at cost for want of a price, and overdrawn cash accounts.
pub(super) fn warnings(data: &UserData, h: &Holdings) -> Vec<Warning> {
    let mut out: Vec<Warning> = h
        .holdings
        .iter()
        .filter(|r| !r.quantity.is_zero() && r.price.is_none())
        .map(|r| {
            let symbol = data
                .asset(r.asset)
                .map_or_else(|| "?".into(), |a| a.symbol.to_string());
            Warning {
                text: format!("{symbol} has no price yet, so it is valued at cost."),
                href: format!("/prices/{}", r.asset.get()),
                link: "Enter a price",
            }
        })
        .collect();
    out.dedup_by(|a, b| a.href == b.href);
    // A cash-tracking account below zero usually means the deposits that funded the
    // buys were not recorded.
    out.extend(
        h.accounts
            .iter()
            .filter(|a| a.cash_local < Decimal::ZERO)
            .filter_map(|a| data.account(a.account))
            .map(|acc| Warning {
                text: format!(
                    "Cash in {} is negative. Record the deposits that paid for your buys, or edit the account to track holdings only.",
                    acc.name
                ),
                href: format!("/accounts/{}/edit", acc.id.get()),
                link: "Edit the account",
            }),
    );
    out
}
