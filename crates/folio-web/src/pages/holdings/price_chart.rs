//! The holding page's price chart: the asset's price history with a marker at each buy
//! and sell (at its trade price).

use folio_core::{ActivityType, AssetId};

use crate::charts::{Chart, Marker, MarkerKind, TimeChart, Unit};
use crate::format::units;
use crate::portfolio::UserData;

/// The chart, or `None` without prices.
pub(super) fn price_chart(data: &UserData, id: AssetId, currency: &str) -> Option<Chart> {
    let mut points: Vec<_> = data
        .prices
        .iter()
        .filter(|p| p.asset_id == id)
        .map(|p| (p.date, p.close))
        .collect();
    if points.is_empty() {
        return None;
    }
    points.sort_by_key(|p| p.0);
    let markers = data
        .activities
        .iter()
        .filter(|a| a.data.asset_id == Some(id))
        .filter_map(|a| {
            let d = &a.data;
            let kind = match d.kind {
                ActivityType::Buy => MarkerKind::Buy,
                ActivityType::Sell => MarkerKind::Sell,
                _ => return None,
            };
            let (q, price) = (d.quantity?, d.unit_price?);
            let account = data.account(d.account_id).map_or("", |a| a.name.as_str());
            Some(Marker {
                date: d.date,
                value: price,
                kind,
                label: format!(
                    "{} {} @ {} {} ({account})",
                    d.kind.label(),
                    units(q),
                    crate::format::price(price),
                    d.currency
                ),
            })
        })
        .collect();
    let chart = TimeChart::new(
        format!("Price ({currency}) with buys and sells"),
        Unit::Price,
    )
    .series("Close", points)
    .markers(markers);
    Some(chart.render())
}
