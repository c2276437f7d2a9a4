//! Income: dividends and interest by month and year, trailing twelve months, and yield
//! on cost, for any scope.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use time::{Date, Duration};

use super::checked::{Checked, Overflow};
use super::engine::Portfolio;
use super::error::EngineError;
use super::scope::{Scope, ScopeFilter};

/// Income of a scope, gross, in base currency at the rate of each payment date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IncomeReport {
    /// Per (year, month 1–12).
    pub by_month: BTreeMap<(i32, u8), Decimal>,
    /// Per year.
    pub by_year: BTreeMap<i32, Decimal>,
    /// Everything received.
    pub total: Decimal,
    /// Received in the 365 days up to and including the portfolio's last day.
    pub trailing_12m: Decimal,
    /// `trailing_12m / cost basis of open lots`; `None` when the cost basis is zero.
    pub yield_on_cost: Option<Decimal>,
}

impl Portfolio {
    /// Income report of `scope`.
    pub fn income(&self, scope: Scope) -> Result<IncomeReport, EngineError> {
        let filter = ScopeFilter::resolve(&self.ctx, scope)?;
        Ok(self.income_of(filter)?)
    }

    fn income_of(&self, filter: ScopeFilter) -> Result<IncomeReport, Overflow> {
        let since: Date = self.end.saturating_sub(Duration::days(364));
        let mut report = IncomeReport::default();
        for e in self
            .ledger
            .effects
            .iter()
            .filter(|e| !e.income.is_zero() && filter.matches(e))
        {
            let month = u8::from(e.date.month());
            let by_month = report.by_month.entry((e.date.year(), month));
            by_month.or_default().inc(e.income)?;
            report
                .by_year
                .entry(e.date.year())
                .or_default()
                .inc(e.income)?;
            report.total.inc(e.income)?;
            if e.date >= since {
                report.trailing_12m.inc(e.income)?;
            }
        }
        let cost = self.cost_basis(filter)?;
        report.yield_on_cost = match cost.is_zero() {
            true => None,
            false => Some(report.trailing_12m.div_by(cost)?),
        };
        Ok(report)
    }
}
