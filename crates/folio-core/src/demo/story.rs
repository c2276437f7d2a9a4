//! Writes activities the way a careful investor would: at the day's price, never
//! spending cash an account does not have, never selling more than it holds, and
//! nothing dated after today.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use time::Date;

use super::{DemoAccount, DemoAsset};
use crate::domain::{AccountId, ActivityId, ActivityType, AssetId};
use crate::portfolio::EngineActivity;

/// The activity list being written, with the cash and quantities it implies so far.
pub(crate) struct Story<'a> {
    accounts: &'a [DemoAccount],
    assets: &'a [DemoAsset],
    today: Date,
    acts: Vec<EngineActivity>,
    cash: Vec<Decimal>,
    held: BTreeMap<(usize, usize), Decimal>,
}

fn local_id(position: usize) -> i64 {
    i64::try_from(position).map_or(i64::MAX, |p| p.saturating_add(1))
}

impl<'a> Story<'a> {
    /// An empty story over these accounts and assets, ending on `today`.
    pub(crate) fn new(accounts: &'a [DemoAccount], assets: &'a [DemoAsset], today: Date) -> Self {
        Self {
            accounts,
            assets,
            today,
            acts: Vec::new(),
            cash: vec![Decimal::ZERO; accounts.len()],
            held: BTreeMap::new(),
        }
    }

    /// The activities written, in booking order.
    pub(crate) fn into_activities(self) -> Vec<EngineActivity> {
        self.acts
    }

    /// Units of `asset` held in `account` now.
    pub(crate) fn held(&self, account: usize, asset: usize) -> Decimal {
        self.held
            .get(&(account, asset))
            .copied()
            .unwrap_or_default()
    }

    /// Cash in `account` now (in its currency).
    pub(crate) fn cash(&self, account: usize) -> Decimal {
        self.cash.get(account).copied().unwrap_or_default()
    }

    /// The close of `asset` on `date` (the latest on or before it).
    pub(crate) fn price(&self, asset: usize, date: Date) -> Option<Decimal> {
        let prices = &self.assets.get(asset)?.prices;
        let at = prices.partition_point(|(d, _)| *d <= date);
        at.checked_sub(1)
            .and_then(|i| prices.get(i))
            .map(|(_, p)| *p)
    }

    fn tracks_cash(&self, account: usize) -> bool {
        self.accounts.get(account).is_some_and(|a| a.tracks_cash)
    }

    fn add_cash(&mut self, account: usize, delta: Decimal) {
        if let Some(c) = self.cash.get_mut(account) {
            *c += delta;
        }
    }

    fn add_held(&mut self, account: usize, asset: usize, delta: Decimal) {
        *self.held.entry((account, asset)).or_default() += delta;
    }

    /// Appends an activity (in the asset's currency when it names one, else the
    /// account's) and returns it for the caller to fill in.
    fn push(
        &mut self,
        account: usize,
        asset: Option<usize>,
        kind: ActivityType,
        date: Date,
    ) -> &mut EngineActivity {
        let currency = match asset.and_then(|a| self.assets.get(a)) {
            Some(a) => a.currency.clone(),
            None => self.accounts[account].currency.clone(),
        };
        let id = local_id(self.acts.len());
        let mut act =
            EngineActivity::new(id, AccountId::new(local_id(account)), kind, date, currency);
        act.asset = asset.map(|a| AssetId::new(local_id(a)));
        self.acts.push(act);
        let last = self.acts.len() - 1;
        &mut self.acts[last]
    }

    /// Cash arriving from outside.
    pub(crate) fn deposit(&mut self, account: usize, date: Date, amount: Decimal) {
        if date > self.today || !self.tracks_cash(account) {
            return;
        }
        self.push(account, None, ActivityType::Deposit, date).amount = amount;
        self.add_cash(account, amount);
    }

    /// Cash leaving, capped so the account keeps at least 100 (skipped if it cannot).
    pub(crate) fn withdraw(&mut self, account: usize, date: Date, amount: Decimal) {
        let amount = amount
            .min(self.cash(account) - Decimal::ONE_HUNDRED)
            .round_dp(2);
        if date > self.today || amount <= Decimal::ZERO {
            return;
        }
        self.push(account, None, ActivityType::Withdrawal, date)
            .amount = amount;
        self.add_cash(account, -amount);
    }

    /// Buys `qty` units at the day's close if the account can pay for them.
    pub(crate) fn buy(
        &mut self,
        account: usize,
        asset: usize,
        date: Date,
        qty: Decimal,
        fee: Decimal,
    ) {
        let Some(price) = self.price(asset, date) else {
            return;
        };
        let cost = qty * price + fee;
        let affordable = !self.tracks_cash(account) || cost <= self.cash(account);
        if date > self.today || qty <= Decimal::ZERO || !affordable {
            return;
        }
        let act = self.push(account, Some(asset), ActivityType::Buy, date);
        (act.quantity, act.unit_price, act.fee) = (qty, price, fee);
        self.add_held(account, asset, qty);
        if self.tracks_cash(account) {
            self.add_cash(account, -cost);
        }
    }

    /// Buys as many units as `budget` (fee included) pays for, rounded down to `dp`
    /// fraction digits (0 for shares, 6 for crypto).
    pub(crate) fn buy_for(
        &mut self,
        account: usize,
        asset: usize,
        date: Date,
        budget: Decimal,
        fee: Decimal,
        dp: u32,
    ) {
        let Some(price) = self.price(asset, date).filter(|p| !p.is_zero()) else {
            return;
        };
        let qty = ((budget - fee) / price).round_dp_with_strategy(dp, RoundingStrategy::ToZero);
        self.buy(account, asset, date, qty, fee);
    }

    /// Sells up to `qty` units (never more than held) at the day's close.
    pub(crate) fn sell(
        &mut self,
        account: usize,
        asset: usize,
        date: Date,
        qty: Decimal,
        fee: Decimal,
    ) {
        let qty = qty.min(self.held(account, asset));
        let Some(price) = self.price(asset, date) else {
            return;
        };
        if date > self.today || qty <= Decimal::ZERO || qty * price <= fee {
            return;
        }
        let act = self.push(account, Some(asset), ActivityType::Sell, date);
        (act.quantity, act.unit_price, act.fee) = (qty, price, fee);
        self.add_held(account, asset, -qty);
        if self.tracks_cash(account) {
            self.add_cash(account, qty * price - fee);
        }
    }

    /// A dividend of `per_unit` on the units held, with `tax_rate` withheld.
    pub(crate) fn dividend(
        &mut self,
        account: usize,
        asset: usize,
        date: Date,
        per_unit: Decimal,
        tax_rate: Decimal,
    ) {
        let gross = (self.held(account, asset) * per_unit).round_dp(2);
        if date > self.today || gross <= Decimal::ZERO {
            return;
        }
        let tax = (gross * tax_rate).round_dp(2);
        let act = self.push(account, Some(asset), ActivityType::Dividend, date);
        (act.amount, act.tax) = (gross, tax);
        if self.tracks_cash(account) {
            self.add_cash(account, gross - tax);
        }
    }

    /// Interest of `rate` on the account's cash (nothing on a balance below 1).
    pub(crate) fn interest(&mut self, account: usize, date: Date, rate: Decimal) {
        let amount = (self.cash(account) * rate).round_dp(2);
        if date > self.today || amount < Decimal::ONE {
            return;
        }
        self.push(account, None, ActivityType::Interest, date)
            .amount = amount;
        self.add_cash(account, amount);
    }

    /// An account fee, charged only if the cash is there.
    pub(crate) fn fee(&mut self, account: usize, date: Date, amount: Decimal) {
        if date > self.today || amount > self.cash(account) {
            return;
        }
        self.push(account, None, ActivityType::Fee, date).amount = amount;
        self.add_cash(account, -amount);
    }

    /// A `ratio`-for-1 split of `asset` in `account`.
    pub(crate) fn split(&mut self, account: usize, asset: usize, date: Date, ratio: Decimal) {
        let held = self.held(account, asset);
        if date > self.today || held.is_zero() {
            return;
        }
        self.push(account, Some(asset), ActivityType::Split, date)
            .quantity = ratio;
        self.add_held(account, asset, held * ratio - held);
    }

    /// Moves every unit of `asset` from one account to another: a TRANSFER_OUT and the
    /// TRANSFER_IN linked to it, same day (internal to the portfolio).
    pub(crate) fn transfer_all(&mut self, from: usize, to: usize, asset: usize, date: Date) {
        let qty = self.held(from, asset);
        if date > self.today || qty.is_zero() {
            return;
        }
        let out = self.push(from, Some(asset), ActivityType::TransferOut, date);
        out.quantity = qty;
        let out_id: ActivityId = out.id;
        let inn = self.push(to, Some(asset), ActivityType::TransferIn, date);
        (inn.quantity, inn.transfer_of) = (qty, Some(out_id));
        self.add_held(from, asset, -qty);
        self.add_held(to, asset, qty);
    }
}
