//! Axis ticks: "nice" 1-2-5 steps for values (exact decimals, so a tick label is never
//! `0.30000000000000004`) and calendar steps (days, weeks, months, years) for dates.
//! Both take the room available and never return more ticks than fit.

use rust_decimal::Decimal;
use time::{Date, Duration, Month};

/// Value ticks and the axis domain they span (the domain starts and ends on a tick).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValueTicks {
    /// Lowest value of the axis.
    pub min: Decimal,
    /// Highest value of the axis.
    pub max: Decimal,
    /// Distance between ticks.
    pub step: Decimal,
    /// The ticks, ascending, from `min` to `max`.
    pub values: Vec<Decimal>,
}

/// At most `max_ticks` (≥ 2) ticks covering `[lo, hi]`, spaced 1, 2 or 5 × 10^k.
/// Equal bounds are widened so a flat line sits mid-chart; arithmetic that would
/// overflow (values near `Decimal::MAX`) falls back to the two bounds as ticks.
pub(crate) fn value_ticks(lo: Decimal, hi: Decimal, max_ticks: usize) -> ValueTicks {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let max_ticks = max_ticks.max(2);
    let fallback = ValueTicks {
        min: lo,
        max: hi,
        step: hi.checked_sub(lo).unwrap_or(Decimal::ONE),
        values: if lo == hi { vec![lo] } else { vec![lo, hi] },
    };
    widen(lo, hi)
        .and_then(|(lo, hi)| nice(lo, hi, max_ticks))
        .unwrap_or(fallback)
}

/// Gives a zero-height range some room: ±10% of the value, or ±1 around zero.
fn widen(lo: Decimal, hi: Decimal) -> Option<(Decimal, Decimal)> {
    if lo != hi {
        return Some((lo, hi));
    }
    let pad = match lo.abs().checked_div(Decimal::TEN)? {
        p if p.is_zero() => Decimal::ONE,
        p => p,
    };
    Some((lo.checked_sub(pad)?, hi.checked_add(pad)?))
}

fn nice(lo: Decimal, hi: Decimal, max_ticks: usize) -> Option<ValueTicks> {
    let intervals = Decimal::from(max_ticks.checked_sub(1)?);
    let raw = hi.checked_sub(lo)?.checked_div(intervals)?;
    let mut power = Decimal::ONE;
    // The largest power of ten ≤ raw (bounded: a Decimal has at most 28 digits each way).
    for _ in 0..30 {
        match power.checked_mul(Decimal::TEN) {
            Some(p) if p <= raw => power = p,
            _ => break,
        }
    }
    for _ in 0..30 {
        if power <= raw || power.scale() >= 20 {
            break;
        }
        power = power.checked_div(Decimal::TEN)?;
    }
    for _ in 0..12 {
        for m in [1, 2, 5] {
            let step = power.checked_mul(Decimal::from(m))?;
            let first = lo.checked_div(step)?.floor().checked_mul(step)?;
            let last = hi.checked_div(step)?.ceil().checked_mul(step)?;
            let count = last.checked_sub(first)?.checked_div(step)?;
            if count < Decimal::from(max_ticks) {
                return Some(ticks_between(first, last, step));
            }
        }
        power = power.checked_mul(Decimal::TEN)?;
    }
    None
}

fn ticks_between(first: Decimal, last: Decimal, step: Decimal) -> ValueTicks {
    let mut values = Vec::new();
    let mut v = first;
    while v <= last && values.len() < 64 {
        values.push(v.normalize());
        match v.checked_add(step) {
            Some(n) => v = n,
            None => break,
        }
    }
    ValueTicks {
        min: first,
        max: last,
        step,
        values,
    }
}

/// A calendar step between date ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateStep {
    /// Every n days from the first day.
    Days(u8),
    /// Every n weeks, on Mondays.
    Weeks(u8),
    /// The first of every n-th month (January-aligned).
    Months(u8),
    /// 1 January of every year divisible by n.
    Years(u16),
}

const STEPS: [DateStep; 17] = [
    DateStep::Days(1),
    DateStep::Days(2),
    DateStep::Weeks(1),
    DateStep::Weeks(2),
    DateStep::Months(1),
    DateStep::Months(2),
    DateStep::Months(3),
    DateStep::Months(6),
    DateStep::Years(1),
    DateStep::Years(2),
    DateStep::Years(5),
    DateStep::Years(10),
    DateStep::Years(20),
    DateStep::Years(50),
    DateStep::Years(100),
    DateStep::Years(500),
    DateStep::Years(1000),
];

/// Ticks for a date axis from `first` to `last`: the finest calendar step whose ticks
/// `fits` accepts (the caller checks that the labels do not overlap at its width).
pub(crate) fn date_ticks(
    first: Date,
    last: Date,
    fits: impl Fn(&[(Date, String)]) -> bool,
) -> Vec<(Date, String)> {
    for step in STEPS {
        let ticks = ticks_for(step, first, last);
        if ticks.len() <= 400 && fits(&ticks) {
            return ticks;
        }
    }
    Vec::new()
}

fn ticks_for(step: DateStep, first: Date, last: Date) -> Vec<(Date, String)> {
    let mut out = Vec::new();
    let mut d = match step {
        DateStep::Days(_) => Some(first),
        DateStep::Weeks(_) => {
            let to_monday = (7 - first.weekday().number_days_from_monday()) % 7;
            first.checked_add(Duration::days(i64::from(to_monday)))
        }
        DateStep::Months(n) => month_start(first, n),
        DateStep::Years(n) => year_start(first, n),
    };
    while let Some(day) = d.filter(|day| *day <= last) {
        // 400 ticks can never fit any chart; stop early on absurd spans.
        if out.len() > 400 {
            break;
        }
        out.push((day, label(step, day)));
        d = next(step, day);
    }
    out
}

fn label(step: DateStep, d: Date) -> String {
    let mon = &MONTHS[usize::from(u8::from(d.month())) - 1];
    match step {
        DateStep::Days(_) | DateStep::Weeks(_) => format!("{} {mon}", d.day()),
        DateStep::Months(_) if d.month() == Month::January => d.year().to_string(),
        DateStep::Months(_) => (*mon).to_owned(),
        DateStep::Years(_) => d.year().to_string(),
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The first tick of a month step on or after `d`.
fn month_start(d: Date, n: u8) -> Option<Date> {
    let mut m = if d.day() == 1 { Some(d) } else { next_month(d) };
    while let Some(day) = m {
        if (u8::from(day.month()) - 1) % n == 0 {
            return Some(day);
        }
        m = next_month(day);
    }
    None
}

fn year_start(d: Date, n: u16) -> Option<Date> {
    let n = i32::from(n);
    let mut year = d.year();
    if d.ordinal() != 1 {
        year = year.checked_add(1)?;
    }
    let rem = year.rem_euclid(n);
    if rem != 0 {
        year = year.checked_add(n - rem)?;
    }
    Date::from_calendar_date(year, Month::January, 1).ok()
}

fn next_month(d: Date) -> Option<Date> {
    let (y, m) = match d.month() {
        Month::December => (d.year().checked_add(1)?, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(y, m, 1).ok()
}

fn next(step: DateStep, d: Date) -> Option<Date> {
    match step {
        DateStep::Days(n) => d.checked_add(Duration::days(i64::from(n))),
        DateStep::Weeks(n) => d.checked_add(Duration::weeks(i64::from(n))),
        DateStep::Months(n) => (0..n).try_fold(d, |acc, _| next_month(acc)),
        DateStep::Years(n) => {
            let y = d.year().checked_add(i32::from(n))?;
            Date::from_calendar_date(y, Month::January, 1).ok()
        }
    }
}

#[cfg(test)]
#[path = "ticks_tests.rs"]
mod tests;
