//! File-format parsers for imports: Folio's own CSV and JSON, Ghostfolio's CSV and JSON
//! export, Wealthfolio's CSV, any CSV through a user-defined [`ColumnMapping`], and price
//! and FX rate CSVs. See `docs/import-export.md`.
//!
//! Everything here is pure: bytes in, [`ParsedFile`] out, no I/O and no database. A parser
//! never panics and never stops at the first bad row: each problem becomes a [`RowError`]
//! citing the line and column, and the caller decides (imports are all or nothing).
//! Records are read one at a time from the decoded text, up to
//! [`ParseOptions::max_rows`].

pub mod document;
mod mapping;
mod options;
mod types;

pub use document::{
    DOCUMENT_FORMAT, DOCUMENT_VERSION, DocumentAccount, DocumentActivity, DocumentAsset,
    DocumentFxRate, DocumentPrice, DocumentSettings, FolioDocument,
};
pub use mapping::{ColumnMapping, MappedColumns};
pub use options::{DEFAULT_MAX_ROWS, DateFormat, NumberFormat, ParseOptions};
pub use types::{
    AccountRef, AssetRef, Fingerprint, FingerprintParts, FxRow, ImportRow, ParsedFile, PriceRow,
    RowError, TextEncoding,
};

use serde::{Deserialize, Serialize};

/// A file format Folio can import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "format", content = "mapping")]
pub enum Format {
    /// Folio's CSV of activities (one row per activity, `docs/import-export.md`).
    FolioCsv,
    /// Folio's JSON document: everything one user owns ([`FolioDocument`]).
    FolioJson,
    /// Ghostfolio's activity CSV (day-first dates, its header aliases and types).
    GhostfolioCsv,
    /// Ghostfolio's JSON export (`meta`, `accounts`, `activities`).
    GhostfolioJson,
    /// Wealthfolio's activity CSV.
    WealthfolioCsv,
    /// Any CSV, read through the user's column mapping.
    Mapping(Box<ColumnMapping>),
    /// Price history: `date,close`, optionally with a `symbol` column.
    PriceCsv,
    /// FX rates: `date,rate`, optionally with a `pair` (or `base` and `quote`) column.
    FxCsv,
}

impl Format {
    /// A short name for messages and the CLI (`folio-csv`, `ghostfolio-json`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Self::FolioCsv => "folio-csv",
            Self::FolioJson => "folio-json",
            Self::GhostfolioCsv => "ghostfolio-csv",
            Self::GhostfolioJson => "ghostfolio-json",
            Self::WealthfolioCsv => "wealthfolio-csv",
            Self::Mapping(_) => "mapping",
            Self::PriceCsv => "price-csv",
            Self::FxCsv => "fx-csv",
        }
    }
}

/// Recognises a file by its content: a JSON document's markers or a CSV header's column
/// names. `None` when nothing matches (the user then picks a format or a mapping).
pub fn detect(bytes: &[u8]) -> Option<Format> {
    detect::detect(bytes)
}

/// Parses a whole file. Never panics, whatever the bytes.
pub fn parse(bytes: &[u8], format: &Format, options: &ParseOptions) -> ParsedFile {
    parse_with_progress(bytes, format, options, &mut |_| {})
}

/// [`parse`], calling `progress` with the number of data rows read so far every 1,000
/// rows (for the CLI's progress bar).
pub fn parse_with_progress(
    bytes: &[u8],
    format: &Format,
    options: &ParseOptions,
    progress: &mut dyn FnMut(u64),
) -> ParsedFile {
    let _ = (bytes, format, options, progress);
    let mut out = ParsedFile::default();
    out.errors.push(RowError::file(format!(
        "the {} format is not implemented yet",
        format.name()
    )));
    out
}

mod detect {
    //! Content sniffing for [`super::detect`].

    use super::Format;

    pub(super) fn detect(bytes: &[u8]) -> Option<Format> {
        let _ = bytes;
        None
    }
}
