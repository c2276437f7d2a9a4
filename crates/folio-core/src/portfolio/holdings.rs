//! Holdings at a date: per holding, per account and in total — quantity, cost, market
//! value, unrealized gain split into price and currency effect, realized gain, income
//! and costs, with the price and rate used so a page can show its working.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::checked::{Checked, Overflow};
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
    fn add(&mut self, o: &Totals) -> Result<(), Overflow> {
        self.cost_basis.inc(o.cost_basis)?;
        self.market_value.inc(o.market_value)?;
        self.cash.inc(o.cash)?;
        self.value.inc(o.value)?;
        self.unrealized.inc(o.unrealized)?;
        self.price_effect.inc(o.price_effect)?;
        self.currency_effect.inc(o.currency_effect)?;
        self.realized.inc(o.realized)?;
        self.income.inc(o.income)?;
        self.costs.inc(o.costs)?;
        self.total_gain.inc(o.total_gain)?;
        self.price_missing |= o.price_missing;
        Ok(())
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
        self.try_holdings(as_of).map_err(|e| e.on_date(as_of))
    }

    fn try_holdings(&self, as_of: Date) -> Result<Holdings, EngineError> {
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
            let rate = match self.ctx.fx_to_base(self.ctx.account_ccy[acc], as_of) {
                Err(_) if s.cash.is_zero() => Decimal::ZERO,
                rate => rate?,
            };
            let cash = s.cash.times(rate)?;
            let costs = s.fees.plus(s.taxes)?;
            let mut t = Totals {
                cash,
                value: cash,
                income: s.income,
                costs,
                total_gain: s.income.minus(costs)?,
                ..Totals::default()
            };
            for row in rows.iter().filter(|r| r.0 == acc) {
                t.add(&row.1.totals)?;
            }
            total.add(&t)?;
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
    let quantity = pos.lots.quantity()?;
    let cost_basis = pos.lots.cost_base()?;
    let cost_local = pos.lots.cost_local()?;
    let price = match ctx.price_on(x, as_of)? {
        Some((date, price)) if !quantity.is_zero() => Some(PriceUsed {
            date,
            price,
            fx: ctx.fx_to_base(ctx.asset_ccy[x], as_of)?,
        }),
        _ => None,
    };
    let (market_value, price_effect) = match &price {
        Some(p) => {
            let local = quantity.times(p.price)?;
            (local.times(p.fx)?, local.minus(cost_local)?.times(p.fx)?)
        }
        None => (cost_basis, Decimal::ZERO),
    };
    let unrealized = market_value.minus(cost_basis)?;
    let costs = pos.fees.plus(pos.taxes)?;
    let totals = Totals {
        cost_basis,
        market_value,
        value: market_value,
        unrealized,
        price_effect,
        currency_effect: unrealized.minus(price_effect)?,
        realized: pos.realized,
        income: pos.income,
        costs,
        total_gain: pos
            .realized
            .plus(unrealized)?
            .plus(pos.income)?
            .minus(costs)?,
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
