//! [`Portfolio`]: the engine's entry point. Build it once from all inputs, then ask it
//! for holdings, series, returns, income and allocation; feed it changes to update
//! incrementally.

use std::collections::HashMap;

use rust_decimal::Decimal;
use time::Date;

use super::checked::{Overflow, sum};
use super::context::Context;
use super::error::EngineError;
use super::input::{AccountInfo, AssetInfo, EngineActivity, PriceBasis, Settings};
use super::ledger::{Disposal, Ledger};
use super::market::{FxTable, PriceBook};
use super::scope::{Scope, ScopeFilter};
use super::valuation::{DailyPoint, Sweep};
use crate::domain::{ActivityId, ActivityType, AssetId};

/// Everything the engine needs, gathered by the caller (database layer or importer).
#[derive(Debug, Clone)]
pub struct PortfolioInput {
    /// Base currency and lot rules.
    pub settings: Settings,
    /// Accounts referenced by the activities.
    pub accounts: Vec<AccountInfo>,
    /// Assets referenced by the activities.
    pub assets: Vec<AssetInfo>,
    /// Activities in any order.
    pub activities: Vec<EngineActivity>,
    /// Prices and manual valuations.
    pub prices: PriceBook,
    /// Exchange rates.
    pub fx: FxTable,
    /// Last day to value (usually today); extended to the last activity if earlier.
    pub end: Date,
}

/// A computed portfolio: ledger (lots, cash, running totals) plus the total daily
/// valuation series, both resumable from checkpoints.
#[derive(Debug, Clone)]
pub struct Portfolio {
    pub(crate) ctx: Context,
    pub(crate) activities: Vec<EngineActivity>,
    /// Processing-order key of every activity by id, for O(log n) edits.
    index: HashMap<ActivityId, (Date, u8, ActivityId)>,
    pub(crate) ledger: Ledger,
    pub(crate) total: Sweep,
    pub(crate) end: Date,
    /// The caller's prices as given (the engine's as-traded copies live in `ctx`).
    pub(crate) prices: PriceBook,
}

/// The activities sorted and replayed through the ledger: what a build and a check share.
struct Replayed {
    ctx: Context,
    activities: Vec<EngineActivity>,
    ledger: Ledger,
    end: Date,
    prices: PriceBook,
}

impl Replayed {
    /// Sorts and replays; `resumable` keeps the yearly checkpoints incremental updates
    /// resume from.
    fn new(input: PortfolioInput, resumable: bool) -> Result<Self, EngineError> {
        let mut activities = input.activities;
        activities.sort_by_key(EngineActivity::sort_key);
        let end = activities
            .last()
            .map_or(input.end, |a| a.date.max(input.end));
        let ctx = Context::new(
            input.settings,
            input.accounts,
            input.assets,
            &activities,
            &input.prices,
            input.fx,
        )?;
        let mut ledger = Ledger::new(&ctx, &activities);
        ledger.effects.reserve(activities.len());
        if resumable {
            ledger.replay(&ctx, &activities)?;
        } else {
            for activity in &activities {
                ledger.apply(&ctx, activity)?;
            }
        }
        Ok(Self {
            ctx,
            activities,
            ledger,
            end,
            prices: input.prices,
        })
    }
}

impl Portfolio {
    /// Replays every activity and values the whole portfolio daily.
    pub fn build(input: PortfolioInput) -> Result<Self, EngineError> {
        let r = Replayed::new(input, true)?;
        let total = Sweep::full(&r.ctx, &r.ledger.effects, ScopeFilter::Total, r.end)?;
        let index = r.activities.iter().map(|a| (a.id, a.sort_key())).collect();
        Ok(Self {
            ctx: r.ctx,
            activities: r.activities,
            index,
            ledger: r.ledger,
            total,
            end: r.end,
            prices: r.prices,
        })
    }

    /// Replays and values the activities as [`Portfolio::build`] does and returns the
    /// same error it would, but keeps nothing: no yearly checkpoints, no index, no
    /// series. For consistency checks before a write (an import of 100,000 rows needs a
    /// fraction of the memory a full build takes).
    pub fn check(input: PortfolioInput) -> Result<(), EngineError> {
        let r = Replayed::new(input, false)?;
        drop(r.activities);
        Sweep::full(&r.ctx, &r.ledger.effects, ScopeFilter::Total, r.end).map(drop)
    }

    /// Reserves room for `additional` more activities, so that a long-lived portfolio
    /// appends without ever copying its history to a larger buffer.
    pub fn reserve(&mut self, additional: usize) {
        self.activities.reserve(additional);
        self.ledger.effects.reserve(additional);
    }

    /// Removes an activity by id (binary search on its processing-order key).
    fn take_activity(&mut self, id: ActivityId) -> Option<EngineActivity> {
        let key = self.index.remove(&id)?;
        let at = self.activities.partition_point(|a| a.sort_key() < key);
        (self.activities.get(at)?.id == id).then(|| self.activities.remove(at))
    }

    /// The last valued day.
    pub fn end(&self) -> Date {
        self.end
    }

    /// Activities in processing order.
    pub fn activities(&self) -> &[EngineActivity] {
        &self.activities
    }

    /// The daily valuation of the whole portfolio (cached; no work).
    pub fn total_series(&self) -> &[DailyPoint] {
        &self.total.points
    }

    /// The daily valuation of any scope. The total is cached; other scopes are swept
    /// on demand (linear in days × assets in scope).
    pub fn series(&self, scope: Scope) -> Result<Vec<DailyPoint>, EngineError> {
        let filter = ScopeFilter::resolve(&self.ctx, scope)?;
        if filter == ScopeFilter::Total {
            return Ok(self.total.points.clone());
        }
        Ok(Sweep::full(&self.ctx, &self.ledger.effects, filter, self.end)?.points)
    }

    /// Adds or replaces an activity (matched by id). An activity that sorts after every
    /// other one is applied directly and only its days are re-valued; anything else
    /// re-runs from the ledger checkpoint before the earliest affected date.
    pub fn upsert(&mut self, activity: EngineActivity) -> Result<(), EngineError> {
        let old = self.take_activity(activity.id);
        self.index.insert(activity.id, activity.sort_key());
        let from = old
            .as_ref()
            .map_or(activity.date, |o| o.date.min(activity.date));
        let resplit = touches_adjusted_split(&self.ctx, &activity)
            || old
                .as_ref()
                .is_some_and(|o| touches_adjusted_split(&self.ctx, o));
        let split_assets = split_assets([Some(&activity), old.as_ref()]);
        self.ctx.intern(&activity.currency);
        if let Some(out) = activity.transfer_of {
            self.ledger.linked.insert(out);
        }
        let at = self
            .activities
            .partition_point(|a| a.sort_key() < activity.sort_key());
        let appends = old.is_none() && at == self.activities.len();
        self.activities.insert(at, activity);
        self.end = self.end.max(self.activities[at].date);
        if resplit {
            return self.rebuild();
        }
        self.refresh_splits(&split_assets);
        if appends {
            let date = self.activities[at].date;
            self.ledger.replay(&self.ctx, &self.activities[at..])?;
            return self
                .total
                .resume(&self.ctx, &self.ledger.effects, date, self.end);
        }
        self.recompute_from(from)
    }

    /// Removes an activity; recomputes from its date. Unknown ids are ignored.
    pub fn remove(&mut self, id: ActivityId) -> Result<(), EngineError> {
        let Some(old) = self.take_activity(id) else {
            return Ok(());
        };
        self.ledger.linked = self
            .activities
            .iter()
            .filter_map(|a| a.transfer_of)
            .collect();
        if touches_adjusted_split(&self.ctx, &old) {
            return self.rebuild();
        }
        self.refresh_splits(&split_assets([Some(&old)]));
        self.recompute_from(old.date)
    }

    /// Re-reads the splits of `assets` (as-traded prices carried across a split depend
    /// on them; split-adjusted assets are rebuilt instead).
    fn refresh_splits(&mut self, assets: &[AssetId]) {
        for id in assets {
            if let Some(&x) = self.ctx.asset_index.get(id) {
                self.ctx.refresh_splits(x, &self.activities);
            }
        }
    }

    /// Values further days (e.g. the next morning) without touching history.
    pub fn extend_to(&mut self, end: Date) -> Result<(), EngineError> {
        if end > self.end {
            let from = self.end;
            self.end = end;
            self.total
                .resume(&self.ctx, &self.ledger.effects, from, end)?;
        }
        Ok(())
    }

    /// Rewinds the ledger to its checkpoint before `from`, replays, and re-values the
    /// total series from the month of `from`.
    fn recompute_from(&mut self, from: Date) -> Result<(), EngineError> {
        self.replay_ledger_from(from)?;
        self.total
            .resume(&self.ctx, &self.ledger.effects, from, self.end)
    }

    /// Rewinds the ledger to its checkpoint before `from` and replays from there.
    pub(crate) fn replay_ledger_from(&mut self, from: Date) -> Result<(), EngineError> {
        let cp = self.ledger.rewind(&self.ctx, from);
        let start = cp.map_or(0, |d| self.activities.partition_point(|a| a.date < d));
        self.ledger.replay(&self.ctx, &self.activities[start..])
    }

    /// Full rebuild, for changes that rewrite price history (splits of adjusted assets).
    fn rebuild(&mut self) -> Result<(), EngineError> {
        let input = PortfolioInput {
            settings: self.ctx.settings.clone(),
            accounts: self.ctx.accounts.clone(),
            assets: self.ctx.assets.clone(),
            activities: std::mem::take(&mut self.activities),
            prices: std::mem::take(&mut self.prices),
            fx: self.ctx.fx.clone(),
            end: self.end,
        };
        *self = Self::build(input)?;
        Ok(())
    }

    /// Every sell in `scope` with the lots it consumed, in processing order (unknown
    /// scopes give an empty list).
    pub fn disposals(&self, scope: Scope) -> Vec<Disposal> {
        let Ok(filter) = ScopeFilter::resolve(&self.ctx, scope) else {
            return Vec::new();
        };
        let keep = |acc: usize, x: usize| match filter {
            ScopeFilter::Total => true,
            ScopeFilter::Account(a) => a == acc,
            ScopeFilter::Asset(y) => y == x,
            ScopeFilter::Holding(a, y) => a == acc && y == x,
        };
        self.ledger
            .disposals
            .iter()
            .filter(|d| keep(d.0, d.1))
            .map(|d| d.2.clone())
            .collect()
    }

    /// Cost basis of the scope's open lots now, for yields.
    pub(crate) fn cost_basis(&self, filter: ScopeFilter) -> Result<Decimal, Overflow> {
        let effects = self.ledger.effects.iter().filter(|e| filter.matches(e));
        sum(effects.map(|e| e.cost_base))
    }
}

/// The assets of the splits among `activities`.
fn split_assets<const N: usize>(activities: [Option<&EngineActivity>; N]) -> Vec<AssetId> {
    let splits = activities.into_iter().flatten();
    let splits = splits.filter(|a| a.kind == ActivityType::Split);
    splits.filter_map(|a| a.asset).collect()
}

/// A split of an asset whose history is split-adjusted changes every earlier price.
fn touches_adjusted_split(ctx: &Context, a: &EngineActivity) -> bool {
    a.kind == ActivityType::Split
        && a.asset
            .and_then(|x| ctx.asset_index.get(&x))
            .is_some_and(|&i| ctx.assets[i].price_basis == PriceBasis::SplitAdjusted)
}
