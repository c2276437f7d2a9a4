//! Returns for a scope and range — time-weighted, money-weighted (XIRR) and simple —
//! each with an [`Explanation`] of the inputs it was computed from.
#![allow(clippy::disallowed_types, clippy::float_arithmetic)]

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Serialize;
use time::Date;

use super::checked::{Checked, Overflow, sum};
use super::engine::Portfolio;
use super::error::EngineError;
use super::range::{Range, days_between};
use super::scope::{Scope, ScopeFilter};
use super::twr::twr_factor;
use super::valuation::DailyPoint;
use super::xirr::{Xirr, xirr};

/// One external flow of a range, net per day, in base currency (+ = into the scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flow {
    /// The day.
    pub date: Date,
    /// Money put in on that day.
    pub inflow: Decimal,
    /// Money taken out on that day (positive).
    pub outflow: Decimal,
}

/// The working behind a return: enough to redo it by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// What was measured.
    pub scope: Scope,
    /// Which range ("YTD", …).
    pub range: &'static str,
    /// The close the return starts from (value `start_value`).
    pub base_date: Date,
    /// Value at the base date's close (0 before the first activity).
    pub start_value: Decimal,
    /// The last day measured.
    pub end_date: Date,
    /// Value at the end date's close.
    pub end_value: Decimal,
    /// Every day with an external flow.
    pub flows: Vec<Flow>,
    /// Sum of inflows minus outflows.
    pub net_flows: Decimal,
    /// Days from base date to end date.
    pub days: i64,
    /// Dividends and interest received in the range.
    pub income: Decimal,
    /// Gains realized in the range.
    pub realized: Decimal,
    /// Fees and taxes reported as separate costs in the range.
    pub costs: Decimal,
    /// Days on which some holding had no price and was valued at cost.
    pub days_valued_at_cost: usize,
}

/// The returns of one scope over one range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Returns {
    /// Time-weighted return over the range (0.05 = 5%).
    pub twr: Decimal,
    /// TWR annualized; only for ranges of 365 days or more.
    pub twr_annualized: Option<Decimal>,
    /// Money-weighted return (XIRR), or why there is none.
    pub mwr: Result<Xirr, EngineError>,
    /// Gain: end value − start value − net flows.
    pub gain: Decimal,
    /// Simple return: gain / (start value + inflows); `None` when nothing was invested.
    pub simple: Option<Decimal>,
    /// Simple return annualized; only for ranges of 365 days or more.
    pub simple_annualized: Option<Decimal>,
    /// The inputs.
    pub explanation: Explanation,
}

impl Portfolio {
    /// Returns of `scope` over `range`, measured up to the portfolio's last valued day.
    pub fn returns(&self, scope: Scope, range: Range) -> Result<Returns, EngineError> {
        let owned;
        let points: &[DailyPoint] = match ScopeFilter::resolve(&self.ctx, scope)? {
            ScopeFilter::Total => &self.total.points,
            _ => {
                owned = self.series(scope)?;
                &owned
            }
        };
        returns_of(points, scope, range, self.end)
    }
}

/// Returns from a valuation series (days must be consecutive).
pub(crate) fn returns_of(
    points: &[DailyPoint],
    scope: Scope,
    range: Range,
    last: Date,
) -> Result<Returns, EngineError> {
    let first = points.first().map_or(last, |p| p.date);
    let (base, end) = range.resolve(first, last);
    if end <= base {
        return Err(EngineError::EmptyRange { start: base, end });
    }
    let at = |d: Date| points.partition_point(|p| p.date <= d);
    let (from, to) = (at(base), at(end));
    let start = from
        .checked_sub(1)
        .map(|i| points[i].clone())
        .unwrap_or_default();
    let days = &points[from..to];
    let end_point = days.last().cloned().unwrap_or_else(|| start.clone());
    let factor = twr_factor(start.value, days)?;
    let explanation = explain(&start, &end_point, days, scope, range, base, end)?;
    let e = &explanation;
    let gain = e.end_value.minus(e.start_value)?.minus(e.net_flows)?;
    let invested = e.start_value.plus(sum(e.flows.iter().map(|f| f.inflow))?)?;
    let simple = match invested.is_zero() {
        true => None,
        false => Some(gain.div_by(invested)?),
    };
    let simple_factor = simple.map(|s| s.plus(Decimal::ONE)).transpose()?;
    let n = e.days;
    Ok(Returns {
        twr: factor.minus(Decimal::ONE)?,
        twr_annualized: annualize(factor, n),
        mwr: xirr_flows(e).map_or_else(|o| Err(o.into()), |flows| xirr(&flows)),
        gain,
        simple,
        simple_annualized: simple_factor.and_then(|f| annualize(f, n)),
        explanation,
    })
}

fn explain(
    start: &DailyPoint,
    end: &DailyPoint,
    days: &[DailyPoint],
    scope: Scope,
    range: Range,
    base: Date,
    end_date: Date,
) -> Result<Explanation, Overflow> {
    let flows: Vec<Flow> = days
        .iter()
        .filter(|p| !p.inflow.is_zero() || !p.outflow.is_zero())
        .map(|p| Flow {
            date: p.date,
            inflow: p.inflow,
            outflow: p.outflow,
        })
        .collect();
    let net_flows = flows
        .iter()
        .try_fold(Decimal::ZERO, |n, f| n.plus(f.inflow)?.minus(f.outflow))?;
    Ok(Explanation {
        scope,
        range: range.label(),
        base_date: base,
        start_value: start.value,
        end_date,
        end_value: end.value,
        net_flows,
        flows,
        days: days_between(base, end_date),
        income: end.income.minus(start.income)?,
        realized: end.realized.minus(start.realized)?,
        costs: end.costs.minus(start.costs)?,
        days_valued_at_cost: days.iter().filter(|p| p.price_missing).count(),
    })
}

/// Investor-side flows: the start value and inflows paid in (negative), outflows and
/// the end value received (positive).
fn xirr_flows(e: &Explanation) -> Result<Vec<(Date, Decimal)>, Overflow> {
    let mut flows = vec![(e.base_date, -e.start_value)];
    for f in &e.flows {
        flows.push((f.date, f.outflow.minus(f.inflow)?));
    }
    flows.push((e.end_date, e.end_value));
    Ok(flows)
}

/// `factor^(365/days) − 1` for periods of at least a year; the exponent is a rate-only
/// computation, so f64 is acceptable here (money never passes through it).
fn annualize(factor: Decimal, days: i64) -> Option<Decimal> {
    if days < 365 || factor < Decimal::ZERO {
        return None;
    }
    let years = i32::try_from(days).ok().map(f64::from)? / 365.0;
    let value = factor.to_f64()?.powf(1.0 / years) - 1.0;
    Decimal::from_f64(value).map(|d| d.round_dp(10))
}
