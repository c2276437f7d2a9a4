//! Return ranges (1D … MAX, custom) and how each maps to a base date and an end date.

use serde::Serialize;
use time::{Date, Duration, Month};

/// A period to measure a return over. Each resolves to a *base date* (the close the
/// return starts from) and an *end date*; the return covers the days after the base
/// date up to and including the end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Range {
    /// Since the previous day's close.
    OneDay,
    /// Since the close seven days earlier.
    OneWeek,
    /// Since the last day of the previous month.
    MonthToDate,
    /// Since 31 December of the previous year.
    YearToDate,
    /// Since the same date one year earlier (28 Feb for 29 Feb).
    OneYear,
    /// Since the same date three years earlier.
    ThreeYears,
    /// Since the same date five years earlier.
    FiveYears,
    /// Since before the first activity.
    Max,
    /// From the close before `start` to the close of `end`.
    Custom {
        /// First day measured.
        start: Date,
        /// Last day measured.
        end: Date,
    },
}

impl Range {
    /// Every named range, in display order.
    pub const NAMED: [Range; 8] = [
        Range::OneDay,
        Range::OneWeek,
        Range::MonthToDate,
        Range::YearToDate,
        Range::OneYear,
        Range::ThreeYears,
        Range::FiveYears,
        Range::Max,
    ];

    /// A short label for pages ("1D", "YTD", "custom").
    pub const fn label(self) -> &'static str {
        match self {
            Self::OneDay => "1D",
            Self::OneWeek => "1W",
            Self::MonthToDate => "MTD",
            Self::YearToDate => "YTD",
            Self::OneYear => "1Y",
            Self::ThreeYears => "3Y",
            Self::FiveYears => "5Y",
            Self::Max => "MAX",
            Self::Custom { .. } => "custom",
        }
    }

    /// (base date, end date) for a portfolio valued up to `last`. `first` is the
    /// scope's first day; a base before it is clamped to the day before it (value 0).
    pub fn resolve(self, first: Date, last: Date) -> (Date, Date) {
        let (base, end) = match self {
            Self::OneDay => (days_before(last, 1), last),
            Self::OneWeek => (days_before(last, 7), last),
            Self::MonthToDate => (days_before(last.replace_day(1).unwrap_or(last), 1), last),
            Self::YearToDate => (days_before(year_start(last.year()), 1), last),
            Self::OneYear => (years_back(last, 1), last),
            Self::ThreeYears => (years_back(last, 3), last),
            Self::FiveYears => (years_back(last, 5), last),
            Self::Max => (days_before(first, 1), last),
            Self::Custom { start, end } => (days_before(start, 1), end.min(last)),
        };
        let floor = days_before(first, 1);
        (base.max(floor), end)
    }
}

/// `date` minus `days`, stopping at the earliest representable date instead of panicking.
fn days_before(date: Date, days: i64) -> Date {
    date.saturating_sub(Duration::days(days))
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    // Julian day numbers lie within ±3.7 million, so the difference cannot overflow.
    i64::from(to.to_julian_day()).saturating_sub(i64::from(from.to_julian_day()))
}

fn year_start(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

fn years_back(date: Date, years: i32) -> Date {
    let year = date.year().saturating_sub(years);
    Date::from_calendar_date(year, date.month(), date.day())
        .or_else(|_| Date::from_calendar_date(year, date.month(), date.day().saturating_sub(1)))
        .unwrap_or(Date::MIN)
}
