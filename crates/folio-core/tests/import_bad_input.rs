//! Bad input from the import issue: each case gets a precise message citing line and
//! column, never a panic and never a guess.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use folio_core::ActivityType;
use folio_core::import::{DateFormat, Format, ParseOptions, ParsedFile, TextEncoding, parse};
use rust_decimal::Decimal;

const WF_HEADER: &str = "date,symbol,quantity,activityType,unitPrice,currency,fee,amount\n";

fn run(bytes: &[u8], format: Format) -> ParsedFile {
    parse(bytes, &format, &ParseOptions::default())
}

fn messages(p: &ParsedFile) -> Vec<String> {
    p.errors.iter().map(ToString::to_string).collect()
}

fn wealthfolio(rows: &str) -> ParsedFile {
    run(
        format!("{WF_HEADER}{rows}").as_bytes(),
        Format::WealthfolioCsv,
    )
}

#[test]
fn empty_and_blank_files_say_so_for_every_format() {
    for format in [
        Format::FolioCsv,
        Format::FolioJson,
        Format::GhostfolioCsv,
        Format::GhostfolioJson,
        Format::WealthfolioCsv,
        Format::PriceCsv,
        Format::FxCsv,
    ] {
        for bytes in [&b""[..], b"  \r\n\n", b"\xEF\xBB\xBF"] {
            let p = run(bytes, format.clone());
            assert_eq!(messages(&p), ["file: the file is empty"], "{format:?}");
        }
    }
}

#[test]
fn a_header_alone_gives_no_rows_and_no_errors_but_a_wrong_header_is_explained() {
    let p = run(WF_HEADER.as_bytes(), Format::WealthfolioCsv);
    assert!(p.rows.is_empty() && p.is_clean());
    let p = run(b"foo,bar\n1,2\n", Format::GhostfolioCsv);
    let m = messages(&p);
    assert_eq!(m.len(), 1);
    assert!(m[0].starts_with("file: no header row found in the first 30 rows: a Ghostfolio CSV file needs columns date/tradedate"), "{m:?}");
}

#[test]
fn a_byte_order_mark_is_dropped_and_reported() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(format!("{WF_HEADER}2024-01-02,AAPL,1,BUY,100,USD,0,\n").as_bytes());
    let p = run(&bytes, Format::WealthfolioCsv);
    assert!(p.is_clean(), "{:?}", messages(&p));
    assert_eq!(p.encoding, TextEncoding::Utf8Bom);
    assert_eq!(p.rows.len(), 1);
}

#[test]
fn latin1_files_are_read_as_windows_1252_and_reported() {
    let mut bytes =
        b"date,symbol,quantity,activityType,unitPrice,currency,fee,amount,comment\n".to_vec();
    bytes.extend_from_slice(b"2024-01-02,AAPL,1,BUY,100,USD,0,,D\xE9p\xF4t \x80\n");
    let p = run(&bytes, Format::WealthfolioCsv);
    assert!(p.is_clean(), "{:?}", messages(&p));
    assert_eq!(p.encoding, TextEncoding::Windows1252);
    assert_eq!(p.rows[0].comment.as_str(), "Dépôt €");
}

#[test]
fn mixed_line_endings_and_quoted_newlines_keep_line_numbers_right() {
    let text = format!(
        "{WF_HEADER}2024-01-02,AAPL,1,BUY,100,USD,0,\r2024-01-03,AAPL,1,BUY,\"10\n1\",USD,0,\n2024-01-04,AAPL,x,BUY,100,USD,0,\r\n"
    );
    let p = run(text.as_bytes(), Format::WealthfolioCsv);
    assert_eq!(p.rows.len(), 1);
    let m = messages(&p);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].starts_with("line 3, column unitPrice: \"10\\n1\" is not a number"),
        "{m:?}"
    );
    assert!(
        m[1].starts_with("line 5, column quantity: \"x\" is not a number"),
        "{m:?}"
    );
}

#[test]
fn broker_preamble_is_skipped_and_a_footer_row_is_reported_not_imported() {
    let text = "Export of account 123\nGenerated 2024-02-01\n\nDate,Code,Currency,Price,Quantity,Action,Fee\n\
                16-09-2021,MSFT,USD,298.58,5,buy,0\nTotal,,,,,,19\n";
    let p = run(text.as_bytes(), Format::GhostfolioCsv);
    assert_eq!(p.rows.len(), 1);
    assert_eq!(p.rows[0].line, 5);
    let m = messages(&p);
    assert!(
        m.iter()
            .any(|e| e.starts_with("line 6, column Date: \"Total\" is not a valid date")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|e| e.starts_with("line 6, column Action: an activity type is required")),
        "{m:?}"
    );
}

#[test]
fn unknown_activity_types_and_currencies_name_the_value_and_the_choices() {
    let p = wealthfolio("2024-01-02,AAPL,1,BUYY,100,USD,0,\n2024-01-02,AAPL,1,BUY,100,EURO,0,\n");
    let m = messages(&p);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].starts_with(
            "line 2, column activityType: unknown activity type \"BUYY\"; accepted: BUY, SELL"
        ),
        "{m:?}"
    );
    assert!(
        m[1].starts_with("line 3, column currency: unknown currency code"),
        "{m:?}"
    );
    assert!(m[1].contains("\"EURO\""), "{m:?}");
}

#[test]
fn ambiguous_dates_are_flagged_until_a_format_is_chosen() {
    let text =
        format!("{WF_HEADER}03/04/2024,AAPL,1,BUY,100,USD,0,\n13/04/2024,AAPL,1,BUY,100,USD,0,\n");
    let p = run(text.as_bytes(), Format::WealthfolioCsv);
    assert_eq!(p.rows.len(), 1, "the unambiguous date is read");
    let m = messages(&p);
    assert!(
        m[0].starts_with("line 2, column date: \"03/04/2024\" is ambiguous"),
        "{m:?}"
    );
    let opts = ParseOptions {
        date_format: Some(DateFormat::MonthFirst),
        ..ParseOptions::default()
    };
    let p = parse(text.as_bytes(), &Format::WealthfolioCsv, &opts);
    assert_eq!(p.rows[0].date.to_string(), "2024-03-04");
    assert!(messages(&p)[0].starts_with("line 3, column date: \"13/04/2024\" is not a valid date"));
}

#[test]
fn currency_symbols_parentheses_and_thousands_separators_are_understood() {
    let p = wealthfolio(
        "2024-01-02,,,DEPOSIT,,USD,,\"$1,234.50\"\n2024-01-03,,,FEE,,USD,,($12.00)\n2024-01-04,,,DEPOSIT,,USD,,\"1,5\"\n",
    );
    assert_eq!(p.rows[0].amount, Some("1234.5".parse::<Decimal>().unwrap()));
    assert_eq!(p.rows[1].amount, Some("12".parse::<Decimal>().unwrap()));
    let m = messages(&p);
    assert_eq!(m.len(), 1);
    assert!(
        m[0].starts_with("line 4, column amount: \"1,5\" is not a number in this file's format"),
        "{m:?}"
    );
}

#[test]
fn quantities_beyond_stored_precision_are_refused_not_rounded() {
    let p = wealthfolio("2024-01-02,ETH-USD,0.123456789012345678,BUY,3000,USD,0,\n");
    let m = messages(&p);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(
        m[0],
        "line 2, column quantity: 0.123456789012345678 has 18 decimal places; Folio stores at most 10 \
         for a quantity — round it in the file (nothing is rounded silently)"
    );
    assert!(p.rows.is_empty());
}

#[test]
fn folio_csv_refuses_negative_numbers_that_peers_would_flip() {
    let text = "date,account,kind,amount,currency\n2024-01-02,Broker,DEPOSIT,-5,EUR\n";
    let p = run(text.as_bytes(), Format::FolioCsv);
    assert_eq!(
        messages(&p),
        ["line 2, column amount: must not be negative; the activity type gives the direction"]
    );
    let p = wealthfolio("2024-01-02,,,DEPOSIT,,USD,,-5\n");
    assert_eq!(p.rows[0].amount, Some(Decimal::from(5)));
    assert_eq!(p.rows[0].kind, ActivityType::Deposit);
}

#[test]
fn missing_required_numbers_are_named_per_type() {
    let p = wealthfolio(
        "2024-01-02,AAPL,,BUY,,USD,0,\n2024-01-03,,,SPLIT,,USD,0,\n2024-01-04,,,DEPOSIT,,,0,\n",
    );
    let m = messages(&p);
    assert!(
        m.contains(&"line 2, column quantity: a quantity is required for BUY".to_owned()),
        "{m:?}"
    );
    assert!(
        m.contains(&"line 2, column unitPrice: a unit price is required for BUY".to_owned()),
        "{m:?}"
    );
    assert!(
        m.contains(&"line 3, column symbol: a symbol is required for SPLIT".to_owned()),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|e| e.starts_with("line 4, column amount: an amount is required for DEPOSIT")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|e| e.starts_with("line 4, column currency: a currency is required")),
        "{m:?}"
    );
}

#[test]
fn the_row_limit_stops_reading_with_a_message() {
    let rows = "2024-01-02,AAPL,1,BUY,100,USD,0,\n".repeat(5);
    let opts = ParseOptions {
        max_rows: 3,
        ..ParseOptions::default()
    };
    let p = parse(
        format!("{WF_HEADER}{rows}").as_bytes(),
        &Format::WealthfolioCsv,
        &opts,
    );
    assert_eq!(p.rows.len(), 3);
    assert!(p.truncated);
    assert_eq!(
        messages(&p),
        ["line 5: the file has more than 3 data rows; split it or raise the limit"]
    );
}

#[test]
fn folio_json_problems_cite_the_json_position_or_path() {
    let p = run(br#"{"format":"folio","version":1,"settings":{"base_currency":"EUR","lot_method":"FIFO","fees_in_cost_basis":true},
        "activities":[{"id":1,"account":"A","kind":"DEPOSIT","date":"2024-01-02","amount":5,"fee":"0","tax":"0","currency":"EUR","note":""}]}"#, Format::FolioJson);
    let m = messages(&p);
    assert!(m[0].starts_with("line 2, column character "), "{m:?}");
    assert!(m[0].contains("decimals as strings"), "{m:?}");
    let p = run(br#"{"format":"folio","version":99,"settings":{"base_currency":"EUR","lot_method":"FIFO","fees_in_cost_basis":true}}"#, Format::FolioJson);
    assert!(messages(&p)[0].contains("version 99 is not supported"));
    let p = run(br#"{"format":"folio","version":1,"settings":{"base_currency":"EUR","lot_method":"FIFO","fees_in_cost_basis":true},
        "accounts":[{"name":"A","currency":"EUR","tracks_cash":true}],
        "activities":[{"id":1,"account":"A","kind":"TRANSFER_IN","date":"2024-01-02","amount":"5","currency":"EUR","transfer_of":7},
                      {"id":2,"account":"B","kind":"DEPOSIT","date":"2024-01-02","amount":"0.123456789","fee":"0","tax":"0","currency":"EUR","note":""}]}"#, Format::FolioJson);
    let m = messages(&p);
    assert!(
        m.contains(
            &"activities[0].transfer_of: no TRANSFER_OUT with id 7 in the document".to_owned()
        ),
        "{m:?}"
    );
    assert!(
        m.contains(
            &"activities[1].account: account \"B\" is not in the document's accounts".to_owned()
        ),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|e| e.starts_with("activities[1].amount: 0.123456789 has 9 decimal places")),
        "{m:?}"
    );
}

#[test]
fn formula_payloads_import_as_plain_text() {
    let text = "Date,Code,Currency,Price,Quantity,Action,Fee,Note\n16-09-2021,MSFT,USD,1,1,buy,0,=cmd|' /C calc'!A0\n";
    let p = run(text.as_bytes(), Format::GhostfolioCsv);
    assert_eq!(p.rows[0].comment.as_str(), "=cmd|' /C calc'!A0");
}

#[test]
fn folio_csv_transfer_links_and_ids_must_resolve_within_the_file() {
    let text = "date,account,kind,symbol,quantity,unit_price,currency,id,transfer_of\n\
                2024-01-02,A,TRANSFER_OUT,X,1,,EUR,1,\n\
                2024-01-02,B,TRANSFER_IN,X,1,,EUR,2,1\n\
                2024-01-03,B,TRANSFER_IN,X,1,,EUR,3,9\n\
                2024-01-04,B,BUY,X,1,5,EUR,2,1\n\
                2024-01-05,B,BUY,X,1,,EUR,4,\n";
    let p = run(text.as_bytes(), Format::FolioCsv);
    let m = messages(&p);
    assert!(
        m.contains(
            &"line 4, column transfer_of: no TRANSFER_OUT with id 9 in this file".to_owned()
        ),
        "{m:?}"
    );
    assert!(
        m.contains(&"line 5, column id: id 2 is used by an earlier row".to_owned()),
        "{m:?}"
    );
    assert!(
        m.contains(
            &"line 5, column transfer_of: only a TRANSFER_IN can receive a transfer".to_owned()
        ),
        "{m:?}"
    );
    assert!(
        m.contains(&"line 6, column unit_price: a unit price is required for BUY".to_owned()),
        "{m:?}"
    );
    assert_eq!(m.len(), 4, "{m:?}");
    assert_eq!(p.rows.len(), 2, "the linked pair is kept");
}
