//! Builders shared by the engine's integration tests.
// Helpers panic on bad literals: they only ever see literals written in the tests.
#![allow(dead_code, clippy::unwrap_used)]

use folio_core::portfolio::{
    AccountInfo, AssetInfo, EngineActivity, FxTable, Portfolio, PortfolioInput, PriceBasis,
    PriceBook, Settings,
};
use folio_core::{AccountId, ActivityType, AssetClass, AssetId, CurrencyCode, PricingMode};
use rust_decimal::Decimal;
use time::Date;

/// Parses a decimal literal.
pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Parses a currency code.
pub fn ccy(s: &str) -> CurrencyCode {
    CurrencyCode::parse(s).unwrap()
}

/// Parses an ISO date.
pub fn day(s: &str) -> Date {
    folio_core::parse_date(s).unwrap()
}

/// A scenario under construction.
pub struct Scenario {
    pub input: PortfolioInput,
    next_id: i64,
}

pub const A1: AccountId = AccountId::new(1);
pub const A2: AccountId = AccountId::new(2);
pub const X: AssetId = AssetId::new(10);
pub const Y: AssetId = AssetId::new(11);

impl Scenario {
    /// Base `base`, one cash-tracking account A1 in `base`, no assets.
    pub fn new(base: &str) -> Self {
        let input = PortfolioInput {
            settings: Settings::new(ccy(base)),
            accounts: vec![AccountInfo {
                id: A1,
                currency: ccy(base),
                tracks_cash: true,
            }],
            assets: vec![],
            activities: vec![],
            prices: PriceBook::new(),
            fx: FxTable::new(),
            end: day("2024-01-01"),
        };
        Self { input, next_id: 1 }
    }

    pub fn account(mut self, id: AccountId, currency: &str, tracks_cash: bool) -> Self {
        self.input.accounts.retain(|a| a.id != id);
        self.input.accounts.push(AccountInfo {
            id,
            currency: ccy(currency),
            tracks_cash,
        });
        self
    }

    pub fn asset(mut self, id: AssetId, currency: &str) -> Self {
        self.input.assets.push(AssetInfo {
            id,
            currency: ccy(currency),
            class: AssetClass::Equity,
            pricing: PricingMode::Market,
            price_basis: PriceBasis::AsTraded,
        });
        self
    }

    pub fn adjusted(mut self, id: AssetId) -> Self {
        self.input
            .assets
            .iter_mut()
            .filter(|a| a.id == id)
            .for_each(|a| a.price_basis = PriceBasis::SplitAdjusted);
        self
    }

    pub fn price(mut self, id: AssetId, date: &str, price: &str) -> Self {
        self.input.prices.insert(id, day(date), d(price));
        self
    }

    pub fn fx(mut self, from: &str, to: &str, date: &str, rate: &str) -> Self {
        self.input
            .fx
            .insert(&ccy(from), &ccy(to), day(date), d(rate));
        self
    }

    pub fn end(mut self, date: &str) -> Self {
        self.input.end = day(date);
        self
    }

    /// Adds an activity built by `f` from a zeroed one.
    pub fn act(
        mut self,
        kind: ActivityType,
        date: &str,
        currency: &str,
        f: impl FnOnce(&mut EngineActivity),
    ) -> Self {
        let mut a = EngineActivity::new(self.next_id, A1, kind, day(date), ccy(currency));
        self.next_id += 1;
        f(&mut a);
        self.input.activities.push(a);
        self
    }

    pub fn deposit(self, date: &str, amount: &str) -> Self {
        let c = self.input.accounts[0].currency.to_string();
        self.act(ActivityType::Deposit, date, &c, |a| a.amount = d(amount))
    }

    pub fn trade(
        self,
        kind: ActivityType,
        date: &str,
        asset: AssetId,
        q: &str,
        p: &str,
        fee: &str,
    ) -> Self {
        let c = self.currency_of(asset);
        self.act(kind, date, &c, |a| {
            a.asset = Some(asset);
            a.quantity = d(q);
            a.unit_price = d(p);
            a.fee = d(fee);
        })
    }

    pub fn buy(self, date: &str, asset: AssetId, q: &str, p: &str, fee: &str) -> Self {
        self.trade(ActivityType::Buy, date, asset, q, p, fee)
    }

    pub fn sell(self, date: &str, asset: AssetId, q: &str, p: &str, fee: &str) -> Self {
        self.trade(ActivityType::Sell, date, asset, q, p, fee)
    }

    pub fn split(self, date: &str, asset: AssetId, ratio: &str) -> Self {
        let c = self.currency_of(asset);
        self.act(ActivityType::Split, date, &c, |a| {
            a.asset = Some(asset);
            a.quantity = d(ratio);
        })
    }

    pub fn dividend(self, date: &str, asset: AssetId, amount: &str, tax: &str) -> Self {
        let c = self.currency_of(asset);
        self.act(ActivityType::Dividend, date, &c, |a| {
            a.asset = Some(asset);
            a.amount = d(amount);
            a.tax = d(tax);
        })
    }

    fn currency_of(&self, asset: AssetId) -> String {
        self.input
            .assets
            .iter()
            .find(|a| a.id == asset)
            .unwrap()
            .currency
            .to_string()
    }

    pub fn build(self) -> Portfolio {
        Portfolio::build(self.input).unwrap()
    }
}
