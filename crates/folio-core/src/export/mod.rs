//! Writers for Folio's own formats: the lossless JSON document, the activity CSV and a
//! price-history CSV per asset. Pure functions from values to text; the caller writes the
//! bytes wherever they go.
//!
//! CSV cells are protected against formula injection: a text cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return is written with a leading `'`; a text cell
//! that already starts with `'` followed by one of those characters or by another `'` gets
//! one more `'`. Folio's CSV reader removes exactly one leading `'` in those two cases, so
//! every text round-trips unchanged. Numeric columns are never touched (`-5` stays `-5`):
//! they only ever hold plain decimals, which spreadsheets do not evaluate as formulas.

use std::collections::HashMap;

use rust_decimal::Decimal;
use time::Date;

use crate::domain::Symbol;
use crate::import::{DocumentAsset, FOLIO_CSV_HEADER, FolioDocument};

/// Characters that make a spreadsheet treat a cell as a formula.
const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Protects a text cell against formula injection (see the module docs).
pub fn guard(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = text.starts_with(TRIGGERS) || unguard(text).len() != text.len();
    if needs {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Undoes [`guard`]: removes one leading `'` when it is followed by a trigger character or
/// by another `'`; any other text is returned unchanged.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

/// Writes a Folio JSON document: pretty-printed, decimals as strings, dates ISO.
pub fn folio_json(document: &FolioDocument) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string_pretty(document).unwrap_or_default()
}

/// Quotes a cell when it contains a delimiter, quote or line break (RFC 4180).
fn cell(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn line(out: &mut String, cells: &[&str]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out, c);
    }
    out.push('\n');
}

/// Writes the document's activities as Folio CSV: the header, then one row per activity
/// in document order, with each asset's name, currency, class and pricing repeated so
/// the file alone can recreate the assets.
pub fn folio_csv(document: &FolioDocument) -> String {
    let assets: HashMap<&str, &DocumentAsset> = document
        .assets
        .iter()
        .map(|a| (a.symbol.as_str(), a))
        .collect();
    let mut out = String::new();
    line(&mut out, &FOLIO_CSV_HEADER);
    let d = |v: Option<Decimal>| v.map(|v| v.to_string()).unwrap_or_default();
    for a in &document.activities {
        let asset = a.asset.as_ref().and_then(|s| assets.get(s.as_str()));
        let cells = [
            a.date.to_string(),
            guard(a.account.as_str()).into_owned(),
            a.kind.as_str().to_owned(),
            a.asset
                .as_ref()
                .map(|s| guard(s.as_str()).into_owned())
                .unwrap_or_default(),
            asset
                .map(|x| guard(x.name.as_str()).into_owned())
                .unwrap_or_default(),
            asset.map(|x| x.currency.to_string()).unwrap_or_default(),
            asset
                .map(|x| x.class.as_str().to_owned())
                .unwrap_or_default(),
            asset
                .map(|x| x.pricing.as_str().to_owned())
                .unwrap_or_default(),
            d(a.quantity),
            d(a.unit_price),
            d(a.amount),
            a.fee.to_string(),
            a.tax.to_string(),
            a.currency.to_string(),
            guard(a.note.as_str()).into_owned(),
            a.id.to_string(),
            a.transfer_of.map(|t| t.to_string()).unwrap_or_default(),
        ];
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        line(&mut out, &refs);
    }
    out
}

/// Writes one asset's price history as `date,symbol,close` CSV in the order given
/// (callers pass oldest first); readable by the price CSV importer.
pub fn price_csv(symbol: &Symbol, prices: &[(Date, Decimal)]) -> String {
    let mut out = String::from("date,symbol,close\n");
    let sym = guard(symbol.as_str());
    for (date, close) in prices {
        line(&mut out, &[&date.to_string(), &sym, &close.to_string()]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formula_payloads_are_prefixed_and_restored() {
        assert_eq!(guard("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("plain"), "plain");
        assert_eq!(guard("'quoted'"), "'quoted'");
        assert_eq!(guard("'=a"), "''=a");
        assert_eq!(unguard("''=a"), "'=a");
        assert_eq!(unguard("'=a"), "=a");
        assert_eq!(unguard("'x"), "'x");
    }

    proptest! {
        #[test]
        fn any_text_survives_guard_then_unguard(s in "\\PC{0,12}") {
            let guarded = guard(&s);
            prop_assert_eq!(unguard(&guarded), s.as_str());
            prop_assert!(!guarded.starts_with(TRIGGERS));
        }
    }
}
