//! What the engine is given: activities, accounts, assets and settings.
//!
//! These are plain structs rather than database rows so that the database layer and the
//! importers can both build them; the engine never sees SQL or files.

use rust_decimal::Decimal;
use time::Date;

use crate::domain::{
    AccountId, ActivityId, ActivityType, AssetClass, AssetId, CurrencyCode, PricingMode,
};

/// One activity as the engine reads it. Amounts are exact decimals in `currency`.
///
/// Which fields matter depends on `kind` (see `docs/calculations.md`):
/// BUY/SELL use `quantity`, `unit_price`, `fee`, `tax`; SPLIT uses `quantity` as the
/// ratio; DIVIDEND/INTEREST/FEE/TAX/DEPOSIT/WITHDRAWAL and cash transfers use `amount`
/// (always positive; the kind gives the direction); security transfers use `quantity`
/// (and `unit_price` as the cost per unit when the security comes from outside Folio).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineActivity {
    /// Stable identity; also the last tie-breaker of the same-day ordering rule.
    pub id: ActivityId,
    /// The account the activity belongs to.
    pub account: AccountId,
    /// The asset, for trades, splits, dividends and security transfers; `None` for cash.
    pub asset: Option<AssetId>,
    /// What happened.
    pub kind: ActivityType,
    /// The trade or booking date.
    pub date: Date,
    /// Units traded or transferred, or the split ratio (2 = 2-for-1, 0.1 = 1-for-10).
    pub quantity: Decimal,
    /// Price per unit in `currency`.
    pub unit_price: Decimal,
    /// Cash amount in `currency` (positive) for cash-like activities.
    pub amount: Decimal,
    /// Commission charged with the activity, in `currency`.
    pub fee: Decimal,
    /// Tax charged with the activity (stamp duty, withholding), in `currency`.
    pub tax: Decimal,
    /// Currency of `unit_price`, `amount`, `fee` and `tax`; may be a minor unit (GBp).
    pub currency: CurrencyCode,
    /// For TRANSFER_IN: the TRANSFER_OUT it receives. A linked pair moves lots with their
    /// cost and dates and is internal to the portfolio; an unlinked transfer is an
    /// external flow.
    pub transfer_of: Option<ActivityId>,
}

impl EngineActivity {
    /// A zeroed activity of `kind`, for builders and tests to fill in.
    pub fn new(
        id: i64,
        account: AccountId,
        kind: ActivityType,
        date: Date,
        currency: CurrencyCode,
    ) -> Self {
        Self {
            id: ActivityId::new(id),
            account,
            asset: None,
            kind,
            date,
            quantity: Decimal::ZERO,
            unit_price: Decimal::ZERO,
            amount: Decimal::ZERO,
            fee: Decimal::ZERO,
            tax: Decimal::ZERO,
            currency,
            transfer_of: None,
        }
    }

    /// The position of this activity in the engine's processing order: by date, then by
    /// kind rank (see [`kind_rank`]), then by id. Input order never matters.
    pub fn sort_key(&self) -> (Date, u8, ActivityId) {
        (self.date, kind_rank(self.kind), self.id)
    }
}

/// Same-day ordering rule: splits first (they take effect at the open), then cash in,
/// transfers out before transfers in, buys before sells (so a same-day round trip
/// works), income, costs, and withdrawals last.
pub const fn kind_rank(kind: ActivityType) -> u8 {
    match kind {
        ActivityType::Split => 0,
        ActivityType::Deposit => 1,
        ActivityType::TransferOut => 2,
        ActivityType::TransferIn => 3,
        ActivityType::Buy => 4,
        ActivityType::Sell => 5,
        ActivityType::Dividend => 6,
        ActivityType::Interest => 7,
        ActivityType::Fee => 8,
        ActivityType::Tax => 9,
        ActivityType::Withdrawal => 10,
    }
}

/// How an asset's stored price history relates to splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PriceBasis {
    /// Prices as traded on each day (manual entry): a pre-split price is a pre-split price.
    #[default]
    AsTraded,
    /// Provider style: all history is divided by later split ratios so it matches
    /// today's share count. The engine multiplies it back before valuing old quantities.
    SplitAdjusted,
}

/// What the engine needs to know about an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetInfo {
    /// The asset.
    pub id: AssetId,
    /// Quote currency of its prices (may be a minor unit such as GBp).
    pub currency: CurrencyCode,
    /// Class, for allocation.
    pub class: AssetClass,
    /// Market-priced or manually valued (manual valuations are read from the price book).
    pub pricing: PricingMode,
    /// How its price history treats splits.
    pub price_basis: PriceBasis,
}

/// What the engine needs to know about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    /// The account.
    pub id: AccountId,
    /// The currency its cash is held in.
    pub currency: CurrencyCode,
    /// `true`: value = holdings + cash, deposits/withdrawals are the external flows.
    /// `false`: holdings only; buys and sells are the flows and income is paid out.
    pub tracks_cash: bool,
}

/// How sells pick the lots they consume. Serialised with the database's spellings
/// (`FIFO`, `AVERAGE`), which Folio JSON documents use too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum LotMethod {
    /// First in, first out (the default).
    #[default]
    #[serde(rename = "FIFO")]
    Fifo,
    /// All lots of a holding pooled at their average cost.
    #[serde(rename = "AVERAGE")]
    AverageCost,
}

/// User settings that change the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Currency every total, series and return is expressed in.
    pub base_currency: CurrencyCode,
    /// Lot matching for sells.
    pub lot_method: LotMethod,
    /// Whether trade fees and taxes are added to cost (buys) and taken from proceeds
    /// (sells); when `false` they are reported as separate costs.
    pub fees_in_cost_basis: bool,
}

impl Settings {
    /// FIFO, fees in cost basis, in `base_currency`.
    pub fn new(base_currency: CurrencyCode) -> Self {
        Self {
            base_currency,
            lot_method: LotMethod::Fifo,
            fees_in_cost_basis: true,
        }
    }
}
