//! Exact decimal amounts. `f64` never touches money: input text is parsed straight into
//! `rust_decimal::Decimal` with explicit limits on precision and size.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Why a decimal input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// Nothing was entered.
    #[error("a number is required")]
    Empty,
    /// Not a plain decimal number.
    #[error("not a number; use digits with an optional decimal point, e.g. 1234.56")]
    NotANumber,
    /// More decimal places than the field stores.
    #[error("too many decimal places (at most {0})")]
    TooPrecise(u32),
    /// Larger than the field stores.
    #[error("number is too large")]
    TooLarge,
    /// Negative where only zero or more makes sense.
    #[error("must not be negative")]
    Negative,
    /// Zero or negative where only a positive number makes sense.
    #[error("must be greater than zero")]
    NotPositive,
}

/// Largest magnitude any stored amount may have: 10^18, so every value (at most 10
/// fraction digits) fits the `DECIMAL(38, 10)` columns and rust_decimal exactly.
const MAX_INTEGER_DIGITS: usize = 18;

/// Parses user text into a decimal with at most `max_scale` fraction digits. Accepts an
/// optional sign, digits, one `.`, and `_`/`,`-free plain notation only: `1,5` and `1e3`
/// are refused rather than guessed.
pub fn parse_decimal(input: &str, max_scale: u32) -> Result<Decimal, DecimalError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DecimalError::Empty);
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !digits_ok(int_part)
        || !digits_ok(frac_part)
    {
        return Err(DecimalError::NotANumber);
    }
    if int_part.trim_start_matches('0').len() > MAX_INTEGER_DIGITS {
        return Err(DecimalError::TooLarge);
    }
    let frac_trimmed = frac_part.trim_end_matches('0');
    let scale =
        u32::try_from(frac_trimmed.len()).map_err(|_| DecimalError::TooPrecise(max_scale))?;
    if scale > max_scale {
        return Err(DecimalError::TooPrecise(max_scale));
    }
    let value: Decimal = s.parse().map_err(|_| DecimalError::NotANumber)?;
    Ok(value.normalize())
}

macro_rules! amount_type {
    ($(#[$doc:meta])* $name:ident, scale = $scale:expr, check = $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "Decimal", into = "Decimal")]
        pub struct $name(Decimal);

        impl $name {
            /// Fraction digits this type stores.
            pub const MAX_SCALE: u32 = $scale;

            /// Parses user text.
            pub fn parse(input: &str) -> Result<Self, DecimalError> {
                Self::new(parse_decimal(input, Self::MAX_SCALE)?)
            }

            /// Checks an existing decimal (from the database or JSON) against the limits.
            pub fn new(value: Decimal) -> Result<Self, DecimalError> {
                let value = value.normalize();
                if value.scale() > Self::MAX_SCALE {
                    return Err(DecimalError::TooPrecise(Self::MAX_SCALE));
                }
                if value.abs() >= Decimal::from(10_i64.pow(18)) {
                    return Err(DecimalError::TooLarge);
                }
                let check: fn(Decimal) -> Result<(), DecimalError> = $check;
                check(value)?;
                Ok(Self(value))
            }

            /// The exact value.
            pub const fn get(self) -> Decimal {
                self.0
            }
        }

        impl TryFrom<Decimal> for $name {
            type Error = DecimalError;
            fn try_from(value: Decimal) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for Decimal {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

amount_type!(
    /// A signed amount of money in some currency (fees, dividends, deposits, cash).
    Money, scale = 8, check = |_| Ok(())
);
amount_type!(
    /// A unit price or valuation: zero or more (a worthless holding has price 0).
    Price, scale = 10, check = |v| if v.is_sign_negative() && !v.is_zero() { Err(DecimalError::Negative) } else { Ok(()) }
);
amount_type!(
    /// A number of units (shares, coins) or a split ratio: strictly positive.
    Quantity, scale = 10, check = |v| if v <= Decimal::ZERO { Err(DecimalError::NotPositive) } else { Ok(()) }
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_decimals_parse_exactly() {
        assert_eq!(parse_decimal("0.1", 8).unwrap().to_string(), "0.1");
        assert_eq!(
            parse_decimal(" 1234.5600 ", 2).unwrap().to_string(),
            "1234.56"
        );
        assert_eq!(parse_decimal("-3", 0).unwrap().to_string(), "-3");
        assert_eq!(parse_decimal(".5", 2).unwrap().to_string(), "0.5");
    }

    #[test]
    fn ambiguous_or_malformed_numbers_are_refused() {
        for bad in [
            "1,5", "1e3", "abc", "1.2.3", "--1", "", " ", ".", "NaN", "inf", "0x10",
        ] {
            assert!(parse_decimal(bad, 8).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn precision_and_size_limits_are_enforced() {
        assert_eq!(parse_decimal("0.123", 2), Err(DecimalError::TooPrecise(2)));
        assert_eq!(
            parse_decimal("1234567890123456789", 2),
            Err(DecimalError::TooLarge)
        );
        assert!(parse_decimal("999999999999999999.99", 2).is_ok());
    }

    #[test]
    fn quantity_must_be_positive_and_price_non_negative() {
        assert_eq!(Quantity::parse("0"), Err(DecimalError::NotPositive));
        assert_eq!(Quantity::parse("-1"), Err(DecimalError::NotPositive));
        assert_eq!(Price::parse("-0.01"), Err(DecimalError::Negative));
        assert!(Price::parse("0").is_ok());
        assert!(Money::parse("-12.5").is_ok());
    }

    proptest! {
        #[test]
        fn any_in_range_decimal_round_trips_through_text(units in -10_i64.pow(15)..10_i64.pow(15), scale in 0_u32..=8) {
            let value = Decimal::new(units, scale);
            let parsed = parse_decimal(&value.to_string(), 8).unwrap();
            prop_assert_eq!(parsed, value);
        }
    }
}
