//! Round trips: Folio JSON and Folio CSV written by the exporters read back to the same
//! values, for the fixture and for generated documents full of awkward text and decimals.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use folio_core::export::{folio_csv, folio_json, price_csv};
use folio_core::import::{
    DocumentAccount, DocumentActivity, DocumentAsset, DocumentSettings, FolioDocument, Format,
    ImportRow, ParseOptions, parse, parse_document,
};
use folio_core::portfolio::LotMethod;
use folio_core::{ActivityType, AssetClass, CurrencyCode, Name, Note, PricingMode, Symbol};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::{Date, Duration};

fn fixture_doc() -> FolioDocument {
    let path = format!(
        "{}/tests/fixtures/import/folio.json",
        env!("CARGO_MANIFEST_DIR")
    );
    parse_document(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The activity fields of a row, without the line it came from.
fn strip(rows: &[ImportRow]) -> Vec<ImportRow> {
    rows.iter()
        .map(|r| ImportRow {
            line: 0,
            ..r.clone()
        })
        .collect()
}

/// Checks that parsed rows say exactly what the document's activities say.
fn assert_rows_match(doc: &FolioDocument, rows: &[ImportRow]) {
    assert_eq!(rows.len(), doc.activities.len());
    for (a, r) in doc.activities.iter().zip(rows) {
        assert_eq!(r.account.as_ref(), Some(&a.account));
        assert_eq!(r.asset.as_ref().map(|x| &x.symbol), a.asset.as_ref());
        assert_eq!((r.kind, r.date), (a.kind, a.date));
        assert_eq!(
            (r.quantity, r.unit_price, r.amount),
            (a.quantity, a.unit_price, a.amount)
        );
        assert_eq!((r.fee, r.tax), (a.fee, a.tax));
        assert_eq!(&r.currency, &a.currency);
        assert_eq!(&r.comment, &a.note);
        assert_eq!(r.external_id, Some(a.id.to_string()));
        assert_eq!(r.transfer_of, a.transfer_of.map(|t| t.to_string()));
    }
}

fn check_round_trip(doc: &FolioDocument) {
    let json = folio_json(doc);
    assert_eq!(
        &parse_document(&json).unwrap(),
        doc,
        "JSON document round trip"
    );
    let from_json = parse(
        json.as_bytes(),
        &Format::FolioJson,
        &ParseOptions::default(),
    );
    assert!(from_json.is_clean(), "{:?}", from_json.errors);
    assert_rows_match(doc, &from_json.rows);
    let csv = folio_csv(doc);
    let from_csv = parse(csv.as_bytes(), &Format::FolioCsv, &ParseOptions::default());
    assert!(from_csv.is_clean(), "{:?}\n{csv}", from_csv.errors);
    assert_eq!(
        strip(&from_csv.rows),
        strip(&from_json.rows),
        "CSV and JSON say the same"
    );
    for a in &doc.assets {
        let seen = from_csv.assets.iter().find(|x| x.symbol == a.symbol);
        if let Some(seen) = seen {
            assert_eq!(seen.name.as_ref(), Some(&a.name));
            assert_eq!((seen.class, seen.pricing), (Some(a.class), Some(a.pricing)));
        }
    }
}

#[test]
fn the_fixture_document_survives_json_and_csv_export_and_import() {
    check_round_trip(&fixture_doc());
}

#[test]
fn reimporting_the_same_export_gives_the_same_fingerprints() {
    let doc = fixture_doc();
    let a = parse(
        folio_csv(&doc).as_bytes(),
        &Format::FolioCsv,
        &ParseOptions::default(),
    );
    let b = parse(
        folio_json(&doc).as_bytes(),
        &Format::FolioJson,
        &ParseOptions::default(),
    );
    let fa: Vec<_> = a
        .rows
        .iter()
        .map(|r| r.fingerprint(r.account.as_ref().unwrap().as_str()))
        .collect();
    let fb: Vec<_> = b
        .rows
        .iter()
        .map(|r| r.fingerprint(r.account.as_ref().unwrap().as_str()))
        .collect();
    assert_eq!(fa, fb);
    let mut unique = fa.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        fa.len(),
        "different activities have different fingerprints"
    );
}

#[test]
fn a_price_history_csv_reads_back_to_the_same_closes() {
    let symbol = Symbol::parse("-DASH=X").unwrap();
    let day = Date::from_calendar_date(2024, time::Month::January, 31).unwrap();
    let prices = [
        (day, "104.1234567891".parse().unwrap()),
        (day + Duration::days(1), Decimal::ZERO),
    ];
    let csv = price_csv(&symbol, &prices);
    assert!(
        csv.contains(",'-DASH=X,"),
        "the symbol cell is guarded: {csv}"
    );
    let p = parse(csv.as_bytes(), &Format::PriceCsv, &ParseOptions::default());
    assert!(p.is_clean(), "{:?}", p.errors);
    let back: Vec<(Date, Decimal)> = p.prices.iter().map(|r| (r.date, r.close)).collect();
    assert_eq!(back, prices);
    assert!(p.prices.iter().all(|r| r.symbol == symbol));
}

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[=+@'\\-\" ,;a-zé€\\n\\t]{{0,{max}}}")).unwrap()
}

fn decimal(max_scale: u32) -> impl Strategy<Value = Decimal> {
    (1_i64..1_000_000_000_000, 0..=max_scale).prop_map(|(units, scale)| Decimal::new(units, scale))
}

fn activity(
    i: i64,
    kinds_so_far: Vec<(i64, ActivityType)>,
) -> impl Strategy<Value = DocumentActivity> {
    let kind = proptest::sample::select(ActivityType::ALL.to_vec());
    (
        kind,
        0_i64..3000,
        decimal(10),
        decimal(10),
        decimal(8),
        decimal(8),
        text(20),
        0_usize..2,
        any::<bool>(),
    )
        .prop_map(
            move |(kind, days, q, p, amount, fee, note, acct, with_asset)| {
                let date = Date::from_calendar_date(2015, time::Month::January, 1).unwrap()
                    + Duration::days(days);
                let security = kind.needs_asset() && kind != ActivityType::Dividend
                    || matches!(kind, ActivityType::TransferIn | ActivityType::TransferOut)
                        && with_asset;
                let asset =
                    (kind.needs_asset() || security).then(|| Symbol::parse("-ODD=SYM").unwrap());
                let link = kinds_so_far
                    .iter()
                    .find(|(_, k)| *k == ActivityType::TransferOut)
                    .map(|(id, _)| *id);
                DocumentActivity {
                    id: i,
                    account: Name::parse(["=Broker, \"main\"", "Pension'"][acct]).unwrap(),
                    asset,
                    kind,
                    date,
                    quantity: security.then_some(q),
                    unit_price: matches!(kind, ActivityType::Buy | ActivityType::Sell).then_some(p),
                    amount: (!security).then_some(amount),
                    fee,
                    tax: Decimal::ZERO,
                    currency: CurrencyCode::parse(if acct == 0 { "EUR" } else { "GBp" }).unwrap(),
                    note: Note::parse(&note).unwrap(),
                    transfer_of: if kind == ActivityType::TransferIn && security {
                        link
                    } else {
                        None
                    },
                }
            },
        )
}

fn document() -> impl Strategy<Value = FolioDocument> {
    proptest::collection::vec(proptest::sample::select(ActivityType::ALL.to_vec()), 1..12)
        .prop_flat_map(|kinds| {
            let mut so_far = Vec::new();
            let mut parts = Vec::new();
            for (i, _) in kinds.iter().enumerate() {
                let id = i64::try_from(i).unwrap() * 10 + 1;
                parts.push(activity(id, so_far.clone()));
                so_far.push((id, kinds[i]));
            }
            parts
        })
        .prop_map(|mut activities| {
            // A link may only point at a TRANSFER_OUT that really is one.
            let outs: Vec<i64> = activities
                .iter()
                .filter(|a| a.kind == ActivityType::TransferOut)
                .map(|a| a.id)
                .collect();
            for a in &mut activities {
                a.transfer_of = a.transfer_of.filter(|t| outs.contains(t));
            }
            let mut doc = FolioDocument::new(DocumentSettings {
                base_currency: CurrencyCode::parse("EUR").unwrap(),
                lot_method: LotMethod::AverageCost,
                fees_in_cost_basis: false,
            });
            doc.accounts = ["=Broker, \"main\"", "Pension'"]
                .iter()
                .map(|n| DocumentAccount {
                    name: Name::parse(n).unwrap(),
                    currency: CurrencyCode::parse("EUR").unwrap(),
                    tracks_cash: true,
                })
                .collect();
            doc.assets = vec![DocumentAsset {
                symbol: Symbol::parse("-ODD=SYM").unwrap(),
                name: Name::parse("@risk, \"quoted\"\nname").unwrap(),
                currency: CurrencyCode::parse("GBp").unwrap(),
                class: AssetClass::Crypto,
                pricing: PricingMode::Manual,
            }];
            doc.activities = activities;
            doc
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_round_trip_through_json_and_csv(doc in document()) {
        check_round_trip(&doc);
    }
}
