//! Exchange-rate updates without a rebuild: a new, corrected or deleted rate re-runs the
//! portfolio from its date only.
//!
//! A rate reaches the ledger (flows, cost and realized gains are booked in base currency
//! at the activity's date) and the daily valuation, and only for days on or after its
//! date (the latest rate on or before a day is used). So the ledger is rewound to its
//! checkpoint before the earliest changed date and replayed, and the total series is
//! re-valued from there — exactly what an activity edit on that date does.

use rust_decimal::Decimal;
use time::Date;

use super::engine::Portfolio;
use super::error::EngineError;
use crate::domain::CurrencyCode;

impl Portfolio {
    /// Adds or corrects exchange rates (`(from, to, date, rate)`: on `date` one `from`
    /// bought `rate` units of `to`), with one recomputation from the earliest date.
    ///
    /// As after any failed update, a portfolio that returns an error may be partly
    /// updated: rebuild it.
    pub fn upsert_fx_rates(
        &mut self,
        rates: impl IntoIterator<Item = (CurrencyCode, CurrencyCode, Date, Decimal)>,
    ) -> Result<(), EngineError> {
        let mut earliest: Option<Date> = None;
        for (from, to, date, rate) in rates {
            self.ctx.fx.insert(&from, &to, date, rate);
            earliest = Some(earliest.map_or(date, |e| e.min(date)));
        }
        match earliest {
            Some(date) => self.refx(date),
            None => Ok(()),
        }
    }

    /// Removes the `from`→`to` rate on `date` (nothing happens when there is none); the
    /// days it covered fall back to the latest earlier rate.
    pub fn remove_fx_rate(
        &mut self,
        from: &CurrencyCode,
        to: &CurrencyCode,
        date: Date,
    ) -> Result<(), EngineError> {
        if !self.ctx.fx.remove(from, to, date) {
            return Ok(());
        }
        self.refx(date)
    }

    /// Re-reads the rates to base and recomputes ledger and valuation from `from`.
    fn refx(&mut self, from: Date) -> Result<(), EngineError> {
        self.ctx.refresh_rates();
        if from > self.end {
            return Ok(());
        }
        self.replay_ledger_from(from)?;
        // Days before the first valued day do not exist: no need to re-value from there.
        let first = self.total.points.first().map_or(from, |p| p.date);
        self.total
            .resume(&self.ctx, &self.ledger.effects, from.max(first), self.end)
    }
}
