//! Vertical bars per category (a month, a year), positive up and negative down from a
//! zero line, with a tooltip per bar and a data table.
#![allow(
    clippy::disallowed_types,
    clippy::float_arithmetic,
    reason = "pixel geometry only; values are formatted from Decimal first"
)]

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::axis::{GAP, anchor_at, extent, value_axis};
use super::svg;
use super::{Chart, SIZES, Size, Unit, figure};

/// One bar.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    /// Category label on the axis and in the table ("2024-03", "2024").
    pub label: String,
    /// The bar's value.
    pub value: Decimal,
}

/// A bar chart of [`Bar`]s, in the given order.
#[derive(Debug, Clone)]
pub(crate) struct BarChart {
    title: String,
    unit: Unit,
    /// Header of the category column in the data table.
    category: String,
    bars: Vec<Bar>,
}

impl BarChart {
    /// A chart titled `title`, categories named `category` (e.g. "Month").
    pub(crate) fn new(
        title: impl Into<String>,
        category: impl Into<String>,
        unit: Unit,
        bars: Vec<Bar>,
    ) -> Self {
        Self {
            title: title.into(),
            unit,
            category: category.into(),
            bars,
        }
    }

    /// The figure: one drawing per size and the data table.
    pub(crate) fn render(&self) -> Chart {
        if self.bars.is_empty() {
            return Chart(format!(
                "<figure class=\"chart\"><figcaption class=\"chart-title\">{}</figcaption>\
                 <p class=\"empty\">Nothing to show yet.</p></figure>",
                svg::esc(&self.title)
            ));
        }
        let drawings: Vec<String> = SIZES.iter().map(|s| self.draw(*s)).collect();
        figure(&self.title, "", &drawings, "Data table", &self.table())
    }

    fn draw(&self, size: Size) -> String {
        let (w, h) = (f64::from(size.width), f64::from(size.height));
        let values = self.bars.iter().map(|b| b.value);
        let lo = values.clone().min().unwrap_or_default().min(Decimal::ZERO);
        let hi = values.max().unwrap_or_default().max(Decimal::ZERO);
        let mut out = String::new();
        svg::open(&mut out, size.class, size.width, size.height, &self.title);
        let plot = value_axis(&mut out, (lo, hi), self.unit, (w, h), 8.0);
        let (y, left, right) = (plot.y, plot.left, plot.right);
        let slot = (right - left) / svg::count(self.bars.len());
        let widest = self
            .bars
            .iter()
            .map(|b| svg::text_width(&b.label))
            .fold(0.0, f64::max);
        // Label every k-th bar so neighbouring labels keep a gap of 8 units.
        let every = svg::cover(widest + GAP, slot);
        let zero = y.at(0.0);
        let mut label_end = f64::NEG_INFINITY;
        for (i, b) in self.bars.iter().enumerate() {
            let x0 = left + slot * svg::count(i);
            let v = y.at(svg::num(b.value));
            let (top_y, height) = (v.min(zero), (v - zero).abs());
            let class = if b.value < Decimal::ZERO {
                "bar neg"
            } else {
                "bar pos"
            };
            let title = format!("{}: {}", b.label, self.unit.format(b.value));
            // A few bars would be fat slabs: keep them at most 56 units wide, centred.
            let gap = (slot * 0.15).min(6.0).max((slot - 56.0) / 2.0);
            svg::rect(
                &mut out,
                (x0 + gap, top_y, slot - 2.0 * gap, height.max(0.5)),
                class,
                &title,
            );
            if i % every == 0 {
                let (at, anchor) = anchor_at(x0 + slot / 2.0, &b.label, w);
                let (start, end) = extent(at, anchor, &b.label);
                // A label pushed inside at the right edge may come too close to the
                // previous one: leave it out rather than overlap.
                if start >= label_end + GAP {
                    svg::text(&mut out, at, h - 8.0, anchor, "axis", &b.label);
                    label_end = end;
                }
            }
        }
        svg::hline(&mut out, left, right, zero, "zero");
        out.push_str("</svg>");
        out
    }

    fn table(&self) -> String {
        let mut out = format!(
            "<table><thead><tr><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            svg::esc(&self.category),
            svg::esc(&self.title)
        );
        for b in &self.bars {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                svg::esc(&b.label),
                self.unit.format(b.value)
            );
        }
        out.push_str("</tbody></table>");
        out
    }
}
