//! The per-type rules shared by every format (the same ones the activity form applies):
//! which numbers a type needs, signs, storage precision, asset and currency fallbacks.

use rust_decimal::Decimal;

use super::{Draft, RowReader, asset_of, scaled};
use crate::domain::{ActivityType, Note};
use crate::import::sheet::Field;
use crate::import::{ImportRow, ParseOptions};

/// Fraction digits stored for quantities and prices.
const QTY_SCALE: u32 = 10;
/// Fraction digits accepted for amounts, fees and taxes (the `Money` type).
const MONEY_SCALE: u32 = 8;

/// Applies the rules; `None` when the row has errors (recorded in `rr.errors`).
pub(crate) fn finish(
    rr: &mut RowReader<'_>,
    mut d: Draft,
    opts: &ParseOptions,
) -> Option<ImportRow> {
    let kind = d.kind?;
    let transfer = matches!(kind, ActivityType::TransferIn | ActivityType::TransferOut);
    let security_transfer = transfer && d.symbol.is_some();
    let uses_amount = matches!(
        kind,
        ActivityType::Dividend
            | ActivityType::Interest
            | ActivityType::Fee
            | ActivityType::Tax
            | ActivityType::Deposit
            | ActivityType::Withdrawal
    ) || (transfer && !security_transfer);
    let pure_cash = uses_amount && !kind.needs_asset() && !transfer;
    if pure_cash && !rr.rules.keep_cash_assets {
        d.symbol = None;
    }
    let symbol_column = Some(rr.cols.name(Field::Symbol));
    if kind.needs_asset()
        && d.symbol.is_none()
        && !rr.errors.iter().any(|e| e.column == symbol_column)
    {
        rr.fail(Field::Symbol, format!("a symbol is required for {kind}"));
    }
    let quantity = quantity(rr, &d, kind, security_transfer);
    let unit_price = unit_price(rr, &d, kind);
    let amount = amount(rr, &d, uses_amount, kind);
    let fee = money(rr, Field::Fee, d.fee, "a fee");
    let tax = money(rr, Field::Tax, d.tax, "a tax");
    let currency = d
        .currency
        .clone()
        .or_else(|| d.asset_currency.clone())
        .or_else(|| opts.default_currency.clone());
    if currency.is_none() && rr.cols.get(rr.record, Field::Currency).is_none() {
        rr.fail(
            Field::Currency,
            "a currency is required: fill it in or choose a default currency",
        );
    }
    let date = d.date?;
    let comment = d.comment.take().or_else(|| Note::parse("").ok())?;
    if !rr.errors.is_empty() {
        return None;
    }
    Some(ImportRow {
        line: rr.line,
        account: d.account.clone().or_else(|| opts.default_account.clone()),
        asset: asset_of(&d),
        kind,
        date,
        quantity,
        unit_price,
        amount,
        fee: fee?,
        tax: tax?,
        currency: currency?,
        comment,
        external_id: d.external_id,
        transfer_of: d.transfer_of,
    })
}

/// The magnitude of a signed number; in Folio's formats a negative one is an error.
fn magnitude(rr: &mut RowReader<'_>, field: Field, v: Decimal) -> Option<Decimal> {
    if v.is_sign_negative() && !v.is_zero() && rr.rules.strict_signs {
        rr.fail(
            field,
            "must not be negative; the activity type gives the direction",
        );
        return None;
    }
    Some(v.abs())
}

fn quantity(
    rr: &mut RowReader<'_>,
    d: &Draft,
    kind: ActivityType,
    security_transfer: bool,
) -> Option<Decimal> {
    let needed = matches!(
        kind,
        ActivityType::Buy | ActivityType::Sell | ActivityType::Split
    ) || security_transfer;
    let Some(raw) = d.quantity else {
        if needed && rr.cols.get(rr.record, Field::Quantity).is_none() {
            let what = if kind == ActivityType::Split {
                "the split ratio (2 = 2-for-1)"
            } else {
                "a quantity"
            };
            rr.fail(Field::Quantity, format!("{what} is required for {kind}"));
        }
        return None;
    };
    if !needed && !rr.rules.keep_cash_assets {
        return None;
    }
    let q = magnitude(rr, Field::Quantity, raw)?;
    if q.is_zero() && needed {
        rr.fail(Field::Quantity, "must be greater than zero");
        return None;
    }
    scaled(rr, Field::Quantity, q, QTY_SCALE, "a quantity")
}

fn unit_price(rr: &mut RowReader<'_>, d: &Draft, kind: ActivityType) -> Option<Decimal> {
    let needed = matches!(kind, ActivityType::Buy | ActivityType::Sell);
    let Some(raw) = d.unit_price else {
        if needed && rr.cols.get(rr.record, Field::UnitPrice).is_none() {
            rr.fail(
                Field::UnitPrice,
                format!("a unit price is required for {kind}"),
            );
        }
        return None;
    };
    if !kind.uses_quantity() && !rr.rules.keep_cash_assets {
        return None;
    }
    let p = magnitude(rr, Field::UnitPrice, raw)?;
    scaled(rr, Field::UnitPrice, p, QTY_SCALE, "a price")
}

fn amount(
    rr: &mut RowReader<'_>,
    d: &Draft,
    cash_kind: bool,
    kind: ActivityType,
) -> Option<Decimal> {
    let raw = match d.amount {
        Some(a) => Some(a),
        // Peers often give income as quantity × price (Ghostfolio's dividends).
        None if cash_kind && !rr.rules.strict_signs => match (d.quantity, d.unit_price) {
            (Some(q), Some(p)) => q.abs().checked_mul(p.abs()),
            _ => None,
        },
        None => None,
    };
    let Some(raw) = raw else {
        if cash_kind && rr.cols.get(rr.record, Field::Amount).is_none() {
            rr.fail(Field::Amount, format!("an amount is required for {kind}"));
        }
        return None;
    };
    if !cash_kind && !rr.rules.keep_cash_assets {
        return None;
    }
    let a = magnitude(rr, Field::Amount, raw)?;
    if a.is_zero() && cash_kind {
        rr.fail(Field::Amount, "must be greater than zero");
        return None;
    }
    scaled(rr, Field::Amount, a, MONEY_SCALE, "an amount")
}

fn money(rr: &mut RowReader<'_>, field: Field, v: Option<Decimal>, what: &str) -> Option<Decimal> {
    let v = magnitude(rr, field, v.unwrap_or(Decimal::ZERO))?;
    scaled(rr, field, v, MONEY_SCALE, what)
}
