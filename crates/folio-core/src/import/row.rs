//! Turning one record's cells into an [`ImportRow`]: typed reads that record a precise
//! error per cell, and the per-type rules every format shares.

use csv::StringRecord;
use rust_decimal::Decimal;
use time::Date;

use super::options::{DateFormat, NumberFormat};
use super::sheet::{Columns, Field};
use super::values::{check_scale, parse_date, parse_number};
use super::{AssetRef, RowError};
use crate::domain::{ActivityType, AssetClass, CurrencyCode, Name, Note, PricingMode, Symbol};

/// Format-wide choices for [`RowReader::finish`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// Folio's own formats: negative amounts are an error, not a direction to drop.
    pub(crate) strict_signs: bool,
    /// Folio's own formats keep an asset on cash activities (interest on a bond); peers'
    /// placeholder symbols on deposits and fees are dropped.
    pub(crate) keep_cash_assets: bool,
    /// Folio CSV: undo the formula-injection quote on text cells.
    pub(crate) unescape_text: bool,
}

/// The fields of an activity before the per-type rules; numbers still signed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub(crate) kind: Option<ActivityType>,
    pub(crate) date: Option<Date>,
    pub(crate) symbol: Option<Symbol>,
    pub(crate) name: Option<Name>,
    pub(crate) asset_currency: Option<CurrencyCode>,
    pub(crate) class: Option<AssetClass>,
    pub(crate) pricing: Option<PricingMode>,
    pub(crate) quantity: Option<Decimal>,
    pub(crate) unit_price: Option<Decimal>,
    pub(crate) amount: Option<Decimal>,
    pub(crate) fee: Option<Decimal>,
    pub(crate) tax: Option<Decimal>,
    pub(crate) currency: Option<CurrencyCode>,
    pub(crate) account: Option<Name>,
    pub(crate) comment: Option<Note>,
    pub(crate) external_id: Option<String>,
    pub(crate) transfer_of: Option<String>,
}

/// Reads one record's cells, collecting every problem instead of stopping at the first.
pub(crate) struct RowReader<'a> {
    pub(crate) line: u64,
    pub(crate) record: &'a StringRecord,
    pub(crate) cols: &'a Columns,
    pub(crate) number: NumberFormat,
    pub(crate) dates: DateFormat,
    pub(crate) rules: Rules,
    pub(crate) errors: Vec<RowError>,
}

impl RowReader<'_> {
    /// Records a problem with `field`'s column.
    pub(crate) fn fail(&mut self, field: Field, message: impl Into<String>) {
        let column = self.cols.name(field);
        self.errors
            .push(RowError::at(self.line, Some(&column), message));
    }

    /// The trimmed text of a cell (Folio CSV: with the formula guard removed).
    pub(crate) fn text(&self, field: Field) -> Option<&str> {
        let cell = self.cols.get(self.record, field)?;
        Some(if self.rules.unescape_text {
            crate::export::unguard(cell)
        } else {
            cell
        })
    }

    /// A cell parsed by `parse`, the error recorded against the column.
    pub(crate) fn read<T, E: std::fmt::Display>(
        &mut self,
        field: Field,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let cell = self.text(field)?.to_owned();
        match parse(&cell) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(field, format!("{e} (got {cell:?})"));
                None
            }
        }
    }

    /// A number in the file's number format.
    pub(crate) fn number(&mut self, field: Field) -> Option<Decimal> {
        let fmt = self.number;
        let cell = self.text(field)?.to_owned();
        parse_number(&cell, fmt)
            .map_err(|e| self.fail(field, e))
            .ok()
    }

    /// A date in the file's date format.
    pub(crate) fn date(&mut self, field: Field) -> Option<Date> {
        let fmt = self.dates;
        let cell = self.text(field)?.to_owned();
        parse_date(&cell, fmt).map_err(|e| self.fail(field, e)).ok()
    }

    /// Reads the columns every activity format shares into a draft (kind left to the
    /// format, which knows its own vocabulary).
    pub(crate) fn common(&mut self) -> Draft {
        let d = Draft {
            date: self.date(Field::Date),
            symbol: None,
            name: self.read(Field::Name, Name::parse),
            asset_currency: self.read(Field::AssetCurrency, CurrencyCode::parse),
            class: self.read(Field::AssetClass, str::parse::<AssetClass>),
            pricing: self.read(Field::Pricing, str::parse::<PricingMode>),
            quantity: self.number(Field::Quantity),
            unit_price: self.number(Field::UnitPrice),
            amount: self.number(Field::Amount),
            fee: self.number(Field::Fee),
            tax: self.number(Field::Tax),
            currency: self.read(Field::Currency, CurrencyCode::parse),
            account: self.read(Field::Account, Name::parse),
            comment: self.read(Field::Comment, Note::parse),
            external_id: self.text(Field::ExternalId).map(str::to_owned),
            transfer_of: self.text(Field::TransferOf).map(str::to_owned),
            ..Draft::default()
        };
        if d.date.is_none() && self.cols.get(self.record, Field::Date).is_none() {
            self.fail(Field::Date, "a date is required");
        }
        d
    }

    /// Reads the symbol for an activity of `kind`. Peers' placeholder symbols (`$CASH-USD`,
    /// a Ghostfolio id on a fee) are ignored where the type does not use an asset.
    pub(crate) fn symbol(&mut self, kind: Option<ActivityType>) -> Option<Symbol> {
        let cell = self.text(Field::Symbol)?;
        if is_cash_placeholder(cell) {
            return None;
        }
        let cash_kind = kind.is_some_and(|k| {
            !k.needs_asset() && !matches!(k, ActivityType::TransferIn | ActivityType::TransferOut)
        });
        if cash_kind && !self.rules.keep_cash_assets {
            return None;
        }
        self.read(Field::Symbol, Symbol::parse)
    }
}

/// `$CASH-USD`, `CASH:EUR`, `CASH_GBP`: brokers' and Wealthfolio's stand-ins for cash.
pub(crate) fn is_cash_placeholder(symbol: &str) -> bool {
    let upper = symbol.trim().to_ascii_uppercase();
    let rest = upper.strip_prefix('$').unwrap_or(&upper);
    rest.strip_prefix("CASH")
        .and_then(|r| r.strip_prefix(['-', '_', ':']))
        .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))
}

#[path = "row_rules.rs"]
mod rules;
pub(crate) use rules::finish;

/// Fills an [`AssetRef`] from a draft.
pub(crate) fn asset_of(d: &Draft) -> Option<AssetRef> {
    Some(AssetRef {
        symbol: d.symbol.clone()?,
        name: d.name.clone(),
        currency: d.asset_currency.clone(),
        class: d.class,
        pricing: d.pricing,
    })
}

/// Checks a decimal against a storage scale, recording the error on `field`.
pub(crate) fn scaled(
    rr: &mut RowReader<'_>,
    field: Field,
    v: Decimal,
    scale: u32,
    what: &str,
) -> Option<Decimal> {
    check_scale(v, scale, what)
        .map_err(|e| rr.fail(field, e))
        .ok()
}
