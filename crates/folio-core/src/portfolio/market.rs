//! Market data lookups: asset prices and exchange rates by date.
//!
//! Both answer "the latest value on or before a date"; a missing value is `None`, and the
//! caller reports it. Minor-unit currencies (GBp, GBX, ZAc, ILA) are fixed 1/100 aliases
//! of their major currency, never FX pairs.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use time::Date;

use crate::domain::{AssetId, CurrencyCode};

/// A dated series sorted by date, one value per date (a later insert on the same date wins).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatedSeries {
    points: Vec<(Date, Decimal)>,
}

impl DatedSeries {
    /// Builds a series from points in any order; the last of duplicate dates wins.
    pub fn from_points(mut points: Vec<(Date, Decimal)>) -> Self {
        points.reverse();
        points.sort_by_key(|p| p.0);
        points.dedup_by_key(|p| p.0);
        Self { points }
    }

    /// The latest point on or before `date`.
    pub fn on_or_before(&self, date: Date) -> Option<(Date, Decimal)> {
        let idx = self.points.partition_point(|p| p.0 <= date);
        idx.checked_sub(1).map(|i| self.points[i])
    }

    /// All points, sorted by date.
    pub fn points(&self) -> &[(Date, Decimal)] {
        &self.points
    }

    /// The series with every value mapped by `f`, or `f`'s first error.
    pub(crate) fn try_map_values<E>(
        &self,
        f: impl Fn(Date, Decimal) -> Result<Decimal, E>,
    ) -> Result<Self, E> {
        let points = self.points.iter().map(|&(d, v)| Ok((d, f(d, v)?)));
        Ok(Self {
            points: points.collect::<Result<_, E>>()?,
        })
    }

    /// Adds or replaces the point on `date`.
    fn upsert(&mut self, date: Date, value: Decimal) {
        match self.points.binary_search_by_key(&date, |p| p.0) {
            Ok(i) => self.points[i].1 = value,
            Err(i) => self.points.insert(i, (date, value)),
        }
    }

    /// Removes the point on `date`; whether there was one.
    fn remove(&mut self, date: Date) -> bool {
        match self.points.binary_search_by_key(&date, |p| p.0) {
            Ok(i) => {
                self.points.remove(i);
                true
            }
            Err(_) => false,
        }
    }
}

/// Closing prices (or manual valuations) per asset, in the asset's quote currency.
#[derive(Debug, Clone, Default)]
pub struct PriceBook {
    series: HashMap<AssetId, Arc<DatedSeries>>,
}

impl PriceBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the whole history of one asset.
    pub fn set(&mut self, asset: AssetId, points: Vec<(Date, Decimal)>) {
        self.series
            .insert(asset, Arc::new(DatedSeries::from_points(points)));
    }

    /// Adds or replaces one price.
    pub fn insert(&mut self, asset: AssetId, date: Date, price: Decimal) {
        Arc::make_mut(self.series.entry(asset).or_default()).upsert(date, price);
    }

    /// Removes the price of `asset` on `date`; whether there was one.
    pub fn remove(&mut self, asset: AssetId, date: Date) -> bool {
        self.series
            .get_mut(&asset)
            .is_some_and(|s| Arc::make_mut(s).remove(date))
    }

    /// The latest price of `asset` on or before `date`, with the date it was set.
    pub fn price(&self, asset: AssetId, date: Date) -> Option<(Date, Decimal)> {
        self.series.get(&asset)?.on_or_before(date)
    }

    /// The whole history of one asset.
    pub fn series(&self, asset: AssetId) -> Option<&DatedSeries> {
        self.series.get(&asset).map(|s| &**s)
    }

    /// The history of one asset as a shared handle (no copy).
    pub(crate) fn shared(&self, asset: AssetId) -> Option<Arc<DatedSeries>> {
        self.series.get(&asset).cloned()
    }
}

/// Exchange rates: `rate(from, to)` is how many `to` one `from` buys.
#[derive(Debug, Clone, Default)]
pub struct FxTable {
    pairs: HashMap<(CurrencyCode, CurrencyCode), DatedSeries>,
}

impl FxTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that on `date` one `from` bought `rate` units of `to`. Minor units are
    /// normalised to their major currency first: 85 GBp per EUR is stored as 0.85 GBP
    /// per EUR. (A rate beyond 10^26, which no currency has, cannot be normalised and is
    /// not stored.)
    pub fn insert(&mut self, from: &CurrencyCode, to: &CurrencyCode, date: Date, rate: Decimal) {
        let (from, fdiv) = from.major();
        let (to, tdiv) = to.major();
        let Some(rate) = rate
            .checked_mul(Decimal::from(fdiv))
            .and_then(|r| r.checked_div(Decimal::from(tdiv)))
        else {
            return;
        };
        self.pairs.entry((from, to)).or_default().upsert(date, rate);
    }

    /// Removes the rate recorded for `from`→`to` on `date` (minor units normalised as in
    /// [`FxTable::insert`]); whether there was one.
    pub fn remove(&mut self, from: &CurrencyCode, to: &CurrencyCode, date: Date) -> bool {
        let key = (from.major().0, to.major().0);
        self.pairs.get_mut(&key).is_some_and(|s| s.remove(date))
    }

    /// The rate from one major currency to another as a whole series (direct, or the
    /// inverse of the opposite pair). `None` when neither pair has any rate. A stored
    /// rate of 0 has no inverse and is left out of an inverted series.
    pub fn series(&self, from: &CurrencyCode, to: &CurrencyCode) -> Option<DatedSeries> {
        if let Some(s) = self.pairs.get(&(from.clone(), to.clone())) {
            return Some(s.clone());
        }
        let inverse = self.pairs.get(&(to.clone(), from.clone()))?;
        let points = inverse.points.iter();
        Some(DatedSeries {
            points: points
                .filter_map(|&(d, r)| Some((d, Decimal::ONE.checked_div(r)?)))
                .collect(),
        })
    }

    /// The latest rate on or before `date` (identity for the same major currency;
    /// minor units scale by 1/100). `None` when no rate is known yet (or the rate found
    /// cannot be inverted or scaled).
    pub fn rate(&self, from: &CurrencyCode, to: &CurrencyCode, date: Date) -> Option<Decimal> {
        let (fmaj, fdiv) = from.major();
        let (tmaj, tdiv) = to.major();
        let scale = Decimal::from(tdiv).checked_div(Decimal::from(fdiv))?;
        if fmaj == tmaj {
            return Some(scale);
        }
        if let Some((_, r)) = self
            .pairs
            .get(&(fmaj.clone(), tmaj.clone()))
            .and_then(|s| s.on_or_before(date))
        {
            return r.checked_mul(scale);
        }
        let (_, r) = self.pairs.get(&(tmaj, fmaj))?.on_or_before(date)?;
        scale.checked_div(r)
    }
}

/// Converts an amount in a possibly-minor currency to its major currency: 150 GBp is
/// 1.50 GBP.
pub fn to_major(amount: Decimal, currency: &CurrencyCode) -> (Decimal, CurrencyCode) {
    let (major, divisor) = currency.major();
    // Dividing by 1 or 100 shrinks the amount: `checked_div` cannot fail here.
    match amount.checked_div(Decimal::from(divisor)) {
        Some(value) => (value, major),
        None => (amount, major),
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ccy(s: &str) -> CurrencyCode {
        CurrencyCode::parse(s).unwrap()
    }

    #[test]
    fn a_rate_entered_in_a_minor_unit_reads_back_the_same_and_in_major_units() {
        let d = date!(2024 - 01 - 02);
        let mut fx = FxTable::new();
        // One EUR buys 85 pence, i.e. 0.85 GBP; one penny buys 0.0115 EUR.
        fx.insert(&ccy("EUR"), &ccy("GBp"), d, Decimal::new(85, 0));
        fx.insert(&ccy("GBp"), &ccy("USD"), d, Decimal::new(125, 4));
        assert_eq!(
            fx.rate(&ccy("EUR"), &ccy("GBp"), d),
            Some(Decimal::from(85))
        );
        assert_eq!(
            fx.rate(&ccy("EUR"), &ccy("GBP"), d),
            Some(Decimal::new(85, 2))
        );
        assert_eq!(
            fx.rate(&ccy("GBP"), &ccy("USD"), d),
            Some(Decimal::new(125, 2))
        );
        assert_eq!(
            fx.rate(&ccy("GBp"), &ccy("USD"), d),
            Some(Decimal::new(125, 4))
        );
    }
}
