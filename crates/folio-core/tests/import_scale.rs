//! Scale: a 100,000-row file parses in one pass with every row kept and counted, or
//! streamed row by row without being kept.
//! Timing is printed, not asserted (CI machines vary); run with `--nocapture` to see it.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::time::Instant;

use folio_core::import::{Format, ParseOptions, parse, parse_streaming, parse_with_progress};

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

#[test]
fn streaming_hands_over_the_same_rows_that_parse_keeps() {
    let dir = format!("{}/tests/fixtures/import", env!("CARGO_MANIFEST_DIR"));
    let cases = [
        ("folio.csv", Format::FolioCsv),
        ("folio.json", Format::FolioJson),
        ("ghostfolio.csv", Format::GhostfolioCsv),
        ("ghostfolio.json", Format::GhostfolioJson),
        ("wealthfolio-subtypes.csv", Format::WealthfolioCsv),
    ];
    for (name, format) in cases {
        let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
        let kept = parse(&bytes, &format, &ParseOptions::default());
        let mut streamed = Vec::new();
        let rest = parse_streaming(
            &bytes,
            &format,
            &ParseOptions::default(),
            &mut |_| {},
            &mut |r| streamed.push(r),
        );
        assert_eq!(streamed, kept.rows, "{name}");
        assert!(rest.rows.is_empty());
        assert_eq!(
            (rest.errors, rest.assets, rest.accounts, rest.rows_seen),
            (kept.errors, kept.assets, kept.accounts, kept.rows_seen),
            "{name}"
        );
    }
}

#[test]
fn a_streamed_100k_row_csv_keeps_no_rows() {
    let text = big_wealthfolio_csv(100_000);
    let mut count = 0_u32;
    let mut quantity = rust_decimal::Decimal::ZERO;
    let p = parse_streaming(
        text.as_bytes(),
        &Format::WealthfolioCsv,
        &ParseOptions::default(),
        &mut |_| {},
        &mut |r| {
            count += 1;
            quantity += r.quantity.unwrap();
        },
    );
    assert!(p.is_clean() && p.rows.is_empty());
    assert_eq!(count, 100_000);
    assert_eq!(p.rows_seen, 100_000);
    // Σ (1 + i % 50) = 100,000 + 2,000 × 1,225; Σ (i % 10,000) / 10,000 = 10 × 4,999.5.
    assert_eq!(
        quantity,
        "2599995".parse::<rust_decimal::Decimal>().unwrap()
    );
}
