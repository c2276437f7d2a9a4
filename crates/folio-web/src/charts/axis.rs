//! Axes shared by the time and bar charts: the value axis with its grid, and the
//! placement rules that keep date labels apart and inside the drawing.
#![allow(
    clippy::disallowed_types,
    clippy::float_arithmetic,
    reason = "pixel geometry only; labels are formatted from Decimal first"
)]

use rust_decimal::Decimal;
use time::Date;

use super::Unit;
use super::svg::{self, Px, Scale};
use super::ticks::value_ticks;

/// Where the plot area of a drawing lies, and how values map onto it.
pub(super) struct Plot {
    /// Value → y pixel.
    pub y: Scale,
    /// Left edge of the plot (right of the value labels).
    pub left: Px,
    /// Right edge of the plot.
    pub right: Px,
    /// Top edge of the plot.
    pub top: Px,
    /// Bottom edge of the plot (above the category or date labels).
    pub bottom: Px,
}

/// Draws horizontal grid lines with value labels for `[lo, hi]` in a `width` × `height`
/// drawing (one tick per 30 units of height at most, 2–8 ticks) and returns the plot.
pub(super) fn value_axis(
    out: &mut String,
    (lo, hi): (Decimal, Decimal),
    unit: Unit,
    (width, height): (Px, Px),
    right_pad: Px,
) -> Plot {
    let (top, bottom) = (10.0, height - 24.0);
    let ticks = value_ticks(lo, hi, svg::fit(bottom - top, 30.0).clamp(2, 8));
    let labels = unit.ticks(&ticks.values);
    let (left, right) = (svg::label_margin(&labels), width - right_pad);
    let y = Scale::new(svg::num(ticks.min), svg::num(ticks.max), bottom, top);
    for (v, label) in ticks.values.iter().zip(&labels) {
        let py = y.at(svg::num(*v));
        svg::hline(out, left, right, py, "grid");
        svg::text(out, left - 6.0, py + 4.0, "end", "axis", label);
    }
    Plot {
        y,
        left,
        right,
        top,
        bottom,
    }
}

/// Whether date labels at their positions leave a gap between neighbours and stay inside.
pub(super) fn labels_fit(ticks: &[(Date, String)], x: &Scale, width: Px) -> bool {
    let mut prev_end = f64::NEG_INFINITY;
    for (d, label) in ticks {
        let (at, anchor) = anchor_at(x.at(svg::day(*d)), label, width);
        let (start, end) = extent(at, anchor, label);
        if start < prev_end + GAP {
            return false;
        }
        prev_end = end;
    }
    true
}

/// Least room between neighbouring labels.
pub(super) const GAP: Px = 8.0;

/// Where a label drawn at `at` with `anchor` starts and ends.
pub(super) fn extent(at: Px, anchor: &str, label: &str) -> (Px, Px) {
    let lw = svg::text_width(label);
    match anchor {
        "start" => (at, at + lw),
        "end" => (at - lw, at),
        _ => (at - lw / 2.0, at + lw / 2.0),
    }
}

/// Centres a label on `at`, or anchors it at the edge when centring would cut it off.
pub(super) fn anchor_at(at: Px, label: &str, width: Px) -> (Px, &'static str) {
    let half = svg::text_width(label) / 2.0;
    if at - half < 2.0 {
        (at.max(2.0), "start")
    } else if at + half > width - 2.0 {
        (at.min(width - 2.0), "end")
    } else {
        (at, "middle")
    }
}
