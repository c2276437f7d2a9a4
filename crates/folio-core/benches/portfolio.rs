//! Criterion benchmark of the portfolio engine on the deterministic 100,000-activity,
//! 20-year, 500-asset, 3-currency portfolio (see `support/generator.rs`).
//!
//! Run: `CARGO_TARGET_DIR=/work/target-core cargo bench -p folio-core --bench portfolio`
//! (add a name filter such as `-- incremental` to run only some cases).
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "support/generator.rs"]
mod generator;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use folio_core::portfolio::{EngineActivity, Portfolio, Range, Scope};
use folio_core::{AccountId, ActivityType, AssetId};
use rust_decimal::Decimal;

fn full_recompute(c: &mut Criterion) {
    let input = generator::generate(100_000, 500, 20);
    let mut group = c.benchmark_group("portfolio");
    group.sample_size(10);
    group.bench_function(
        "full: build + daily valuation + TWR/XIRR for MAX and YTD",
        |b| {
            b.iter_batched(
                || input.clone(),
                |input| {
                    let p = Portfolio::build(input).unwrap();
                    let max = p.returns(Scope::Total, Range::Max).unwrap();
                    let ytd = p.returns(Scope::Total, Range::YearToDate).unwrap();
                    (max.twr, ytd.twr)
                },
                BatchSize::PerIteration,
            );
        },
    );
    // The morning before today's close for one asset arrives: the generator prices every
    // weekday, so that close is taken out of a copy of the input (prices are shared).
    let today_asset = AssetId::new(1000);
    let mut morning = input.clone();
    let (today, close) = *morning
        .prices
        .series(today_asset)
        .unwrap()
        .points()
        .last()
        .unwrap();
    assert_eq!(today, morning.end);
    morning.prices.remove(today_asset, today);
    let morning = Portfolio::build(morning).unwrap();
    let built = Portfolio::build(input).unwrap();
    let last = built.activities().last().unwrap().clone();
    let mut next = EngineActivity::new(
        10_000_000,
        AccountId::new(1),
        ActivityType::Buy,
        last.date,
        last.currency.clone(),
    );
    next.asset = Some(AssetId::new(1000));
    next.currency = folio_core::CurrencyCode::parse("EUR").unwrap();
    next.quantity = Decimal::from(3);
    next.unit_price = Decimal::from(100);
    next.kind = ActivityType::Withdrawal;
    next.asset = None;
    next.amount = Decimal::from(50);
    group.bench_function("incremental: append one activity dated the last day", |b| {
        b.iter_batched(
            || {
                let mut p = built.clone();
                p.reserve(16);
                p
            },
            |mut p| {
                p.upsert(next.clone()).unwrap();
                p
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function(
        "incremental: append with history buffers full (worst case, reallocates)",
        |b| {
            b.iter_batched(
                || built.clone(),
                |mut p| {
                    p.upsert(next.clone()).unwrap();
                    p
                },
                BatchSize::PerIteration,
            );
        },
    );
    group.bench_function("incremental: append today's price for one asset", |b| {
        b.iter_batched(
            || morning.clone(),
            |mut p| {
                p.set_price(today_asset, today, close).unwrap();
                p
            },
            BatchSize::PerIteration,
        );
    });
    let mut edit = built.activities()[built.activities().len() / 2].clone();
    edit.fee += Decimal::ONE;
    group.bench_function("edit: change an activity ten years back", |b| {
        b.iter_batched(
            || built.clone(),
            |mut p| {
                p.upsert(edit.clone()).unwrap();
                p
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, full_recompute);
criterion_main!(benches);
