//! Wealthfolio's activity CSV: `date, symbol, quantity, activityType, unitPrice, currency,
//! fee, amount` plus optional `tax, account, comment, subtype`; its canonical types and
//! legacy names; subtypes (DRIP, STAKING_REWARD, DIVIDEND_IN_KIND, BONUS, ...); the split
//! ratio in either the quantity or the amount column; negative numbers made positive.

use super::ParseOptions;
use super::activity_csv::{RowFn, Spec, kind_cell, read};
use super::collect::Collector;
use super::options::{DateFormat, NumberFormat};
use super::row::{Draft, Rules};
use super::sheet::{Aliases, Field};
use crate::domain::{ActivityType, Note};

pub(crate) const ALIASES: &Aliases = &[
    (Field::Date, &["date", "activitydate", "tradedate"]),
    (Field::Kind, &["activitytype", "type", "action"]),
    (Field::Subtype, &["subtype", "activitysubtype"]),
    (Field::Symbol, &["symbol", "ticker", "assetid"]),
    (Field::Quantity, &["quantity", "qty", "shares", "units"]),
    (Field::UnitPrice, &["unitprice", "price"]),
    (Field::Amount, &["amount", "total", "value"]),
    (Field::Currency, &["currency"]),
    (Field::Fee, &["fee", "fees", "commission"]),
    (Field::Tax, &["tax", "taxes"]),
    (Field::Account, &["account", "accountname", "accountid"]),
    (
        Field::Comment,
        &["comment", "comments", "note", "notes", "description"],
    ),
];

pub(crate) const REQUIRED: &[Field] = &[Field::Date, Field::Kind, Field::Symbol];

const ACCEPTED: &str = "BUY, SELL, DIVIDEND, INTEREST, DEPOSIT, WITHDRAWAL, TRANSFER_IN, \
    TRANSFER_OUT, FEE, TAX, SPLIT, CREDIT (and the older ADD_HOLDING, REMOVE_HOLDING, \
    CONVERSION_IN, CONVERSION_OUT)";

/// Wealthfolio's type names, canonical and legacy. CREDIT (refunds, bonuses) is cash
/// coming in: a DEPOSIT in Folio, labelled in the note.
fn kind(s: &str) -> Option<ActivityType> {
    let upper = s.trim().to_ascii_uppercase().replace([' ', '-'], "_");
    match upper.as_str() {
        "ADD_HOLDING" | "CONVERSION_IN" => Some(ActivityType::TransferIn),
        "REMOVE_HOLDING" | "CONVERSION_OUT" => Some(ActivityType::TransferOut),
        "CREDIT" => Some(ActivityType::Deposit),
        other => other.parse().ok(),
    }
}

/// Reads a Wealthfolio CSV.
pub(crate) fn parse(
    text: &str,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
) {
    let spec = Spec {
        name: "Wealthfolio CSV",
        aliases: ALIASES,
        required: REQUIRED,
        dates: DateFormat::Auto,
        number: NumberFormat::default(),
        rules: Rules {
            strict_signs: false,
            keep_cash_assets: false,
            unescape_text: false,
        },
    };
    let row_fn: &mut RowFn<'_> = &mut |rr| {
        let raw_kind = rr.text(Field::Kind).map(str::to_ascii_uppercase);
        let subtype = rr
            .text(Field::Subtype)
            .map(|s| s.trim().to_ascii_uppercase());
        let mut kind = kind_cell(rr, kind, ACCEPTED);
        if subtype.as_deref() == Some("DIVIDEND_IN_KIND") {
            // Shares received as a dividend: they arrive from outside (an unlinked transfer).
            kind = kind.map(|_| ActivityType::TransferIn);
        }
        let mut d = rr.common();
        d.kind = kind;
        let staking = subtype.as_deref() == Some("STAKING_REWARD");
        d.symbol = rr.symbol(if staking {
            Some(ActivityType::Buy)
        } else {
            kind
        });
        if kind == Some(ActivityType::Split) && d.quantity.is_none_or(|q| q.is_zero()) {
            d.quantity = d.amount.take();
        }
        label(&mut d, raw_kind.as_deref(), subtype.as_deref());
        expand(d, subtype.as_deref())
    };
    read(text, &spec, opts, c, progress, row_fn);
}

/// Notes what Folio has no type for, so nothing is lost silently.
fn label(d: &mut Draft, raw_kind: Option<&str>, subtype: Option<&str>) {
    let mut tags = Vec::new();
    if raw_kind == Some("CREDIT") {
        tags.push("Wealthfolio CREDIT".to_owned());
    }
    if let Some(s) = subtype.filter(|s| !matches!(*s, "DRIP" | "STAKING_REWARD")) {
        tags.push(format!("subtype {s}"));
    }
    if tags.is_empty() {
        return;
    }
    let old = d
        .comment
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    let text = if old.is_empty() {
        tags.join("; ")
    } else {
        format!("{old} [{}]", tags.join("; "))
    };
    d.comment = Note::parse(&text).ok().or(d.comment.take());
}

/// DRIP (dividend reinvested) and STAKING_REWARD (paid in coins) are income plus a buy of
/// the reinvested quantity at the given price.
fn expand(d: Draft, subtype: Option<&str>) -> Vec<Draft> {
    let income = matches!(
        (subtype, d.kind),
        (Some("DRIP"), Some(ActivityType::Dividend))
            | (Some("STAKING_REWARD"), Some(ActivityType::Interest))
    );
    if !income || d.quantity.is_none() || d.unit_price.is_none() {
        return vec![d];
    }
    let mut buy = d.clone();
    buy.kind = Some(ActivityType::Buy);
    buy.amount = None;
    buy.fee = None;
    buy.tax = None;
    let mut cash = d;
    if cash.kind == Some(ActivityType::Interest) {
        cash.symbol = None;
    }
    vec![cash, buy]
}
