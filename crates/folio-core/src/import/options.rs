//! Choices the user (or a saved mapping template) makes about how a file is read.

use serde::{Deserialize, Serialize};

use crate::domain::{CurrencyCode, Name, Symbol};

/// Default bound on data rows per file; large enough for decades of activity, small
/// enough that a preview stays in bounded memory.
pub const DEFAULT_MAX_ROWS: u64 = 250_000;

/// How dates with slashes, dots or dashes are read. ISO `YYYY-MM-DD` is always accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// ISO dates; a numeric date like `13/04/2024` is read when only one reading is a
    /// valid date, and `03/04/2024` (both readings valid and different) is flagged as
    /// ambiguous instead of guessed.
    #[default]
    Auto,
    /// `YYYY-MM-DD` only (time and zone parts after the date are ignored).
    Iso,
    /// `DD/MM/YYYY`, `DD.MM.YYYY`, `DD-MM-YYYY` (and two-digit years as 20YY).
    DayFirst,
    /// `MM/DD/YYYY`, `MM-DD-YYYY` (and two-digit years as 20YY).
    MonthFirst,
}

/// How numbers are written. Currency symbols and codes around a number, spaces and a
/// leading `+` are always ignored; `(12.50)` means `-12.50`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberFormat {
    /// The decimal separator: `.` or `,`.
    pub decimal: char,
    /// The thousands separator, if the file uses one (`,` `.` `'` or space); it is
    /// removed before reading. Must differ from `decimal`.
    pub thousands: Option<char>,
}

impl Default for NumberFormat {
    /// `1234.56` and `1,234.56`.
    fn default() -> Self {
        Self {
            decimal: '.',
            thousands: Some(','),
        }
    }
}

/// Options for [`super::parse`]. Formats with fixed conventions (Folio, Ghostfolio,
/// Wealthfolio) ignore the options that their format defines itself, except where noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseOptions {
    /// Stop after this many data rows, with an error saying so.
    pub max_rows: u64,
    /// Overrides the format's date convention (e.g. a Ghostfolio CSV written month-first).
    pub date_format: Option<DateFormat>,
    /// Currency for rows that have none (and no asset currency to fall back on).
    pub default_currency: Option<CurrencyCode>,
    /// Account for rows that name none (Wealthfolio CSVs are imported into one account).
    pub default_account: Option<Name>,
    /// The asset a price CSV without a symbol column is for.
    pub symbol: Option<Symbol>,
    /// The `(base, quote)` pair an FX CSV without a pair column is for.
    pub fx_pair: Option<(CurrencyCode, CurrencyCode)>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            max_rows: DEFAULT_MAX_ROWS,
            date_format: None,
            default_currency: None,
            default_account: None,
            symbol: None,
            fx_pair: None,
        }
    }
}
