//! A user-defined column mapping for any broker CSV, saved as a named template.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{ActivityType, CurrencyCode};

use super::options::{DateFormat, NumberFormat};

/// Which column holds which field. A column is named by its header text (compared
/// trimmed and case-insensitively) or, for files without a header row, by `#N` (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MappedColumns {
    /// Trade date (required).
    pub date: String,
    /// Activity type; when absent every row is [`ColumnMapping::default_kind`].
    pub kind: Option<String>,
    /// Asset symbol.
    pub symbol: Option<String>,
    /// Asset name.
    pub name: Option<String>,
    /// Quantity (negative quantities are made positive; the kind gives the direction).
    pub quantity: Option<String>,
    /// Price per unit.
    pub unit_price: Option<String>,
    /// Cash amount (its sign is dropped; the kind gives the direction).
    pub amount: Option<String>,
    /// Commission.
    pub fee: Option<String>,
    /// Tax.
    pub tax: Option<String>,
    /// Currency code.
    pub currency: Option<String>,
    /// Account name.
    pub account: Option<String>,
    /// Free-text comment.
    pub comment: Option<String>,
    /// The broker's own transaction id.
    pub external_id: Option<String>,
}

/// How to read one broker's CSV. Serialises to JSON so the web flow can store it per user
/// under [`ColumnMapping::name`] and offer it next time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnMapping {
    /// The template's name, e.g. "My broker".
    pub name: String,
    /// 1-based row number of the header row; rows above it (a broker's preamble) are
    /// skipped. 0 means the file has no header and columns are named `#1`, `#2`, …
    pub header_row: u64,
    /// Rows to skip between the header and the data (a units row, a blank line).
    pub skip_after_header: u64,
    /// Rows to drop at the end (a broker's totals or disclaimer footer).
    pub skip_bottom: u64,
    /// Field delimiter: `,` `;` tab or `|`.
    pub delimiter: char,
    /// How dates are written.
    pub date_format: DateFormat,
    /// How numbers are written.
    pub number_format: NumberFormat,
    /// Currency for rows without a currency column or value.
    pub default_currency: Option<CurrencyCode>,
    /// The activity type of every row when there is no type column.
    pub default_kind: Option<ActivityType>,
    /// The broker's words for activity types, e.g. `"Kauf" → BUY`; compared trimmed and
    /// case-insensitively. Canonical Folio names (BUY, SELL, …) are always understood.
    pub kind_values: BTreeMap<String, ActivityType>,
    /// Which column holds which field.
    pub columns: MappedColumns,
}

impl Default for ColumnMapping {
    fn default() -> Self {
        Self {
            name: String::new(),
            header_row: 1,
            skip_after_header: 0,
            skip_bottom: 0,
            delimiter: ',',
            date_format: DateFormat::Auto,
            number_format: NumberFormat::default(),
            default_currency: None,
            default_kind: None,
            kind_values: BTreeMap::new(),
            columns: MappedColumns::default(),
        }
    }
}
