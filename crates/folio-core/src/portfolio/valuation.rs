//! Daily valuation: a sweep over calendar days that applies each day's effects and
//! values what is held with the last known price and rate (carried forward).
//!
//! A holding without any price yet is valued at cost and the day is flagged. The sweep
//! keeps a checkpoint at the start of every month so that a change dated `d` re-runs
//! from the month of `d` only.

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::checked::{Checked, Overflow};
use super::context::Context;
use super::error::EngineError;
use super::ledger::Effect;
use super::scope::ScopeFilter;

/// One day of a valuation series, in base currency. Cumulative fields run from the
/// first activity in scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DailyPoint {
    /// The day (values are at its close).
    pub date: Date,
    /// Holdings at market value (at cost where no price is known yet).
    pub market_value: Decimal,
    /// Cash balances converted at the day's rates (zero for holding scopes).
    pub cash: Decimal,
    /// `market_value + cash`: the value returns are measured on.
    pub value: Decimal,
    /// Cost basis of open lots.
    pub cost_basis: Decimal,
    /// Cumulative net external flows (money put in minus money taken out).
    pub net_contributions: Decimal,
    /// External inflows on this day (counted at the start of the day by TWR).
    pub inflow: Decimal,
    /// External outflows on this day, as a positive number (counted at the end).
    pub outflow: Decimal,
    /// Cumulative dividends and interest (gross).
    pub income: Decimal,
    /// Cumulative fees and taxes reported as separate costs.
    pub costs: Decimal,
    /// Cumulative realized gain.
    pub realized: Decimal,
    /// Some holding had no price yet and was valued at cost.
    pub price_missing: bool,
}

impl Default for DailyPoint {
    fn default() -> Self {
        let zero = Decimal::ZERO;
        Self {
            date: Date::MIN,
            market_value: zero,
            cash: zero,
            value: zero,
            cost_basis: zero,
            net_contributions: zero,
            inflow: zero,
            outflow: zero,
            income: zero,
            costs: zero,
            realized: zero,
            price_missing: false,
        }
    }
}

/// Running totals of a sweep at the start of a day.
#[derive(Debug, Clone)]
struct SweepState {
    qty: Vec<Decimal>,
    cost: Vec<Decimal>,
    cash: Vec<Decimal>,
    point: DailyPoint,
    next_effect: usize,
}

/// A valuation sweep for one scope, resumable from monthly checkpoints.
#[derive(Debug, Clone)]
pub(crate) struct Sweep {
    filter: ScopeFilter,
    pub points: Vec<DailyPoint>,
    checkpoints: Vec<(Date, SweepState)>,
}

impl Sweep {
    /// Values `filter`'s scope every day from its first effect to `end`.
    pub fn full(
        ctx: &Context,
        effects: &[Effect],
        filter: ScopeFilter,
        end: Date,
    ) -> Result<Self, EngineError> {
        let mut sweep = Self {
            filter,
            points: Vec::new(),
            checkpoints: Vec::new(),
        };
        let Some(first) = effects
            .iter()
            .find(|e| sweep.filter.matches(e))
            .map(|e| e.date)
        else {
            return Ok(sweep);
        };
        let state = SweepState {
            qty: vec![Decimal::ZERO; ctx.assets.len()],
            cost: vec![Decimal::ZERO; ctx.assets.len()],
            cash: vec![Decimal::ZERO; ctx.accounts.len()],
            point: DailyPoint::default(),
            next_effect: 0,
        };
        sweep.run(ctx, effects, state, first, end)?;
        Ok(sweep)
    }

    /// Re-values from the month containing `from` (effects before `from` must be
    /// unchanged); falls back to a full sweep when `from` precedes the series.
    pub fn resume(
        &mut self,
        ctx: &Context,
        effects: &[Effect],
        from: Date,
        end: Date,
    ) -> Result<(), EngineError> {
        let keep = self.checkpoints.partition_point(|c| c.0 <= from);
        if keep == 0 {
            *self = Self::full(ctx, effects, self.filter, end)?;
            return Ok(());
        }
        self.checkpoints.truncate(keep);
        let (date, state) = self.checkpoints.pop().expect("keep > 0");
        let start = self.points.partition_point(|p| p.date < date);
        self.points.truncate(start);
        self.run(ctx, effects, state, date, end)
    }

    fn run(
        &mut self,
        ctx: &Context,
        effects: &[Effect],
        mut s: SweepState,
        from: Date,
        end: Date,
    ) -> Result<(), EngineError> {
        let mut cursors = Cursors {
            assets: self.filter.assets(ctx),
            prices: vec![None; ctx.assets.len()],
            fx: vec![None; ctx.currencies.len()],
        };
        let mut day = from;
        while day <= end {
            if day.day() == 1 || day == from {
                self.checkpoints.push((day, s.clone()));
            }
            s.point.inflow = Decimal::ZERO;
            s.point.outflow = Decimal::ZERO;
            let (market_value, cash, price_missing, value) = self
                .value_day(ctx, effects, &mut s, &mut cursors, day)
                .map_err(|e| e.on_date(day))?;
            s.point = DailyPoint {
                date: day,
                market_value,
                cash,
                value,
                price_missing,
                ..s.point
            };
            self.points.push(s.point.clone());
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        Ok(())
    }

    /// Applies `day`'s effects to `s` and values it: (market value, cash, price
    /// missing, value).
    fn value_day(
        &self,
        ctx: &Context,
        effects: &[Effect],
        s: &mut SweepState,
        cursors: &mut Cursors,
        day: Date,
    ) -> Result<(Decimal, Decimal, bool, Decimal), EngineError> {
        while let Some(e) = effects.get(s.next_effect).filter(|e| e.date <= day) {
            if self.filter.matches(e) {
                self.apply(s, e)?;
            }
            s.next_effect = s.next_effect.saturating_add(1);
        }
        let (market_value, cash, price_missing) = cursors.value(ctx, s, day)?;
        Ok((market_value, cash, price_missing, market_value.plus(cash)?))
    }

    fn apply(&self, s: &mut SweepState, e: &Effect) -> Result<(), Overflow> {
        if let Some(x) = e.asset {
            s.qty[x].inc(e.quantity)?;
            s.cost[x].inc(e.cost_base)?;
        }
        let p = &mut s.point;
        p.cost_basis.inc(e.cost_base)?;
        let flow = self.filter.flow(e);
        if flow.is_sign_positive() {
            p.inflow.inc(flow)?;
        } else {
            p.outflow.dec(flow)?;
        }
        p.net_contributions.inc(flow)?;
        if self.filter.includes_cash() {
            s.cash[e.account].inc(e.cash)?;
        }
        p.income.inc(e.income)?;
        p.costs.inc(e.fees.plus(e.taxes)?)?;
        p.realized.inc(e.realized)?;
        Ok(())
    }
}

/// Forward-only positions in every price and rate series during one sweep.
struct Cursors {
    assets: Vec<usize>,
    prices: Vec<Option<usize>>,
    fx: Vec<Option<usize>>,
}

impl Cursors {
    /// (market value, cash, some holding valued at cost) of the state on `day`, in base.
    fn value(
        &mut self,
        ctx: &Context,
        s: &SweepState,
        day: Date,
    ) -> Result<(Decimal, Decimal, bool), EngineError> {
        let mut sub = vec![Decimal::ZERO; ctx.currencies.len()];
        let (mut at_cost, mut missing) = (Decimal::ZERO, false);
        for &x in &self.assets {
            if s.qty[x].is_zero() {
                continue;
            }
            let price = match cursor_point(&mut self.prices[x], ctx.prices[x].points(), day) {
                Some((pd, p)) if ctx.splits[x].is_empty() || pd == day => p,
                Some((pd, p)) => ctx.carry(x, pd, day, p)?,
                None => {
                    missing = true;
                    at_cost.inc(s.cost[x])?;
                    continue;
                }
            };
            sub[ctx.asset_ccy[x]].inc(s.qty[x].times(price)?)?;
        }
        let mut cash = vec![Decimal::ZERO; ctx.currencies.len()];
        for (acc, c) in s.cash.iter().enumerate() {
            cash[ctx.account_ccy[acc]].inc(*c)?;
        }
        let (mut mv, mut cash_base) = (at_cost, Decimal::ZERO);
        for ccy in 0..ctx.currencies.len() {
            if sub[ccy].is_zero() && cash[ccy].is_zero() {
                continue;
            }
            let rate = rate_on(ctx, &mut self.fx[ccy], ccy, day)?;
            mv.inc(sub[ccy].times(rate)?)?;
            cash_base.inc(cash[ccy].times(rate)?)?;
        }
        Ok((mv, cash_base, missing))
    }
}

/// Advances a per-series cursor to `day` and returns the value on or before it.
fn cursor(pos: &mut Option<usize>, points: &[(Date, Decimal)], day: Date) -> Option<Decimal> {
    cursor_point(pos, points, day).map(|p| p.1)
}

/// Like [`cursor`], with the date of the point found.
fn cursor_point(
    pos: &mut Option<usize>,
    points: &[(Date, Decimal)],
    day: Date,
) -> Option<(Date, Decimal)> {
    let i = pos.get_or_insert_with(|| points.partition_point(|p| p.0 <= day));
    while points.get(*i).is_some_and(|p| p.0 <= day) {
        *i = i.saturating_add(1);
    }
    i.checked_sub(1).map(|k| points[k])
}

fn rate_on(
    ctx: &Context,
    pos: &mut Option<usize>,
    ccy: usize,
    day: Date,
) -> Result<Decimal, EngineError> {
    if ccy == 0 {
        return Ok(Decimal::ONE);
    }
    let points = ctx.to_base[ccy].as_ref().map(|s| s.points()).unwrap_or(&[]);
    cursor(pos, points, day).ok_or_else(|| EngineError::MissingFxRate {
        from: ctx.currencies[ccy].clone(),
        to: ctx.currencies[0].clone(),
        date: day,
    })
}
