//! Allocation as a table with a horizontal bar per row: label, bar, weight, value.
//! A table is its own text alternative, its text never scales with the picture, and it
//! reflows on a phone; the bars are tiny SVGs sized by attributes (no inline styles,
//! which the CSP forbids).

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::svg::esc;
use super::{Chart, colour};
use crate::format;

/// One row of an [`AllocationChart`].
#[derive(Debug, Clone)]
pub(crate) struct Slice {
    /// What the slice is ("Equity", an account name, "USD").
    pub label: String,
    /// Its value in base currency.
    pub value: Decimal,
    /// Its share of the total (0.25 = 25%); `None` when the total is zero.
    pub weight: Option<Decimal>,
}

/// How a value is spread, one row per slice (in the given order).
#[derive(Debug, Clone)]
pub(crate) struct AllocationChart {
    title: String,
    /// Header of the label column ("Asset class").
    category: String,
    slices: Vec<Slice>,
}

impl AllocationChart {
    /// A chart titled `title` whose rows are `category`s.
    pub(crate) fn new(
        title: impl Into<String>,
        category: impl Into<String>,
        slices: Vec<Slice>,
    ) -> Self {
        Self {
            title: title.into(),
            category: category.into(),
            slices,
        }
    }

    /// The table. Bars are drawn relative to 100% of the total; a negative slice
    /// (overdrawn cash) gets no bar and is marked as a loss.
    pub(crate) fn render(&self) -> Chart {
        let mut out = format!(
            "<table class=\"alloc\"><caption>{}</caption><thead><tr><th>{}</th>\
             <th class=\"alloc-bar\"><span class=\"visually-hidden\">Share</span></th>\
             <th class=\"num\">Weight</th><th class=\"num\">Value</th></tr></thead><tbody>",
            esc(&self.title),
            esc(&self.category)
        );
        if self.slices.is_empty() {
            out.push_str("<tr><td colspan=\"4\" class=\"empty\">Nothing held.</td></tr>");
        }
        for (i, s) in self.slices.iter().enumerate() {
            let weight = s.weight.map(format::share).unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td><span class=\"alloc-name\"><span class=\"swatch {c}\" aria-hidden=\"true\"></span>{label}</span></td>\
                 <td class=\"alloc-bar\">{bar}</td><td class=\"num\">{weight}</td>\
                 <td class=\"num {tone}\">{value}</td></tr>",
                c = colour(i),
                label = esc(&s.label),
                bar = bar(s, colour(i), &weight),
                tone = format::tone(s.value.min(Decimal::ZERO)),
                value = format::money(s.value),
            );
        }
        out.push_str("</tbody></table>");
        Chart(out)
    }
}

/// A 100-unit-wide bar filled to the slice's weight (clamped to 0–100).
fn bar(s: &Slice, class: &str, weight: &str) -> String {
    let pct = s
        .weight
        .and_then(|w| w.checked_mul(Decimal::ONE_HUNDRED))
        .unwrap_or_default()
        .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
        .round_dp(2)
        .normalize();
    format!(
        "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" width=\"100%\" height=\"10\" \
         aria-hidden=\"true\"><rect width=\"100\" height=\"10\" class=\"track\"/>\
         <rect width=\"{pct}\" height=\"10\" class=\"fill {class}\"><title>{}: {weight}</title></rect></svg>",
        esc(&s.label)
    )
}
