//! Folio CSV: one row per activity, the columns of [`HEADER`] (see
//! `docs/import-export.md`). Strict: ISO dates, plain decimals with `.`, positive numbers.

use super::ParseOptions;
use super::activity_csv::{RowFn, Spec, kind_cell, read};
use super::collect::Collector;
use super::options::{DateFormat, NumberFormat};
use super::row::Rules;
use super::sheet::{Aliases, Field};
use crate::domain::ActivityType;

/// The header Folio writes, in order.
pub const HEADER: [&str; 17] = [
    "date",
    "account",
    "kind",
    "symbol",
    "asset_name",
    "asset_currency",
    "asset_class",
    "pricing",
    "quantity",
    "unit_price",
    "amount",
    "fee",
    "tax",
    "currency",
    "note",
    "id",
    "transfer_of",
];

pub(crate) const ALIASES: &Aliases = &[
    (Field::Date, &["date"]),
    (Field::Account, &["account"]),
    (Field::Kind, &["kind", "type"]),
    (Field::Symbol, &["symbol"]),
    (Field::Name, &["assetname"]),
    (Field::AssetCurrency, &["assetcurrency"]),
    (Field::AssetClass, &["assetclass"]),
    (Field::Pricing, &["pricing"]),
    (Field::Quantity, &["quantity"]),
    (Field::UnitPrice, &["unitprice"]),
    (Field::Amount, &["amount"]),
    (Field::Fee, &["fee"]),
    (Field::Tax, &["tax"]),
    (Field::Currency, &["currency"]),
    (Field::Comment, &["note", "comment"]),
    (Field::ExternalId, &["id"]),
    (Field::TransferOf, &["transferof"]),
];

pub(crate) const REQUIRED: &[Field] = &[Field::Date, Field::Account, Field::Kind];

/// Reads a Folio CSV.
pub(crate) fn parse(
    text: &str,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
) {
    let spec = Spec {
        name: "Folio CSV",
        aliases: ALIASES,
        required: REQUIRED,
        dates: DateFormat::Iso,
        number: NumberFormat {
            decimal: '.',
            thousands: None,
        },
        rules: Rules {
            strict_signs: true,
            keep_cash_assets: true,
            unescape_text: true,
        },
    };
    let accepted: Vec<&str> = ActivityType::ALL.iter().map(|k| k.as_str()).collect();
    let accepted = accepted.join(", ");
    let row_fn: &mut RowFn<'_> = &mut |rr| {
        let kind = kind_cell(rr, |s| s.parse().ok(), &accepted);
        let mut d = rr.common();
        d.kind = kind;
        d.symbol = rr.symbol(kind);
        vec![d]
    };
    read(text, &spec, opts, c, progress, row_fn);
}
