//! What a parser produces: activity rows, price and FX rows, the accounts and assets they
//! reference, and per-row errors. Every value is already a checked domain value, so the
//! web flow and the CLI only have to resolve names to ids and write.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::{ActivityType, AssetClass, CurrencyCode, Name, Note, PricingMode, Symbol};

use super::document::DocumentSettings;

/// An asset as an import file names it. Only the symbol is certain; the rest is filled in
/// when the file says so (a new asset is created from it, an existing one is matched by
/// symbol and left unchanged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRef {
    /// Ticker or identifier, unique per user; the key assets are matched on.
    pub symbol: Symbol,
    /// Display name, when the file has one.
    pub name: Option<Name>,
    /// Quote currency, when the file has one (else the row's currency is a good guess).
    pub currency: Option<CurrencyCode>,
    /// Asset class, when the file has one.
    pub class: Option<AssetClass>,
    /// Market or manual pricing, when the file says.
    pub pricing: Option<PricingMode>,
}

/// An account as an import file names it; matched by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRef {
    /// Display name, unique per user; the key accounts are matched on.
    pub name: Name,
    /// The account's currency, when the file has one.
    pub currency: Option<CurrencyCode>,
    /// Whether it keeps a cash balance, when the file says (Folio JSON does).
    pub tracks_cash: Option<bool>,
}

/// One activity read from a file, with the same meaning as a stored activity
/// (`folio_db::models::NewActivity`): amounts are positive and the kind gives the
/// direction; quantity is the split ratio for SPLIT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// 1-based line of the file where the record starts (a quoted field may span lines).
    pub line: u64,
    /// The account by name; `None` when the file has no account column and no default
    /// account was given (the caller then asks the user for one).
    pub account: Option<Name>,
    /// The asset, for trades, splits, dividends and security transfers.
    pub asset: Option<AssetRef>,
    /// What happened.
    pub kind: ActivityType,
    /// Trade or booking date.
    #[serde(with = "super::document::iso_date")]
    pub date: Date,
    /// Units (or the split ratio); at most 10 decimal places, positive.
    pub quantity: Option<Decimal>,
    /// Price per unit in `currency`; at most 10 decimal places, zero or more.
    pub unit_price: Option<Decimal>,
    /// Cash amount for cash activities; positive, at most 8 decimal places.
    pub amount: Option<Decimal>,
    /// Commission, zero or more.
    pub fee: Decimal,
    /// Tax, zero or more.
    pub tax: Decimal,
    /// Currency of price, amount, fee and tax.
    pub currency: CurrencyCode,
    /// Free text (the file's comment or note column).
    pub comment: Note,
    /// The row's identifier in its source (Folio's own id, a Ghostfolio or Wealthfolio
    /// id), used to link transfers within the file. Duplicates are detected by
    /// [`ImportRow::fingerprint`], not by this id.
    pub external_id: Option<String>,
    /// For TRANSFER_IN: the `external_id` of the TRANSFER_OUT row it receives.
    pub transfer_of: Option<String>,
}

impl ImportRow {
    /// The row's identity for duplicate detection: the same activity imported twice (or
    /// already entered by hand) has the same fingerprint. Built from the account, asset
    /// symbol, kind, date, numbers and currency — not from the comment or line.
    pub fn fingerprint(&self, account: &str) -> Fingerprint {
        Fingerprint::of(&FingerprintParts {
            account,
            symbol: self.asset.as_ref().map(|a| a.symbol.as_str()),
            kind: self.kind,
            date: self.date,
            quantity: self.quantity,
            unit_price: self.unit_price,
            amount: self.amount,
            fee: self.fee,
            tax: self.tax,
            currency: &self.currency,
        })
    }
}

/// The fields a [`Fingerprint`] is made of, so a stored activity and an imported row are
/// fingerprinted by the same code.
#[derive(Debug, Clone, Copy)]
pub struct FingerprintParts<'a> {
    /// Account name.
    pub account: &'a str,
    /// Asset symbol, if any.
    pub symbol: Option<&'a str>,
    /// Activity type.
    pub kind: ActivityType,
    /// Date.
    pub date: Date,
    /// Quantity, if any.
    pub quantity: Option<Decimal>,
    /// Unit price, if any.
    pub unit_price: Option<Decimal>,
    /// Amount, if any.
    pub amount: Option<Decimal>,
    /// Fee.
    pub fee: Decimal,
    /// Tax.
    pub tax: Decimal,
    /// Currency.
    pub currency: &'a CurrencyCode,
}

/// A canonical text key of an activity (normalised decimals, so `1.50` equals `1.5`);
/// equal fingerprints mean "the same activity".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// Builds the key. Account names compare case-insensitively, as users retype them.
    pub fn of(p: &FingerprintParts<'_>) -> Self {
        let d = |v: Option<Decimal>| v.map(|v| v.normalize().to_string()).unwrap_or_default();
        Self(format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            p.account.trim().to_lowercase(),
            p.symbol.unwrap_or(""),
            p.kind.as_str(),
            p.date,
            d(p.quantity),
            d(p.unit_price),
            d(p.amount),
            p.fee.normalize(),
            p.tax.normalize(),
            p.currency,
        ))
    }

    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A dated close of an asset read from a price CSV (or a Folio JSON document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRow {
    /// 1-based line in the file.
    pub line: u64,
    /// The asset, from the symbol column or [`super::ParseOptions::symbol`].
    pub symbol: Symbol,
    /// Which day.
    #[serde(with = "super::document::iso_date")]
    pub date: Date,
    /// Close in the asset's currency; zero or more, at most 10 decimal places.
    pub close: Decimal,
}

/// A dated FX rate read from an FX CSV (or a Folio JSON document): one `base` costs
/// `rate` units of `quote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxRow {
    /// 1-based line in the file.
    pub line: u64,
    /// The currency being priced.
    pub base: CurrencyCode,
    /// The currency it is priced in.
    pub quote: CurrencyCode,
    /// Which day.
    #[serde(with = "super::document::iso_date")]
    pub date: Date,
    /// Units of quote per unit of base; positive, at most 10 decimal places.
    pub rate: Decimal,
}

/// Why one row (or the whole file, `line == 0`) could not be read. The message is written
/// for the person who made the file and names the offending value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.describe())]
pub struct RowError {
    /// 1-based line where the record starts; 0 for a problem with the file as a whole.
    pub line: u64,
    /// The column's header name (or `#N` for a file without header), when one column is
    /// at fault.
    pub column: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl RowError {
    /// A problem with the whole file (no header, empty, wrong format).
    pub fn file(message: impl Into<String>) -> Self {
        Self {
            line: 0,
            column: None,
            message: message.into(),
        }
    }

    /// A problem with one row, optionally one column of it.
    pub fn at(line: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            line,
            column: column.map(str::to_owned),
            message: message.into(),
        }
    }

    /// "line 4, column Date: …", "activities[3].fee: …" (JSON), "file: …".
    pub fn describe(&self) -> String {
        match (self.line, &self.column) {
            (0, Some(c)) => format!("{c}: {}", self.message),
            (0, None) => format!("file: {}", self.message),
            (l, Some(c)) => format!("line {l}, column {c}: {}", self.message),
            (l, None) => format!("line {l}: {}", self.message),
        }
    }
}

/// How the file's bytes were turned into text; shown in the preview so a user knows a
/// non-UTF-8 file was read as Windows-1252.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TextEncoding {
    /// Plain UTF-8.
    #[default]
    Utf8,
    /// UTF-8 with a byte-order mark (removed).
    Utf8Bom,
    /// Not valid UTF-8: decoded as Windows-1252 (a superset of Latin-1's printable range).
    Windows1252,
}

/// Everything read from one file. Nothing has been written anywhere; rows with errors are
/// left out of `rows` and described in `errors`, so a preview can show both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParsedFile {
    /// How the bytes were decoded.
    pub encoding: TextEncoding,
    /// Activities that parsed, in file order.
    pub rows: Vec<ImportRow>,
    /// Prices that parsed (price CSV, Folio JSON, Ghostfolio JSON market data).
    pub prices: Vec<PriceRow>,
    /// FX rates that parsed (FX CSV, Folio JSON).
    pub fx_rates: Vec<FxRow>,
    /// Every account the file references, once each, in first-seen order.
    pub accounts: Vec<AccountRef>,
    /// Every asset the file references, once each, in first-seen order (first full
    /// description wins).
    pub assets: Vec<AssetRef>,
    /// The user settings a Folio JSON document carries; `None` for other formats.
    pub settings: Option<DocumentSettings>,
    /// Per-row and file-level problems, in file order.
    pub errors: Vec<RowError>,
    /// Data rows seen (parsed or not), excluding header, preamble and footer.
    pub rows_seen: u64,
    /// Whether reading stopped at [`super::ParseOptions::max_rows`] (an error says so too).
    pub truncated: bool,
}

impl ParsedFile {
    /// Whether the file can be imported as it is: no errors at all (imports are all or
    /// nothing).
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}
