//! Benchmarks: the user's assets with a price history, as split-neutral price indices,
//! and their price return over a range.

use folio_core::portfolio::{index_return, split_adjusted};
use folio_core::{ActivityType, AssetId};
use rust_decimal::Decimal;
use time::Date;

use crate::format::percent;
use crate::portfolio::UserData;

/// A benchmark: an asset of the user with at least two prices.
pub(super) struct Benchmark {
    pub id: AssetId,
    pub label: String,
    /// (date, split-adjusted close), oldest first.
    pub index: Vec<(Date, Decimal)>,
}

/// The user's assets with at least two prices, by symbol; each history is made
/// split-neutral with the asset's recorded splits.
pub(super) fn benchmarks(data: &UserData) -> Vec<Benchmark> {
    let mut out: Vec<Benchmark> = data
        .assets
        .iter()
        .filter_map(|a| {
            let mut prices: Vec<_> = data
                .prices
                .iter()
                .filter(|p| p.asset_id == a.id)
                .map(|p| (p.date, p.close))
                .collect();
            if prices.len() < 2 {
                return None;
            }
            prices.sort_by_key(|p| p.0);
            let splits: Vec<_> = data
                .activities
                .iter()
                .map(|x| &x.data)
                .filter(|x| x.kind == ActivityType::Split && x.asset_id == Some(a.id))
                .filter_map(|x| Some((x.date, x.quantity?)))
                .collect();
            Some(Benchmark {
                id: a.id,
                label: format!("{} · {}", a.symbol, a.name),
                index: split_adjusted(&prices, &splits).ok()?,
            })
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// The chosen benchmark, or why the requested one cannot be used.
pub(super) fn choose<'b>(list: &'b [Benchmark], wanted: &str) -> (Option<&'b Benchmark>, String) {
    let wanted = wanted.trim();
    if wanted.is_empty() {
        return (None, String::new());
    }
    let found = wanted
        .parse::<AssetId>()
        .ok()
        .and_then(|id| list.iter().find(|b| b.id == id));
    match found {
        Some(b) => (Some(b), String::new()),
        None => (
            None,
            "That benchmark is not one of your assets with a price history (two prices or more); pick one from the list.".into(),
        ),
    }
}

/// The benchmark's price return from `base` to `end`. Without a price on or before
/// `base`, the return from its first price is shown with that date ("since …"), or
/// "too little history" when it has none before `end`.
pub(super) fn bench_return(index: &[(Date, Decimal)], base: Date, end: Date) -> String {
    let partial = |first: Date| match index_return(index, first, end) {
        Ok(Some(r)) => format!("{} since {first}", percent(r)),
        _ => "too little history".into(),
    };
    match index_return(index, base, end) {
        Ok(Some(r)) => percent(r),
        Ok(None) => match index.first() {
            Some(&(first, _)) if first < end => partial(first),
            _ => "too little history".into(),
        },
        Err(_) => "—".into(),
    }
}
