//! Semantics of DEPOSIT, WITHDRAWAL, DIVIDEND, INTEREST, FEE and TAX.
//!
//! In a cash-tracking account deposits and withdrawals are the external flows and
//! income and costs move cash. In a holdings-only account income is paid out (an
//! outflow) and costs are paid in from outside (an inflow that buys nothing), so both
//! still count in performance.

use rust_decimal::Decimal;

use super::checked::{Checked, Overflow};
use super::context::Context;
use super::error::EngineError;
use super::input::EngineActivity;
use super::ledger::{Effect, Ledger, invalid};
use super::trades::TradeAmounts;
use crate::domain::ActivityType;

impl Ledger {
    /// DEPOSIT / WITHDRAWAL: cash in or out, an external flow. Cash-tracking accounts only.
    pub(crate) fn deposit(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
    ) -> Result<Effect, EngineError> {
        if !ctx.accounts[acc].tracks_cash {
            return Err(invalid(
                a,
                "this account does not track cash, so it cannot take deposits or withdrawals",
            ));
        }
        let t = TradeAmounts::of(ctx, a, a.amount)?;
        let amount = ctx.convert(t.gross.0, t.ccy, ctx.account_ccy[acc], a.date)?;
        let costs = ctx.convert(t.costs()?.0, t.ccy, ctx.account_ccy[acc], a.date)?;
        let (cash, flow) = match a.kind == ActivityType::Deposit {
            true => (amount, t.gross.1),
            false => (-amount, -t.gross.1),
        };
        let state = &mut self.state.accounts[acc];
        state.fees.inc(t.fee.1)?;
        state.taxes.inc(t.tax.1)?;
        Ok(Effect {
            date: a.date,
            account: acc,
            cash: cash.minus(costs)?,
            flow,
            fees: t.fee.1,
            taxes: t.tax.1,
            ..Effect::default()
        })
    }

    /// DIVIDEND / INTEREST: gross `amount` is income, `tax` is withheld; the net arrives
    /// in cash or, for holdings-only accounts, is paid out.
    pub(crate) fn income(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
        x: Option<usize>,
    ) -> Result<Effect, EngineError> {
        let t = TradeAmounts::of(ctx, a, a.amount)?;
        let (net, net_base) = t.gross_less_costs()?;
        let net = ctx.convert(net, t.ccy, ctx.account_ccy[acc], a.date)?;
        let tracks = ctx.accounts[acc].tracks_cash;
        let (income, fees, taxes) = (t.gross.1, t.fee.1, t.tax.1);
        self.book(acc, x, income, fees, taxes)?;
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: x,
            cash: if tracks { net } else { Decimal::ZERO },
            flow: if tracks { Decimal::ZERO } else { -net_base },
            holding_flow: if x.is_some() {
                -net_base
            } else {
                Decimal::ZERO
            },
            income,
            fees,
            taxes,
            ..Effect::default()
        })
    }

    /// FEE / TAX: a cost charged to the account (and to the holding when an asset is given).
    pub(crate) fn cost(
        &mut self,
        ctx: &Context,
        a: &EngineActivity,
        acc: usize,
        x: Option<usize>,
    ) -> Result<Effect, EngineError> {
        let t = TradeAmounts::of(ctx, a, a.amount)?;
        let (fees, taxes) = match a.kind {
            ActivityType::Tax => (t.fee.1, t.gross.1.plus(t.tax.1)?),
            _ => (t.gross.1.plus(t.fee.1)?, t.tax.1),
        };
        let total_base = fees.plus(taxes)?;
        let total = ctx.convert(t.gross_plus_costs()?.0, t.ccy, ctx.account_ccy[acc], a.date)?;
        let tracks = ctx.accounts[acc].tracks_cash;
        self.book(acc, x, Decimal::ZERO, fees, taxes)?;
        Ok(Effect {
            date: a.date,
            account: acc,
            asset: x,
            cash: if tracks { -total } else { Decimal::ZERO },
            flow: if tracks { Decimal::ZERO } else { total_base },
            holding_flow: if x.is_some() {
                total_base
            } else {
                Decimal::ZERO
            },
            fees,
            taxes,
            ..Effect::default()
        })
    }

    /// Adds income and costs to the holding, or to the account when there is no asset.
    fn book(
        &mut self,
        acc: usize,
        x: Option<usize>,
        income: Decimal,
        fees: Decimal,
        taxes: Decimal,
    ) -> Result<(), Overflow> {
        let totals = match x {
            Some(x) => {
                let pos = self.position(acc, x);
                [&mut pos.income, &mut pos.fees, &mut pos.taxes]
            }
            None => {
                let state = &mut self.state.accounts[acc];
                [&mut state.income, &mut state.fees, &mut state.taxes]
            }
        };
        for (total, add) in totals.into_iter().zip([income, fees, taxes]) {
            total.inc(add)?;
        }
        Ok(())
    }
}
