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

use crate::auth::session::urlencode;
use crate::format::percent;

/// The query string of the analysis pages.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
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
}

impl ViewQuery {
    /// The requested range, or `default` and the reason when it cannot be used.
    pub(crate) fn range(&self, default: Range) -> (Range, Option<String>) {
        let wanted = self.range.trim();
        if wanted.is_empty() {
            return (default, None);
        }
        if wanted.eq_ignore_ascii_case("custom") {
            return match self.custom() {
                Ok(r) => (r, None),
                Err(why) => (default, Some(format!("{why}; showing {}", default.label()))),
            };
        }
        match Range::NAMED
            .into_iter()
            .find(|r| r.label().eq_ignore_ascii_case(wanted))
        {
            Some(r) => (r, None),
            None => {
                let shown: String = wanted.chars().take(20).collect();
                let msg = format!("unknown range “{shown}”; showing {}", default.label());
                (default, Some(msg))
            }
        }
    }

    fn custom(&self) -> Result<Range, String> {
        let parse = |v: &str, what: &str| {
            folio_core::parse_date(v.trim())
                .map_err(|_| format!("the custom range needs a valid {what} date (YYYY-MM-DD)"))
        };
        let (start, end) = (parse(&self.from, "start")?, parse(&self.to, "end")?);
        if start > end {
            return Err("the custom range starts after it ends".into());
        }
        Ok(Range::Custom { start, end })
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
        RangeNav {
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

/// A ratio as a percentage, or an empty string for none.
pub(crate) fn opt_percent(r: Option<Decimal>) -> String {
    r.map(percent).unwrap_or_default()
}

/// XIRR as an annual percentage, or a dash (the reason goes in a title).
pub(crate) fn xirr_text(x: &Result<Xirr, EngineError>) -> (String, String) {
    match x {
        Ok(x) => (percent(x.annual), String::new()),
        Err(e) => ("—".into(), e.to_string()),
    }
}

/// `num / den` as a ratio; `None` when `den` is zero or the quotient overflows.
pub(crate) fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        return None;
    }
    num.checked_div(den)
}
