//! Ghostfolio's activity CSV: the header aliases its importer accepts, its activity types
//! (BUY, SELL, DIVIDEND, FEE, INTEREST, ITEM, LIABILITY) and its day-first dates
//! (`dd-MM-yyyy`, `dd/MM/yyyy`, `dd.MM.yyyy`, plus ISO and `yyyyMMdd`).

use rust_decimal::Decimal;

use super::ParseOptions;
use super::activity_csv::{RowFn, Spec, kind_cell, read};
use super::collect::Collector;
use super::options::{DateFormat, NumberFormat};
use super::row::Rules;
use super::row::{Draft, RowReader};
use super::sheet::{Aliases, Field};
use crate::domain::{ActivityType, AssetClass, Name, PricingMode, Symbol};

pub(crate) const ALIASES: &Aliases = &[
    (Field::Account, &["account", "accountid"]),
    (Field::Comment, &["comment", "note"]),
    (Field::Currency, &["ccy", "currency", "currencyprimary"]),
    (Field::DataSource, &["datasource"]),
    (Field::Date, &["date", "tradedate"]),
    (Field::Fee, &["commission", "fee", "ibcommission"]),
    (Field::Quantity, &["qty", "quantity", "shares", "units"]),
    (Field::Symbol, &["code", "symbol", "ticker"]),
    (Field::Kind, &["action", "buy/sell", "type"]),
    (
        Field::UnitPrice,
        &["price", "tradeprice", "unitprice", "value"],
    ),
];

pub(crate) const REQUIRED: &[Field] = &[
    Field::Date,
    Field::Kind,
    Field::Symbol,
    Field::Quantity,
    Field::UnitPrice,
];

const ACCEPTED: &str =
    "BUY, SELL, DIVIDEND, FEE, INTEREST, ITEM (LIABILITY has no Folio equivalent)";

/// Ghostfolio's type names. ITEM (a valuable) becomes a BUY of a manually priced asset.
fn kind(s: &str) -> Option<ActivityType> {
    match s.trim().to_ascii_lowercase().as_str() {
        "buy" | "item" => Some(ActivityType::Buy),
        "sell" => Some(ActivityType::Sell),
        "dividend" => Some(ActivityType::Dividend),
        "fee" => Some(ActivityType::Fee),
        "interest" => Some(ActivityType::Interest),
        _ => None,
    }
}

/// Reads a Ghostfolio CSV.
pub(crate) fn parse(
    text: &str,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
) {
    let spec = Spec {
        name: "Ghostfolio CSV",
        aliases: ALIASES,
        required: REQUIRED,
        dates: DateFormat::DayFirst,
        number: NumberFormat::default(),
        rules: Rules {
            strict_signs: false,
            keep_cash_assets: false,
            unescape_text: false,
        },
    };
    let row_fn: &mut RowFn<'_> = &mut |rr| {
        let is_item = rr
            .text(Field::Kind)
            .is_some_and(|k| k.eq_ignore_ascii_case("item"));
        let kind = kind_cell(rr, kind, ACCEPTED);
        let manual = is_item
            || rr
                .text(Field::DataSource)
                .is_some_and(|s| s.eq_ignore_ascii_case("manual"));
        let mut d = rr.common();
        d.kind = kind;
        symbol(rr, &mut d, manual, is_item);
        vec![d]
    };
    read(text, &spec, opts, c, progress, row_fn);
}

/// Reads the symbol. Ghostfolio's manual assets are named freely ("Penthouse Apartment",
/// or an id): they get a symbol derived from the name (upper case, other characters as
/// `-`, at most 32) and keep the text as their name.
pub(crate) fn symbol(rr: &mut RowReader<'_>, d: &mut Draft, manual: bool, is_item: bool) {
    let cash = d.kind.is_some_and(|k| !k.needs_asset());
    match rr.text(Field::Symbol).map(str::to_owned) {
        Some(text) if manual && !cash => {
            d.symbol = Symbol::parse(&text).ok().or_else(|| derived_symbol(&text));
            d.name = d.name.take().or_else(|| Name::parse(&text).ok());
            d.pricing = Some(PricingMode::Manual);
            if d.symbol.is_none() {
                rr.fail(
                    Field::Symbol,
                    format!("{text:?} cannot be made into a symbol"),
                );
            }
        }
        _ => d.symbol = rr.symbol(d.kind),
    }
    if is_item {
        d.class = Some(AssetClass::Other);
    }
    fee_as_amount(d);
}

fn derived_symbol(text: &str) -> Option<Symbol> {
    let s: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '-'
            }
        })
        .take(Symbol::MAX_CHARS)
        .collect();
    Symbol::parse(s.trim_matches('-')).ok()
}

/// A Ghostfolio FEE carries its amount in the fee column (quantity × price is zero).
pub(crate) fn fee_as_amount(d: &mut Draft) {
    if d.kind != Some(ActivityType::Fee) {
        return;
    }
    let product = match (d.quantity, d.unit_price) {
        (Some(q), Some(p)) => q.checked_mul(p).unwrap_or(Decimal::ZERO),
        _ => Decimal::ZERO,
    };
    if product.is_zero() {
        d.amount = d.fee.take();
        d.quantity = None;
        d.unit_price = None;
    }
}
