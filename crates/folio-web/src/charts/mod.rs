//! Charts as server-rendered SVG: readable without JavaScript, themed by CSS, with a
//! data table for screen readers.
//!
//! Three kinds, each a plain struct with a `render()` that returns [`Chart`] (HTML to put
//! in a template with `{{ chart|safe }}`):
//!
//! * [`TimeChart`] — lines over dates (portfolio value and net contributions, a price
//!   history), optional [`Marker`]s (buys, sells);
//! * [`BarChart`] — one bar per category, positive and negative (income per month,
//!   monthly returns);
//! * [`AllocationChart`] — horizontal bars with label, weight and value (by class,
//!   account, currency). It is an HTML table with a bar per row, so it is its own text
//!   alternative.
//!
//! ```ignore
//! let chart = TimeChart::new("Value", Unit::Money)
//!     .series("Value", points)                    // Vec<(Date, Decimal)>
//!     .dashed_series("Net contributions", flows)
//!     .render();
//! ```
//!
//! What every chart does:
//! * **Ticks** ([`ticks`]): values on 1-2-5 steps computed in exact decimals; dates on
//!   day, week, month or year steps chosen by the span. The number of ticks is limited
//!   by the room the labels need, so labels never overlap.
//! * **Formatting**: every axis label, tooltip and table cell showing an amount goes
//!   through [`crate::format`] (privacy mode hides amounts there, so here too).
//! * **Hover**: `<title>` on every bar, marker and time band shows the values as a
//!   tooltip; a CSS-only band highlight acts as a crosshair. No script is needed;
//!   `static/folio.js` adds an instant tooltip when it runs.
//! * **Theme**: no colour is written into the SVG; elements carry classes (`c1`…`c8`
//!   set `--c` from `--chart-1`…`--chart-8`), defined in `static/folio.css` for light,
//!   dark, `prefers-color-scheme` and `[data-theme]`.
//! * **Responsive**: a time or bar chart is drawn at three widths (phone, tablet,
//!   desktop) and CSS shows the one that fits, so text stays legible instead of being
//!   scaled down with the whole picture; each uses `viewBox` and `width: 100%`.
//! * **Accessible**: `role="img"` with the chart title, plus a `<details>` data table.
//!
//! Why our own small writer (about 1,000 lines) instead of a crate (plotters with its
//! SVG backend was the candidate): plotters writes fixed colours and pixel font sizes
//! into the SVG, so it cannot follow the theme through CSS variables; its tick and
//! label logic works on `f64`, so axis labels would be formatted from floats instead of
//! through `format::money` (no privacy mode, no exact decimals); it emits no `<title>`s
//! or data table; and it would add a dependency tree for a few paths and rectangles.
//! Pixel geometry here is `f64` (a scoped allow in each drawing module); values stay
//! `Decimal` until every label is formatted and only then become a pixel position.

mod alloc;
mod axis;
mod bar;
mod line;
mod svg;
pub(crate) mod ticks;

use std::fmt;

use rust_decimal::Decimal;

pub(crate) use alloc::{AllocationChart, Slice};
pub(crate) use bar::{Bar, BarChart};
pub(crate) use line::TimeChart;
pub(crate) use line::{Marker, MarkerKind};

use crate::format;

/// What the numbers of a chart are: decides how axis labels and tooltips read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Amounts in the base currency (`format::money`; hidden in privacy mode).
    Money,
    /// An index that starts at 100 (two decimals; not an amount, so never hidden).
    Index,
    /// Unit prices as stored, exact (`format::price`; hidden in privacy mode).
    Price,
    /// Exchange rates as stored, exact (`format::exact`: a rate is no one's wealth).
    Rate,
}

impl Unit {
    /// The value as it is shown on this chart.
    pub(crate) fn format(self, v: Decimal) -> String {
        match self {
            Self::Money => format::money(v),
            Self::Index => format!("{:.2}", v.round_dp(2)),
            Self::Price => format::price(v),
            Self::Rate => format::exact(v),
        }
    }

    /// Axis tick labels: [`Self::format`], without the fraction when every tick's is
    /// zero ("10,000"); ticks are round numbers, and the cents only cost width.
    pub(crate) fn ticks(self, values: &[Decimal]) -> Vec<String> {
        let full: Vec<String> = values.iter().map(|v| self.format(*v)).collect();
        let trim = |s: &String| match self {
            Self::Money => s.strip_suffix(".00").map(str::to_owned),
            // Prices, rates and index levels keep their decimals: they are not round.
            Self::Index | Self::Price | Self::Rate => None,
        };
        let trimmed: Option<Vec<String>> = full.iter().map(trim).collect();
        trimmed.unwrap_or(full)
    }
}

/// Rendered chart HTML (a `<figure>` or a `<table>`), ready for `{{ chart|safe }}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Chart(pub(crate) String);

impl fmt::Display for Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A drawing size: time and bar charts are drawn once per size and CSS shows one.
#[derive(Debug, Clone, Copy)]
struct Size {
    /// CSS class choosing when this drawing is shown.
    class: &'static str,
    /// viewBox width (≈ CSS pixels at the widths this size is shown at).
    width: u16,
    /// viewBox height.
    height: u16,
}

/// Phone (≤ 40rem), tablet (≤ 64rem) and desktop drawings.
const SIZES: [Size; 3] = [
    Size {
        class: "chart-sm",
        width: 360,
        height: 220,
    },
    Size {
        class: "chart-md",
        width: 640,
        height: 260,
    },
    Size {
        class: "chart-lg",
        width: 960,
        height: 300,
    },
];

/// The colour class of the i-th series or slice (cycles through eight).
fn colour(i: usize) -> &'static str {
    const C: [&str; 8] = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"];
    C[i % C.len()]
}

/// Wraps drawings, legend and data table in a `<figure>`; `summary` labels the table's
/// disclosure (it says so when the table holds a sample of the data).
fn figure(title: &str, legend: &str, drawings: &[String], summary: &str, table: &str) -> Chart {
    let mut out = String::with_capacity(drawings.iter().map(String::len).sum::<usize>() + 512);
    out.push_str("<figure class=\"chart\">");
    out.push_str(&format!(
        "<figcaption class=\"chart-title\">{}</figcaption>",
        svg::esc(title)
    ));
    out.push_str(legend);
    for d in drawings {
        out.push_str(d);
    }
    out.push_str(&format!(
        "<details class=\"chart-data\"><summary>{}</summary><div class=\"table-wrap\">",
        svg::esc(summary)
    ));
    out.push_str(table);
    out.push_str("</div></details></figure>");
    Chart(out)
}

/// An HTML legend (outside the SVG so its text is never scaled).
fn legend(entries: &[(String, &'static str, bool)]) -> String {
    if entries.len() < 2 {
        return String::new();
    }
    let mut out = String::from("<ul class=\"chart-legend\">");
    for (label, class, dashed) in entries {
        let kind = if *dashed { "swatch dashed" } else { "swatch" };
        out.push_str(&format!(
            "<li><span class=\"{kind} {class}\" aria-hidden=\"true\"></span>{}</li>",
            svg::esc(label)
        ));
    }
    out.push_str("</ul>");
    out
}

#[cfg(test)]
mod tests;
