//! The range selector's parsing: names, aliases, clamping and fallbacks.

use time::macros::date;

use super::*;

fn q(query: &[(&str, &str)]) -> (Range, Option<String>) {
    let pairs = query.iter().map(|(k, v)| ((*k).into(), (*v).into()));
    ViewQuery::from(pairs.collect::<Vec<_>>()).range(Range::OneYear, date!(2024 - 06 - 30))
}

#[test]
fn named_and_custom_ranges_are_understood_under_either_parameter_name() {
    assert_eq!(q(&[]), (Range::OneYear, None));
    assert_eq!(q(&[("range", "ytd")]).0, Range::YearToDate);
    let want = Range::Custom {
        start: date!(2024 - 01 - 01),
        end: date!(2024 - 03 - 31),
    };
    let from_to = [
        ("range", "custom"),
        ("from", "2024-01-01"),
        ("to", "2024-03-31"),
    ];
    let start_end = [
        ("range", "custom"),
        ("start", "2024-01-01"),
        ("end", "2024-03-31"),
    ];
    assert_eq!(q(&from_to), (want, None));
    assert_eq!(q(&start_end), (want, None));
    let open_end = q(&[("from", "2024-01-01")]).0;
    assert!(matches!(open_end, Range::Custom { end, .. } if end == date!(2024 - 06 - 30)));
    let clamped = q(&[
        ("range", "custom"),
        ("from", "2024-01-01"),
        ("to", "2030-01-01"),
    ]);
    assert!(matches!(clamped.0, Range::Custom { end, .. } if end == date!(2024 - 06 - 30)));
    assert_eq!(
        q(&[("range", "1D"), ("range", "MAX")]).0,
        Range::Max,
        "last wins"
    );
}

#[test]
fn bad_ranges_fall_back_to_the_default_with_a_reason() {
    let reason = |query: &[(&str, &str)]| {
        let (range, why) = q(query);
        assert_eq!(range, Range::OneYear);
        why.unwrap()
    };
    let bad = reason(&[("range", "custom"), ("from", "2024-02-30")]);
    assert!(bad.starts_with("Start date: not a valid date"), "{bad}");
    assert!(
        bad.ends_with("Showing the default range instead (1Y)."),
        "{bad}"
    );
    let swapped = reason(&[
        ("range", "custom"),
        ("from", "2024-05-01"),
        ("to", "2024-04-01"),
    ]);
    assert!(swapped.contains("is after the end date"));
    assert!(reason(&[("range", "custom"), ("from", "2025-01-01")]).contains("future"));
    assert!(reason(&[("range", "10Y")]).contains("Unknown range"));
}
