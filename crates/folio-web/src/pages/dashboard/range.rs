//! The dashboard's range selector: `?range=1Y`, or `?start=2024-01-01&end=2024-06-30`
//! for a custom range. Plain links and a GET form, so it works without JavaScript; a bad
//! value is reported on the page and the default range is shown instead.

use folio_core::portfolio::Range;
use time::Date;

/// The range shown when none (or an invalid one) is asked for.
pub(super) const DEFAULT: Range = Range::OneYear;

/// The query string. Every field is text so a bad value is a message, not a 400.
#[derive(Debug, Default)]
pub(crate) struct RangeQuery {
    range: String,
    start: String,
    end: String,
}

impl RangeQuery {
    /// From the decoded query pairs (read as pairs so a repeated or unknown key is
    /// never a 400: the last value of a key wins, unknown keys are ignored).
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut q = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "range" => q.range = v,
                "start" => q.start = v,
                "end" => q.end = v,
                _ => {}
            }
        }
        q
    }
}

/// What the query asked for, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Selected {
    /// The range to compute.
    pub range: Range,
    /// Why the query could not be used (shown above the figures), if it could not.
    pub error: Option<String>,
    /// The custom dates as typed, to refill the form.
    pub start: String,
    /// See `start`.
    pub end: String,
}

impl RangeQuery {
    /// Resolves the query against `today` (a custom end after today is today).
    pub(super) fn select(&self, today: Date) -> Selected {
        let (start, end) = (self.start.trim(), self.end.trim());
        let mut out = Selected {
            range: DEFAULT,
            error: None,
            start: start.chars().take(40).collect(),
            end: end.chars().take(40).collect(),
        };
        let named = self.range.trim();
        if named.is_empty() && start.is_empty() && end.is_empty() {
            return out;
        }
        if named.eq_ignore_ascii_case("custom") || (named.is_empty() && !start.is_empty()) {
            match custom(start, end, today) {
                Ok(range) => out.range = range,
                Err(e) => out.error = Some(e),
            }
            return out;
        }
        match Range::NAMED
            .iter()
            .find(|r| r.label().eq_ignore_ascii_case(named))
        {
            Some(r) => out.range = *r,
            None => {
                out.error = Some(format!(
                    "Unknown range \"{}\": choose one of the listed ranges.",
                    named.chars().take(20).collect::<String>()
                ));
            }
        }
        out
    }
}

fn custom(start: &str, end: &str, today: Date) -> Result<Range, String> {
    let start = folio_core::parse_date(start).map_err(|e| format!("Start date: {e}."))?;
    let end = match end.is_empty() {
        true => today,
        false => folio_core::parse_date(end).map_err(|e| format!("End date: {e}."))?,
    };
    if start > today {
        return Err(format!(
            "The start date {start} is in the future: there is nothing to measure yet."
        ));
    }
    if start > end {
        return Err(format!(
            "The start date {start} is after the end date {end}: swap them or pick another range."
        ));
    }
    Ok(Range::Custom {
        start,
        end: end.min(today),
    })
}

/// One link of the selector.
pub(crate) struct RangeLink {
    /// "1Y".
    pub label: &'static str,
    /// The query string it links to.
    pub href: String,
    /// Whether it is the range shown.
    pub current: bool,
}

/// The selector's links, the shown one marked.
pub(super) fn links(shown: Range) -> Vec<RangeLink> {
    Range::NAMED
        .iter()
        .map(|r| RangeLink {
            label: r.label(),
            href: format!("/dashboard?range={}", r.label()),
            current: *r == shown,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn q(range: &str, start: &str, end: &str) -> Selected {
        RangeQuery {
            range: range.into(),
            start: start.into(),
            end: end.into(),
        }
        .select(date!(2024 - 06 - 30))
    }

    #[test]
    fn named_and_custom_ranges_are_understood() {
        assert_eq!(q("", "", "").range, DEFAULT);
        assert_eq!(q("ytd", "", "").range, Range::YearToDate);
        let custom = q("custom", "2024-01-01", "2024-03-31");
        assert_eq!(
            custom.range,
            Range::Custom {
                start: date!(2024 - 01 - 01),
                end: date!(2024 - 03 - 31)
            }
        );
        assert_eq!(custom.error, None);
        let open_end = q("", "2024-01-01", "").range;
        assert!(matches!(open_end, Range::Custom { end, .. } if end == date!(2024 - 06 - 30)));
    }

    #[test]
    fn bad_ranges_fall_back_to_the_default_with_a_reason() {
        let bad = q("custom", "2024-02-30", "");
        assert_eq!(bad.range, DEFAULT);
        assert!(
            bad.error
                .unwrap()
                .starts_with("Start date: not a valid date")
        );
        let swapped = q("custom", "2024-05-01", "2024-04-01");
        assert!(swapped.error.unwrap().contains("is after the end date"));
        assert!(
            q("custom", "2025-01-01", "")
                .error
                .unwrap()
                .contains("future")
        );
        assert!(q("10Y", "", "").error.unwrap().contains("Unknown range"));
    }
}
