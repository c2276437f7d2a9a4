//! What each field of the mapping form offers and accepts: the selects' choices, the
//! column fields' labels, and the checks of single fields (each message names the
//! value and how to write it).

use folio_core::import::DateFormat;

use crate::forms::blank_to_none;

/// Longest mapping name (the column is `VARCHAR(200)` on MySQL).
const MAX_NAME: usize = 200;

/// Longest column reference: a header cell, not a paragraph.
const MAX_COLUMN: usize = 200;

/// Field delimiters the reader supports, by form value.
pub(crate) const DELIMITERS: [(&str, char, &str); 4] = [
    ("comma", ',', "Comma  ,"),
    ("semicolon", ';', "Semicolon  ;"),
    ("tab", '\t', "Tab"),
    ("pipe", '|', "Pipe  |"),
];

/// Date conventions, by form value.
pub(crate) const DATE_FORMATS: [(&str, DateFormat, &str); 4] = [
    // Short labels: the select sits in a narrow column; the hint next to it explains.
    ("auto", DateFormat::Auto, "Automatic"),
    ("iso", DateFormat::Iso, "ISO: 2024-04-13"),
    ("day_first", DateFormat::DayFirst, "Day first: 13.04.2024"),
    (
        "month_first",
        DateFormat::MonthFirst,
        "Month first: 04/13/2024",
    ),
];

/// Decimal separators, by form value.
pub(crate) const DECIMALS: [(&str, char, &str); 2] =
    [(".", '.', "Point: 1234.56"), (",", ',', "Comma: 1234,56")];

/// Thousands separators, by form value.
pub(crate) const THOUSANDS: [(&str, Option<char>, &str); 5] = [
    ("none", None, "None: 1234567"),
    (",", Some(','), "Comma: 1,234,567"),
    (".", Some('.'), "Point: 1.234.567"),
    ("'", Some('\''), "Apostrophe: 1'234'567"),
    ("space", Some(' '), "Space: 1 234 567"),
];

/// One column field of the form: its form name, its label in plain words, and a hint.
#[derive(Debug)]
pub(crate) struct ColumnField {
    /// The form field's name.
    pub key: &'static str,
    /// What the column holds.
    pub label: &'static str,
    /// What it is for, or an example.
    pub hint: &'static str,
}

/// The form's column fields, in the order of `MappingInput::columns`.
pub(crate) const COLUMN_FIELDS: [ColumnField; 13] = [
    col("col_date", "Date", "required: the trade or booking date"),
    col(
        "col_kind",
        "Activity type",
        "Buy, Sell, Dividend… in the broker's words; blank: one type for every row",
    ),
    col("col_symbol", "Symbol", "ticker, ISIN or the broker's code"),
    col("col_name", "Security name", "used when the asset is new"),
    col("col_quantity", "Quantity", "number of shares or units"),
    col("col_unit_price", "Price per unit", ""),
    col(
        "col_amount",
        "Amount",
        "cash amount of dividends, deposits, fees…",
    ),
    col("col_fee", "Fee", "commission"),
    col("col_tax", "Tax", ""),
    col(
        "col_currency",
        "Currency",
        "blank: the default currency above",
    ),
    col("col_account", "Account", "the account's name"),
    col("col_comment", "Note", "free text"),
    col("col_external_id", "Broker's transaction id", ""),
];

const fn col(key: &'static str, label: &'static str, hint: &'static str) -> ColumnField {
    ColumnField { key, label, hint }
}

/// The form value of the table's row that `pick` chooses ("" when none does).
pub(crate) fn find<T>(
    table: &[(&'static str, T, &'static str)],
    pick: impl Fn(&(&str, T, &str)) -> bool,
) -> String {
    table
        .iter()
        .find(|r| pick(r))
        .map(|r| r.0.to_owned())
        .unwrap_or_default()
}

/// The select's value among `table`'s, mapped through `value`.
pub(crate) fn choice<T: Copy, V>(
    table: &[(&'static str, T, &'static str)],
    submitted: &str,
    value: impl Fn(&(&'static str, T, &'static str)) -> V,
) -> Result<V, &'static str> {
    table
        .iter()
        .find(|r| r.0 == submitted)
        .map(value)
        .ok_or("choose one of the listed values")
}

/// A select's choices for the template.
pub(crate) fn choices<T>(
    table: &'static [(&'static str, T, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    table.iter().map(|r| (r.0, r.2)).collect()
}

/// The mapping's name: 1 to 200 characters on one line.
pub(crate) fn name(input: &str) -> Result<String, String> {
    let name = input.trim();
    match name.chars().count() {
        0 => Err("give the mapping a name, e.g. your broker's".into()),
        n if n > MAX_NAME => Err(format!("use at most {MAX_NAME} characters")),
        _ if name.chars().any(char::is_control) => Err("use a name on one line".into()),
        _ => Ok(name.to_owned()),
    }
}

fn whole(input: &str) -> Result<u64, String> {
    let t = input.trim();
    t.parse::<u64>()
        .map_err(|_| format!("“{t}” is not a whole number of 0 or more"))
}

/// The header row's line number; 0 means the file has none.
pub(crate) fn header_row(input: &str) -> Result<u64, String> {
    if input.trim().is_empty() {
        return Err("give the line number of the header row, or 0 when the file has none".into());
    }
    whole(input).map_err(|e| {
        format!("{e}: give the line number of the header row, or 0 when the file has none")
    })
}

/// A count of rows to skip; blank is 0.
pub(crate) fn rows(input: &str) -> Result<u64, String> {
    if input.trim().is_empty() {
        Ok(0)
    } else {
        whole(input)
    }
}

/// An optional field: blank is `None`, anything else must parse.
pub(crate) fn optional<T, E: std::fmt::Display>(
    input: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, String> {
    blank_to_none(input)
        .map(parse)
        .transpose()
        .map_err(|e| e.to_string())
}

/// A column named by header text, or `#N`; a file without a header row (`header_row`
/// 0) can only be named by position.
pub(crate) fn column_ref(input: &str, header_row: u64) -> Result<Option<String>, String> {
    let Some(v) = blank_to_none(input) else {
        return Ok(None);
    };
    if v.chars().count() > MAX_COLUMN {
        return Err(format!("use at most {MAX_COLUMN} characters"));
    }
    match v.strip_prefix('#') {
        Some(n) if n.parse::<usize>().is_ok_and(|n| n >= 1) => Ok(Some(v.to_owned())),
        Some(_) => Err("write #N with N the column's position, counting from 1, e.g. #3".into()),
        None if header_row == 0 => Err(format!(
            "the file has no header row (header row 0), so name the column by its position, e.g. #1, not “{v}”"
        )),
        None => Ok(Some(v.to_owned())),
    }
}
