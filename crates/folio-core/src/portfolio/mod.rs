//! The portfolio engine: from activities, prices and exchange rates to holdings, daily
//! valuations, returns, income and allocation — exact decimals throughout.
//!
//! Start with [`Portfolio::build`] on a [`PortfolioInput`]. Every figure is defined in
//! `docs/calculations.md`; every return carries an [`Explanation`] of its inputs.
//!
//! ```
//! use folio_core::portfolio::*;
//! use folio_core::{AccountId, ActivityType, AssetClass, AssetId, CurrencyCode, PricingMode};
//! use rust_decimal::Decimal;
//! use time::macros::date;
//!
//! let eur = CurrencyCode::parse("EUR").unwrap();
//! let (account, asset) = (AccountId::new(1), AssetId::new(7));
//! let mut deposit = EngineActivity::new(1, account, ActivityType::Deposit, date!(2024 - 01 - 02), eur.clone());
//! deposit.amount = Decimal::from(1000);
//! let mut buy = EngineActivity::new(2, account, ActivityType::Buy, date!(2024 - 01 - 02), eur.clone());
//! (buy.asset, buy.quantity, buy.unit_price) = (Some(asset), Decimal::from(10), Decimal::from(100));
//! let mut prices = PriceBook::new();
//! prices.insert(asset, date!(2024 - 01 - 31), Decimal::from(110));
//! let portfolio = Portfolio::build(PortfolioInput {
//!     settings: Settings::new(eur.clone()),
//!     accounts: vec![AccountInfo { id: account, currency: eur.clone(), tracks_cash: true }],
//!     assets: vec![AssetInfo {
//!         id: asset,
//!         currency: eur,
//!         class: AssetClass::Equity,
//!         pricing: PricingMode::Market,
//!         price_basis: PriceBasis::AsTraded,
//!     }],
//!     activities: vec![deposit, buy],
//!     prices,
//!     fx: FxTable::new(),
//!     end: date!(2024 - 01 - 31),
//! })?;
//! let holdings = portfolio.holdings(portfolio.end())?;
//! assert_eq!(holdings.total.value, Decimal::from(1100));
//! let ytd = portfolio.returns(Scope::Total, Range::YearToDate)?;
//! assert_eq!(ytd.twr, Decimal::new(1, 1)); // 10%, with ytd.explanation showing the inputs
//! # Ok::<(), EngineError>(())
//! ```
//!
//! Layout: `input` (what callers give), `market` (price and rate lookups), `ledger`,
//! `trades`, `transfers`, `cashflows` (activity semantics and lots), `valuation` (the
//! daily sweep), `holdings`, `returns`/`twr`/`xirr`, `income`, `allocation`,
//! `engine` (the [`Portfolio`] type with its incremental updates), `reprice` (incremental
//! price updates) and `checked` (overflow-safe arithmetic: an overflow is an
//! [`EngineError::Overflow`], never a panic).

// Every arithmetic operation on user data must be checked (see `checked`): an overflow
// is an `EngineError::Overflow`, never a panic.
#![deny(clippy::arithmetic_side_effects)]

mod allocation;
mod cashflows;
mod checked;
mod context;
mod engine;
mod error;
mod holdings;
mod income;
mod input;
mod ledger;
mod lots;
mod market;
mod periods;
mod range;
mod refx;
mod reprice;
mod returns;
mod scope;
mod trades;
mod transfers;
mod twr;
mod valuation;
mod xirr;

pub use allocation::{Allocation, Slice};
pub use engine::{Portfolio, PortfolioInput};
pub use error::EngineError;
pub use holdings::{AccountRow, HoldingRow, Holdings, PriceUsed, Totals};
pub use income::IncomeReport;
pub use input::{
    AccountInfo, AssetInfo, EngineActivity, LotMethod, PriceBasis, Settings, kind_rank,
};
pub use ledger::Disposal;
pub use lots::{Consumed, Lot};
pub use market::{DatedSeries, FxTable, PriceBook, to_major};
pub use periods::{
    Drawdown, PeriodReturns, index_return, max_drawdown, period_returns, split_adjusted, value_on,
};
pub use range::Range;
pub use returns::{Explanation, Flow, Returns};
pub use scope::Scope;
pub use valuation::DailyPoint;
pub use xirr::{Xirr, xirr};
