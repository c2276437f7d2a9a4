//! Scale: a 100,000-row file parses in one pass with every row kept and counted.
//! Timing is printed, not asserted (CI machines vary); run with `--nocapture` to see it.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::time::Instant;

use folio_core::import::{Format, ParseOptions, parse_with_progress};

fn big_wealthfolio_csv(rows: usize) -> String {
    let mut s =
        String::from("date,symbol,quantity,activityType,unitPrice,currency,fee,amount,comment\n");
    for i in 0..rows {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let sym = ["AAPL", "MSFT", "VWRL.AS", "BTC-USD"][i % 4];
        writeln!(
            s,
            "2023-{month:02}-{day:02},{sym},{}.{:04},BUY,{}.25,USD,1.00,,row {i}",
            1 + i % 50,
            i % 10_000,
            100 + i % 300
        )
        .unwrap();
    }
    s
}

#[test]
fn a_100k_row_csv_parses_completely_with_progress_reports() {
    let text = big_wealthfolio_csv(100_000);
    let mut reports = Vec::new();
    let started = Instant::now();
    let p = parse_with_progress(
        text.as_bytes(),
        &Format::WealthfolioCsv,
        &ParseOptions::default(),
        &mut |n| reports.push(n),
    );
    let elapsed = started.elapsed();
    println!("parsed 100,000 rows ({} bytes) in {elapsed:?}", text.len());
    assert!(p.is_clean(), "{:?}", &p.errors[..p.errors.len().min(3)]);
    assert_eq!(p.rows.len(), 100_000);
    assert_eq!(p.rows_seen, 100_000);
    assert_eq!(p.assets.len(), 4);
    assert_eq!(reports.len(), 101, "every 1,000 rows plus the final count");
    assert_eq!(reports.last(), Some(&100_000));
}
