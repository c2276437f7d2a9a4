//! Allocation: how a portfolio's value is spread by asset class, account, currency and
//! holding on any date. Cash counts as class CASH in its account's currency.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::checked::{Checked, Overflow};
use super::engine::Portfolio;
use super::error::EngineError;
use super::holdings::Holdings;
use crate::domain::AssetClass;

/// One slice of an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slice {
    /// What the slice is ("EQUITY", an account id, "USD", an asset id).
    pub key: String,
    /// Value in base currency.
    pub value: Decimal,
    /// Share of the total (0.25 = 25%); `None` when the total is zero.
    pub weight: Option<Decimal>,
}

/// Allocation at one date; each list is sorted by descending value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    /// The date.
    pub as_of: Date,
    /// Total value the weights are relative to.
    pub total: Decimal,
    /// By asset class.
    pub by_class: Vec<Slice>,
    /// By account id.
    pub by_account: Vec<Slice>,
    /// By currency (the asset's major currency; cash in its account's).
    pub by_currency: Vec<Slice>,
    /// By asset id (summed over accounts).
    pub by_asset: Vec<Slice>,
}

impl Portfolio {
    /// Allocation at the close of `as_of`.
    pub fn allocation(&self, as_of: Date) -> Result<Allocation, EngineError> {
        let h = self.holdings(as_of)?;
        self.allocation_of(&h)
            .map_err(|o| EngineError::from(o).on_date(as_of))
    }

    fn allocation_of(&self, h: &Holdings) -> Result<Allocation, Overflow> {
        let as_of = h.as_of;
        let (mut class, mut account, mut currency, mut asset) = Default::default();
        for row in &h.holdings {
            let x = self.ctx.asset_index[&row.asset];
            let v = row.totals.market_value;
            add(&mut class, self.ctx.assets[x].class.as_str(), v)?;
            add(&mut account, &row.account.to_string(), v)?;
            add(
                &mut currency,
                self.ctx.currencies[self.ctx.asset_ccy[x]].as_str(),
                v,
            )?;
            add(&mut asset, &row.asset.to_string(), v)?;
        }
        for (i, row) in h.accounts.iter().enumerate() {
            add(&mut class, AssetClass::Cash.as_str(), row.totals.cash)?;
            add(&mut account, &row.account.to_string(), row.totals.cash)?;
            add(
                &mut currency,
                self.ctx.currencies[self.ctx.account_ccy[i]].as_str(),
                row.totals.cash,
            )?;
        }
        let total = h.total.value;
        Ok(Allocation {
            as_of,
            total,
            by_class: slices(class, total)?,
            by_account: slices(account, total)?,
            by_currency: slices(currency, total)?,
            by_asset: slices(asset, total)?,
        })
    }
}

fn add(map: &mut BTreeMap<String, Decimal>, key: &str, value: Decimal) -> Result<(), Overflow> {
    if value.is_zero() {
        return Ok(());
    }
    map.entry(key.to_owned()).or_default().inc(value)
}

/// Slices with their weights; a weight is out of range when the total is tiny next to
/// the slice (large positive and negative values cancelling out).
fn slices(map: BTreeMap<String, Decimal>, total: Decimal) -> Result<Vec<Slice>, Overflow> {
    let mut out = Vec::with_capacity(map.len());
    for (key, value) in map {
        let weight = match total.is_zero() {
            true => None,
            false => Some(value.div_by(total)?),
        };
        out.push(Slice { key, value, weight });
    }
    out.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}
