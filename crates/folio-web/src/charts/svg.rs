//! The small SVG writer: escaping, pixel scales and text-width estimates.
//!
//! Pixel geometry is the one place charts use `f64`: a position on screen is not money,
//! and values become `f64` only here, after every label was formatted from the exact
//! decimal.
#![allow(
    clippy::disallowed_types,
    clippy::float_arithmetic,
    reason = "pixel geometry only; amounts are formatted from Decimal before this"
)]

use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use time::Date;

/// A pixel coordinate.
pub(super) type Px = f64;

/// Font size of axis labels, in viewBox units.
pub(super) const FONT: Px = 11.0;

/// Escapes text for SVG/HTML content and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value as a pixel-scale number (0 when it has no f64 form, which cannot happen for
/// a Decimal, but the conversion is fallible in the API).
pub(super) fn num(d: Decimal) -> Px {
    d.to_f64().unwrap_or(0.0)
}

/// A date as a number of days (for a time axis).
pub(super) fn day(d: Date) -> Px {
    f64::from(d.to_julian_day())
}

/// A count as a pixel-scale number.
pub(super) fn count(n: usize) -> Px {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Estimated rendered width of a label at [`FONT`] (digits and most letters of a
/// system sans-serif font are ≈ 0.6 em; a little generous so labels never touch).
pub(super) fn text_width(s: &str) -> Px {
    count(s.chars().count()) * FONT * 0.62
}

/// How many whole `unit`s fit in `length` (at least 1).
pub(super) fn fit(length: Px, unit: Px) -> usize {
    let n = (length / unit.max(1.0)).floor();
    if n.is_finite() && n >= 1.0 {
        // Bounded by the chart width in pixels: a few hundred at most.
        n.min(1000.0).to_usize().unwrap_or(1)
    } else {
        1
    }
}

/// How many `unit`s it takes to cover `length` (at least 1).
pub(super) fn cover(length: Px, unit: Px) -> usize {
    let n = (length / unit.max(0.01)).ceil();
    if n.is_finite() && n >= 1.0 {
        n.min(100_000.0).to_usize().unwrap_or(1)
    } else {
        1
    }
}

/// A linear map from a domain to a pixel range.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    d0: Px,
    d1: Px,
    r0: Px,
    r1: Px,
}

impl Scale {
    /// Maps `[d0, d1]` onto `[r0, r1]` (a zero-width domain maps to the range's middle).
    pub(super) fn new(d0: Px, d1: Px, r0: Px, r1: Px) -> Self {
        Self { d0, d1, r0, r1 }
    }

    /// The pixel position of `v`.
    pub(super) fn at(&self, v: Px) -> Px {
        let span = self.d1 - self.d0;
        if span.abs() < f64::EPSILON {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

/// A coordinate written with one decimal (enough at screen resolution, and short).
pub(super) fn px(v: Px) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Appends `<text>` at (x, y) with an anchor and class.
pub(super) fn text(out: &mut String, x: Px, y: Px, anchor: &str, class: &str, s: &str) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"{class}\">{}</text>",
        px(x),
        px(y),
        esc(s)
    );
}

/// Appends a horizontal line from x0 to x1 at y.
pub(super) fn hline(out: &mut String, x0: Px, x1: Px, y: Px, class: &str) {
    let _ = write!(
        out,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" class=\"{class}\"/>",
        px(x0),
        px(x1),
        y = px(y)
    );
}

/// Appends a rectangle, with a tooltip when `title` is not empty.
pub(super) fn rect(out: &mut String, (x, y, w, h): (Px, Px, Px, Px), class: &str, title: &str) {
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"{class}\"",
        px(x),
        px(y),
        px(w.max(0.0)),
        px(h.max(0.0))
    );
    if title.is_empty() {
        out.push_str("/>");
    } else {
        let _ = write!(out, "><title>{}</title></rect>", esc(title));
    }
}

/// Opens an `<svg>` of the given size, labelled for assistive technology.
pub(super) fn open(out: &mut String, class: &str, width: u16, height: u16, label: &str) {
    let _ = write!(
        out,
        "<svg class=\"{class}\" viewBox=\"0 0 {width} {height}\" width=\"100%\" \
         preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\">",
        esc(label)
    );
}

/// Left margin that fits the widest of `labels` plus a gap.
pub(super) fn label_margin(labels: &[String]) -> Px {
    labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 10.0
}

/// Chooses evenly spaced indices (at most `max`) out of `n`, always keeping the last.
pub(super) fn sample(n: usize, max: usize) -> Vec<usize> {
    if n <= max.max(2) {
        return (0..n).collect();
    }
    let stride = n.div_ceil(max.max(2));
    let mut idx: Vec<usize> = (0..n).step_by(stride).collect();
    if idx.last() != Some(&(n - 1)) {
        idx.push(n - 1);
    }
    idx
}
