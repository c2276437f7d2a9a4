//! The query string shared by the holdings, performance and accounts pages — range
//! (1D … MAX, custom), sort column and direction, benchmark — with the range selector
//! links, and small formatting helpers for returns.
//!
//! Every field is text and a rejected query string falls back to the defaults, so no
//! query string can produce an error page; a value that is not understood is named in a
//! message and the default is used instead.

use folio_core::portfolio::{EngineError, Range, Xirr};
use rust_decimal::Decimal;
use serde::Deserialize;

use time::Date;

use crate::auth::session::urlencode;
use crate::format::engine_error;
use crate::format::percent;

/// The query string of the range-aware pages. Read as decoded pairs, so a repeated or
/// unknown key is never a 400: the last value of a key wins, unknown keys are ignored.
/// `start`/`end` are accepted as older names of `from`/`to`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub(crate) struct ViewQuery {
    /// A range label (`1D`, `YTD`, `MAX`, `custom`).
    pub range: String,
    /// First day of a custom range (ISO date).
    pub from: String,
    /// Last day of a custom range (ISO date).
    pub to: String,
    /// Sort column key (page-specific).
    pub sort: String,
    /// `asc` or `desc`.
    pub dir: String,
    /// Benchmark asset id (performance page).
    pub benchmark: String,
}

impl From<Vec<(String, String)>> for ViewQuery {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut q = Self::default();
        for (k, v) in pairs {
            let field = match k.as_str() {
                "range" => &mut q.range,
                "from" | "start" => &mut q.from,
                "to" | "end" => &mut q.to,
                "sort" => &mut q.sort,
                "dir" => &mut q.dir,
                "benchmark" => &mut q.benchmark,
                _ => continue,
            };
            *field = v.chars().take(100).collect();
        }
        q
    }
}

/// One link of the range selector.
pub(crate) struct RangeLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

/// The range selector: named range links and the custom range form.
pub(crate) struct RangeNav {
    /// The page's path (the form's action).
    pub path: String,
    pub links: Vec<RangeLink>,
    /// The range in effect.
    pub label: &'static str,
    /// The range in words ("YTD", "2024-01-01 to 2024-12-31").
    pub describe: String,
    pub from: String,
    pub to: String,
    /// Other query parameters the custom form keeps (name, value).
    pub keep: Vec<(&'static str, String)>,
    /// Why the requested range was not used, if it was not.
    pub message: String,
    /// The other range-aware pages with the range chosen here (label, href); empty when
    /// no range was chosen (each page then shows its own default).
    pub elsewhere: Vec<(&'static str, String)>,
}

/// The range-aware pages a chosen range carries over to.
const PAGES: [(&str, &str); 4] = [
    ("Dashboard", "/dashboard"),
    ("Holdings", "/holdings"),
    ("Performance", "/performance"),
    ("Accounts", "/accounts"),
];

impl ViewQuery {
    /// The requested range resolved against `today`, or `default` and the reason when it
    /// cannot be used. A custom range may not start after `today`; its end is clamped to
    /// `today` and defaults to it.
    pub(crate) fn range(&self, default: Range, today: Date) -> (Range, Option<String>) {
        let wanted = self.range.trim();
        let (from, to) = (self.from.trim(), self.to.trim());
        let resolved =
            if wanted.eq_ignore_ascii_case("custom") || (wanted.is_empty() && !from.is_empty()) {
                custom(from, to, today)
            } else if wanted.is_empty() {
                Ok(default)
            } else {
                Range::NAMED
                    .into_iter()
                    .find(|r| r.label().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let shown: String = wanted.chars().take(20).collect();
                        format!("Unknown range “{shown}”: choose one of the listed ranges.")
                    })
            };
        match resolved {
            Ok(r) => (r, None),
            Err(why) => {
                let msg = format!(
                    "{why} Showing the default range instead ({}).",
                    default.label()
                );
                (default, Some(msg))
            }
        }
    }

    /// Sort key and whether it is descending; `default` when the key is not in `keys`.
    pub(crate) fn sort<'k>(&self, keys: &[&'k str], default: &'k str) -> (&'k str, bool) {
        let key = keys
            .iter()
            .copied()
            .find(|k| *k == self.sort.trim())
            .unwrap_or(default);
        let desc = match self.dir.trim() {
            "asc" => false,
            "desc" => true,
            _ => key != "asset" && key != "name",
        };
        (key, desc)
    }

    /// The query string for `range` keeping the other parameters (`?range=…&…`).
    pub(crate) fn with_range(&self, range: Range) -> String {
        let mut q = format!("?range={}", range.label());
        if let Range::Custom { start, end } = range {
            q.push_str(&format!("&from={start}&to={end}"));
        }
        for (k, v) in [
            ("sort", &self.sort),
            ("dir", &self.dir),
            ("benchmark", &self.benchmark),
        ] {
            if !v.trim().is_empty() {
                q.push_str(&format!("&{k}={}", urlencode(v.trim())));
            }
        }
        q
    }

    /// A sort link for `key` under `range`: toggles the direction when already sorted by it.
    pub(crate) fn sort_href(&self, range: Range, key: &str, current: (&str, bool)) -> String {
        let dir = match current {
            (k, true) if k == key => "asc",
            (k, false) if k == key => "desc",
            _ if key == "asset" || key == "name" => "asc",
            _ => "desc",
        };
        let base = ViewQuery {
            sort: String::new(),
            dir: String::new(),
            ..self.clone()
        };
        format!("{}&sort={key}&dir={dir}", base.with_range(range))
    }

    /// The range selector for `path`, with `range` in effect.
    pub(crate) fn nav(&self, path: &str, range: Range, message: Option<String>) -> RangeNav {
        let links = Range::NAMED
            .into_iter()
            .map(|r| RangeLink {
                label: r.label(),
                href: format!("{path}{}", self.with_range(r)),
                current: r == range,
            })
            .collect();
        let (from, to) = match range {
            Range::Custom { start, end } => (start.to_string(), end.to_string()),
            _ => (self.from.trim().to_owned(), self.to.trim().to_owned()),
        };
        let keep = [
            ("sort", &self.sort),
            ("dir", &self.dir),
            ("benchmark", &self.benchmark),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
        let chosen =
            message.is_none() && !(self.range.trim().is_empty() && self.from.trim().is_empty());
        let elsewhere = match chosen {
            true => PAGES
                .into_iter()
                .filter(|(_, p)| *p != path)
                .map(|(l, p)| (l, format!("{p}{}", ViewQuery::default().with_range(range))))
                .collect(),
            false => Vec::new(),
        };
        RangeNav {
            elsewhere,
            path: path.to_owned(),
            links,
            label: range.label(),
            describe: match range {
                Range::Custom { start, end } => format!("{start} to {end}"),
                r => r.label().to_owned(),
            },
            from,
            to,
            keep,
            message: message.unwrap_or_default(),
        }
    }
}

/// A custom range from the typed dates: the start is required and not after `today`, an
/// empty end is `today`, a later end is clamped to `today`.
fn custom(from: &str, to: &str, today: Date) -> Result<Range, String> {
    let start = folio_core::parse_date(from).map_err(|e| format!("Start date: {e}."))?;
    let end = match to.is_empty() {
        true => today,
        false => folio_core::parse_date(to).map_err(|e| format!("End date: {e}."))?,
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

/// A ratio as a percentage, or an empty string for none.
pub(crate) fn opt_percent(r: Option<Decimal>) -> String {
    r.map(percent).unwrap_or_default()
}

/// XIRR as an annual percentage, or a dash (the reason goes in a title).
pub(crate) fn xirr_text(x: &Result<Xirr, EngineError>) -> (String, String) {
    match x {
        Ok(x) => (percent(x.annual), String::new()),
        Err(e) => ("—".into(), engine_error(e)),
    }
}

/// `num / den` as a ratio; `None` when `den` is zero or the quotient overflows.
pub(crate) fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        return None;
    }
    num.checked_div(den)
}

#[cfg(test)]
#[path = "range_nav_tests.rs"]
mod tests;
