//! Holdings at a date: per holding, per account and in total — quantity, cost, market
//! value, unrealized gain split into price and currency effect, realized gain, income
//! and costs, with the price and rate used so a page can show its working.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::context::Context;
use super::engine::Portfolio;
use super::error::EngineError;
use super::ledger::{Ledger, LedgerState, Position};
use super::lots::Lot;
use crate::domain::{AccountId, AssetId};

/// The price and rate a holding was valued with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceUsed {
    /// Date of the price (the latest on or before the valuation date).
    pub date: Date,
    /// As-traded price in the asset's major currency.
    pub price: Decimal,
    /// Rate from the asset's currency to base on the valuation date.
    pub fx: Decimal,
}

/// Sums shared by holdings, accounts and the total (base currency).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Cost basis of open lots.
    pub cost_basis: Decimal,
    /// Market value of open lots (cost where no price is known).
    pub market_value: Decimal,
    /// Cash (accounts and total only).
    pub cash: Decimal,
    /// Market value + cash.
    pub value: Decimal,
    /// Market value − cost basis.
    pub unrealized: Decimal,
    /// Part of `unrealized` due to the price moving (at today's rate).
    pub price_effect: Decimal,
    /// Part of `unrealized` due to the exchange rate moving since purchase.
    pub currency_effect: Decimal,
    /// Realized gains of sells so far.
    pub realized: Decimal,
    /// Dividends and interest so far (gross).
    pub income: Decimal,
    /// Fees and taxes reported as separate costs.
    pub costs: Decimal,
    /// realized + unrealized + income − costs.
    pub total_gain: Decimal,
    /// Some holding had no price and is valued at cost.
    pub price_missing: bool,
}

impl Totals {
    fn add(&mut self, o: &Totals) {
        self.cost_basis += o.cost_basis;
        self.market_value += o.market_value;
        self.cash += o.cash;
        self.value += o.value;
        self.unrealized += o.unrealized;
        self.price_effect += o.price_effect;
        self.currency_effect += o.currency_effect;
        self.realized += o.realized;
        self.income += o.income;
        self.costs += o.costs;
        self.total_gain += o.total_gain;
        self.price_missing |= o.price_missing;
    }
}

/// One asset in one account (closed positions are kept for their realized gain and income).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoldingRow {
    /// The account.
    pub account: AccountId,
    /// The asset.
    pub asset: AssetId,
    /// Units held.
    pub quantity: Decimal,
    /// Cost basis in the asset's currency.
    pub cost_local: Decimal,
    /// Price and rate used, `None` when no price is known yet.
    pub price: Option<PriceUsed>,
    /// The figures.
    pub totals: Totals,
    /// Part of `totals.realized` due to price moves (at each sale's rate).
    pub realized_price_effect: Decimal,
    /// Part of `totals.realized` due to exchange-rate moves between buy and sale.
    pub realized_currency_effect: Decimal,
    /// Open lots, oldest first.
    pub lots: Vec<Lot>,
}

/// One account's totals, including its cash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountRow {
    /// The account.
    pub account: AccountId,
    /// Cash in the account's own currency.
    pub cash_local: Decimal,
    /// Holdings plus cash, in base currency.
    pub totals: Totals,
}

/// Holdings at the close of `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holdings {
    /// The valuation date.
    pub as_of: Date,
    /// Per holding, ordered by account then asset.
    pub holdings: Vec<HoldingRow>,
    /// Per account.
    pub accounts: Vec<AccountRow>,
    /// Everything.
    pub total: Totals,
}

impl Portfolio {
    /// Holdings at the close of `as_of` (replayed from the nearest checkpoint when in
    /// the past).
    pub fn holdings(&self, as_of: Date) -> Result<Holdings, EngineError> {
        let state = self.state_at(as_of)?;
        let mut rows = Vec::new();
        let mut keys: Vec<_> = state.positions.keys().copied().collect();
        keys.sort_by_key(|&(acc, x)| (self.ctx.accounts[acc].id, self.ctx.assets[x].id));
        for (acc, x) in keys {
            rows.push((
                acc,
                holding_row(&self.ctx, acc, x, &state.positions[&(acc, x)], as_of)?,
            ));
        }
        let mut accounts = Vec::new();
        let mut total = Totals::default();
        for (acc, info) in self.ctx.accounts.iter().enumerate() {
            let s = &state.accounts[acc];
            let cash = s.cash
                * self
                    .ctx
                    .fx_to_base(self.ctx.account_ccy[acc], as_of)
                    .or_else(|e| {
                        if s.cash.is_zero() {
                            Ok(Decimal::ZERO)
                        } else {
                            Err(e)
                        }
                    })?;
            let mut t = Totals {
                cash,
                value: cash,
                income: s.income,
                costs: s.fees + s.taxes,
                ..Totals::default()
            };
            t.total_gain = s.income - t.costs;
            rows.iter()
                .filter(|r| r.0 == acc)
                .for_each(|r| t.add(&r.1.totals));
            total.add(&t);
            accounts.push(AccountRow {
                account: info.id,
                cash_local: s.cash,
                totals: t,
            });
        }
        let holdings = rows.into_iter().map(|r| r.1).collect();
        Ok(Holdings {
            as_of,
            holdings,
            accounts,
            total,
        })
    }

    /// Ledger state at the close of `as_of`.
    fn state_at(&self, as_of: Date) -> Result<Cow<'_, LedgerState>, EngineError> {
        if self.activities.last().is_none_or(|a| a.date <= as_of) {
            return Ok(Cow::Borrowed(&self.ledger.state));
        }
        let cps = &self.ledger.checkpoints;
        let cp = cps
            .partition_point(|c| c.date <= as_of)
            .checked_sub(1)
            .map(|i| &cps[i]);
        let mut ledger = Ledger::new(&self.ctx, &[]);
        ledger.linked = self.ledger.linked.clone();
        let from = cp.map_or(0, |c| {
            ledger.state = c.state.clone();
            self.activities.partition_point(|a| a.date < c.date)
        });
        let to = self.activities.partition_point(|a| a.date <= as_of);
        for a in &self.activities[from..to] {
            ledger.apply(&self.ctx, a)?;
        }
        Ok(Cow::Owned(ledger.state))
    }
}

/// Values one position at `as_of`.
fn holding_row(
    ctx: &Context,
    acc: usize,
    x: usize,
    pos: &Position,
    as_of: Date,
) -> Result<HoldingRow, EngineError> {
    let quantity = pos.lots.quantity();
    let cost_basis = pos.lots.cost_base();
    let cost_local = pos.lots.cost_local();
    let price = match ctx.price_on(x, as_of) {
        Some((date, price)) if !quantity.is_zero() => Some(PriceUsed {
            date,
            price,
            fx: ctx.fx_to_base(ctx.asset_ccy[x], as_of)?,
        }),
        _ => None,
    };
    let (market_value, price_effect) = match &price {
        Some(p) => (
            quantity * p.price * p.fx,
            (quantity * p.price - cost_local) * p.fx,
        ),
        None => (cost_basis, Decimal::ZERO),
    };
    let unrealized = market_value - cost_basis;
    let costs = pos.fees + pos.taxes;
    let totals = Totals {
        cost_basis,
        market_value,
        value: market_value,
        unrealized,
        price_effect,
        currency_effect: unrealized - price_effect,
        realized: pos.realized,
        income: pos.income,
        costs,
        total_gain: pos.realized + unrealized + pos.income - costs,
        price_missing: price.is_none() && !quantity.is_zero(),
        ..Totals::default()
    };
    let lots = pos.lots.lots().cloned().collect();
    Ok(HoldingRow {
        account: ctx.accounts[acc].id,
        asset: ctx.assets[x].id,
        quantity,
        cost_local,
        price,
        totals,
        realized_price_effect: pos.realized_price,
        realized_currency_effect: pos.realized_fx,
        lots,
    })
}
