//! Price history (`date,close`) and FX rate (`date,rate`) CSVs, each optionally with a
//! column saying which asset (`symbol`) or pair (`pair` like `EUR/USD`, or `base` and
//! `quote`) a row is for; otherwise the caller names it in [`ParseOptions`].

use csv::StringRecord;

use super::collect::Collector;
use super::options::{DateFormat, NumberFormat};
use super::row::{RowReader, Rules, scaled};
use super::sheet::{
    Aliases, Columns, Field, find_header, for_each_row, has_all, records, sniff_delimiter,
};
use super::{FxRow, ParseOptions, PriceRow, RowError};
use crate::domain::{CurrencyCode, Symbol};

pub(crate) const PRICE_ALIASES: &Aliases = &[
    (Field::Date, &["date", "day", "pricedate"]),
    (
        Field::Close,
        &["close", "price", "nav", "value", "adjclose"],
    ),
    (Field::Symbol, &["symbol", "ticker", "asset"]),
];

pub(crate) const FX_ALIASES: &Aliases = &[
    (Field::Date, &["date", "day", "ratedate"]),
    (Field::Rate, &["rate", "fxrate", "close", "value"]),
    (Field::Pair, &["pair", "currencypair", "symbol"]),
    (Field::Base, &["base", "from", "basecurrency"]),
    (Field::Quote, &["quote", "to", "quotecurrency"]),
];

/// Price files written by Folio guard the symbol cell against formula injection.
const LENIENT: Rules = Rules {
    strict_signs: false,
    keep_cash_assets: false,
    unescape_text: true,
};

/// Which kind of rows a file holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Prices,
    Fx,
}

/// Reads a price or FX CSV.
pub(crate) fn parse(
    text: &str,
    kind: Kind,
    opts: &ParseOptions,
    c: &mut Collector,
    progress: &mut dyn FnMut(u64),
) {
    let (aliases, value) = match kind {
        Kind::Prices => (PRICE_ALIASES, Field::Close),
        Kind::Fx => (FX_ALIASES, Field::Rate),
    };
    let mut lines = records(text, sniff_delimiter(text));
    let required = [Field::Date, value];
    let Some((_, headers)) = find_header(&mut lines, &|h| has_all(h, aliases, &required)) else {
        let what = if kind == Kind::Prices {
            "date,close"
        } else {
            "date,rate"
        };
        return c.out.errors.push(RowError::file(format!(
            "no header row found: the file needs columns {what}"
        )));
    };
    let cols = Columns::from_aliases(&headers, aliases);
    if let Some(e) = missing_target(kind, &cols, opts) {
        return c.out.errors.push(e);
    }
    let dates = opts.date_format.unwrap_or(DateFormat::Auto);
    for_each_row(&mut lines, 0, opts, c, progress, &mut |l, c| {
        let mut rr = reader(l.line, &l.record, &cols, dates);
        match kind {
            Kind::Prices => price_row(&mut rr, opts).map(|p| c.out.prices.push(p)),
            Kind::Fx => fx_row(&mut rr, opts).map(|r| c.out.fx_rates.push(r)),
        };
        c.errors(rr.errors);
    });
}

fn reader<'a>(
    line: u64,
    record: &'a StringRecord,
    cols: &'a Columns,
    dates: DateFormat,
) -> RowReader<'a> {
    RowReader {
        line,
        record,
        cols,
        number: NumberFormat::default(),
        dates,
        rules: LENIENT,
        errors: Vec::new(),
    }
}

fn missing_target(kind: Kind, cols: &Columns, opts: &ParseOptions) -> Option<RowError> {
    match kind {
        Kind::Prices if !cols.has(Field::Symbol) && opts.symbol.is_none() => Some(RowError::file(
            "the file has no symbol column: choose the asset these prices are for",
        )),
        Kind::Fx
            if !(cols.has(Field::Pair) || cols.has(Field::Base) && cols.has(Field::Quote))
                && opts.fx_pair.is_none() =>
        {
            Some(RowError::file(
                "the file has no pair column: choose the currency pair these rates are for",
            ))
        }
        _ => None,
    }
}

fn price_row(rr: &mut RowReader<'_>, opts: &ParseOptions) -> Option<PriceRow> {
    let date = rr.date(Field::Date);
    let symbol = match rr.cols.has(Field::Symbol) {
        true => rr.read(Field::Symbol, Symbol::parse),
        false => opts.symbol.clone(),
    };
    let close = positive(rr, Field::Close, true)?;
    if symbol.is_none() && rr.errors.is_empty() {
        rr.fail(Field::Symbol, "a symbol is required");
    }
    rr.errors.is_empty().then_some(())?;
    Some(PriceRow {
        line: rr.line,
        symbol: symbol?,
        date: date?,
        close,
    })
}

fn fx_row(rr: &mut RowReader<'_>, opts: &ParseOptions) -> Option<FxRow> {
    let date = rr.date(Field::Date);
    let pair = if rr.cols.has(Field::Pair) {
        rr.read(Field::Pair, parse_pair)
    } else if rr.cols.has(Field::Base) {
        let base = rr.read(Field::Base, CurrencyCode::parse);
        let quote = rr.read(Field::Quote, CurrencyCode::parse);
        base.zip(quote)
    } else {
        opts.fx_pair.clone()
    };
    let rate = positive(rr, Field::Rate, false)?;
    rr.errors.is_empty().then_some(())?;
    let (base, quote) = pair?;
    Some(FxRow {
        line: rr.line,
        base,
        quote,
        date: date?,
        rate,
    })
}

/// A close (zero allowed: a worthless holding) or a rate (strictly positive).
fn positive(rr: &mut RowReader<'_>, field: Field, zero_ok: bool) -> Option<rust_decimal::Decimal> {
    let v = rr.number(field)?;
    if v.is_sign_negative() && !v.is_zero() || (!zero_ok && v.is_zero()) {
        rr.fail(
            field,
            if zero_ok {
                "must not be negative"
            } else {
                "must be greater than zero"
            },
        );
        return None;
    }
    scaled(
        rr,
        field,
        v,
        10,
        if zero_ok { "a price" } else { "an FX rate" },
    )
}

/// `EUR/USD`, `EUR-USD`, `EUR:USD`, `EURUSD` or Yahoo's `EURUSD=X`.
pub(crate) fn parse_pair(s: &str) -> Result<(CurrencyCode, CurrencyCode), String> {
    let t = s.trim().trim_end_matches("=X").trim_end_matches("=x");
    let (a, b) = match t.split_once(['/', '-', ':', ' ']) {
        Some(p) => p,
        None if t.len() == 6 && t.is_ascii() => t.split_at(3),
        None => return Err("not a currency pair; write it like EUR/USD".into()),
    };
    let base = CurrencyCode::parse(a).map_err(|e| e.0)?;
    let quote = CurrencyCode::parse(b).map_err(|e| e.0)?;
    Ok((base, quote))
}
