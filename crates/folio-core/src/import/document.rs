//! The Folio JSON document: everything one user owns, versioned and lossless. Decimals are
//! strings (`"0.1"`, never a float) and dates are `YYYY-MM-DD`, so export → import
//! reproduces every stored value exactly.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::{ActivityType, AssetClass, CurrencyCode, Name, Note, PricingMode, Symbol};
use crate::portfolio::LotMethod;

/// The `format` value that marks a Folio JSON document.
pub const DOCUMENT_FORMAT: &str = "folio";
/// The document version this build writes; it reads every version up to this one.
pub const DOCUMENT_VERSION: u32 = 1;

/// Everything a user owns. Accounts and assets are referenced by name and symbol (unique
/// per user), activities by a document-local id, so the document does not depend on the
/// database ids of the instance that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolioDocument {
    /// Always [`DOCUMENT_FORMAT`]; lets [`super::detect`] recognise the file.
    pub format: String,
    /// [`DOCUMENT_VERSION`] at the time of writing.
    pub version: u32,
    /// Settings that change the figures.
    pub settings: DocumentSettings,
    /// Accounts.
    #[serde(default)]
    pub accounts: Vec<DocumentAccount>,
    /// Assets.
    #[serde(default)]
    pub assets: Vec<DocumentAsset>,
    /// Activities, including transfer links.
    #[serde(default)]
    pub activities: Vec<DocumentActivity>,
    /// Price history of the assets.
    #[serde(default)]
    pub prices: Vec<DocumentPrice>,
    /// FX rates the user entered or fetched.
    #[serde(default)]
    pub fx_rates: Vec<DocumentFxRate>,
}

impl FolioDocument {
    /// An empty document of the current version.
    pub fn new(settings: DocumentSettings) -> Self {
        Self {
            format: DOCUMENT_FORMAT.to_owned(),
            version: DOCUMENT_VERSION,
            settings,
            accounts: Vec::new(),
            assets: Vec::new(),
            activities: Vec::new(),
            prices: Vec::new(),
            fx_rates: Vec::new(),
        }
    }
}

/// The user's settings that change the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSettings {
    /// Currency totals are shown in.
    pub base_currency: CurrencyCode,
    /// `FIFO` or `AVERAGE`.
    pub lot_method: LotMethod,
    /// Whether trade fees and taxes count in cost basis.
    pub fees_in_cost_basis: bool,
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAccount {
    /// Unique name.
    pub name: Name,
    /// Currency.
    pub currency: CurrencyCode,
    /// Whether it keeps a cash balance.
    pub tracks_cash: bool,
}

/// An asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAsset {
    /// Unique symbol.
    pub symbol: Symbol,
    /// Display name.
    pub name: Name,
    /// Quote currency.
    pub currency: CurrencyCode,
    /// Asset class.
    pub class: AssetClass,
    /// Market or manual.
    pub pricing: PricingMode,
}

/// An activity, with the stored fields verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentActivity {
    /// Document-local id, unique within the document; `transfer_of` refers to it.
    pub id: i64,
    /// Account name.
    pub account: Name,
    /// Asset symbol, if any.
    #[serde(default)]
    pub asset: Option<Symbol>,
    /// Type.
    pub kind: ActivityType,
    /// Date.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// Units or split ratio.
    #[serde(default)]
    pub quantity: Option<Decimal>,
    /// Price per unit.
    #[serde(default)]
    pub unit_price: Option<Decimal>,
    /// Cash amount.
    #[serde(default)]
    pub amount: Option<Decimal>,
    /// Fee (0 when absent).
    #[serde(default)]
    pub fee: Decimal,
    /// Tax (0 when absent).
    #[serde(default)]
    pub tax: Decimal,
    /// Currency of price, amount, fee and tax.
    pub currency: CurrencyCode,
    /// Free text (empty when absent).
    #[serde(default)]
    pub note: Note,
    /// For TRANSFER_IN: the `id` of the TRANSFER_OUT it receives.
    #[serde(default)]
    pub transfer_of: Option<i64>,
}

/// A dated close of an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPrice {
    /// Asset symbol.
    pub symbol: Symbol,
    /// Day.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// Close in the asset's currency.
    pub close: Decimal,
}

/// A dated FX rate: one `base` costs `rate` units of `quote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFxRate {
    /// Currency priced.
    pub base: CurrencyCode,
    /// Currency it is priced in.
    pub quote: CurrencyCode,
    /// Day.
    #[serde(with = "iso_date")]
    pub date: Date,
    /// Units of quote per base.
    pub rate: Decimal,
}

/// Serde adapter writing a [`Date`] as `YYYY-MM-DD` (time's own serde form is a tuple).
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }

    /// Reads `YYYY-MM-DD` within Folio's date range.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        crate::domain::parse_date(&text).map_err(serde::de::Error::custom)
    }
}
