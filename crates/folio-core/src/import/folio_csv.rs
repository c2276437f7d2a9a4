//! Folio CSV: one row per activity, the columns of [`HEADER`] (see
//! `docs/import-export.md`). Strict: ISO dates, plain decimals with `.`, positive numbers.

use std::collections::HashSet;

use super::activity_csv::{RowFn, Spec, kind_cell, read};
use super::collect::Collector;
use super::options::{DateFormat, NumberFormat};
use super::row::Rules;
use super::sheet::{Aliases, Field};
use super::{ParseOptions, RowError};
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
    check_links(c);
}

/// Ids must be unique, and a `transfer_of` must name a TRANSFER_OUT of the same file on a
/// TRANSFER_IN; a row that breaks this is reported and left out.
fn check_links(c: &mut Collector) {
    let mut outs = HashSet::new();
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for r in &c.links {
        if let Some(id) = &r.id {
            if !seen.insert(id.clone()) {
                let e = RowError::at(
                    r.line,
                    Some("id"),
                    format!("id {id} is used by an earlier row"),
                );
                errors.push((r.line, e));
            }
            if r.kind == ActivityType::TransferOut {
                outs.insert(id.clone());
            }
        }
    }
    for r in &c.links {
        let Some(link) = &r.transfer_of else { continue };
        let message = if r.kind != ActivityType::TransferIn {
            "only a TRANSFER_IN can receive a transfer".to_owned()
        } else if !outs.contains(link) {
            format!("no TRANSFER_OUT with id {link} in this file")
        } else {
            continue;
        };
        errors.push((r.line, RowError::at(r.line, Some("transfer_of"), message)));
    }
    let bad: HashSet<u64> = errors.iter().map(|(l, _)| *l).collect();
    c.out.rows.retain(|r| !bad.contains(&r.line));
    c.out.errors.extend(errors.into_iter().map(|(_, e)| e));
    c.out.errors.sort_by_key(|e| e.line);
}
