//! The preview as plain text, for `folio import` (the web page shows the same facts).

use std::fmt::Write;

use super::Preview;

fn opt(d: Option<rust_decimal::Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// Renders the preview: summary, errors with line and column, new accounts and assets,
/// totals, and (when `rows` is set) the listed rows with their status
/// ([`super::ROWS_LISTED`]; the rest are counted).
pub fn render_text(p: &Preview, rows: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} data rows read: {} to import, {} already stored (skipped), {} error(s); {} price(s), {} FX rate(s)",
        p.rows_seen,
        p.new_rows(),
        p.duplicates,
        p.errors.len(),
        p.prices,
        p.fx_rates
    );
    for n in &p.notes {
        let _ = writeln!(s, "  note: {n}");
    }
    for e in &p.errors {
        let _ = writeln!(s, "  error: {e}");
    }
    for a in &p.new_accounts {
        let _ = writeln!(s, "  new account: {} ({})", a.name, a.currency);
    }
    for a in &p.new_assets {
        let _ = writeln!(
            s,
            "  new asset: {} {} ({}, {})",
            a.symbol,
            a.name,
            a.currency,
            a.class.label()
        );
    }
    for t in &p.totals {
        let _ = writeln!(
            s,
            "  total: {} × {} in {}, value {}",
            t.count,
            t.kind.label(),
            t.currency,
            t.value.normalize()
        );
    }
    if rows {
        for r in &p.rows {
            let _ = writeln!(
                s,
                "  line {}: {} {} {} {} qty {} price {} amount {} fee {} {}{}",
                r.line,
                r.date,
                r.kind.as_str(),
                r.account,
                r.symbol.as_deref().unwrap_or("-"),
                opt(r.quantity),
                opt(r.unit_price),
                opt(r.amount),
                r.fee.normalize(),
                r.currency,
                if r.duplicate {
                    " (duplicate: skipped)"
                } else {
                    ""
                }
            );
        }
        if p.unlisted > 0 {
            let _ = writeln!(
                s,
                "  …and {} more rows, all read and checked (every problem is listed)",
                p.unlisted
            );
        }
    }
    s
}
