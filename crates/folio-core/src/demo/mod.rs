//! The demo portfolio: a realistic, deterministic six-year, multi-currency portfolio
//! with synthetic daily prices and FX rates, generated from a seed and today's date.
//!
//! Everything here is pure: [`generate`] returns plain data (accounts, assets, engine
//! activities, price and rate histories) that the binary writes through the database
//! repositories. The same seed and `today` always give exactly the same data; dates are
//! relative to `today`, so the demo always looks current. Money is `Decimal` throughout
//! (the random walks included); no `f64`.
//!
//! Ids in a [`DemoPortfolio`] are local: account *i* of `accounts` is `AccountId(i + 1)`,
//! asset *j* is `AssetId(j + 1)`, activity *k* is `ActivityId(k + 1)` (also in
//! `transfer_of`). A writer maps them to the ids the database assigns.

mod cast;
mod market;
mod plot;
mod rng;
mod story;

use rust_decimal::Decimal;
use time::Date;

use crate::domain::{AccountId, AssetClass, AssetId, CurrencyCode, PricingMode};
use crate::portfolio::{
    AccountInfo, AssetInfo, EngineActivity, FxTable, PortfolioInput, PriceBasis, PriceBook,
    Settings,
};

pub use rng::SplitMix64;

/// Login of the demo user. `.example` is reserved (RFC 2606): it can never be a real
/// person's address.
pub const DEMO_EMAIL: &str = "demo@folio.example";

/// The demo user's password: fixed and published (README, `--help`, start-up output)
/// on purpose, so anyone trying Folio can log in. Acceptable only because the account
/// holds synthetic data; never put real data in it.
pub const DEMO_PASSWORD: &str = "folio-demo-portfolio";

/// The seed of the published demo.
pub const DEMO_SEED: u64 = 0x466F_6C69_6F44_656D; // "FolioDem"

/// Years of history before `today`.
pub const DEMO_YEARS: i32 = 6;

/// A demo account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Display name (unique).
    pub name: &'static str,
    /// Cash currency.
    pub currency: CurrencyCode,
    /// Cash-tracking (deposits, withdrawals) or holdings-only.
    pub tracks_cash: bool,
}

/// A demo asset with its price (or manual valuation) history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAsset {
    /// Ticker (unique, fictional).
    pub symbol: &'static str,
    /// Display name (fictional company or fund).
    pub name: &'static str,
    /// Quote currency.
    pub currency: CurrencyCode,
    /// Kind of asset.
    pub class: AssetClass,
    /// Market (daily weekday closes) or manual (a few valuations).
    pub pricing: PricingMode,
    /// Dated closes, oldest first, as traded (pre-split prices before a split).
    pub prices: Vec<(Date, Decimal)>,
}

/// A daily FX history: one `base` buys `rate` units of `quote`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFx {
    /// The currency being priced (the portfolio's base, EUR).
    pub base: CurrencyCode,
    /// The currency it is priced in.
    pub quote: CurrencyCode,
    /// Dated rates, oldest first, one per weekday.
    pub rates: Vec<(Date, Decimal)>,
}

/// The generated demo portfolio (see the module docs for its local ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPortfolio {
    /// Base currency of the demo user (EUR).
    pub base: CurrencyCode,
    /// The day the data ends (the `today` it was generated for).
    pub today: Date,
    /// Accounts; account *i* is `AccountId(i + 1)`.
    pub accounts: Vec<DemoAccount>,
    /// Assets; asset *j* is `AssetId(j + 1)`.
    pub assets: Vec<DemoAsset>,
    /// Activities in booking order; activity *k* is `ActivityId(k + 1)`.
    pub activities: Vec<EngineActivity>,
    /// FX histories from the base currency to every other currency used.
    pub fx: Vec<DemoFx>,
}

/// The published demo (seed [`DEMO_SEED`]) ending on `today`.
pub fn generate(today: Date) -> DemoPortfolio {
    generate_with_seed(today, DEMO_SEED)
}

/// A demo portfolio from any seed: the same `(today, seed)` always gives the same data.
pub fn generate_with_seed(today: Date, seed: u64) -> DemoPortfolio {
    let start = years_before(today, DEMO_YEARS);
    let (assets, fx) = cast::market(seed, start, today);
    let accounts = cast::accounts();
    let activities = {
        let mut story = story::Story::new(&accounts, &assets, today);
        plot::write(&mut story, start, seed);
        story.into_activities()
    };
    DemoPortfolio {
        base: cast::eur(),
        today,
        accounts,
        assets,
        activities,
        fx,
    }
}

impl DemoPortfolio {
    /// Number of stored prices and valuations over all assets.
    pub fn price_count(&self) -> usize {
        self.assets.iter().map(|a| a.prices.len()).sum()
    }

    /// Number of stored FX rates over all pairs.
    pub fn fx_count(&self) -> usize {
        self.fx.iter().map(|f| f.rates.len()).sum()
    }

    /// The engine's input for this portfolio, valued up to `today` (FIFO, fees in cost).
    pub fn engine_input(&self) -> PortfolioInput {
        let mut prices = PriceBook::new();
        for (asset, id) in self.assets.iter().zip(1..) {
            for &(date, close) in &asset.prices {
                prices.insert(AssetId::new(id), date, close);
            }
        }
        let mut fx = FxTable::new();
        for pair in &self.fx {
            for &(date, rate) in &pair.rates {
                fx.insert(&pair.base, &pair.quote, date, rate);
            }
        }
        PortfolioInput {
            settings: Settings::new(self.base.clone()),
            accounts: (self.accounts.iter().zip(1..))
                .map(|(a, id)| AccountInfo {
                    id: AccountId::new(id),
                    currency: a.currency.clone(),
                    tracks_cash: a.tracks_cash,
                })
                .collect(),
            assets: (self.assets.iter().zip(1..))
                .map(|(a, id)| AssetInfo {
                    id: AssetId::new(id),
                    currency: a.currency.clone(),
                    class: a.class,
                    pricing: a.pricing,
                    price_basis: PriceBasis::AsTraded,
                })
                .collect(),
            activities: self.activities.clone(),
            prices,
            fx,
            end: self.today,
        }
    }
}

/// The same calendar day `years` earlier (29 February becomes 28 February).
fn years_before(day: Date, years: i32) -> Date {
    let year = day.year().saturating_sub(years);
    day.replace_year(year)
        .or_else(|_| day.replace_day(28).and_then(|d| d.replace_year(year)))
        .unwrap_or(day)
}

#[cfg(test)]
mod tests;
