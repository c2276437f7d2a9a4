//! Trying a mapping on the first lines of a file: the importer's own parser reads the
//! pasted sample with the form's settings, and the page shows the first rows as Folio
//! reads them and every problem with its line, before anything is saved.

use folio_core::import::{ColumnMapping, Format, ImportRow, ParseOptions, parse};

/// Data rows read from a sample; enough to see that the columns line up.
const SAMPLE_ROWS: u64 = 10;

/// Largest sample accepted: the first lines of a file, not the file.
pub(super) const SAMPLE_MAX_BYTES: usize = 64 * 1024;

/// One row of the sample as Folio reads it, ready to print.
#[derive(Debug)]
pub(crate) struct SampleRow {
    pub line: u64,
    pub date: String,
    pub kind: &'static str,
    pub account: String,
    pub symbol: String,
    pub quantity: String,
    pub unit_price: String,
    pub amount: String,
    pub fee: String,
    pub tax: String,
    pub currency: String,
}

/// What the sample shows: rows that read, and every problem found in them.
#[derive(Debug)]
pub(crate) struct SampleView {
    /// The first rows that read cleanly.
    pub rows: Vec<SampleRow>,
    /// Problems with the file or with rows, "line 4, column Kurs: …".
    pub errors: Vec<String>,
    /// Data rows looked at (parsed or not).
    pub rows_seen: u64,
    /// Whether the sample goes on beyond the rows looked at.
    pub more: bool,
}

/// Reads the sample for "Try on sample", or says why there is nothing to read.
pub(crate) fn try_on(text: &str, mapping: &ColumnMapping) -> Result<SampleView, &'static str> {
    if text.len() > SAMPLE_MAX_BYTES {
        return Err("paste only the first lines of the file (at most 64 KiB)");
    }
    read(text, mapping).ok_or("paste the first lines of your file here to try the mapping on them")
}

/// Reads the sample through the mapping; `None` when no sample was pasted.
fn read(text: &str, mapping: &ColumnMapping) -> Option<SampleView> {
    if text.trim().is_empty() {
        return None;
    }
    let options = ParseOptions {
        max_rows: SAMPLE_ROWS,
        ..ParseOptions::default()
    };
    let format = Format::Mapping(Box::new(mapping.clone()));
    let mut parsed = parse(text.as_bytes(), &format, &options);
    if parsed.truncated {
        // The row-limit error is the last one pushed; here it only means "there is more".
        parsed.errors.pop();
    }
    Some(SampleView {
        rows: parsed.rows.iter().map(row).collect(),
        errors: parsed.errors.iter().map(ToString::to_string).collect(),
        rows_seen: parsed.rows_seen,
        more: parsed.truncated,
    })
}

fn row(r: &ImportRow) -> SampleRow {
    let exact = |d: Option<rust_decimal::Decimal>| d.map(crate::format::exact).unwrap_or_default();
    SampleRow {
        line: r.line,
        date: r.date.to_string(),
        kind: r.kind.as_str(),
        account: r
            .account
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        symbol: r
            .asset
            .as_ref()
            .map(|a| a.symbol.to_string())
            .unwrap_or_default(),
        quantity: exact(r.quantity),
        unit_price: exact(r.unit_price),
        amount: exact(r.amount),
        fee: exact(Some(r.fee)),
        tax: exact(Some(r.tax)),
        currency: r.currency.to_string(),
    }
}
