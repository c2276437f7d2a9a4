//! Semantics of TRANSFER_OUT / TRANSFER_IN for securities and cash.
//!
//! A linked pair (the TRANSFER_IN names its TRANSFER_OUT in `transfer_of`) moves lots
//! with their cost and acquisition dates and is internal to the portfolio: each account
//! sees a flow at market value, the portfolio sees none. An unlinked transfer is an
//! external flow at market value.

use rust_decimal::Decimal;

use super::checked::{Checked, Overflow, share, sum};
use super::context::Context;
use super::error::EngineError;
use super::input::EngineActivity;
use super::ledger::{Effect, InTransit, Ledger, invalid, unknown};
use super::lots::{ALLOCATION_DP, Consumed, Lot};
use super::trades::TradeAmounts;

impl Ledger {
    /// Market value of `q` units of asset `x` on the activity date in base currency, or
    /// `fallback` (cost) when no price is known yet.
    fn value_base(
        ctx: &Context,
        a: &EngineActivity,
        x: usize,
        q: Decimal,
        fallback: Decimal,
    ) -> Result<Decimal, EngineError> {
        match ctx.price_on(x, a.date)? {
            Some((_, p)) => Ok(q
                .times(p)?
                .times(ctx.fx_to_base(ctx.asset_ccy[x], a.date)?)?),
            None => Ok(fallback),
        }
    }

    /// Fee and tax of a transfer: debited from cash (or an inflow for holdings-only
    /// accounts), returned as (cash in account currency, base, fee base, tax base).
    fn transfer_costs(
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
    ) -> Result<(Decimal, Decimal, Decimal, Decimal), EngineError> {
        let t = TradeAmounts::of(ctx, a, Decimal::ZERO)?;
        let (costs, costs_base) = t.costs()?;
        let cash = ctx.convert(costs, t.ccy, ctx.account_ccy[acc], a.date)?;
        Ok((cash, costs_base, t.fee.1, t.tax.1))
    }

    /// TRANSFER_OUT of a security: lots leave FIFO; a linked transfer parks them (with
    /// the fee prorated into their cost when fees are capitalised).
    pub(crate) fn transfer_out(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
        x: usize,
    ) -> Result<Effect, EngineError> {
        if a.quantity <= Decimal::ZERO {
            return Err(invalid(a, "quantity must be greater than zero"));
        }
        let mut consumed = self.take(a, acc, x, a.quantity)?;
        let cost_base = consumed.cost_base;
        let value = Self::value_base(ctx, a, x, a.quantity, cost_base)?;
        let (cash, costs_base, mut fees, mut taxes) = Self::transfer_costs(ctx, a, acc)?;
        let linked = self.linked.contains(&a.id);
        if linked && ctx.settings.fees_in_cost_basis && !costs_base.is_zero() {
            let local = costs_base.div_by(ctx.fx_to_base(ctx.asset_ccy[x], a.date)?)?;
            prorate(&mut consumed, costs_base, local, a.quantity)?;
            (fees, taxes) = (Decimal::ZERO, Decimal::ZERO);
        }
        let pos = self.position(acc, x);
        pos.fees.inc(fees)?;
        pos.taxes.inc(taxes)?;
        if linked {
            let parked = InTransit {
                asset: Some(x),
                date: a.date,
                consumed,
                value_base: value,
                cash_local: Decimal::ZERO,
            };
            self.state.in_transit.insert(a.id, parked);
        }
        let tracks = ctx.accounts[acc].tracks_cash;
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: Some(x),
            quantity: -a.quantity,
            cost_base: -cost_base,
            cash: if tracks { -cash } else { Decimal::ZERO },
            flow: if tracks {
                -value
            } else {
                costs_base.minus(value)?
            },
            holding_flow: -value,
            internal: linked,
            fees,
            taxes,
            ..Effect::default()
        })
    }

    /// TRANSFER_IN of a security: the parked lots of the linked TRANSFER_OUT, or a new
    /// lot at `unit_price` when the security comes from outside.
    pub(crate) fn transfer_in(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
        x: usize,
    ) -> Result<Effect, EngineError> {
        let (lots, value, internal) = match a.transfer_of {
            Some(out) => {
                let parked = self
                    .state
                    .in_transit
                    .remove(&out)
                    .ok_or(unknown(a, "transfer"))?;
                if parked.asset != Some(x) || parked.date != a.date {
                    return Err(invalid(
                        a,
                        "a transfer in must match its transfer out's asset and date",
                    ));
                }
                (parked.consumed.lots, parked.value_base, true)
            }
            None => {
                let lot = self.outside_lot(ctx, a, x)?;
                let value = Self::value_base(ctx, a, x, lot.quantity, lot.cost_base)?;
                (vec![lot], value, false)
            }
        };
        let (cash, costs_base, fees, taxes) = Self::transfer_costs(ctx, a, acc)?;
        let quantity = sum(lots.iter().map(|l| l.quantity))?;
        let cost_base = sum(lots.iter().map(|l| l.cost_base))?;
        let pos = self.position(acc, x);
        for lot in lots {
            pos.lots.add(lot, ctx.settings.lot_method)?;
        }
        pos.fees.inc(fees)?;
        pos.taxes.inc(taxes)?;
        let tracks = ctx.accounts[acc].tracks_cash;
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: Some(x),
            quantity,
            cost_base,
            cash: if tracks { -cash } else { Decimal::ZERO },
            flow: if tracks {
                value
            } else {
                value.plus(costs_base)?
            },
            holding_flow: value,
            internal,
            fees,
            taxes,
            ..Effect::default()
        })
    }

    /// The lot of a security arriving from outside Folio, at its stated unit cost.
    fn outside_lot(&self, ctx: &Context, a: &EngineActivity, x: usize) -> Result<Lot, EngineError> {
        if a.quantity <= Decimal::ZERO || a.unit_price.is_sign_negative() {
            return Err(invalid(
                a,
                "quantity must be positive and unit cost not negative",
            ));
        }
        let (ccy, major, base) = ctx.money(a.quantity.times(a.unit_price)?, &a.currency, a.date)?;
        let cost_local = ctx.convert(major, ccy, ctx.asset_ccy[x], a.date)?;
        Ok(Lot {
            acquired: a.date,
            quantity: a.quantity,
            cost_base: base,
            cost_local,
        })
    }

    /// Cash leaving or arriving; linked pairs are internal to the portfolio.
    pub(crate) fn cash_transfer(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
    ) -> Result<Effect, EngineError> {
        if !ctx.accounts[acc].tracks_cash {
            return Err(invalid(
                a,
                "this account does not track cash; transfer the security instead",
            ));
        }
        let t = TradeAmounts::of(ctx, a, a.amount)?;
        let amount = ctx.convert(t.gross.0, t.ccy, ctx.account_ccy[acc], a.date)?;
        let costs = ctx.convert(t.costs()?.0, t.ccy, ctx.account_ccy[acc], a.date)?;
        let out = a.kind == crate::domain::ActivityType::TransferOut;
        let internal = self.link_cash(a, out, t.gross.1, amount)?;
        let state = &mut self.state.accounts[acc];
        state.fees.inc(t.fee.1)?;
        state.taxes.inc(t.tax.1)?;
        let (cash, flow) = match out {
            true => (-amount, -t.gross.1),
            false => (amount, t.gross.1),
        };
        Ok(Effect {
            date: a.date,
            account: acc,
            cash: cash.minus(costs)?,
            flow,
            internal,
            fees: t.fee.1,
            taxes: t.tax.1,
            ..Effect::default()
        })
    }
}

impl Ledger {
    /// Parks a linked cash TRANSFER_OUT, or receives its TRANSFER_IN; returns whether the
    /// transfer is internal to the portfolio.
    fn link_cash(
        &mut self,
        a: &EngineActivity,
        out: bool,
        base: Decimal,
        amount: Decimal,
    ) -> Result<bool, EngineError> {
        if out {
            let linked = self.linked.contains(&a.id);
            if linked {
                let parked = InTransit {
                    asset: None,
                    date: a.date,
                    consumed: Consumed::default(),
                    value_base: base,
                    cash_local: amount,
                };
                self.state.in_transit.insert(a.id, parked);
            }
            return Ok(linked);
        }
        let Some(from) = a.transfer_of else {
            return Ok(false);
        };
        let parked = self
            .state
            .in_transit
            .remove(&from)
            .ok_or(unknown(a, "transfer"))?;
        if parked.asset.is_some() || parked.date != a.date {
            return Err(invalid(
                a,
                "a cash transfer in must match a cash transfer out on the same date",
            ));
        }
        Ok(true)
    }
}

/// Adds a transfer fee to the moved lots' cost, in proportion to their quantity; the last
/// piece takes the remainder so the parts add up exactly.
fn prorate(
    consumed: &mut Consumed,
    base: Decimal,
    local: Decimal,
    quantity: Decimal,
) -> Result<(), Overflow> {
    let (mut left_base, mut left_local) = (base, local);
    let last = consumed.lots.len().saturating_sub(1);
    for (i, lot) in consumed.lots.iter_mut().enumerate() {
        let (b, l) = match i == last {
            true => (left_base, left_local),
            false => (
                share(base, lot.quantity, quantity)?.round_dp(ALLOCATION_DP),
                share(local, lot.quantity, quantity)?.round_dp(ALLOCATION_DP),
            ),
        };
        lot.cost_base.inc(b)?;
        lot.cost_local.inc(l)?;
        left_base.dec(b)?;
        left_local.dec(l)?;
    }
    consumed.cost_base.inc(base)?;
    consumed.cost_local.inc(local)?;
    Ok(())
}
