//! The portfolio engine: from activities, prices and exchange rates to holdings, daily
//! valuations, returns, income and allocation — exact decimals throughout.
//!
//! Start with [`Portfolio::build`] on a [`PortfolioInput`]. Every figure is defined in
//! `docs/calculations.md`; every return carries an [`Explanation`] of its inputs.
//!
//! Layout: `input` (what callers give), `market` (price and rate lookups), `ledger`,
//! `trades`, `transfers`, `cashflows` (activity semantics and lots), `valuation` (the
//! daily sweep), `holdings`, `returns`/`twr`/`xirr`, `income`, `allocation`, and
//! `engine` (the [`Portfolio`] type with its incremental updates).

mod allocation;
mod cashflows;
mod context;
mod engine;
mod error;
mod holdings;
mod income;
mod input;
mod ledger;
mod lots;
mod market;
mod range;
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
pub use range::Range;
pub use returns::{Explanation, Flow, Returns};
pub use scope::Scope;
pub use valuation::DailyPoint;
pub use xirr::{Xirr, xirr};
