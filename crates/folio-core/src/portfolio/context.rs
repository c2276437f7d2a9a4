//! The engine's resolved view of its inputs: dense indices for accounts, assets and
//! currencies, as-traded price histories and rates to the base currency.
//!
//! Resolving once up front keeps the daily loops free of hashing and string compares.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use time::Date;

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
    ) -> Self {
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
        ctx.resolve_prices(activities, prices);
        ctx
    }

    /// As-traded price series and distinct splits per asset, from one pass over the
    /// activities.
    fn resolve_prices(&mut self, activities: &[EngineActivity], prices: &PriceBook) {
        let mut splits: HashMap<AssetId, Vec<(Date, Decimal)>> = HashMap::new();
        for a in activities.iter().filter(|a| a.kind == ActivityType::Split) {
            if let Some(x) = a.asset {
                splits.entry(x).or_default().push((a.date, a.quantity));
            }
        }
        self.prices = self
            .assets
            .iter()
            .map(|a| as_traded(a, prices, splits.get(&a.id).cloned().unwrap_or_default()))
            .collect();
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
                self.currencies.push(major);
                self.to_base.push(series);
                self.currencies.len() - 1
            }
        };
        self.code_index
            .insert(code.clone(), (idx, Decimal::from(divisor)));
        idx
    }

    /// The as-traded price of asset `x` valid on `day`: the latest on or before it,
    /// divided by the ratio of any split between the price's date and `day` (a price
    /// from before a 2-for-1 split is worth half per post-split share).
    pub fn price_on(&self, x: usize, day: Date) -> Option<(Date, Decimal)> {
        let (date, price) = self.prices[x].on_or_before(day)?;
        Some((date, self.carry(x, date, day, price)))
    }

    /// Adjusts a price dated `from` for splits in `(from, day]`.
    pub fn carry(&self, x: usize, from: Date, day: Date, price: Decimal) -> Decimal {
        self.splits[x]
            .iter()
            .filter(|s| s.0 > from && s.0 <= day)
            .fold(price, |p, s| p / s.1)
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
        let major = if divisor == Decimal::ONE {
            amount
        } else {
            amount / divisor
        };
        Ok((idx, major, major * self.fx_to_base(idx, date)?))
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
        let convert = |amount: Decimal| {
            let major = if divisor == Decimal::ONE {
                amount
            } else {
                amount / divisor
            };
            (major, major * rate)
        };
        Ok((idx, amounts.map(convert)))
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
        let rate = self.fx_to_base(from, date)? / self.fx_to_base(to, date)?;
        Ok((amount * rate).round_dp(super::lots::ALLOCATION_DP))
    }
}

/// The asset's history in its major currency, as traded on each date: a split-adjusted
/// history is multiplied by the ratios of the splits after each date.
fn as_traded(
    asset: &AssetInfo,
    book: &PriceBook,
    mut splits: Vec<(Date, Decimal)>,
) -> Arc<DatedSeries> {
    let Some(series) = book.shared(asset.id) else {
        return Arc::default();
    };
    let (_, divisor) = asset.currency.major();
    let divisor = Decimal::from(divisor);
    splits.sort();
    splits.dedup();
    let adjusted = asset.price_basis == PriceBasis::SplitAdjusted && !splits.is_empty();
    if !adjusted && divisor == Decimal::ONE {
        return series;
    }
    if !adjusted && divisor == Decimal::ONE_HUNDRED {
        // Pence to pounds exactly by moving the decimal point (no division).
        return Arc::new(series.map_values(|_, p| match p.scale() <= 26 {
            true => Decimal::from_i128_with_scale(p.mantissa(), p.scale() + 2),
            false => p / divisor,
        }));
    }
    Arc::new(series.map_values(|d, p| {
        let factor: Decimal = match adjusted {
            true => splits.iter().filter(|s| s.0 > d).map(|s| s.1).product(),
            false => Decimal::ONE,
        };
        p * factor / divisor
    }))
}
