//! Money-weighted return as XIRR: the annual rate `r` with
//! `Σ amount_i / (1 + r)^(days_i / 365) = 0`, days counted from the first flow (the
//! Excel XIRR convention).
//!
//! Amounts stay exact decimals; only the *rate* and the discount factors that depend on
//! it are `f64`, because finding a root needs fractional powers that `Decimal` lacks.
//! Newton's method runs first; if it fails, a sign change is bracketed on a grid and
//! bisected. No sign change means no rate exists, which is reported, never guessed.
// f64 here holds rates, times in years and discount factors, never amounts; the casts
// are bounded (see `factor_to_decimal`).
#![allow(
    clippy::disallowed_types,
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Serialize;
use time::Date;

use super::checked::Checked;
use super::error::EngineError;
use super::range::days_between;

/// An XIRR result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Xirr {
    /// Annualized rate (0.1 = 10% a year), rounded to 10 decimal places.
    pub annual: Decimal,
    /// The same rate over the span of the flows: `(1 + annual)^(days/365) − 1`.
    pub period: Decimal,
    /// Solver iterations used.
    pub iterations: u32,
}

/// Flows aggregated by date: (years from first flow as f64, exact amount).
struct Flows(Vec<(f64, Decimal)>);

impl Flows {
    /// NPV at `rate` and its derivative, both exact sums of exact amounts times factors;
    /// `None` when a factor or sum leaves `Decimal`'s range (rates near −100% over
    /// decades), which the solver treats as "cannot evaluate here".
    fn npv(&self, rate: f64) -> Option<(Decimal, Decimal)> {
        let (mut npv, mut d) = (Decimal::ZERO, Decimal::ZERO);
        for &(t, amount) in &self.0 {
            let factor = (1.0 + rate).powf(-t);
            let slope = -t * factor / (1.0 + rate);
            npv = npv.checked_add(amount.checked_mul(factor_to_decimal(factor)?)?)?;
            d = d.checked_add(amount.checked_mul(factor_to_decimal(slope)?)?)?;
        }
        Some((npv, d))
    }

    fn sign(&self, rate: f64) -> Option<i8> {
        let (npv, _) = self.npv(rate)?;
        Some(if npv.is_zero() {
            0
        } else if npv.is_sign_positive() {
            1
        } else {
            -1
        })
    }
}

/// A discount factor as a decimal with 15 significant digits (what an f64 carries).
/// Much faster than an exact binary-to-decimal conversion, which matters because NPV
/// is evaluated once per flow date per iteration. `None` outside `Decimal`'s range.
fn factor_to_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Decimal::ZERO);
    }
    let magnitude = f.abs().log10().floor() as i32;
    let scale = 15_i32.saturating_sub(magnitude).clamp(0, 28);
    let mantissa = (f * 10f64.powi(scale)).round();
    if mantissa.abs() >= 7.9e28 {
        return None;
    }
    Decimal::try_from_i128_with_scale(mantissa as i128, scale.unsigned_abs()).ok()
}

/// Solves XIRR for `(date, amount)` flows (negative = paid in by the investor).
pub fn xirr(flows: &[(Date, Decimal)]) -> Result<Xirr, EngineError> {
    let mut sorted: Vec<(Date, Decimal)> =
        flows.iter().copied().filter(|f| !f.1.is_zero()).collect();
    sorted.sort_by_key(|f| f.0);
    if !sorted.iter().any(|f| f.1.is_sign_positive())
        || !sorted.iter().any(|f| f.1.is_sign_negative())
    {
        return Err(EngineError::NoIrr(
            "it needs at least one payment in and one value or payment out",
        ));
    }
    let (first, last) = (sorted[0].0, sorted[sorted.len().saturating_sub(1)].0);
    let span = days_between(first, last);
    let mut agg: Vec<(f64, Decimal)> = Vec::new();
    for (d, a) in sorted {
        let t = days_between(first, d) as f64 / 365.0;
        match agg.last_mut() {
            Some(last) if last.0 == t => last.1.inc(a)?,
            _ => agg.push((t, a)),
        }
    }
    let flows = Flows(agg);
    let (rate, iterations) =
        newton(&flows)
            .or_else(|| bisect(&flows))
            .ok_or(EngineError::NoIrr(
                "the net present value never crosses zero for any rate above -100%",
            ))?;
    let period = (1.0 + rate).powf(span as f64 / 365.0) - 1.0;
    let round = |v: f64| {
        Decimal::from_f64(v)
            .map(|d| d.round_dp(10))
            .ok_or(EngineError::NoIrr("the rate is out of range"))
    };
    Ok(Xirr {
        annual: round(rate)?,
        period: round(period)?,
        iterations,
    })
}

fn newton(flows: &Flows) -> Option<(f64, u32)> {
    let mut rate = 0.1_f64;
    for i in 1..=50 {
        let (npv, d) = flows.npv(rate)?;
        if d.is_zero() {
            return None;
        }
        let step = npv.checked_div(d)?.to_f64()?;
        rate -= step;
        if !rate.is_finite() || rate <= -1.0 {
            return None;
        }
        if step.abs() < 1e-12 {
            return Some((rate, i));
        }
    }
    None
}

/// Brackets a sign change on a grid of trial rates (skipping rates where NPV cannot be
/// evaluated) and bisects it.
fn bisect(flows: &Flows) -> Option<(f64, u32)> {
    let grid = [
        -0.999999, -0.9999, -0.99, -0.9, -0.5, -0.2, 0.0, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0,
        1000.0,
    ];
    let signs: Vec<(f64, i8)> = grid
        .iter()
        .filter_map(|&r| flows.sign(r).map(|s| (r, s)))
        .collect();
    let pair = signs
        .windows(2)
        .find(|w| w[0].1.saturating_mul(w[1].1) <= 0)?;
    let (mut lo, mut hi, lo_sign) = (pair[0].0, pair[1].0, pair[0].1);
    for i in 1_u32..=200 {
        let mid = 0.5 * (lo + hi);
        let s = flows.sign(mid)?;
        if s == 0 || hi - lo < 1e-13 {
            return Some((mid, i.saturating_add(50)));
        }
        if s == lo_sign { lo = mid } else { hi = mid }
    }
    Some((0.5 * (lo + hi), 250))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn excel_documentation_example_gives_37_34_percent() {
        // Microsoft's XIRR help page example: expected 0.373362535.
        let flows = [
            (date!(2008 - 01 - 01), Decimal::from(-10_000)),
            (date!(2008 - 03 - 01), Decimal::from(2_750)),
            (date!(2008 - 10 - 30), Decimal::from(4_250)),
            (date!(2009 - 02 - 15), Decimal::from(3_250)),
            (date!(2009 - 04 - 01), Decimal::from(2_750)),
        ];
        let r = xirr(&flows).unwrap();
        let want: Decimal = "0.3733625335".parse().unwrap();
        assert!(
            (r.annual - want).abs() < "0.0000000001".parse().unwrap(),
            "{r:?}"
        );
    }

    #[test]
    fn flows_of_one_sign_have_no_rate_and_say_so() {
        let flows = [
            (date!(2020 - 01 - 01), Decimal::from(-5)),
            (date!(2021 - 01 - 01), Decimal::from(-5)),
        ];
        assert!(matches!(xirr(&flows), Err(EngineError::NoIrr(_))));
    }

    #[test]
    fn a_total_loss_is_found_by_bisection_near_minus_one_hundred_percent() {
        let flows = [
            (date!(2020 - 01 - 01), Decimal::from(-100)),
            (date!(2021 - 01 - 01), "0.01".parse().unwrap()),
        ];
        let r = xirr(&flows).unwrap();
        assert!(r.annual < "-0.999".parse().unwrap());
    }
}
