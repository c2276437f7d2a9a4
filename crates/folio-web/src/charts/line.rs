//! Lines over time: several series on one date axis, optional buy/sell markers, hover
//! bands with every series' value, and a data table.
#![allow(
    clippy::disallowed_types,
    clippy::float_arithmetic,
    reason = "pixel geometry only; values are formatted from Decimal first"
)]

use std::fmt::Write as _;

use rust_decimal::Decimal;
use time::Date;

use super::axis::{anchor_at, labels_fit, value_axis};
use super::svg::{self, Px, Scale};
use super::ticks::date_ticks;
use super::{Chart, SIZES, Size, Unit, colour, figure, legend};

/// One line of a [`TimeChart`].
#[derive(Debug, Clone)]
struct Series {
    label: String,
    points: Vec<(Date, Decimal)>,
    dashed: bool,
}

/// What a [`Marker`] marks (decides its shape and colour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// An acquisition (triangle up).
    Buy,
    /// A disposal (triangle down).
    Sell,
}

/// A point of interest on a time chart, e.g. a buy at its price.
#[derive(Debug, Clone)]
pub(crate) struct Marker {
    /// Where on the date axis.
    pub date: Date,
    /// Where on the value axis.
    pub value: Decimal,
    /// Shape and colour.
    pub kind: MarkerKind,
    /// Tooltip text (e.g. "Buy 10 @ 100.00"), shown on hover.
    pub label: String,
}

/// A line chart over dates. Series should be sorted by date; the first series'
/// dates drive the hover bands and the data table.
#[derive(Debug, Clone)]
pub(crate) struct TimeChart {
    title: String,
    unit: Unit,
    series: Vec<Series>,
    markers: Vec<Marker>,
}

/// Hover bands and data-table rows drawn at most (the path itself keeps more points).
const MAX_ROWS: usize = 60;

impl TimeChart {
    /// An empty chart titled `title` whose values are `unit`s.
    pub(crate) fn new(title: impl Into<String>, unit: Unit) -> Self {
        Self {
            title: title.into(),
            unit,
            series: Vec::new(),
            markers: Vec::new(),
        }
    }

    /// Adds a solid line.
    pub(crate) fn series(mut self, label: impl Into<String>, points: Vec<(Date, Decimal)>) -> Self {
        self.series.push(Series {
            label: label.into(),
            points,
            dashed: false,
        });
        self
    }

    /// Adds a dashed line (a reference such as net contributions).
    pub(crate) fn dashed_series(
        mut self,
        label: impl Into<String>,
        points: Vec<(Date, Decimal)>,
    ) -> Self {
        self.series.push(Series {
            label: label.into(),
            points,
            dashed: true,
        });
        self
    }

    /// Adds markers (buys, sells).
    pub(crate) fn markers(mut self, markers: Vec<Marker>) -> Self {
        self.markers.extend(markers);
        self
    }

    /// The figure: one drawing per size, a legend and the data table.
    pub(crate) fn render(&self) -> Chart {
        let Some((first, last)) = self.date_span() else {
            return Chart(format!(
                "<figure class=\"chart\"><figcaption class=\"chart-title\">{}</figcaption>\
                 <p class=\"empty\">No data for this period.</p></figure>",
                svg::esc(&self.title)
            ));
        };
        let drawings: Vec<String> = SIZES.iter().map(|s| self.draw(*s, first, last)).collect();
        let entries: Vec<_> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.label.clone(), colour(i), s.dashed))
            .collect();
        let (summary, table) = self.table();
        figure(&self.title, &legend(&entries), &drawings, &summary, &table)
    }

    fn date_span(&self) -> Option<(Date, Date)> {
        let dates = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0));
        let first = dates.clone().min()?;
        let last = dates.max()?;
        Some((first, last))
    }

    fn value_span(&self) -> (Decimal, Decimal) {
        let values = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(self.markers.iter().map(|m| m.value));
        let lo = values.clone().min().unwrap_or_default();
        let hi = values.max().unwrap_or_default();
        (lo, hi)
    }

    fn draw(&self, size: Size, first: Date, last: Date) -> String {
        let (w, h) = (f64::from(size.width), f64::from(size.height));
        let mut out = String::new();
        svg::open(&mut out, size.class, size.width, size.height, &self.title);
        let plot = value_axis(&mut out, self.value_span(), self.unit, (w, h), 12.0);
        let (y, left, right) = (plot.y, plot.left, plot.right);
        let (top, bottom) = (plot.top, plot.bottom);
        let x = Scale::new(svg::day(first), svg::day(last), left, right);
        let dates = date_ticks(first, last, |t| labels_fit(t, &x, w));
        for (d, label) in &dates {
            let (px, anchor) = anchor_at(x.at(svg::day(*d)), label, w);
            svg::text(&mut out, px, h - 8.0, anchor, "axis", label);
        }
        let plot = (right - left).max(1.0);
        for (i, s) in self.series.iter().enumerate() {
            path(&mut out, s, &x, &y, plot, colour(i));
        }
        self.draw_markers(&mut out, &x, &y);
        self.bands(
            &mut out,
            &x,
            (top, bottom),
            svg::fit(plot, 6.0).min(MAX_ROWS),
        );
        out.push_str("</svg>");
        out
    }

    fn draw_markers(&self, out: &mut String, x: &Scale, y: &Scale) {
        for m in &self.markers {
            let (cx, cy) = (x.at(svg::day(m.date)), y.at(svg::num(m.value)));
            let (shape, class) = match m.kind {
                MarkerKind::Buy => (
                    format!("M{} {}l-5 8h10z", svg::px(cx), svg::px(cy - 4.0)),
                    "marker buy",
                ),
                MarkerKind::Sell => (
                    format!("M{} {}l-5 -8h10z", svg::px(cx), svg::px(cy + 4.0)),
                    "marker sell",
                ),
            };
            let title = format!("{}: {}", m.date, m.label);
            let _ = write!(
                out,
                "<path d=\"{shape}\" class=\"{class}\"><title>{}</title></path>",
                svg::esc(&title)
            );
        }
    }

    /// Transparent vertical bands, one per sampled date of the first series, whose
    /// tooltip lists every series on that date; CSS highlights the hovered band.
    fn bands(&self, out: &mut String, x: &Scale, (top, bottom): (Px, Px), max: usize) {
        let Some(main) = self.series.first() else {
            return;
        };
        let idx = svg::sample(main.points.len(), max.max(2));
        let xs: Vec<Px> = idx
            .iter()
            .map(|&i| x.at(svg::day(main.points[i].0)))
            .collect();
        for (k, &i) in idx.iter().enumerate() {
            let lo = if k == 0 {
                xs[k] - 3.0
            } else {
                (xs[k - 1] + xs[k]) / 2.0
            };
            let hi = xs.get(k + 1).map_or(xs[k] + 3.0, |n| (xs[k] + n) / 2.0);
            let title = self.tooltip(main.points[i].0);
            svg::rect(out, (lo, top, hi - lo, bottom - top), "band", &title);
        }
    }

    fn tooltip(&self, date: Date) -> String {
        let mut t = date.to_string();
        for s in &self.series {
            if let Some(v) = value_on(&s.points, date) {
                let _ = write!(t, "\n{}: {}", s.label, self.unit.format(v));
            }
        }
        t
    }

    /// The data table and its disclosure label. Past [`MAX_ROWS`] dates the table holds an
    /// evenly spaced sample (first and last included), and its caption and label say so.
    fn table(&self) -> (String, String) {
        let total = self.series.first().map_or(0, |s| s.points.len());
        let rows = svg::sample(total, MAX_ROWS);
        let mut out = String::from("<table>");
        let mut summary = String::from("Data table");
        if rows.len() < total {
            let _ = write!(summary, " (sampled: {} of {total} dates)", rows.len());
            let _ = write!(
                out,
                "<caption>A sample of {} of the {total} dates, evenly spaced, first and last \
                 included; the lines are drawn from every date.</caption>",
                rows.len()
            );
        }
        out.push_str("<thead><tr><th>Date</th>");
        for s in &self.series {
            let _ = write!(out, "<th class=\"num\">{}</th>", svg::esc(&s.label));
        }
        out.push_str("</tr></thead><tbody>");
        if let Some(main) = self.series.first() {
            for i in rows {
                let date = main.points[i].0;
                let _ = write!(out, "<tr><td>{date}</td>");
                for s in &self.series {
                    let cell = value_on(&s.points, date).map(|v| self.unit.format(v));
                    let _ = write!(out, "<td class=\"num\">{}</td>", cell.unwrap_or_default());
                }
                out.push_str("</tr>");
            }
        }
        out.push_str("</tbody></table>");
        (summary, out)
    }
}

/// The value of a sorted series on `date`, if it has one.
fn value_on(points: &[(Date, Decimal)], date: Date) -> Option<Decimal> {
    let i = points.partition_point(|p| p.0 < date);
    points.get(i).filter(|p| p.0 == date).map(|p| p.1)
}

/// Appends a series as a path with at most about one point per pixel.
fn path(out: &mut String, s: &Series, x: &Scale, y: &Scale, plot: Px, class: &str) {
    if s.points.is_empty() {
        return;
    }
    let mut d = String::new();
    for (k, i) in svg::sample(s.points.len(), svg::fit(plot, 1.0))
        .into_iter()
        .enumerate()
    {
        let (date, v) = s.points[i];
        let cmd = if k == 0 { 'M' } else { 'L' };
        let _ = write!(
            d,
            "{cmd}{} {}",
            svg::px(x.at(svg::day(date))),
            svg::px(y.at(svg::num(v)))
        );
    }
    let kind = if s.dashed { "line dashed" } else { "line" };
    let _ = write!(out, "<path d=\"{d}\" class=\"{kind} {class}\"/>");
}
