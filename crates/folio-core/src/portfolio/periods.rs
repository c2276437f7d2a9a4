//! Calendar-period returns (each month, each year), the maximum drawdown, and price
//! returns of a benchmark, all read off an *index*: a dated series whose ratio between
//! two dates is the growth over that span.
//!
//! A scope's index is its TWR chained day by day (1 at the close before its first day),
//! so a month's return is `I(last day of the month) / I(last day before it) − 1` — the
//! same daily chain-linking as [`Portfolio::returns`], cut at month ends. A benchmark's
//! index is its price history (as-traded closes, latest on or before each date).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use time::{Date, Month};

use super::checked::{Checked, Overflow};
use super::engine::Portfolio;
use super::error::EngineError;
use super::scope::{Scope, ScopeFilter};
use super::twr::day_factor;
use super::valuation::DailyPoint;

/// Returns per calendar month and year (0.05 = 5%). A period appears only when the
/// index has a value at its end and at the end of the period before (or its base).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeriodReturns {
    /// Per (year, month 1–12).
    pub monthly: BTreeMap<(i32, u8), Decimal>,
    /// Per calendar year (partial years measure only the days covered).
    pub yearly: BTreeMap<i32, Decimal>,
}

/// The largest peak-to-trough fall of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drawdown {
    /// The fall as a ratio of the peak (−0.25 = −25%); never positive.
    pub depth: Decimal,
    /// The date of the peak.
    pub peak: Date,
    /// The date of the trough.
    pub trough: Date,
    /// The first date after the trough on which the peak was regained, if any.
    pub recovered: Option<Date>,
}

impl Portfolio {
    /// The TWR index of `scope`: `(date, factor)` with the factor 1 at the close before
    /// the scope's first day, then the chained daily factors. Empty when nothing is in
    /// scope.
    pub fn twr_index(&self, scope: Scope) -> Result<Vec<(Date, Decimal)>, EngineError> {
        let owned;
        let points: &[DailyPoint] = match ScopeFilter::resolve(&self.ctx, scope)? {
            ScopeFilter::Total => &self.total.points,
            _ => {
                owned = self.series(scope)?;
                &owned
            }
        };
        Ok(index_of(points)?)
    }

    /// TWR of `scope` per calendar month and year.
    pub fn period_returns(&self, scope: Scope) -> Result<PeriodReturns, EngineError> {
        period_returns(&self.twr_index(scope)?)
    }

    /// The maximum drawdown of `scope`'s TWR index; `None` when it never fell.
    pub fn max_drawdown(&self, scope: Scope) -> Result<Option<Drawdown>, EngineError> {
        max_drawdown(&self.twr_index(scope)?)
    }
}

/// Chains a daily valuation series into a TWR index (see [`Portfolio::twr_index`]).
pub(crate) fn index_of(points: &[DailyPoint]) -> Result<Vec<(Date, Decimal)>, Overflow> {
    let Some(first) = points.first() else {
        return Ok(Vec::new());
    };
    let mut index = Vec::with_capacity(points.len().saturating_add(1));
    index.push((
        first.date.previous_day().unwrap_or(first.date),
        Decimal::ONE,
    ));
    let (mut factor, mut prev) = (Decimal::ONE, Decimal::ZERO);
    for p in points {
        factor = factor.times(day_factor(prev, p)?)?;
        prev = p.value;
        index.push((p.date, factor));
    }
    Ok(index)
}

/// The value of an index on `date`: its latest point on or before it.
pub fn value_on(index: &[(Date, Decimal)], date: Date) -> Option<Decimal> {
    let at = index.partition_point(|p| p.0 <= date);
    at.checked_sub(1).map(|i| index[i].1)
}

/// `end / start − 1`; `None` when the start is missing or not positive.
fn growth(start: Option<Decimal>, end: Option<Decimal>) -> Result<Option<Decimal>, Overflow> {
    match (start, end) {
        (Some(s), Some(e)) if s > Decimal::ZERO => Ok(Some(e.div_by(s)?.minus(Decimal::ONE)?)),
        _ => Ok(None),
    }
}

/// The return of an index from the close of `base` to the close of `end`; `None` when
/// the index has no value on or before `base` (too little history).
pub fn index_return(
    index: &[(Date, Decimal)],
    base: Date,
    end: Date,
) -> Result<Option<Decimal>, EngineError> {
    Ok(growth(value_on(index, base), value_on(index, end))?)
}

/// A price history as a split-neutral index: each close times the ratios of the splits
/// dated on or before it (a 2:1 split halves the as-traded price; the index does not
/// move). `splits` are (date, ratio) in any order; a date given twice counts once.
pub fn split_adjusted(
    prices: &[(Date, Decimal)],
    splits: &[(Date, Decimal)],
) -> Result<Vec<(Date, Decimal)>, EngineError> {
    let mut splits: Vec<(Date, Decimal)> = splits.to_vec();
    splits.sort_by_key(|s| s.0);
    splits.dedup_by_key(|s| s.0);
    let mut out = Vec::with_capacity(prices.len());
    let (mut next, mut factor) = (0, Decimal::ONE);
    for &(date, close) in prices {
        while let Some(&(_, ratio)) = splits.get(next).filter(|s| s.0 <= date) {
            if ratio > Decimal::ZERO {
                factor = factor.times(ratio)?;
            }
            next = next.saturating_add(1);
        }
        out.push((date, close.times(factor)?));
    }
    Ok(out)
}

/// Returns per calendar month and year of an index, from the month of its first point
/// to the month of its last. The first period is measured from the first point.
pub fn period_returns(index: &[(Date, Decimal)]) -> Result<PeriodReturns, EngineError> {
    Ok(periods_of(index)?)
}

fn periods_of(index: &[(Date, Decimal)]) -> Result<PeriodReturns, Overflow> {
    let mut out = PeriodReturns::default();
    let (Some(&(first, _)), Some(&(last, _))) = (index.first(), index.last()) else {
        return Ok(out);
    };
    // The first point is the base: the first period ends after it.
    let mut month = month_start(first);
    while month <= last {
        let (y, m) = (month.year(), month.month());
        let end = month_end(month).min(last);
        let base = month.previous_day().unwrap_or(month).max(first);
        if end > base {
            if let Some(r) = growth(value_on(index, base), value_on(index, end))? {
                out.monthly.insert((y, u8::from(m)), r);
            }
            if m == Month::December || end == last {
                let year_base = year_start(y).previous_day().unwrap_or(first).max(first);
                if let Some(r) = growth(value_on(index, year_base), value_on(index, end))? {
                    out.yearly.insert(y, r);
                }
            }
        }
        let Some(next) = month_end(month).next_day() else {
            break;
        };
        month = next;
    }
    Ok(out)
}

/// The largest fall from a running peak to a later point (`None` if it never fell).
pub fn max_drawdown(index: &[(Date, Decimal)]) -> Result<Option<Drawdown>, EngineError> {
    Ok(drawdown_of(index)?)
}

fn drawdown_of(index: &[(Date, Decimal)]) -> Result<Option<Drawdown>, Overflow> {
    let mut worst: Option<Drawdown> = None;
    let Some(&(mut peak_date, mut peak)) = index.first() else {
        return Ok(None);
    };
    for &(date, v) in index {
        if v > peak {
            peak = v;
            peak_date = date;
            continue;
        }
        if peak <= Decimal::ZERO {
            continue;
        }
        let depth = v.div_by(peak)?.minus(Decimal::ONE)?;
        if depth < worst.as_ref().map_or(Decimal::ZERO, |w| w.depth) {
            worst = Some(Drawdown {
                depth,
                peak: peak_date,
                trough: date,
                recovered: None,
            });
        }
    }
    if let Some(w) = &mut worst {
        let peak = value_on(index, w.peak).unwrap_or(Decimal::ZERO);
        w.recovered = index
            .iter()
            .find(|p| p.0 > w.trough && p.1 >= peak)
            .map(|p| p.0);
    }
    Ok(worst)
}

fn month_start(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

fn month_end(month_start: Date) -> Date {
    let days = month_start.month().length(month_start.year());
    month_start.replace_day(days).unwrap_or(month_start)
}

fn year_start(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

#[cfg(test)]
#[path = "periods_tests.rs"]
mod tests;
