//! ISO 4217 currency codes plus the minor-unit quote aliases exchanges use.

use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// Active ISO 4217 codes (and XAU/XAG for metals held as currency). Kept sorted for
/// binary search.
const ISO_CODES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR",
    "ZMW", "ZWG",
];

/// Minor-unit quote currencies: (alias, major currency). A price quoted in the alias is
/// 1/100 of the same price in the major currency. These are fixed aliases, not FX pairs.
const MINOR_UNITS: &[(&str, &str)] = &[
    ("GBp", "GBP"),
    ("GBX", "GBP"),
    ("ILA", "ILS"),
    ("ZAc", "ZAR"),
];

/// A currency code: an active ISO 4217 code such as `EUR`, or a minor-unit alias such as
/// `GBp` (pence) whose values are hundredths of the major currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(String);

impl CurrencyCode {
    /// Parses a code. ISO codes are accepted in any case; minor-unit aliases keep their
    /// exact spelling (`GBp` is pence, `GBP` is pounds), except that `GBX`/`ILA` are upper.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let s = input.trim();
        if let Some((alias, _)) = MINOR_UNITS.iter().find(|(alias, _)| *alias == s) {
            return Ok(Self((*alias).to_owned()));
        }
        let upper = s.to_ascii_uppercase();
        if ISO_CODES.binary_search(&upper.as_str()).is_ok() {
            return Ok(Self(upper));
        }
        if let Some((alias, _)) = MINOR_UNITS
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(s))
        {
            return Ok(Self((*alias).to_owned()));
        }
        if s.is_empty() {
            return Err(InvalidValue(
                "a currency is required, e.g. USD or EUR".into(),
            ));
        }
        Err(InvalidValue(
            "unknown currency code; use a three-letter ISO 4217 code such as USD, EUR or GBP (or GBp for pence)".into(),
        ))
    }

    /// A code written in this crate's source and known to be valid (demo data), so no
    /// parse error path is needed; tests check every such code parses.
    pub(crate) fn known(code: &'static str) -> Self {
        Self(code.to_owned())
    }

    /// The code as written, e.g. `EUR` or `GBp`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For a minor-unit alias, the major currency and the divisor (100); for an ISO code,
    /// itself and 1.
    pub fn major(&self) -> (CurrencyCode, u32) {
        match MINOR_UNITS.iter().find(|(alias, _)| *alias == self.0) {
            Some((_, major)) => (Self((*major).to_owned()), 100),
            None => (self.clone(), 1),
        }
    }

    /// Whether this is a minor-unit alias such as `GBp`.
    pub fn is_minor_unit(&self) -> bool {
        MINOR_UNITS.iter().any(|(alias, _)| *alias == self.0)
    }
}

impl std::fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CurrencyCode> for String {
    fn from(value: CurrencyCode) -> Self {
        value.0
    }
}

impl std::str::FromStr for CurrencyCode {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_list_is_sorted_so_binary_search_is_valid() {
        assert!(ISO_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn iso_codes_are_accepted_in_any_case() {
        assert_eq!(CurrencyCode::parse(" eur ").unwrap().as_str(), "EUR");
        assert_eq!(CurrencyCode::parse("usd").unwrap().as_str(), "USD");
    }

    #[test]
    fn pence_and_pounds_are_different_codes() {
        let pence = CurrencyCode::parse("GBp").unwrap();
        let pounds = CurrencyCode::parse("GBP").unwrap();
        assert_ne!(pence, pounds);
        assert_eq!(pence.major(), (pounds.clone(), 100));
        assert_eq!(pounds.major(), (pounds, 1));
        assert_eq!(CurrencyCode::parse("gbx").unwrap().as_str(), "GBX");
    }

    #[test]
    fn unknown_and_empty_codes_are_refused() {
        assert!(CurrencyCode::parse("XYZ").is_err());
        assert!(CurrencyCode::parse("").is_err());
        assert!(CurrencyCode::parse("EURO").is_err());
        assert!(CurrencyCode::parse("<b>").is_err());
    }
}
