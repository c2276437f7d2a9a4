use super::*;

fn num(s: &str) -> Result<String, String> {
    parse_number(s, NumberFormat::default()).map(|d| d.to_string())
}

fn euro(s: &str) -> Result<String, String> {
    let fmt = NumberFormat {
        decimal: ',',
        thousands: Some('.'),
    };
    parse_number(s, fmt).map(|d| d.to_string())
}

#[test]
fn numbers_with_currency_signs_codes_and_thousands_are_read_exactly() {
    assert_eq!(num("$1,234.56").unwrap(), "1234.56");
    assert_eq!(num("-$5").unwrap(), "-5");
    assert_eq!(num("$-5").unwrap(), "-5");
    assert_eq!(num("1 234.50 USD").unwrap(), "1234.5");
    assert_eq!(num("EUR 0.1").unwrap(), "0.1");
    assert_eq!(num("+7").unwrap(), "7");
    assert_eq!(num(".5").unwrap(), "0.5");
    assert_eq!(euro("1.234,56 €").unwrap(), "1234.56");
    assert_eq!(euro("-0,5").unwrap(), "-0.5");
}

#[test]
fn parentheses_mean_negative() {
    assert_eq!(num("(12.50)").unwrap(), "-12.5");
    assert_eq!(num("($1,000)").unwrap(), "-1000");
}

#[test]
fn misgrouped_or_foreign_separators_are_refused_not_guessed() {
    // "1,5" would silently become 15 if the comma were dropped.
    let err = num("1,5").unwrap_err();
    assert!(err.contains("thousands separator ','"), "{err}");
    assert!(euro("1,234.5").is_err());
    for bad in ["", "abc", "1.2.3", "1e3", "--1", "12-", "NaN", "0x10"] {
        assert!(num(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn eighteen_decimal_places_parse_but_fail_the_storage_check_with_a_message() {
    let v = parse_number("0.123456789012345678", NumberFormat::default()).unwrap();
    let err = check_scale(v, 10, "a quantity").unwrap_err();
    assert!(err.contains("has 18 decimal places"), "{err}");
    assert!(err.contains("at most 10 for a quantity"), "{err}");
    assert!(
        num("1234567890123456789")
            .unwrap_err()
            .contains("too large")
    );
    assert!(
        num(&format!("0.{}", "1".repeat(29)))
            .unwrap_err()
            .contains("decimal places")
    );
}

#[test]
fn iso_and_compact_dates_are_always_accepted() {
    for s in [
        "2024-03-04",
        "2024/03/04",
        "2024.03.04",
        "20240304",
        "2024-03-04T22:00:00.000Z",
        "2024-03-04 10:00",
    ] {
        assert_eq!(
            parse_date(s, DateFormat::Auto).unwrap().to_string(),
            "2024-03-04",
            "{s}"
        );
    }
}

#[test]
fn ambiguous_dates_are_flagged_unless_a_format_is_chosen() {
    let err = parse_date("03/04/2024", DateFormat::Auto).unwrap_err();
    assert!(err.contains("ambiguous"), "{err}");
    assert!(
        err.contains("2024-04-03") && err.contains("2024-03-04"),
        "{err}"
    );
    assert_eq!(
        parse_date("03/04/2024", DateFormat::DayFirst)
            .unwrap()
            .to_string(),
        "2024-04-03"
    );
    assert_eq!(
        parse_date("03/04/2024", DateFormat::MonthFirst)
            .unwrap()
            .to_string(),
        "2024-03-04"
    );
    assert_eq!(
        parse_date("13/04/2024", DateFormat::Auto)
            .unwrap()
            .to_string(),
        "2024-04-13"
    );
    assert_eq!(
        parse_date("04/13/2024", DateFormat::Auto)
            .unwrap()
            .to_string(),
        "2024-04-13"
    );
    assert_eq!(
        parse_date("05.05.2024", DateFormat::Auto)
            .unwrap()
            .to_string(),
        "2024-05-05"
    );
    assert_eq!(
        parse_date("31-12-23", DateFormat::DayFirst)
            .unwrap()
            .to_string(),
        "2023-12-31"
    );
}

#[test]
fn impossible_or_out_of_range_dates_are_refused() {
    for s in [
        "2023-02-29",
        "31/31/2024",
        "1899-12-31",
        "tomorrow",
        "2024-1",
        "",
    ] {
        assert!(parse_date(s, DateFormat::Auto).is_err(), "{s:?}");
    }
    assert!(parse_date("03/04/2024", DateFormat::Iso).is_err());
}
