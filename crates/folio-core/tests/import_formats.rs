//! Every import format read from a fixture written from the format's public
//! documentation, with the numbers, types and references it must produce.

// Helpers outside #[test] fns panic on purpose: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use folio_core::ActivityType;
use folio_core::import::{
    ColumnMapping, DateFormat, Format, MappedColumns, NumberFormat, ParseOptions, ParsedFile,
    detect, parse,
};
use folio_core::{AssetClass, CurrencyCode, PricingMode};
use rust_decimal::Decimal;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).expect("fixture exists")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

fn read(name: &str, format: &Format) -> ParsedFile {
    parse(&fixture(name), format, &ParseOptions::default())
}

fn errors(p: &ParsedFile) -> Vec<String> {
    p.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn folio_csv_reads_every_activity_type_with_transfer_links_and_guarded_text() {
    let p = read("folio.csv", &Format::FolioCsv);
    assert!(p.is_clean(), "{:?}", errors(&p));
    assert_eq!(p.rows.len(), 8);
    let buy = &p.rows[1];
    assert_eq!(buy.kind, ActivityType::Buy);
    assert_eq!(buy.quantity, Some(dec("25")));
    assert_eq!(buy.unit_price, Some(dec("104.12")));
    assert_eq!(buy.fee, dec("4.9"));
    assert_eq!(buy.comment.as_str(), "Monthly plan, \"first\" buy");
    assert_eq!(p.rows[2].tax, dec("3.2"));
    assert_eq!(p.rows[3].quantity, Some(dec("2")), "split ratio");
    assert_eq!(p.rows[5].transfer_of.as_deref(), Some("5"));
    assert_eq!(p.rows[5].account.as_ref().unwrap().as_str(), "Pension");
    assert_eq!(
        p.rows[6].comment.as_str(),
        "=HYPERLINK(A1)",
        "guard quote removed"
    );
    assert_eq!(p.rows[7].amount, Some(dec("0.00000001")));
    assert_eq!(p.rows[7].comment.as_str(), "multi\nline note");
    assert_eq!(
        p.rows[7].line, 9,
        "a record is cited by the line it starts on"
    );
    assert_eq!(p.accounts.len(), 2);
    let vwrl = &p.assets[0];
    assert_eq!(vwrl.symbol.as_str(), "VWRL.AS");
    assert_eq!(vwrl.class, Some(AssetClass::Fund));
    assert_eq!(
        vwrl.name.as_ref().unwrap().as_str(),
        "Vanguard FTSE All-World"
    );
}

#[test]
fn folio_json_reads_settings_accounts_assets_prices_and_rates_exactly() {
    let p = read("folio.json", &Format::FolioJson);
    assert!(p.is_clean(), "{:?}", errors(&p));
    assert_eq!(p.settings.as_ref().unwrap().base_currency.as_str(), "EUR");
    assert_eq!(p.rows.len(), 5);
    assert_eq!(p.rows[1].unit_price, Some(dec("104.1234567891")));
    assert_eq!(p.rows[3].transfer_of.as_deref(), Some("5"));
    assert_eq!(p.accounts[1].tracks_cash, Some(false));
    assert_eq!(p.assets[1].pricing, Some(PricingMode::Manual));
    assert_eq!(p.prices.len(), 2);
    assert_eq!(p.fx_rates[0].rate, dec("1.0945"));
}

#[test]
fn ghostfolio_csv_reads_day_first_dates_fees_dividends_interest_and_items() {
    let p = read("ghostfolio.csv", &Format::GhostfolioCsv);
    assert!(p.is_clean(), "{:?}", errors(&p));
    let kinds: Vec<ActivityType> = p.rows.iter().map(|r| r.kind).collect();
    use ActivityType::*;
    assert_eq!(kinds, [Fee, Buy, Dividend, Sell, Interest, Buy]);
    assert_eq!(
        p.rows[0].amount,
        Some(dec("49")),
        "a Ghostfolio FEE carries its amount in the fee column"
    );
    assert_eq!(p.rows[0].fee, Decimal::ZERO);
    assert!(p.rows[0].asset.is_none());
    assert_eq!(p.rows[1].date.to_string(), "2021-09-16");
    assert_eq!(p.rows[1].fee, dec("19"));
    assert_eq!(p.rows[2].date.to_string(), "2021-11-17");
    assert_eq!(p.rows[2].amount, Some(dec("3.10")), "dividend = 5 × 0.62");
    assert_eq!(p.rows[3].date.to_string(), "2021-12-25");
    assert_eq!(p.rows[4].amount, Some(dec("12.5")));
    let item = p.rows[5].asset.as_ref().unwrap();
    assert_eq!(item.pricing, Some(PricingMode::Manual));
    assert_eq!(item.class, Some(AssetClass::Other));
}

#[test]
fn ghostfolio_csv_understands_its_header_aliases_and_compact_dates() {
    let p = read("ghostfolio-aliases.csv", &Format::GhostfolioCsv);
    assert!(p.is_clean(), "{:?}", errors(&p));
    assert_eq!(p.rows[0].date.to_string(), "2023-01-05");
    assert_eq!(p.rows[1].kind, ActivityType::Sell);
    assert_eq!(p.rows[1].unit_price, Some(dec("150.87")));
    assert_eq!(p.rows[1].account.as_ref().unwrap().as_str(), "Main");
}

#[test]
fn ghostfolio_json_maps_accounts_profiles_market_data_and_refuses_liabilities() {
    let p = read("ghostfolio.json", &Format::GhostfolioJson);
    assert_eq!(p.rows.len(), 3);
    assert_eq!(
        p.rows[0].account.as_ref().unwrap().as_str(),
        "Interactive Brokers"
    );
    assert_eq!(
        p.rows[0].unit_price,
        Some(dec("0.1")),
        "0.1 stays exactly 0.1"
    );
    assert_eq!(p.rows[0].external_id.as_deref(), Some("act-1"));
    assert_eq!(p.rows[1].amount, Some(dec("2.4")));
    let flat = p
        .assets
        .iter()
        .find(|a| a.symbol.as_str() == "FLAT-1")
        .unwrap();
    assert_eq!(flat.class, Some(AssetClass::RealEstate));
    assert_eq!(flat.pricing, Some(PricingMode::Manual));
    assert_eq!(p.prices.len(), 2);
    assert_eq!(p.prices[1].close, dec("262500.5"));
    assert_eq!(errors(&p).len(), 1);
    assert!(
        errors(&p)[0].contains("activities[3].type"),
        "{:?}",
        errors(&p)
    );
    assert!(errors(&p)[0].contains("LIABILITY"));
}

#[test]
fn wealthfolio_csv_normalises_negative_amounts_cash_symbols_and_split_ratios() {
    let p = read("wealthfolio.csv", &Format::WealthfolioCsv);
    assert!(p.is_clean(), "{:?}", errors(&p));
    use ActivityType::*;
    let kinds: Vec<ActivityType> = p.rows.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            Deposit, Buy, Dividend, Split, Split, Withdrawal, Sell, Interest, Fee, Tax
        ]
    );
    assert!(p.rows[0].asset.is_none(), "$CASH-USD is not an asset");
    assert_eq!(p.rows[2].amount, Some(dec("2.4")));
    assert_eq!(
        p.rows[3].quantity,
        Some(dec("4")),
        "ratio from the amount column"
    );
    assert_eq!(
        p.rows[4].quantity,
        Some(dec("10")),
        "ratio from the quantity column"
    );
    assert_eq!(p.rows[5].amount, Some(dec("250")));
    assert_eq!(p.rows[9].amount, Some(dec("12")));
    assert_eq!(p.assets.len(), 2);
}

#[test]
fn wealthfolio_subtypes_expand_or_map_and_unsupported_types_are_named() {
    let p = read("wealthfolio-subtypes.csv", &Format::WealthfolioCsv);
    use ActivityType::*;
    let kinds: Vec<ActivityType> = p.rows.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            Dividend, Buy, Interest, Buy, Deposit, TransferIn, TransferIn
        ]
    );
    assert_eq!(p.rows[0].amount, Some(dec("12.5")));
    assert_eq!(p.rows[1].quantity, Some(dec("0.0512")));
    assert_eq!(p.rows[1].unit_price, Some(dec("244.1")));
    assert_eq!(
        p.rows[2].amount,
        Some(dec("6.6")),
        "staking reward valued at 0.002 × 3300"
    );
    assert!(p.rows[2].asset.is_none());
    assert!(p.rows[4].comment.as_str().contains("CREDIT"));
    assert!(p.rows[5].comment.as_str().contains("DIVIDEND_IN_KIND"));
    assert_eq!(p.rows[6].unit_price, Some(dec("230")));
    let e = errors(&p);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("line 7, column activityType: unknown activity type \"ADJUSTMENT\""),
        "{e:?}"
    );
}

fn broker_mapping() -> ColumnMapping {
    ColumnMapping {
        name: "Meine Bank".into(),
        header_row: 4,
        skip_bottom: 1,
        delimiter: ';',
        date_format: DateFormat::DayFirst,
        number_format: NumberFormat {
            decimal: ',',
            thousands: Some('.'),
        },
        default_currency: Some(CurrencyCode::parse("EUR").unwrap()),
        kind_values: [
            ("Kauf", ActivityType::Buy),
            ("Verkauf", ActivityType::Sell),
            ("Dividende", ActivityType::Dividend),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
        columns: MappedColumns {
            date: "Datum".into(),
            kind: Some("Vorgang".into()),
            symbol: Some("ISIN".into()),
            quantity: Some("Stück".into()),
            unit_price: Some("Kurs".into()),
            amount: Some("Betrag".into()),
            ..MappedColumns::default()
        },
        ..ColumnMapping::default()
    }
}

#[test]
fn a_column_mapping_skips_preamble_and_footer_and_reads_european_numbers() {
    let m = broker_mapping();
    let p = read("broker-mapping.csv", &Format::Mapping(Box::new(m)));
    assert_eq!(p.rows.len(), 3, "{:?}", errors(&p));
    assert_eq!(p.rows[0].date.to_string(), "2024-04-03");
    assert_eq!(p.rows[0].unit_price, Some(dec("104.5")));
    assert_eq!(p.rows[1].amount, Some(dec("12.34")));
    assert_eq!(p.rows[2].currency.as_str(), "EUR");
    assert_eq!(p.rows_seen, 4, "the footer row is not a data row");
    let e = errors(&p);
    assert_eq!(
        e,
        [
            "line 8, column Vorgang: unknown activity type \"Storno\"; accepted: the values in the mapping's type table or Folio's types"
        ]
    );
}

#[test]
fn a_mapping_puts_rows_without_an_account_into_its_default_account() {
    let without = read(
        "broker-mapping.csv",
        &Format::Mapping(Box::new(broker_mapping())),
    );
    assert!(without.rows.iter().all(|r| r.account.is_none()));
    let m = ColumnMapping {
        default_account: Some(folio_core::Name::parse("Depot").unwrap()),
        ..broker_mapping()
    };
    let p = read("broker-mapping.csv", &Format::Mapping(Box::new(m)));
    assert_eq!(p.rows.len(), 3, "{:?}", errors(&p));
    assert!(
        p.rows
            .iter()
            .all(|r| r.account.as_ref().map(|a| a.as_str()) == Some("Depot"))
    );
    assert_eq!(p.accounts.len(), 1);
}

#[test]
fn a_mapping_template_round_trips_through_json_for_saving() {
    let m = broker_mapping();
    let json = serde_json::to_string(&m).unwrap();
    let back: ColumnMapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    let partial: ColumnMapping =
        serde_json::from_str(r#"{"name":"x","columns":{"date":"When"},"default_kind":"DEPOSIT"}"#)
            .unwrap();
    assert_eq!(partial.delimiter, ',');
    assert_eq!(partial.header_row, 1);
}

#[test]
fn price_and_fx_csvs_read_closes_and_pairs() {
    let opts = ParseOptions {
        symbol: Some(folio_core::Symbol::parse("VWRL.AS").unwrap()),
        ..ParseOptions::default()
    };
    let p = parse(&fixture("prices.csv"), &Format::PriceCsv, &opts);
    assert!(p.is_clean(), "{:?}", errors(&p));
    assert_eq!(p.prices.len(), 3);
    assert_eq!(p.prices[2].close, dec("103.999999999"));
    assert_eq!(p.prices[0].symbol.as_str(), "VWRL.AS");
    let fx = read("fx.csv", &Format::FxCsv);
    assert!(fx.is_clean(), "{:?}", errors(&fx));
    assert_eq!(fx.fx_rates[1].base.as_str(), "EUR");
    assert_eq!(fx.fx_rates[1].quote.as_str(), "USD");
    assert_eq!(fx.fx_rates[2].quote.as_str(), "GBP");
}

#[test]
fn formats_are_detected_from_content() {
    let cases = [
        ("folio.csv", Format::FolioCsv),
        ("folio.json", Format::FolioJson),
        ("ghostfolio.csv", Format::GhostfolioCsv),
        ("ghostfolio-aliases.csv", Format::GhostfolioCsv),
        ("ghostfolio.json", Format::GhostfolioJson),
        ("wealthfolio.csv", Format::WealthfolioCsv),
        ("wealthfolio-subtypes.csv", Format::WealthfolioCsv),
        ("prices.csv", Format::PriceCsv),
        ("fx.csv", Format::FxCsv),
    ];
    for (name, format) in cases {
        assert_eq!(detect(&fixture(name)), Some(format), "{name}");
    }
    assert_eq!(detect(&fixture("broker-mapping.csv")), None);
    assert_eq!(
        detect(b"date,account,kind,amount,currency\n"),
        Some(Format::FolioCsv)
    );
    assert_eq!(
        detect(b"date,account,type,amount\n"),
        None,
        "needs Folio's own kind column"
    );
    assert_eq!(detect(b""), None);
}

#[test]
fn format_names_from_the_cli_resolve_with_the_content() {
    let json = fixture("folio.json");
    let csv = fixture("folio.csv");
    assert_eq!(Format::from_name("folio", &json), Some(Format::FolioJson));
    assert_eq!(Format::from_name("folio", &csv), Some(Format::FolioCsv));
    assert_eq!(
        Format::from_name("Ghostfolio", &fixture("ghostfolio.json")),
        Some(Format::GhostfolioJson)
    );
    assert_eq!(
        Format::from_name("ghostfolio", &fixture("ghostfolio.csv")),
        Some(Format::GhostfolioCsv)
    );
    assert_eq!(
        Format::from_name("auto", &fixture("wealthfolio.csv")),
        Some(Format::WealthfolioCsv)
    );
    assert_eq!(
        Format::from_name("auto", &fixture("broker-mapping.csv")),
        None
    );
    assert_eq!(Format::from_name("fx", b""), Some(Format::FxCsv));
    assert_eq!(Format::from_name("excel", &csv), None);
    for f in [
        Format::FolioCsv,
        Format::FolioJson,
        Format::GhostfolioCsv,
        Format::GhostfolioJson,
        Format::WealthfolioCsv,
        Format::PriceCsv,
        Format::FxCsv,
    ] {
        assert_eq!(
            Format::from_name(f.name(), b""),
            Some(f.clone()),
            "{}",
            f.name()
        );
    }
}
