//! Output tests: well-formed markup, expected labels and tooltips, no overlap.
#![allow(
    clippy::disallowed_types,
    clippy::float_arithmetic,
    reason = "label positions are pixels"
)]

use std::str::FromStr;

use rust_decimal::Decimal;
use time::macros::date;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A minimal XML well-formedness check: balanced tags, quoted attributes, escaped text.
fn assert_well_formed(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(['<', '&']) {
        let text = &rest[..i];
        assert!(!text.contains('>'), "stray '>' in text {text:?}");
        rest = &rest[i..];
        if rest.starts_with('&') {
            let end = rest.find(';').expect("entity ends with ;");
            let name = &rest[1..end];
            assert!(
                ["amp", "lt", "gt", "quot", "#39"].contains(&name),
                "entity {name}"
            );
            rest = &rest[end + 1..];
            continue;
        }
        let end = rest.find('>').expect("tag closes");
        let tag = &rest[1..end];
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "quotes balanced in <{tag}>"
        );
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "closing </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap().to_owned();
            stack.push(name);
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn value_series() -> Vec<(time::Date, Decimal)> {
    let start = date!(2024 - 01 - 01);
    (0..400)
        .map(|i| {
            let day = start + time::Duration::days(i);
            (day, d("10000") + Decimal::from(i) * d("12.5"))
        })
        .collect()
}

#[test]
fn a_time_chart_is_well_formed_with_money_labels_and_tooltips() {
    let flows: Vec<_> = value_series()
        .iter()
        .map(|(day, _)| (*day, d("10000")))
        .collect();
    let html = TimeChart::new("Value <& contributions>", Unit::Money)
        .series("Value", value_series())
        .dashed_series("Net contributions", flows)
        .markers(vec![Marker {
            date: date!(2024 - 03 - 01),
            value: d("10750"),
            kind: MarkerKind::Buy,
            label: "Buy 10 @ 100.00".into(),
        }])
        .render()
        .0;
    assert_well_formed(&html);
    assert_eq!(
        html.matches("<svg").count(),
        3,
        "phone, tablet and desktop drawings"
    );
    assert!(
        html.contains("Value &lt;&amp; contributions&gt;"),
        "title escaped"
    );
    assert!(
        html.contains(">10,000</text>"),
        "axis labels through format::money"
    );
    assert!(
        html.contains("<title>2024-01-01\nValue: 10,000.00\nNet contributions: 10,000.00</title>")
    );
    assert!(html.contains("<title>2024-03-01: Buy 10 @ 100.00</title>"));
    assert!(html.contains("class=\"line dashed c2\""));
    assert!(html.contains("<summary>Data table (sampled: 58 of 400 dates)</summary>"));
    assert!(html.contains("<table><caption>A sample of 58 of the 400 dates, evenly spaced"));
    assert!(
        html.contains("<td>2025-02-03</td><td class=\"num\">14,987.50</td>"),
        "last day in the table"
    );
    assert!(!html.contains("style="), "no inline styles under the CSP");
    assert!(
        !html.contains('#'),
        "no hard-coded colours: {}",
        &html[..200]
    );
}

/// (start, end) of each x-axis label (the row at `y`) of one drawing.
fn label_extents(drawing: &str, y: &str) -> Vec<(f64, f64)> {
    drawing
        .split("<text x=\"")
        .skip(1)
        .filter(|t| t.contains(&format!("y=\"{y}\"")))
        .map(|t| {
            let x: f64 = t.split('"').next().unwrap().parse().unwrap();
            let anchor = t
                .split("text-anchor=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let label = t
                .split("class=\"axis\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap();
            let w = svg::text_width(label);
            match anchor {
                "start" => (x, x + w),
                "end" => (x - w, x),
                _ => (x - w / 2.0, x + w / 2.0),
            }
        })
        .collect()
}

#[test]
#[allow(
    clippy::disallowed_types,
    clippy::float_arithmetic,
    reason = "pixel positions"
)]
fn date_labels_never_overlap_and_stay_inside_each_drawing() {
    let html = TimeChart::new("V", Unit::Money)
        .series("V", value_series())
        .render()
        .0;
    for (size, next) in [
        ("chart-sm", "chart-md"),
        ("chart-md", "chart-lg"),
        ("chart-lg", "</figure"),
    ] {
        let drawing = &html[html.find(size).unwrap()..html.find(next).unwrap()];
        let height = SIZES.iter().find(|s| s.class == size).unwrap().height;
        let width = f64::from(SIZES.iter().find(|s| s.class == size).unwrap().width);
        let labels = label_extents(drawing, &(height - 8).to_string());
        assert!(labels.len() >= 3, "{size}: {labels:?}");
        for pair in labels.windows(2) {
            assert!(pair[1].0 >= pair[0].1 + 8.0, "{size}: overlap {pair:?}");
        }
        assert!(
            labels.iter().all(|(a, b)| *a >= 0.0 && *b <= width),
            "{size} inside"
        );
    }
}

#[test]
fn a_short_time_chart_lists_every_date_without_a_sampling_note() {
    let html = TimeChart::new("Value", Unit::Money)
        .series("Value", value_series()[..30].to_vec())
        .render()
        .0;
    assert!(html.contains("<summary>Data table</summary><div class=\"table-wrap\"><table><thead>"));
    assert_eq!(html.matches("<tr><td>").count(), 30);
}

#[test]
fn an_empty_time_chart_says_so() {
    let html = TimeChart::new("Value", Unit::Money)
        .series("Value", Vec::new())
        .render()
        .0;
    assert_well_formed(&html);
    assert!(html.contains("No data for this period."));
}

#[test]
fn a_bar_chart_draws_positive_and_negative_bars_from_zero() {
    let bars = vec![
        Bar {
            label: "2024-01".into(),
            value: d("21"),
        },
        Bar {
            label: "2024-02".into(),
            value: d("-13"),
        },
        Bar {
            label: "2024-03".into(),
            value: d("0"),
        },
    ];
    let html = BarChart::new("Monthly income", "Month", Unit::Money, bars)
        .render()
        .0;
    assert_well_formed(&html);
    assert_eq!(
        html.matches("class=\"bar neg\"").count(),
        3,
        "one per drawing"
    );
    assert!(html.contains("<title>2024-02: -13.00</title>"));
    assert!(html.contains(">0</text>"), "zero tick");
    assert!(html.contains("<td>2024-01</td><td class=\"num\">21.00</td>"));
}

#[test]
fn bar_labels_are_thinned_when_they_would_collide() {
    let bars: Vec<Bar> = (1..=121)
        .map(|i| Bar {
            label: format!("M{i:03}"),
            value: Decimal::from(i),
        })
        .collect();
    let html = BarChart::new("Income", "Month", Unit::Money, bars)
        .render()
        .0;
    let phone = &html[html.find("chart-sm").unwrap()..html.find("chart-md").unwrap()];
    let shown = phone.matches("class=\"axis\">M").count();
    assert!(
        shown > 1 && shown <= 12,
        "{shown} labels on a 360-wide drawing"
    );
    let labels = label_extents(phone, "212");
    assert_eq!(labels.len(), shown);
    for pair in labels.windows(2) {
        assert!(pair[1].0 >= pair[0].1 + 8.0, "overlap {pair:?}");
    }
    assert!(
        labels.iter().all(|(a, b)| *a >= 0.0 && *b <= 360.0),
        "inside: {labels:?}"
    );
}

#[test]
fn tick_labels_drop_the_fraction_only_when_every_tick_has_none() {
    let whole = [d("0"), d("500"), d("1000")];
    assert_eq!(Unit::Money.ticks(&whole), ["0", "500", "1,000"]);
    let halves = [d("0"), d("0.5"), d("1")];
    assert_eq!(Unit::Money.ticks(&halves), ["0.00", "0.50", "1.00"]);
    let round = [d("-5"), d("0"), d("5")];
    assert_eq!(Unit::Money.ticks(&round), ["-5", "0", "5"]);
}

#[test]
fn an_allocation_table_shows_weights_values_and_bars() {
    let slices = vec![
        Slice {
            label: "Equity".into(),
            value: d("7500"),
            weight: Some(d("0.75")),
        },
        Slice {
            label: "Cash".into(),
            value: d("2600"),
            weight: Some(d("0.26")),
        },
        Slice {
            label: "Overdraft".into(),
            value: d("-100"),
            weight: Some(d("-0.01")),
        },
    ];
    let html = AllocationChart::new("By asset class", "Class", slices)
        .render()
        .0;
    assert_well_formed(&html);
    assert!(
        html.contains("<td class=\"num\">75.00%</td><td class=\"num \">7,500.00</td>"),
        "{html}"
    );
    assert!(html.contains("width=\"75\" height=\"10\" class=\"fill c1\""));
    assert!(
        html.contains("width=\"0\" height=\"10\" class=\"fill c3\""),
        "negative: no bar"
    );
    assert!(html.contains("class=\"num loss\">-100.00<"));
}
