//! The import fuzz target: every parser (and format detection) is fed arbitrary bytes and
//! CSV-shaped noise behind each format's real header. Nothing may panic, and whatever is
//! accepted must obey the storage limits. Bounded so it runs in seconds in CI; set
//! `FOLIO_FUZZ_CASES` for a longer run (e.g. `FOLIO_FUZZ_CASES=20000`).

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use folio_core::import::{
    ColumnMapping, DateFormat, Format, MappedColumns, NumberFormat, ParseOptions, ParsedFile,
    detect, parse,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn cases() -> u32 {
    std::env::var("FOLIO_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn mapping(header_row: u64, skip_bottom: u64, delimiter: char) -> Format {
    Format::Mapping(Box::new(ColumnMapping {
        name: "fuzz".into(),
        header_row,
        skip_after_header: 1,
        skip_bottom,
        delimiter,
        date_format: DateFormat::Auto,
        number_format: NumberFormat {
            decimal: ',',
            thousands: Some(' '),
        },
        default_kind: Some(folio_core::ActivityType::Deposit),
        kind_values: [("x".to_owned(), folio_core::ActivityType::Buy)]
            .into_iter()
            .collect(),
        columns: MappedColumns {
            date: "#1".into(),
            kind: Some("#2".into()),
            symbol: Some("#3".into()),
            quantity: Some("#4".into()),
            unit_price: Some("#5".into()),
            amount: Some("#6".into()),
            currency: Some("#7".into()),
            ..MappedColumns::default()
        },
        ..ColumnMapping::default()
    }))
}

fn all_formats() -> Vec<Format> {
    vec![
        Format::FolioCsv,
        Format::FolioJson,
        Format::GhostfolioCsv,
        Format::GhostfolioJson,
        Format::WealthfolioCsv,
        Format::PriceCsv,
        Format::FxCsv,
        mapping(1, 0, ','),
        mapping(0, 2, ';'),
    ]
}

/// What every accepted row must satisfy, whatever the input was.
fn check_invariants(p: &ParsedFile, opts: &ParseOptions) {
    let fits = |v: Decimal, scale: u32| {
        v.normalize().scale() <= scale && v.abs() < Decimal::from(10_i64.pow(18))
    };
    for r in &p.rows {
        assert!(
            r.quantity.is_none_or(|q| fits(q, 10) && q > Decimal::ZERO),
            "{r:?}"
        );
        assert!(
            r.unit_price
                .is_none_or(|v| fits(v, 10) && v >= Decimal::ZERO),
            "{r:?}"
        );
        assert!(
            r.amount.is_none_or(|v| fits(v, 8) && v > Decimal::ZERO),
            "{r:?}"
        );
        assert!(
            fits(r.fee, 8) && r.fee >= Decimal::ZERO && fits(r.tax, 8) && r.tax >= Decimal::ZERO,
            "{r:?}"
        );
        assert!((1900..=2100).contains(&r.date.year()));
    }
    for price in &p.prices {
        assert!(fits(price.close, 10) && price.close >= Decimal::ZERO);
    }
    for fx in &p.fx_rates {
        assert!(fits(fx.rate, 10) && fx.rate > Decimal::ZERO);
    }
    assert!(p.rows_seen <= opts.max_rows);
    for e in &p.errors {
        assert!(!e.message.is_empty());
    }
}

fn run_all(bytes: &[u8]) {
    let _ = detect(bytes);
    let opts = ParseOptions {
        max_rows: 50,
        ..ParseOptions::default()
    };
    for format in all_formats() {
        let p = parse(bytes, &format, &opts);
        check_invariants(&p, &opts);
    }
}

/// Cells made of the characters that break parsers: separators, quotes, signs, digits,
/// currency signs, date punctuation, non-ASCII and line breaks.
fn noisy_csv() -> impl Strategy<Value = String> {
    let cell =
        proptest::string::string_regex("[0-9.,;'\"()$€\\-+/= a-zA-Z_:\\r\\n\\t]{0,14}").unwrap();
    let row = proptest::collection::vec(cell, 0..10).prop_map(|cells| cells.join(","));
    proptest::collection::vec(row, 0..12).prop_map(|rows| rows.join("\n"))
}

const HEADERS: &[&str] = &[
    "date,account,kind,symbol,asset_name,asset_currency,asset_class,pricing,quantity,unit_price,amount,fee,tax,currency,note,id,transfer_of",
    "Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note",
    "date,symbol,quantity,activityType,subtype,unitPrice,currency,fee,amount,tax,account,comment",
    "date,symbol,close",
    "date,pair,rate",
    "date,base,quote,rate",
];

/// Activity-like rows with plausible values in random places.
fn plausible_row() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("BUY".to_owned()),
        Just("SELL".to_owned()),
        Just("DIVIDEND".to_owned()),
        Just("SPLIT".to_owned()),
        Just("TRANSFER_IN".to_owned()),
        Just("fee".to_owned()),
        Just("DRIP".to_owned()),
        Just("USD".to_owned()),
        Just("GBp".to_owned()),
        Just("EUR/USD".to_owned()),
        Just("$CASH-USD".to_owned()),
        Just("2024-02-29".to_owned()),
        Just("03/04/2024".to_owned()),
        Just("31.12.2023".to_owned()),
        Just("(1,234.50)".to_owned()),
        Just("-0".to_owned()),
        Just("1e400".to_owned()),
        Just("999999999999999999.9999999999".to_owned()),
        Just("0.000000000000000001".to_owned()),
        Just("'=cmd|' /C calc'!A0".to_owned()),
        "-?[0-9]{1,20}(\\.[0-9]{0,20})?",
    ];
    proptest::collection::vec(value, 1..14).prop_map(|cells| cells.join(","))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        run_all(&bytes);
    }

    #[test]
    fn no_parser_panics_on_csv_noise_behind_a_real_header(header in proptest::sample::select(HEADERS), body in noisy_csv()) {
        run_all(format!("{header}\n{body}").as_bytes());
    }

    #[test]
    fn accepted_rows_always_respect_storage_limits(header in proptest::sample::select(HEADERS), rows in proptest::collection::vec(plausible_row(), 0..8)) {
        run_all(format!("{header}\n{}", rows.join("\r\n")).as_bytes());
    }

    #[test]
    fn no_json_parser_panics_on_json_shaped_noise(doc in json_noise()) {
        run_all(doc.as_bytes());
    }
}

/// JSON documents with the right top-level keys and random leaves.
fn json_noise() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("1e-7".to_owned()),
        Just("1e300".to_owned()),
        Just("-0.1".to_owned()),
        Just("\"BUY\"".to_owned()),
        Just("\"TRANSFER_IN\"".to_owned()),
        Just("\"2024-01-02T23:00:00.000Z\"".to_owned()),
        Just("\"12.50\"".to_owned()),
        Just("\"EUR\"".to_owned()),
        Just("[]".to_owned()),
        "\"[a-zA-Z0-9 .=-]{0,10}\"",
        "-?[0-9]{1,22}(\\.[0-9]{1,22})?",
    ];
    let keys = [
        "id",
        "account",
        "accountId",
        "asset",
        "kind",
        "type",
        "date",
        "quantity",
        "unit_price",
        "unitPrice",
        "amount",
        "fee",
        "tax",
        "currency",
        "note",
        "symbol",
        "transfer_of",
        "dataSource",
    ];
    let activity =
        proptest::collection::vec((proptest::sample::select(keys.to_vec()), leaf), 0..10).prop_map(
            |kv| {
                let fields: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", fields.join(","))
            },
        );
    (proptest::collection::vec(activity, 0..5), any::<bool>()).prop_map(|(acts, folio)| {
        let head = if folio {
            r#""format":"folio","version":1,"settings":{"base_currency":"EUR","lot_method":"FIFO","fees_in_cost_basis":true},"accounts":[{"name":"A","currency":"EUR","tracks_cash":true}]"#
        } else {
            r#""meta":{"date":"2024-01-01","version":"2"},"accounts":[{"id":"A","name":"Acc"}]"#
        };
        format!("{{{head},\"activities\":[{}]}}", acts.join(","))
    })
}
