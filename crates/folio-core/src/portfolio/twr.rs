//! Time-weighted return: daily sub-period returns chain-linked, so the size and timing of
//! deposits and withdrawals do not move the result.
//!
//! Day `d`: `r = (V_d + O_d) / (V_{d-1} + I_d) − 1`, inflows `I` at the start of the day,
//! outflows `O` at the end. A day whose start value plus inflow is zero (or negative,
//! e.g. an overdraft) contributes 0; a day never loses more than 100%.

use rust_decimal::Decimal;

use super::checked::{Checked, Overflow};
use super::valuation::DailyPoint;

/// The chained factor `Π (1 + r_d)` over `days`, starting from `start_value`. A tiny
/// start value followed by a huge one can take it out of range: that is an [`Overflow`].
pub(crate) fn twr_factor(start_value: Decimal, days: &[DailyPoint]) -> Result<Decimal, Overflow> {
    let mut factor = Decimal::ONE;
    let mut prev = start_value;
    for p in days {
        factor = factor.times(day_factor(prev, p)?)?;
        prev = p.value;
    }
    Ok(factor)
}

/// `1 + r` of one day.
pub(crate) fn day_factor(prev: Decimal, p: &DailyPoint) -> Result<Decimal, Overflow> {
    let start = prev.plus(p.inflow)?;
    if start <= Decimal::ZERO {
        return Ok(Decimal::ONE);
    }
    if p.inflow.is_zero() && p.outflow.is_zero() && p.value == prev {
        return Ok(Decimal::ONE);
    }
    Ok(p.value.plus(p.outflow)?.div_by(start)?.max(Decimal::ZERO))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn day(value: i64, inflow: i64, outflow: i64) -> DailyPoint {
        DailyPoint {
            value: value.into(),
            inflow: inflow.into(),
            outflow: outflow.into(),
            ..DailyPoint::default()
        }
    }

    #[test]
    fn two_sub_periods_chain_link_as_in_the_cfa_textbook_example() {
        // CFA-style: 100 grows to 110, then 50 is added and 160 grows to 176.
        let days = [day(110, 0, 0), day(176, 50, 0)];
        let f = twr_factor(Decimal::from(100), &days).unwrap();
        assert_eq!(f - Decimal::ONE, "0.21".parse::<Decimal>().unwrap());
    }

    #[test]
    fn a_day_starting_at_zero_without_inflow_contributes_nothing() {
        assert_eq!(
            twr_factor(Decimal::ZERO, &[day(0, 0, 0), day(0, 0, 0)]),
            Ok(Decimal::ONE)
        );
    }

    #[test]
    fn an_outflow_larger_than_the_value_cannot_lose_more_than_everything() {
        let f = twr_factor(Decimal::from(100), &[day(-500, 0, 0)]);
        assert_eq!(f, Ok(Decimal::ZERO));
    }
}
