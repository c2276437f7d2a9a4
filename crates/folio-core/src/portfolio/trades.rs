//! Semantics of BUY, SELL and SPLIT: lots in, lots out, realized gain.
//!
//! See `docs/calculations.md` § "Buy", "Sell" and "Split" for the formulas with worked
//! examples.

use rust_decimal::Decimal;

use super::context::Context;
use super::error::EngineError;
use super::input::EngineActivity;
use super::ledger::{Disposal, Effect, Ledger, invalid};
use super::lots::Lot;

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
    pub fn costs(&self) -> (Decimal, Decimal) {
        (self.fee.0 + self.tax.0, self.fee.1 + self.tax.1)
    }

    /// The part of fee and tax that goes into cost basis / comes off proceeds.
    pub fn capitalised(&self, ctx: &Context) -> (Decimal, Decimal) {
        if ctx.settings.fees_in_cost_basis {
            self.costs()
        } else {
            (Decimal::ZERO, Decimal::ZERO)
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
        let t = TradeAmounts::of(ctx, a, q * a.unit_price)?;
        let (cap, cap_base) = t.capitalised(ctx);
        let (fees, taxes) = t.expensed(ctx);
        let cost_base = t.gross.1 + cap_base;
        let cost_local = ctx.convert(t.gross.0 + cap, t.ccy, ctx.asset_ccy[x], a.date)?;
        let paid = t.gross.0 + t.costs().0;
        let paid_base = t.gross.1 + t.costs().1;
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
        );
        pos.fees += fees;
        pos.taxes += taxes;
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
        let t = TradeAmounts::of(ctx, a, q * a.unit_price)?;
        let (cap, cap_base) = t.capitalised(ctx);
        let (fees, taxes) = t.expensed(ctx);
        let consumed = self.take(a, acc, x, q)?;
        let proceeds_base = t.gross.1 - cap_base;
        let proceeds_local = ctx.convert(t.gross.0 - cap, t.ccy, ctx.asset_ccy[x], a.date)?;
        let realized = proceeds_base - consumed.cost_base;
        let price_effect =
            (proceeds_local - consumed.cost_local) * ctx.fx_to_base(ctx.asset_ccy[x], a.date)?;
        let net_base = t.gross.1 - t.costs().1;
        let cash = ctx.convert(t.gross.0 - t.costs().0, t.ccy, ctx.account_ccy[acc], a.date)?;
        let cost_base = consumed.cost_base;
        let pos = self.position(acc, x);
        pos.realized += realized;
        pos.realized_price += price_effect;
        pos.realized_fx += realized - price_effect;
        pos.fees += fees;
        pos.taxes += taxes;
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
        self.position(acc, x)
            .lots
            .take(q)
            .map_err(|held| EngineError::InsufficientQuantity {
                activity: a.id,
                date: a.date,
                account: a.account,
                asset: a.asset.unwrap_or(crate::domain::AssetId::new(0)),
                wanted: q,
                held,
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
        let before = pos.lots.quantity();
        pos.lots.split(ratio);
        let after = pos.lots.quantity();
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: Some(x),
            quantity: after - before,
            ..Effect::default()
        })
    }
}
