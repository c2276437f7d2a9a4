//! Semantics of BUY, SELL and SPLIT: lots in, lots out, realized gain.
//!
//! See `docs/calculations.md` § "Buy", "Sell" and "Split" for the formulas with worked
//! examples.

use rust_decimal::Decimal;

use super::checked::{Checked, Overflow};
use super::context::Context;
use super::error::EngineError;
use super::input::EngineActivity;
use super::ledger::{Disposal, Effect, Ledger, invalid};
use super::lots::{Lot, TakeError};

/// A trade's amounts, each as (major amount in the activity currency, base amount).
pub(crate) struct TradeAmounts {
    pub ccy: usize,
    pub gross: (Decimal, Decimal),
    pub fee: (Decimal, Decimal),
    pub tax: (Decimal, Decimal),
}

impl TradeAmounts {
    /// Reads and checks quantity × price, fee and tax of `a`.
    pub fn of(ctx: &Context, a: &EngineActivity, gross: Decimal) -> Result<Self, EngineError> {
        if a.fee.is_sign_negative() || a.tax.is_sign_negative() || gross.is_sign_negative() {
            return Err(invalid(
                a,
                "amounts, prices, fees and taxes must not be negative",
            ));
        }
        let (ccy, [gross, fee, tax]) = ctx.moneys([gross, a.fee, a.tax], &a.currency, a.date)?;
        Ok(Self {
            ccy,
            gross,
            fee,
            tax,
        })
    }

    /// Fee plus tax, (major, base).
    pub fn costs(&self) -> Result<(Decimal, Decimal), Overflow> {
        Ok((self.fee.0.plus(self.tax.0)?, self.fee.1.plus(self.tax.1)?))
    }

    /// Gross plus fee and tax (what a buy pays), (major, base).
    pub fn gross_plus_costs(&self) -> Result<(Decimal, Decimal), Overflow> {
        let (c, c_base) = self.costs()?;
        Ok((self.gross.0.plus(c)?, self.gross.1.plus(c_base)?))
    }

    /// Gross less fee and tax (what a sell or a dividend nets), (major, base).
    pub fn gross_less_costs(&self) -> Result<(Decimal, Decimal), Overflow> {
        let (c, c_base) = self.costs()?;
        Ok((self.gross.0.minus(c)?, self.gross.1.minus(c_base)?))
    }

    /// The part of fee and tax that goes into cost basis / comes off proceeds.
    pub fn capitalised(&self, ctx: &Context) -> Result<(Decimal, Decimal), Overflow> {
        if ctx.settings.fees_in_cost_basis {
            self.costs()
        } else {
            Ok((Decimal::ZERO, Decimal::ZERO))
        }
    }

    /// The part of fee and tax reported as separate costs, (fees base, taxes base).
    pub fn expensed(&self, ctx: &Context) -> (Decimal, Decimal) {
        if ctx.settings.fees_in_cost_basis {
            (Decimal::ZERO, Decimal::ZERO)
        } else {
            (self.fee.1, self.tax.1)
        }
    }
}

fn positive_quantity(a: &EngineActivity) -> Result<Decimal, EngineError> {
    if a.quantity <= Decimal::ZERO {
        return Err(invalid(a, "quantity must be greater than zero"));
    }
    Ok(a.quantity)
}

impl Ledger {
    /// BUY: a new lot at quantity × price (+ fee and tax when capitalised).
    pub(crate) fn buy(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
        x: usize,
    ) -> Result<Effect, EngineError> {
        let q = positive_quantity(a)?;
        let t = TradeAmounts::of(ctx, a, q.times(a.unit_price)?)?;
        let (cap, cap_base) = t.capitalised(ctx)?;
        let (fees, taxes) = t.expensed(ctx);
        let cost_base = t.gross.1.plus(cap_base)?;
        let cost_local = ctx.convert(t.gross.0.plus(cap)?, t.ccy, ctx.asset_ccy[x], a.date)?;
        let (paid, paid_base) = t.gross_plus_costs()?;
        let cash = ctx.convert(paid, t.ccy, ctx.account_ccy[acc], a.date)?;
        let pos = self.position(acc, x);
        pos.lots.add(
            Lot {
                acquired: a.date,
                quantity: q,
                cost_base,
                cost_local,
            },
            ctx.settings.lot_method,
        )?;
        pos.fees.inc(fees)?;
        pos.taxes.inc(taxes)?;
        let tracks = ctx.accounts[acc].tracks_cash;
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: Some(x),
            quantity: q,
            cost_base,
            cash: if tracks { -cash } else { Decimal::ZERO },
            flow: if tracks { Decimal::ZERO } else { paid_base },
            holding_flow: paid_base,
            fees,
            taxes,
            ..Effect::default()
        })
    }

    /// SELL: consumes lots; realized = proceeds (net of capitalised costs) − their cost.
    pub(crate) fn sell(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
        x: usize,
    ) -> Result<Effect, EngineError> {
        let q = positive_quantity(a)?;
        let t = TradeAmounts::of(ctx, a, q.times(a.unit_price)?)?;
        let (cap, cap_base) = t.capitalised(ctx)?;
        let (fees, taxes) = t.expensed(ctx);
        let consumed = self.take(a, acc, x, q)?;
        let proceeds_base = t.gross.1.minus(cap_base)?;
        let proceeds_local = ctx.convert(t.gross.0.minus(cap)?, t.ccy, ctx.asset_ccy[x], a.date)?;
        let realized = proceeds_base.minus(consumed.cost_base)?;
        let price_effect = proceeds_local
            .minus(consumed.cost_local)?
            .times(ctx.fx_to_base(ctx.asset_ccy[x], a.date)?)?;
        let (net, net_base) = t.gross_less_costs()?;
        let cash = ctx.convert(net, t.ccy, ctx.account_ccy[acc], a.date)?;
        let cost_base = consumed.cost_base;
        let pos = self.position(acc, x);
        pos.realized.inc(realized)?;
        pos.realized_price.inc(price_effect)?;
        pos.realized_fx.inc(realized.minus(price_effect)?)?;
        pos.fees.inc(fees)?;
        pos.taxes.inc(taxes)?;
        let disposal = Disposal {
            activity: a.id,
            account: a.account,
            asset: ctx.assets[x].id,
            date: a.date,
            quantity: q,
            proceeds: proceeds_base,
            consumed,
            realized,
        };
        self.disposals.push((acc, x, disposal));
        let tracks = ctx.accounts[acc].tracks_cash;
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: Some(x),
            quantity: -q,
            cost_base: -cost_base,
            cash: if tracks { cash } else { Decimal::ZERO },
            flow: if tracks { Decimal::ZERO } else { -net_base },
            holding_flow: -net_base,
            fees,
            taxes,
            realized,
            ..Effect::default()
        })
    }

    /// Takes `q` units from a position or reports a short sale.
    pub(crate) fn take(
        &mut self,
        a: &EngineActivity,
        acc: usize,
        x: usize,
        q: Decimal,
    ) -> Result<super::lots::Consumed, EngineError> {
        self.position(acc, x).lots.take(q).map_err(|e| match e {
            TakeError::Short(held) => EngineError::InsufficientQuantity {
                activity: a.id,
                date: a.date,
                account: a.account,
                asset: a.asset.unwrap_or(crate::domain::AssetId::new(0)),
                wanted: q,
                held,
            },
            TakeError::Overflow => Overflow.into(),
        })
    }

    /// SPLIT: every lot's quantity × ratio, cost unchanged.
    pub(crate) fn split(
        &mut self,
        a: &EngineActivity,
        acc: usize,
        x: usize,
    ) -> Result<Effect, EngineError> {
        let ratio = positive_quantity(a)?;
        let pos = self.position(acc, x);
        let before = pos.lots.quantity()?;
        pos.lots.split(ratio)?;
        let after = pos.lots.quantity()?;
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: Some(x),
            quantity: after.minus(before)?,
            ..Effect::default()
        })
    }
}
