//! Price updates without a rebuild: a new or corrected close re-values the portfolio
//! from its date only, like an activity edit.
//!
//! Prices reach three places: the total daily series (re-valued from the month of the
//! earliest changed date), holdings and other scopes (computed on demand from the same
//! resolved prices), and the market value at which a security transfer is booked as a
//! flow. The last is the only way a price reaches the ledger, so the ledger is replayed
//! only when a transfer of a repriced asset lies on or after the changed date.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use time::Date;

use super::engine::Portfolio;
use super::error::EngineError;
use crate::domain::{ActivityType, AssetId};

impl Portfolio {
    /// Adds or corrects the close (or manual valuation) of `asset` on `date`, in the
    /// asset's quote currency, and re-values from `date` on. A price for an asset the
    /// portfolio was not given is kept for later rebuilds and changes nothing now.
    ///
    /// As after any failed update, a portfolio that returns an error may be partly
    /// updated: rebuild it.
    pub fn set_price(
        &mut self,
        asset: AssetId,
        date: Date,
        price: Decimal,
    ) -> Result<(), EngineError> {
        self.upsert_prices([(asset, date, price)])
    }

    /// Adds or corrects many prices at once (e.g. a provider's daily refresh of every
    /// asset), with one re-valuation from the earliest date among them.
    pub fn upsert_prices(
        &mut self,
        prices: impl IntoIterator<Item = (AssetId, Date, Decimal)>,
    ) -> Result<(), EngineError> {
        let mut changed = BTreeSet::new();
        for (asset, date, price) in prices {
            self.prices.insert(asset, date, price);
            changed.insert((asset, date));
        }
        self.reprice(&changed)
    }

    /// Removes the price of `asset` on `date` (nothing happens when there is none); the
    /// days it covered fall back to the latest earlier price, or to cost.
    pub fn remove_price(&mut self, asset: AssetId, date: Date) -> Result<(), EngineError> {
        if !self.prices.remove(asset, date) {
            return Ok(());
        }
        self.reprice(&BTreeSet::from([(asset, date)]))
    }

    /// Re-resolves the histories of the changed assets and re-values from the earliest
    /// changed date (replaying the ledger first when a transfer depends on the prices).
    fn reprice(&mut self, changed: &BTreeSet<(AssetId, Date)>) -> Result<(), EngineError> {
        let known: Vec<(usize, Date)> = changed
            .iter()
            .filter_map(|(id, d)| Some((*self.ctx.asset_index.get(id)?, *d)))
            .collect();
        let mut assets: Vec<usize> = known.iter().map(|k| k.0).collect();
        assets.dedup();
        for &x in &assets {
            self.ctx.prices[x] = self.ctx.as_traded(x, &self.prices)?;
        }
        let Some(from) = known.iter().map(|k| k.1).min().filter(|&d| d <= self.end) else {
            return Ok(());
        };
        if let Some(transfer) = self.first_transfer_of(&assets, from) {
            self.replay_ledger_from(transfer)?;
        }
        // Days before the first valued day do not exist: no need to re-value from there.
        let first = self.total.points.first().map_or(from, |p| p.date);
        self.total
            .resume(&self.ctx, &self.ledger.effects, from.max(first), self.end)
    }

    /// The date of the first security transfer of one of `assets` on or after `from`.
    fn first_transfer_of(&self, assets: &[usize], from: Date) -> Option<Date> {
        let start = self.activities.partition_point(|a| a.date < from);
        let index = &self.ctx.asset_index;
        self.activities[start..]
            .iter()
            .find(|a| {
                matches!(a.kind, ActivityType::TransferIn | ActivityType::TransferOut)
                    && a.asset
                        .and_then(|id| index.get(&id))
                        .is_some_and(|x| assets.contains(x))
            })
            .map(|a| a.date)
    }
}
