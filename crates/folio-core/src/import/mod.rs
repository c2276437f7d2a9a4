//! File-format parsers for imports: Folio's own CSV and JSON, Ghostfolio's CSV and JSON
//! export, Wealthfolio's CSV, any CSV through a user-defined [`ColumnMapping`], and price
//! and FX rate CSVs. See `docs/import-export.md`.
//!
//! Everything here is pure: bytes in, [`ParsedFile`] out, no I/O and no database. A parser
//! never panics and never stops at the first bad row: each problem becomes a [`RowError`]
//! citing the line and column, and the caller decides (imports are all or nothing).
//! Records are read one at a time from the decoded text, up to
//! [`ParseOptions::max_rows`].

mod activity_csv;
mod collect;
mod detect;
pub mod document;
mod field;
mod folio_csv;
mod folio_json;
mod ghostfolio_csv;
mod ghostfolio_json;
mod mapping;
mod options;
mod prices;
mod row;
mod sheet;
mod synthetic;
mod text;
mod types;
mod values;
mod wealthfolio_csv;

pub use document::{
    DOCUMENT_FORMAT, DOCUMENT_VERSION, DocumentAccount, DocumentActivity, DocumentAsset,
    DocumentFxRate, DocumentPrice, DocumentSettings, FolioDocument,
};
pub use folio_csv::HEADER as FOLIO_CSV_HEADER;
pub use folio_json::parse_document;
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

impl Format {
    /// The format a user named (CLI `--format`, a form's select), looking at the content
    /// where the name covers two formats: `auto`, `folio` (CSV or JSON), `ghostfolio`
    /// (CSV or JSON), `wealthfolio`, `prices`, `fx`, or any [`Format::name`]. `None` for
    /// an unknown name or an `auto` that recognises nothing. Mappings are stored per user,
    /// so `mapping:NAME` is the caller's to resolve.
    pub fn from_name(name: &str, bytes: &[u8]) -> Option<Format> {
        let detected = detect(bytes);
        let is = |f: Format| detected.as_ref() == Some(&f);
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "auto" => return detected,
            "folio" if is(Self::FolioJson) => Self::FolioJson,
            "folio" | "folio-csv" => Self::FolioCsv,
            "folio-json" => Self::FolioJson,
            "ghostfolio" if is(Self::GhostfolioJson) => Self::GhostfolioJson,
            "ghostfolio" | "ghostfolio-csv" => Self::GhostfolioCsv,
            "ghostfolio-json" => Self::GhostfolioJson,
            "wealthfolio" | "wealthfolio-csv" => Self::WealthfolioCsv,
            "prices" | "price-csv" => Self::PriceCsv,
            "fx" | "fx-csv" => Self::FxCsv,
            _ => return None,
        })
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
    run(bytes, format, options, progress, None)
}

/// [`parse_with_progress`] for files too large to hold as rows: each parsed activity is
/// handed to `on_row` in file order instead of being kept, so memory stays bounded by
/// the references and errors. The returned file has empty `rows`; everything else is as
/// from [`parse`]. `errors` is complete only at the end (a Folio CSV transfer link is
/// checked against the whole file), so write streamed rows only once it is clean — for
/// example validate in a first pass and write batches in a second.
pub fn parse_streaming(
    bytes: &[u8],
    format: &Format,
    options: &ParseOptions,
    progress: &mut dyn FnMut(u64),
    on_row: &mut dyn FnMut(ImportRow),
) -> ParsedFile {
    run(bytes, format, options, progress, Some(on_row))
}

fn run(
    bytes: &[u8],
    format: &Format,
    options: &ParseOptions,
    progress: &mut dyn FnMut(u64),
    sink: Option<&mut dyn FnMut(ImportRow)>,
) -> ParsedFile {
    let (text, encoding) = text::decode(bytes);
    let mut c = collect::Collector::default();
    c.sink = sink;
    c.out.encoding = encoding;
    if text.trim().is_empty() {
        c.out.errors.push(RowError::file("the file is empty"));
        return c.out;
    }
    match format {
        Format::FolioCsv => folio_csv::parse(&text, options, &mut c, progress),
        Format::FolioJson => folio_json::parse(&text, options, &mut c, progress),
        Format::GhostfolioCsv => ghostfolio_csv::parse(&text, options, &mut c, progress),
        Format::GhostfolioJson => ghostfolio_json::parse(&text, options, &mut c, progress),
        Format::WealthfolioCsv => wealthfolio_csv::parse(&text, options, &mut c, progress),
        Format::Mapping(m) => mapping::parse(&text, m, options, &mut c, progress),
        Format::PriceCsv => prices::parse(&text, prices::Kind::Prices, options, &mut c, progress),
        Format::FxCsv => prices::parse(&text, prices::Kind::Fx, options, &mut c, progress),
    }
    c.out
}
