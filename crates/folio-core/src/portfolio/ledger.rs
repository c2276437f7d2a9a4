//! The ledger: replays activities in processing order, keeps lots, cash and running
//! totals, and writes one [`Effect`] per activity for the valuation sweep.
//!
//! Effects are the seam between "what happened" (here) and "what it was worth each day"
//! (`valuation`): every per-day figure is a running sum of effects plus prices.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::checked::Checked;
use super::context::Context;
use super::error::EngineError;
use super::input::EngineActivity;
use super::lots::{Consumed, LotBook};
use crate::domain::{AccountId, ActivityId, ActivityType, AssetId};

/// What one activity changed, in base currency unless noted. Positive flow = money into
/// the scope from outside.
#[derive(Debug, Clone)]
pub(crate) struct Effect {
    pub date: Date,
    pub account: usize,
    pub asset: Option<usize>,
    /// Change in units held.
    pub quantity: Decimal,
    /// Change in cost basis.
    pub cost_base: Decimal,
    /// Change in the account's cash, in the account's currency.
    pub cash: Decimal,
    /// External flow at account (and portfolio) level.
    pub flow: Decimal,
    /// External flow at holding level (buys in, sells and income out).
    pub holding_flow: Decimal,
    /// A linked transfer: its flows cancel at portfolio (or asset-wide) level.
    pub internal: bool,
    pub income: Decimal,
    pub fees: Decimal,
    pub taxes: Decimal,
    pub realized: Decimal,
}

impl Default for Effect {
    fn default() -> Self {
        let zero = Decimal::ZERO;
        Self {
            date: Date::MIN,
            account: 0,
            asset: None,
            quantity: zero,
            cost_base: zero,
            cash: zero,
            flow: zero,
            holding_flow: zero,
            internal: false,
            income: zero,
            fees: zero,
            taxes: zero,
            realized: zero,
        }
    }
}

/// Running totals of one asset in one account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub lots: LotBook,
    pub realized: Decimal,
    pub realized_price: Decimal,
    pub realized_fx: Decimal,
    pub income: Decimal,
    pub fees: Decimal,
    pub taxes: Decimal,
}

/// Running totals of an account not tied to an asset (cash, interest, account fees).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AccountState {
    pub cash: Decimal,
    pub income: Decimal,
    pub fees: Decimal,
    pub taxes: Decimal,
}

/// Lots on their way from a TRANSFER_OUT to its TRANSFER_IN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InTransit {
    /// The asset moved, or `None` for cash.
    pub asset: Option<usize>,
    pub date: Date,
    pub consumed: Consumed,
    pub value_base: Decimal,
    pub cash_local: Decimal,
}

/// One sell, with the lots it consumed, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disposal {
    /// The SELL activity.
    pub activity: ActivityId,
    /// Its account.
    pub account: AccountId,
    /// The asset sold.
    pub asset: AssetId,
    /// Its date.
    pub date: Date,
    /// Units sold.
    pub quantity: Decimal,
    /// Proceeds counted against cost (net of fees when fees are in cost basis), base.
    pub proceeds: Decimal,
    /// The lot pieces consumed, with their cost.
    pub consumed: Consumed,
    /// Realized gain in base currency.
    pub realized: Decimal,
}

/// Everything the ledger knows at a point in the activity stream.
#[derive(Debug, Clone, Default)]
pub(crate) struct LedgerState {
    pub positions: HashMap<(usize, usize), Position>,
    pub accounts: Vec<AccountState>,
    pub in_transit: HashMap<ActivityId, InTransit>,
}

/// A copy of the state before the first activity dated `date` or later.
#[derive(Debug, Clone)]
pub(crate) struct Checkpoint {
    pub date: Date,
    pub state: LedgerState,
    pub effects: usize,
    pub disposals: usize,
}

/// The replayed activity stream.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ledger {
    pub state: LedgerState,
    pub effects: Vec<Effect>,
    pub disposals: Vec<(usize, usize, Disposal)>,
    pub checkpoints: Vec<Checkpoint>,
    /// TRANSFER_OUT ids that a TRANSFER_IN receives.
    pub linked: HashSet<ActivityId>,
}

impl Ledger {
    /// An empty ledger for `ctx`'s accounts.
    pub fn new(ctx: &Context, activities: &[EngineActivity]) -> Self {
        let mut ledger = Self::default();
        ledger.state.accounts = vec![AccountState::default(); ctx.accounts.len()];
        ledger.linked = activities.iter().filter_map(|a| a.transfer_of).collect();
        ledger
    }

    /// Applies sorted activities, taking a checkpoint at each new calendar year.
    pub fn replay(
        &mut self,
        ctx: &Context,
        activities: &[EngineActivity],
    ) -> Result<(), EngineError> {
        for activity in activities {
            let last_year = self.checkpoints.last().map(|c| c.date.year());
            if last_year.is_none_or(|y| y < activity.date.year()) {
                self.checkpoint(activity.date);
            }
            self.apply(ctx, activity)?;
        }
        Ok(())
    }

    fn checkpoint(&mut self, date: Date) {
        self.checkpoints.push(Checkpoint {
            date,
            state: self.state.clone(),
            effects: self.effects.len(),
            disposals: self.disposals.len(),
        });
    }

    /// Rewinds to the latest checkpoint on or before `date`; returns its date (`None`
    /// rewinds to empty).
    pub fn rewind(&mut self, ctx: &Context, date: Date) -> Option<Date> {
        let keep = self.checkpoints.partition_point(|c| c.date <= date);
        self.checkpoints.truncate(keep);
        match self.checkpoints.last() {
            Some(cp) => {
                self.state = cp.state.clone();
                self.effects.truncate(cp.effects);
                self.disposals.truncate(cp.disposals);
                Some(cp.date)
            }
            None => {
                let linked = std::mem::take(&mut self.linked);
                *self = Self {
                    linked,
                    ..Self::default()
                };
                self.state.accounts = vec![AccountState::default(); ctx.accounts.len()];
                None
            }
        }
    }

    /// Applies one activity (the caller guarantees processing order). An overflow names
    /// the activity.
    pub fn apply(&mut self, ctx: &Context, a: &EngineActivity) -> Result<(), EngineError> {
        self.try_apply(ctx, a).map_err(|e| e.in_activity(a))
    }

    fn try_apply(&mut self, ctx: &Context, a: &EngineActivity) -> Result<(), EngineError> {
        let account = *ctx
            .account_index
            .get(&a.account)
            .ok_or(unknown(a, "account"))?;
        let asset = match a.asset {
            Some(id) => Some(*ctx.asset_index.get(&id).ok_or(unknown(a, "asset"))?),
            None => None,
        };
        let effect = match (a.kind, asset) {
            (ActivityType::Buy, Some(x)) => self.buy(ctx, a, account, x)?,
            (ActivityType::Sell, Some(x)) => self.sell(ctx, a, account, x)?,
            (ActivityType::Split, Some(x)) => self.split(a, account, x)?,
            (ActivityType::TransferOut, Some(x)) => self.transfer_out(ctx, a, account, x)?,
            (ActivityType::TransferIn, Some(x)) => self.transfer_in(ctx, a, account, x)?,
            (
                ActivityType::Buy
                | ActivityType::Sell
                | ActivityType::Split
                | ActivityType::Dividend,
                None,
            ) => {
                return Err(unknown(a, "asset"));
            }
            (ActivityType::TransferOut | ActivityType::TransferIn, None) => {
                self.cash_transfer(ctx, a, account)?
            }
            (ActivityType::Deposit | ActivityType::Withdrawal, _) => {
                self.deposit(ctx, a, account)?
            }
            (ActivityType::Dividend | ActivityType::Interest, _) => {
                self.income(ctx, a, account, asset)?
            }
            (ActivityType::Fee | ActivityType::Tax, _) => self.cost(ctx, a, account, asset)?,
        };
        self.state.accounts[account].cash.inc(effect.cash)?;
        self.effects.push(effect);
        Ok(())
    }

    /// The position of `(account, asset)`, created empty when new.
    pub fn position(&mut self, account: usize, asset: usize) -> &mut Position {
        self.state.positions.entry((account, asset)).or_default()
    }
}

/// The error for a missing or unknown reference.
pub(crate) fn unknown(a: &EngineActivity, what: &'static str) -> EngineError {
    EngineError::UnknownReference {
        activity: a.id,
        kind: a.kind,
        what,
    }
}

/// The error for a field that makes no sense.
pub(crate) fn invalid(a: &EngineActivity, reason: &'static str) -> EngineError {
    EngineError::InvalidActivity {
        activity: a.id,
        kind: a.kind,
        reason,
    }
}
