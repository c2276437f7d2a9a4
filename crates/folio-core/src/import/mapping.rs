//! A user-defined column mapping for any broker CSV, saved as a named template.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{ActivityType, CurrencyCode, Name};

use super::RowError;
use super::activity_csv::kind_cell;
use super::collect::Collector;
use super::options::{DateFormat, NumberFormat, ParseOptions};
use super::row::{RowReader, Rules, finish};
use super::sheet::{Columns, Field, Lines, for_each_row, records};

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
    /// Account for rows without an account column or value: a broker's export is
    /// usually one file per account and names none.
    pub default_account: Option<Name>,
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
            default_account: None,
            default_kind: None,
            kind_values: BTreeMap::new(),
            columns: MappedColumns::default(),
        }
    }
}

impl ColumnMapping {
    /// The template's problems that make it unusable, before any row is read.
    pub fn check(&self) -> Result<u8, String> {
        let delimiter = u8::try_from(u32::from(self.delimiter))
            .ok()
            .filter(|d| matches!(d, b',' | b';' | b'\t' | b'|'))
            .ok_or("the delimiter must be one of , ; tab |")?;
        let n = self.number_format;
        if Some(n.decimal) == n.thousands || !matches!(n.decimal, '.' | ',') {
            return Err(
                "the decimal separator must be . or , and differ from the thousands separator"
                    .into(),
            );
        }
        if self.columns.date.trim().is_empty() {
            return Err("choose the column that holds the date".into());
        }
        if self.columns.kind.is_none() && self.default_kind.is_none() {
            return Err(
                "choose the column that holds the activity type, or one type for every row".into(),
            );
        }
        Ok(delimiter)
    }

    /// This mapping's activity type for a cell: the user's words first, then Folio's own.
    pub fn kind_of(&self, cell: &str) -> Option<ActivityType> {
        let wanted = cell.trim().to_lowercase();
        self.kind_values
            .iter()
            .find(|(k, _)| k.trim().to_lowercase() == wanted)
            .map(|(_, v)| *v)
            .or_else(|| cell.parse().ok())
    }

    fn named_columns(&self) -> Vec<(Field, &str)> {
        let c = &self.columns;
        let optional = [
            (Field::Kind, &c.kind),
            (Field::Symbol, &c.symbol),
            (Field::Name, &c.name),
            (Field::Quantity, &c.quantity),
            (Field::UnitPrice, &c.unit_price),
            (Field::Amount, &c.amount),
            (Field::Fee, &c.fee),
            (Field::Tax, &c.tax),
            (Field::Currency, &c.currency),
            (Field::Account, &c.account),
            (Field::Comment, &c.comment),
            (Field::ExternalId, &c.external_id),
        ];
        let mut out = vec![(Field::Date, c.date.as_str())];
        out.extend(
            optional
                .iter()
                .filter_map(|(f, v)| v.as_deref().map(|v| (*f, v))),
        );
        out
    }
}

/// Reads a CSV through a user's mapping.
pub(crate) fn parse(
    text: &str,
    m: &ColumnMapping,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
) {
    let delimiter = match m.check() {
        Ok(d) => d,
        Err(e) => return c.out.errors.push(RowError::file(e)),
    };
    let mut lines = records(text, delimiter);
    let headers = match header(&mut lines, m.header_row) {
        Ok(h) => h,
        Err(e) => return c.out.errors.push(e),
    };
    let cols = match Columns::from_names(&headers, &m.named_columns()) {
        Ok(cols) => cols,
        Err(e) => return c.out.errors.push(e),
    };
    let mut lines = lines.skip(usize::try_from(m.skip_after_header).unwrap_or(usize::MAX));
    let opts = ParseOptions {
        default_currency: m
            .default_currency
            .clone()
            .or_else(|| opts.default_currency.clone()),
        default_account: m
            .default_account
            .clone()
            .or_else(|| opts.default_account.clone()),
        ..opts.clone()
    };
    let rules = Rules {
        strict_signs: false,
        keep_cash_assets: false,
        unescape_text: false,
    };
    let dates = opts.date_format.unwrap_or(m.date_format);
    for_each_row(
        &mut lines,
        m.skip_bottom,
        &opts,
        c,
        progress,
        &mut |l, c| {
            let mut rr = RowReader {
                line: l.line,
                record: &l.record,
                cols: &cols,
                number: m.number_format,
                dates,
                rules,
                errors: Vec::new(),
            };
            let kind = match (&m.columns.kind, m.default_kind) {
                (Some(_), _) => kind_cell(
                    &mut rr,
                    |s| m.kind_of(s),
                    "the values in the mapping's type table or Folio's types",
                ),
                (None, k) => k,
            };
            let mut d = rr.common();
            d.kind = kind;
            d.symbol = rr.symbol(kind);
            if let Some(row) = finish(&mut rr, d, &opts) {
                c.row(row);
            }
            c.errors(rr.errors);
        },
    );
}

/// Skips the preamble (records starting before line `header_row`) and returns the header
/// cells; `header_row == 0` means no header.
fn header(lines: &mut Lines<'_>, header_row: u64) -> Result<Vec<String>, RowError> {
    if header_row == 0 {
        return Ok(Vec::new());
    }
    for l in lines {
        let Ok(l) = l else { continue };
        if l.line >= header_row {
            return Ok(l.record.iter().map(|c| c.trim().to_owned()).collect());
        }
    }
    Err(RowError::file(format!(
        "the file has no line {header_row} to read the header from"
    )))
}
