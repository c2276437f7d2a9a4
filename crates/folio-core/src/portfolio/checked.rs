//! Overflow-safe decimal arithmetic for the engine.
//!
//! `rust_decimal` holds 96-bit integers (|v| < 7.9 × 10^28) and its operators panic
//! beyond that. Inputs are bounded (|v| < 10^18 with at most 10 decimals, see
//! `domain/decimal.rs`), but a product of two inputs or a sum over many activities is
//! not: 10^17 units at a price of 10^17 is 10^34. So every engine computation on user
//! data goes through these methods, and an overflow, or a division by zero, becomes
//! [`EngineError::Overflow`] for the page to show instead of a panic (a 500).
//!
//! The methods return the zero-sized [`Overflow`] so that hot loops carry no large error
//! values; `?` turns it into an `EngineError`, and the caller that knows which activity
//! or day was being computed adds that context (`EngineError::in_activity`, `on_date`).

use rust_decimal::Decimal;

use super::error::EngineError;

/// A result left `Decimal`'s range, or a division by zero was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overflow;

impl From<Overflow> for EngineError {
    fn from(_: Overflow) -> Self {
        EngineError::Overflow {
            activity: None,
            date: None,
        }
    }
}

/// Checked `+ - * /` and `+= -=` on [`Decimal`], named so that formulas still read left
/// to right: `q.times(p)?.plus(fee)?`.
pub(crate) trait Checked: Sized {
    /// `self + rhs`.
    fn plus(self, rhs: Decimal) -> Result<Decimal, Overflow>;
    /// `self - rhs`.
    fn minus(self, rhs: Decimal) -> Result<Decimal, Overflow>;
    /// `self * rhs`.
    fn times(self, rhs: Decimal) -> Result<Decimal, Overflow>;
    /// `self / rhs`; dividing by zero is an error too.
    fn div_by(self, rhs: Decimal) -> Result<Decimal, Overflow>;
    /// `*self += rhs`.
    fn inc(&mut self, rhs: Decimal) -> Result<(), Overflow>;
    /// `*self -= rhs`.
    fn dec(&mut self, rhs: Decimal) -> Result<(), Overflow>;
}

impl Checked for Decimal {
    #[inline]
    fn plus(self, rhs: Decimal) -> Result<Decimal, Overflow> {
        self.checked_add(rhs).ok_or(Overflow)
    }

    #[inline]
    fn minus(self, rhs: Decimal) -> Result<Decimal, Overflow> {
        self.checked_sub(rhs).ok_or(Overflow)
    }

    #[inline]
    fn times(self, rhs: Decimal) -> Result<Decimal, Overflow> {
        self.checked_mul(rhs).ok_or(Overflow)
    }

    #[inline]
    fn div_by(self, rhs: Decimal) -> Result<Decimal, Overflow> {
        self.checked_div(rhs).ok_or(Overflow)
    }

    #[inline]
    fn inc(&mut self, rhs: Decimal) -> Result<(), Overflow> {
        *self = self.plus(rhs)?;
        Ok(())
    }

    #[inline]
    fn dec(&mut self, rhs: Decimal) -> Result<(), Overflow> {
        *self = self.minus(rhs)?;
        Ok(())
    }
}

/// The checked sum of `values`.
pub(crate) fn sum(values: impl IntoIterator<Item = Decimal>) -> Result<Decimal, Overflow> {
    values.into_iter().try_fold(Decimal::ZERO, Decimal::plus)
}

/// `total × part / whole`, for a proportional share of a cost. Multiplies first (exact
/// for the usual sizes); only when that product would overflow does it divide first,
/// which is then safe because `part ≤ whole` keeps the share at most `total`.
pub(crate) fn share(total: Decimal, part: Decimal, whole: Decimal) -> Result<Decimal, Overflow> {
    match total.times(part) {
        Ok(product) => product.div_by(whole),
        Err(Overflow) => total.times(part.div_by(whole)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_inside_the_range_are_exact() {
        let (a, b) = (Decimal::new(15, 1), Decimal::new(25, 2));
        assert_eq!(a.plus(b), Ok(Decimal::new(175, 2)));
        assert_eq!(a.minus(b), Ok(Decimal::new(125, 2)));
        assert_eq!(a.times(b), Ok(Decimal::new(375, 3)));
        assert_eq!(a.div_by(b), Ok(Decimal::from(6)));
    }

    #[test]
    fn overflow_and_division_by_zero_are_errors_not_panics() {
        let big = Decimal::from(10_i64.pow(17));
        assert_eq!(big.times(big), Err(Overflow));
        assert_eq!(Decimal::MAX.plus(Decimal::ONE), Err(Overflow));
        assert_eq!(Decimal::MIN.minus(Decimal::ONE), Err(Overflow));
        assert_eq!(Decimal::ONE.div_by(Decimal::ZERO), Err(Overflow));
        assert_eq!(sum([Decimal::MAX, Decimal::MAX]), Err(Overflow));
        let mut x = Decimal::MAX;
        assert_eq!(x.inc(Decimal::ONE), Err(Overflow));
        assert_eq!(x, Decimal::MAX);
    }

    #[test]
    fn a_share_too_large_to_multiply_first_divides_first() {
        let total = Decimal::from(10_i64.pow(17)) * Decimal::from(10_i64.pow(10));
        let part = Decimal::from(10_i64.pow(17) / 4);
        let whole = Decimal::from(10_i64.pow(17));
        assert_eq!(share(total, part, whole), Ok(total / Decimal::from(4)));
        assert_eq!(
            share(Decimal::from(300), Decimal::ONE, Decimal::from(3)),
            Ok(Decimal::ONE_HUNDRED)
        );
    }
}
