//! The comparison chart: the portfolio's TWR and the benchmark's price over the selected
//! range, both indexed to 100 at the range's base date (a benchmark without a price then
//! starts at 100 on its first price in the range).

use folio_core::portfolio::{Portfolio, Range, Scope, value_on};
use rust_decimal::Decimal;
use time::Date;

use crate::charts::{Chart, TimeChart, Unit};

/// The chart of `own` (the portfolio's TWR index), or `None` when the range holds
/// nothing to draw.
pub(super) fn comparison(
    p: &Portfolio,
    own: &[(Date, Decimal)],
    range: Range,
    bench: Option<(&str, &[(Date, Decimal)])>,
) -> Option<Chart> {
    let e = p.returns(Scope::Total, range).ok()?.explanation;
    let (base, end) = (e.base_date, e.end_date);
    let mut chart = TimeChart::new(format!("Growth of 100 from {base} to {end}"), Unit::Index)
        .series("Portfolio (TWR)", rebased(own, base, end)?);
    if let Some(points) = bench.and_then(|(_, index)| rebased(index, base, end)) {
        let label = bench.map_or("", |b| b.0);
        chart = chart.series(format!("{label} (price)"), points);
    }
    Some(chart.render())
}

/// The points of `index` in (`base`, `end`] scaled so the start is 100; the start is the
/// value at `base`, or the first point after it when there is none.
fn rebased(index: &[(Date, Decimal)], base: Date, end: Date) -> Option<Vec<(Date, Decimal)>> {
    let inside = index.iter().filter(|q| q.0 > base && q.0 <= end);
    let (from, start) = match value_on(index, base) {
        Some(v) => (base, v),
        None => *inside.clone().next()?,
    };
    if start <= Decimal::ZERO {
        return None;
    }
    let scale = |v: Decimal| v.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(start);
    let mut out = vec![(from, Decimal::ONE_HUNDRED)];
    for &(d, v) in inside.filter(|q| q.0 > from) {
        out.push((d, scale(v)?));
    }
    Some(out)
}
