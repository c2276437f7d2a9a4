//! One full recompute of the benchmark portfolio, for peak-memory measurement with
//! `/usr/bin/time -v` (criterion's own allocations would blur the figure).
//!
//! Run: `CARGO_TARGET_DIR=/work/target-core cargo bench -p folio-core --bench portfolio_memory`.
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "support/generator.rs"]
mod generator;

use std::time::Instant;

use folio_core::portfolio::{Portfolio, Range, Scope};

fn main() {
    let t0 = Instant::now();
    let input = generator::generate(100_000, 500, 20);
    let generated = t0.elapsed();
    let t1 = Instant::now();
    let p = Portfolio::build(input).unwrap();
    let max = p.returns(Scope::Total, Range::Max).unwrap();
    let ytd = p.returns(Scope::Total, Range::YearToDate).unwrap();
    let elapsed = t1.elapsed();
    let mut p = p;
    p.reserve(16);
    let mut extra = p.activities().last().unwrap().clone();
    extra.id = folio_core::ActivityId::new(10_000_000);
    extra.kind = folio_core::ActivityType::Withdrawal;
    extra.asset = None;
    extra.currency = folio_core::CurrencyCode::parse("EUR").unwrap();
    extra.account = folio_core::AccountId::new(1);
    extra.amount = rust_decimal::Decimal::from(50);
    let t2 = Instant::now();
    p.upsert(extra).unwrap();
    let appended = t2.elapsed();
    println!(
        "generated in {generated:?}; build + MAX + YTD in {elapsed:?}; append {appended:?}; days {}; MAX twr {} mwr {:?}; YTD twr {}",
        p.total_series().len(),
        max.twr.round_dp(6),
        max.mwr.as_ref().map(|x| x.annual.round_dp(6)),
        ytd.twr.round_dp(6)
    );
}
