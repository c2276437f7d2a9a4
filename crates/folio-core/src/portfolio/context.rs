//! The engine's resolved view of its inputs: dense indices for accounts, assets and
//! currencies, as-traded price histories and rates to the base currency.
//!
//! Resolving once up front keeps the daily loops free of hashing and string compares.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use time::Date;

use super::checked::{Checked, Overflow};
use super::error::EngineError;
use super::input::{AccountInfo, AssetInfo, EngineActivity, PriceBasis, Settings};
use super::market::{DatedSeries, FxTable, PriceBook};
use crate::domain::{AccountId, ActivityType, AssetId, CurrencyCode};

/// Inputs resolved to indices. Cloned cheaply enough to be rebuilt when prices change.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub settings: Settings,
    pub accounts: Vec<AccountInfo>,
    pub assets: Vec<AssetInfo>,
    pub account_index: HashMap<AccountId, usize>,
    pub asset_index: HashMap<AssetId, usize>,
    /// Major currencies in use; index 0 is the base currency.
    pub currencies: Vec<CurrencyCode>,
    /// Every spelling seen (incl. minor units) → (major index, divisor).
    pub code_index: HashMap<CurrencyCode, (usize, Decimal)>,
    /// Rate to base per currency index (`None` for the base itself or when unknown).
    pub to_base: Vec<Option<DatedSeries>>,
    pub asset_ccy: Vec<usize>,
    pub account_ccy: Vec<usize>,
    /// As-traded prices in the asset's major currency, per asset index (shared with the
    /// price book when no conversion is needed).
    pub prices: Vec<Arc<DatedSeries>>,
    /// Distinct (date, ratio) splits per asset index, sorted by date.
    pub splits: Vec<Vec<(Date, Decimal)>>,
    pub fx: FxTable,
}

impl Context {
    /// Resolves inputs. Split ratios come from the activities (for adjusted histories).
    pub fn new(
        settings: Settings,
        accounts: Vec<AccountInfo>,
        assets: Vec<AssetInfo>,
        activities: &[EngineActivity],
        prices: &PriceBook,
        fx: FxTable,
    ) -> Result<Self, EngineError> {
        let mut ctx = Self {
            currencies: Vec::new(),
            code_index: HashMap::new(),
            to_base: Vec::new(),
            account_index: accounts
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id, i))
                .collect(),
            asset_index: assets.iter().enumerate().map(|(i, a)| (a.id, i)).collect(),
            asset_ccy: Vec::new(),
            account_ccy: Vec::new(),
            prices: Vec::new(),
            splits: Vec::new(),
            settings,
            accounts,
            assets,
            fx,
        };
        let base = ctx.settings.base_currency.clone();
        ctx.intern(&base);
        ctx.asset_ccy = ctx
            .assets
            .clone()
            .iter()
            .map(|a| ctx.intern(&a.currency))
            .collect();
        ctx.account_ccy = ctx
            .accounts
            .clone()
            .iter()
            .map(|a| ctx.intern(&a.currency))
            .collect();
        for a in activities {
            ctx.intern(&a.currency);
        }
        ctx.resolve_prices(activities, prices)?;
        Ok(ctx)
    }

    /// As-traded price series and distinct splits per asset, from one pass over the
    /// activities.
    fn resolve_prices(
        &mut self,
        activities: &[EngineActivity],
        prices: &PriceBook,
    ) -> Result<(), EngineError> {
        let mut splits: HashMap<AssetId, Vec<(Date, Decimal)>> = HashMap::new();
        for a in activities.iter().filter(|a| a.kind == ActivityType::Split) {
            if let Some(x) = a.asset {
                splits.entry(x).or_default().push((a.date, a.quantity));
            }
        }
        self.splits = self
            .assets
            .iter()
            .map(|a| {
                let mut list = splits.remove(&a.id).unwrap_or_default();
                list.sort();
                list.dedup();
                list
            })
            .collect();
        self.prices = (0..self.assets.len())
            .map(|x| self.as_traded(x, prices))
            .collect::<Result<_, _>>()?;
        Ok(())
    }

    /// Re-reads asset `x`'s distinct splits after a split was added, changed or removed
    /// (prices carried across a split are divided by its ratio).
    pub fn refresh_splits(&mut self, x: usize, activities: &[EngineActivity]) {
        let id = self.assets[x].id;
        let mut list: Vec<(Date, Decimal)> = activities
            .iter()
            .filter(|a| a.kind == ActivityType::Split && a.asset == Some(id))
            .map(|a| (a.date, a.quantity))
            .collect();
        list.sort();
        list.dedup();
        self.splits[x] = list;
    }

    /// Asset `x`'s history in its major currency, as traded on each date: a
    /// split-adjusted history is multiplied by the ratios of the splits after each date.
    pub fn as_traded(&self, x: usize, book: &PriceBook) -> Result<Arc<DatedSeries>, EngineError> {
        let asset = &self.assets[x];
        let Some(series) = book.shared(asset.id) else {
            return Ok(Arc::default());
        };
        let (_, divisor) = asset.currency.major();
        let divisor = Decimal::from(divisor);
        let splits = &self.splits[x];
        let adjusted = asset.price_basis == PriceBasis::SplitAdjusted && !splits.is_empty();
        if !adjusted && divisor == Decimal::ONE {
            return Ok(series);
        }
        let converted = series.try_map_values(|d, p| {
            if !adjusted && p.scale() <= 26 {
                // Pence to pounds exactly by moving the decimal point (no division).
                return Ok(Decimal::from_i128_with_scale(
                    p.mantissa(),
                    p.scale().saturating_add(2),
                ));
            }
            let mut later = splits.iter().filter(|s| adjusted && s.0 > d).map(|s| s.1);
            let factor = later.try_fold(Decimal::ONE, Decimal::times);
            factor
                .and_then(|f| p.times(f)?.div_by(divisor))
                .map_err(|o| EngineError::from(o).on_date(d))
        })?;
        Ok(Arc::new(converted))
    }

    /// Re-reads every currency's rate to base from `fx` (after rates changed).
    pub fn refresh_rates(&mut self) {
        let base = self.settings.base_currency.major().0;
        for (i, ccy) in self.currencies.iter().enumerate().skip(1) {
            self.to_base[i] = self.fx.series(ccy, &base);
        }
    }

    /// Index of a currency's major form, adding it (and its rate series) when new.
    pub fn intern(&mut self, code: &CurrencyCode) -> usize {
        if let Some(&(i, _)) = self.code_index.get(code) {
            return i;
        }
        let (major, divisor) = code.major();
        let idx = match self.currencies.iter().position(|c| *c == major) {
            Some(i) => i,
            None => {
                let series = match self.currencies.is_empty() {
                    true => None,
                    false => self
                        .fx
                        .series(&major, &self.settings.base_currency.major().0),
                };
                let idx = self.currencies.len();
                self.currencies.push(major);
                self.to_base.push(series);
                idx
            }
        };
        self.code_index
            .insert(code.clone(), (idx, Decimal::from(divisor)));
        idx
    }

    /// The as-traded price of asset `x` valid on `day`: the latest on or before it,
    /// divided by the ratio of any split between the price's date and `day` (a price
    /// from before a 2-for-1 split is worth half per post-split share).
    pub fn price_on(&self, x: usize, day: Date) -> Result<Option<(Date, Decimal)>, Overflow> {
        let Some((date, price)) = self.prices[x].on_or_before(day) else {
            return Ok(None);
        };
        Ok(Some((date, self.carry(x, date, day, price)?)))
    }

    /// Adjusts a price dated `from` for splits in `(from, day]`.
    pub fn carry(
        &self,
        x: usize,
        from: Date,
        day: Date,
        price: Decimal,
    ) -> Result<Decimal, Overflow> {
        self.splits[x]
            .iter()
            .filter(|s| s.0 > from && s.0 <= day)
            .try_fold(price, |p, s| p.div_by(s.1))
    }

    /// Rate from a major currency index to base on or before `date`.
    pub fn fx_to_base(&self, ccy: usize, date: Date) -> Result<Decimal, EngineError> {
        if ccy == 0 {
            return Ok(Decimal::ONE);
        }
        let found = self.to_base[ccy]
            .as_ref()
            .and_then(|s| s.on_or_before(date));
        found
            .map(|(_, r)| r)
            .ok_or_else(|| EngineError::MissingFxRate {
                from: self.currencies[ccy].clone(),
                to: self.currencies[0].clone(),
                date,
            })
    }

    /// An amount written in `code` as (major-currency index, major amount, base amount).
    pub fn money(
        &self,
        amount: Decimal,
        code: &CurrencyCode,
        date: Date,
    ) -> Result<(usize, Decimal, Decimal), EngineError> {
        let (idx, divisor) = self.code_index[code];
        let major = in_major(amount, divisor)?;
        Ok((idx, major, major.times(self.fx_to_base(idx, date)?)?))
    }

    /// Several amounts written in `code`, with one currency and one rate lookup:
    /// (major-currency index, [(major amount, base amount)]).
    pub fn moneys<const N: usize>(
        &self,
        amounts: [Decimal; N],
        code: &CurrencyCode,
        date: Date,
    ) -> Result<(usize, [(Decimal, Decimal); N]), EngineError> {
        let (idx, divisor) = self.code_index[code];
        let rate = self.fx_to_base(idx, date)?;
        let mut out = [(Decimal::ZERO, Decimal::ZERO); N];
        for (slot, amount) in out.iter_mut().zip(amounts) {
            let major = in_major(amount, divisor)?;
            *slot = (major, major.times(rate)?);
        }
        Ok((idx, out))
    }

    /// Converts an amount in one currency index to another via base at `date`.
    pub fn convert(
        &self,
        amount: Decimal,
        from: usize,
        to: usize,
        date: Date,
    ) -> Result<Decimal, EngineError> {
        if from == to {
            return Ok(amount);
        }
        // A cross rate divides; round like any allocation so later sums stay exact.
        let rate = self
            .fx_to_base(from, date)?
            .div_by(self.fx_to_base(to, date)?)?;
        Ok(amount.times(rate)?.round_dp(super::lots::ALLOCATION_DP))
    }
}

/// An amount in a currency whose minor-unit divisor is `divisor` (1 for a major
/// currency, which needs no division) in the major currency.
fn in_major(amount: Decimal, divisor: Decimal) -> Result<Decimal, Overflow> {
    match divisor == Decimal::ONE {
        true => Ok(amount),
        false => amount.div_by(divisor),
    }
}
