//! The mapping form's fields as typed, and their conversion to and from a
//! [`ColumnMapping`]. Each field is checked on its own so every message sits next to
//! its field, and the form keeps what the user typed.

use folio_core::import::{ColumnMapping, MappedColumns, NumberFormat};
use folio_core::{ActivityType, CurrencyCode, Name};
use serde::Deserialize;

use super::fields::{
    COLUMN_FIELDS, DATE_FORMATS, DECIMALS, DELIMITERS, THOUSANDS, choice, column_ref, find,
    header_row, name, optional, rows,
};
use super::kinds;
use crate::forms::FieldErrors;

/// The mapping form as submitted: every field as typed, so a re-rendered form keeps it.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct MappingInput {
    pub name: String,
    pub header_row: String,
    pub skip_after_header: String,
    pub skip_bottom: String,
    pub delimiter: String,
    pub date_format: String,
    pub decimal: String,
    pub thousands: String,
    pub default_currency: String,
    pub default_account: String,
    pub default_kind: String,
    pub col_date: String,
    pub col_kind: String,
    pub col_symbol: String,
    pub col_name: String,
    pub col_quantity: String,
    pub col_unit_price: String,
    pub col_amount: String,
    pub col_fee: String,
    pub col_tax: String,
    pub col_currency: String,
    pub col_account: String,
    pub col_comment: String,
    pub col_external_id: String,
    /// `broker word = TYPE`, one per line.
    pub kind_values: String,
    /// The first lines of a file, to try the mapping on; never stored.
    pub sample: String,
    /// Which button was pressed: `try` shows the sample and saves nothing; anything
    /// else saves.
    pub op: String,
    pub csrf: String,
}

crate::has_csrf!(MappingInput);

/// A mapping's columns in [`COLUMN_FIELDS`] order (the date as given, even blank).
fn columns_of(c: &MappedColumns) -> [Option<&str>; 13] {
    fn o(v: &Option<String>) -> Option<&str> {
        v.as_deref()
    }
    [
        Some(c.date.as_str()),
        o(&c.kind),
        o(&c.symbol),
        o(&c.name),
        o(&c.quantity),
        o(&c.unit_price),
        o(&c.amount),
        o(&c.fee),
        o(&c.tax),
        o(&c.currency),
        o(&c.account),
        o(&c.comment),
        o(&c.external_id),
    ]
}

impl MappingInput {
    /// The form showing a stored (or default) mapping.
    pub(crate) fn from_mapping(m: &ColumnMapping) -> Self {
        let key = |c: char| {
            DELIMITERS
                .iter()
                .find(|d| d.1 == c)
                .map_or_else(|| c.to_string(), |d| d.0.to_owned())
        };
        let mut form = Self {
            name: m.name.clone(),
            header_row: m.header_row.to_string(),
            skip_after_header: m.skip_after_header.to_string(),
            skip_bottom: m.skip_bottom.to_string(),
            delimiter: key(m.delimiter),
            date_format: find(&DATE_FORMATS, |d| d.1 == m.date_format),
            decimal: m.number_format.decimal.to_string(),
            thousands: find(&THOUSANDS, |t| t.1 == m.number_format.thousands),
            default_currency: m
                .default_currency
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            default_account: m
                .default_account
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            default_kind: m.default_kind.map(|k| k.to_string()).unwrap_or_default(),
            kind_values: kinds::format(&m.kind_values),
            ..Self::default()
        };
        for (slot, value) in form.columns_mut().into_iter().zip(columns_of(&m.columns)) {
            *slot = value.unwrap_or_default().to_owned();
        }
        form
    }

    /// The column fields' values, in [`COLUMN_FIELDS`] order.
    pub(crate) fn columns(&self) -> [&str; 13] {
        [
            &self.col_date,
            &self.col_kind,
            &self.col_symbol,
            &self.col_name,
            &self.col_quantity,
            &self.col_unit_price,
            &self.col_amount,
            &self.col_fee,
            &self.col_tax,
            &self.col_currency,
            &self.col_account,
            &self.col_comment,
            &self.col_external_id,
        ]
    }

    fn columns_mut(&mut self) -> [&mut String; 13] {
        [
            &mut self.col_date,
            &mut self.col_kind,
            &mut self.col_symbol,
            &mut self.col_name,
            &mut self.col_quantity,
            &mut self.col_unit_price,
            &mut self.col_amount,
            &mut self.col_fee,
            &mut self.col_tax,
            &mut self.col_currency,
            &mut self.col_account,
            &mut self.col_comment,
            &mut self.col_external_id,
        ]
    }

    /// Parses into a mapping, or a message for every field that is wrong.
    pub(crate) fn parse(&self) -> Result<ColumnMapping, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut m = ColumnMapping::default();
        self.read_layout(&mut m, &mut e);
        self.read_defaults(&mut m, &mut e);
        m.columns = self.mapped_columns(m.header_row, &mut e);
        if m.columns.kind.is_none() && m.default_kind.is_none() && e.get("default_kind").is_empty()
        {
            e.add(
                "col_kind",
                "name the column that holds the activity type, or choose one under “Type of every row”",
            );
        }
        if e.is_empty()
            && let Err(reason) = m.check()
        {
            e.add("form", reason);
        }
        if e.is_empty() { Ok(m) } else { Err(e) }
    }

    /// The name and how the file is laid out: rows, delimiter, dates, numbers.
    fn read_layout(&self, m: &mut ColumnMapping, e: &mut FieldErrors) {
        set(&mut m.name, e.check("name", name(&self.name)));
        let header = header_row(&self.header_row);
        set(&mut m.header_row, e.check("header_row", header));
        let skip = rows(&self.skip_after_header);
        set(&mut m.skip_after_header, e.check("skip_after_header", skip));
        set(
            &mut m.skip_bottom,
            e.check("skip_bottom", rows(&self.skip_bottom)),
        );
        let delimiter = choice(&DELIMITERS, &self.delimiter, |d| d.1);
        set(&mut m.delimiter, e.check("delimiter", delimiter));
        let dates = choice(&DATE_FORMATS, &self.date_format, |d| d.1);
        set(&mut m.date_format, e.check("date_format", dates));
        let decimal = e.check("decimal", choice(&DECIMALS, &self.decimal, |d| d.1));
        let thousands = e.check("thousands", choice(&THOUSANDS, &self.thousands, |t| t.1));
        if let (Some(decimal), Some(thousands)) = (decimal, thousands) {
            m.number_format = NumberFormat { decimal, thousands };
            if thousands == Some(decimal) {
                let msg = "the thousands separator must differ from the decimal separator";
                e.add("thousands", msg);
            }
        }
    }

    /// What rows that leave something out get, and the broker's type words.
    fn read_defaults(&self, m: &mut ColumnMapping, e: &mut FieldErrors) {
        let currency = optional(&self.default_currency, CurrencyCode::parse);
        set(
            &mut m.default_currency,
            e.check("default_currency", currency),
        );
        let account = optional(&self.default_account, Name::parse);
        set(&mut m.default_account, e.check("default_account", account));
        let kind = optional(&self.default_kind, str::parse::<ActivityType>);
        set(&mut m.default_kind, e.check("default_kind", kind));
        let words = kinds::parse(&self.kind_values);
        set(&mut m.kind_values, e.check("kind_values", words));
    }

    /// The column fields as a [`MappedColumns`], with a message for each bad reference.
    fn mapped_columns(&self, header_row: u64, e: &mut FieldErrors) -> MappedColumns {
        let refs: Vec<Option<String>> = COLUMN_FIELDS
            .iter()
            .zip(self.columns())
            .map(|(f, v)| e.check(f.key, column_ref(v, header_row)).flatten())
            .collect();
        let mut refs = refs.into_iter();
        let mut next = || refs.next().flatten();
        let date = next();
        if date.is_none() && e.get("col_date").is_empty() {
            e.add("col_date", "name the column that holds the date");
        }
        MappedColumns {
            date: date.unwrap_or_default(),
            kind: next(),
            symbol: next(),
            name: next(),
            quantity: next(),
            unit_price: next(),
            amount: next(),
            fee: next(),
            tax: next(),
            currency: next(),
            account: next(),
            comment: next(),
            external_id: next(),
        }
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}
