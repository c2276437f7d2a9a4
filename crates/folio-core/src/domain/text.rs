//! Text-valued domain types: email, password, names, symbols, notes, dates.

use serde::{Deserialize, Serialize};
use time::Date;

/// Why a text input was refused; the message is shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TextError(pub &'static str);

fn has_control_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// A normalised (trimmed, lower-cased) email address used as the login name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Longest address accepted (RFC 5321 path limit).
    pub const MAX_LEN: usize = 254;

    /// Parses an address: one `@`, a non-empty local part, a dotted domain, no spaces.
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(TextError("an email address is required"));
        }
        if s.len() > Self::MAX_LEN {
            return Err(TextError("email address is too long"));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(TextError("not an email address (it needs an @)"));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty()
            || local.contains('@')
            || !domain_ok
            || s.chars().any(char::is_whitespace)
            || has_control_chars(&s)
        {
            return Err(TextError("not a valid email address"));
        }
        Ok(Self(s))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = TextError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the length policy. Never logged: `Debug` is redacted.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Shortest accepted password; length beats composition rules (NIST SP 800-63B).
    pub const MIN_CHARS: usize = 10;
    /// Longest accepted password; bounds the hashing work an attacker can ask for.
    pub const MAX_CHARS: usize = 256;

    /// Checks the policy. Leading/trailing spaces are kept: they are part of the secret.
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err(TextError("password must be at least 10 characters"));
        }
        if n > Self::MAX_CHARS {
            return Err(TextError("password must be at most 256 characters"));
        }
        Ok(Self(input.to_owned()))
    }

    /// The secret, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(**redacted**)")
    }
}

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, required = $required:expr, empty_msg = $empty:literal, long_msg = $long:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Longest accepted value, in characters.
            pub const MAX_CHARS: usize = $max;

            /// Trims and checks length and control characters. Any other unicode is
            /// accepted (pages escape it on output).
            pub fn parse(input: &str) -> Result<Self, TextError> {
                let s = input.trim();
                if $required && s.is_empty() {
                    return Err(TextError($empty));
                }
                if s.chars().count() > Self::MAX_CHARS {
                    return Err(TextError($long));
                }
                if has_control_chars(s) {
                    return Err(TextError("contains control characters"));
                }
                Ok(Self(s.to_owned()))
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

bounded_text!(
    /// A display name for an account or asset.
    Name, max = 100, required = true, empty_msg = "a name is required", long_msg = "name is too long (at most 100 characters)"
);
bounded_text!(
    /// A free-text note on an activity; may be empty.
    Note, max = 1000, required = false, empty_msg = "", long_msg = "note is too long (at most 1000 characters)"
);

impl Default for Note {
    /// The empty note (notes are optional).
    fn default() -> Self {
        Self(String::new())
    }
}

/// A ticker or identifier such as `AAPL`, `VWRL.L` or `BTC-USD`; stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Symbol(String);

impl Symbol {
    /// Longest accepted symbol.
    pub const MAX_CHARS: usize = 32;

    /// Letters, digits and `.-_:^=/` only, so symbols are safe in URLs and provider calls.
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let s = input.trim().to_uppercase();
        if s.is_empty() {
            return Err(TextError("a symbol is required"));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(TextError("symbol is too long (at most 32 characters)"));
        }
        if !s
            .chars()
            .all(|c| c.is_alphanumeric() || ".-_:^=/".contains(c))
        {
            return Err(TextError(
                "symbol may contain only letters, digits and . - _ : ^ = /",
            ));
        }
        Ok(Self(s))
    }

    /// The symbol.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Symbol {
    type Error = TextError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Symbol> for String {
    fn from(value: Symbol) -> Self {
        value.0
    }
}

impl std::fmt::Display for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an ISO `YYYY-MM-DD` date within the range Folio stores (1900–2100).
pub fn parse_date(input: &str) -> Result<Date, TextError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(TextError("a date is required"));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date =
        Date::parse(s, &format).map_err(|_| TextError("not a valid date; use YYYY-MM-DD"))?;
    if !(1900..=2100).contains(&date.year()) {
        return Err(TextError("date must be between 1900 and 2100"));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.com",
            "ann@x",
            "a b@x.com",
            "ann@x..com",
            "ann@@x.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@x.com", "a".repeat(260))).is_err());
    }

    #[test]
    fn password_policy_counts_characters_and_redacts_debug() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("ääääääääää").is_ok());
        assert!(Password::parse(&"x".repeat(257)).is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn names_accept_unicode_and_html_but_not_control_chars() {
        assert_eq!(
            Name::parse(" <b>Dépôt</b> 💶 ").unwrap().as_str(),
            "<b>Dépôt</b> 💶"
        );
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse("a\u{0}b").is_err());
        assert!(Name::parse(&"n".repeat(101)).is_err());
        assert_eq!(Note::parse("").unwrap().as_str(), "");
    }

    #[test]
    fn symbols_are_upper_cased_and_restricted() {
        assert_eq!(Symbol::parse("vwrl.l").unwrap().as_str(), "VWRL.L");
        assert!(Symbol::parse("A B").is_err());
        assert!(Symbol::parse("<script>").is_err());
    }

    #[test]
    fn dates_must_be_iso_and_in_range() {
        assert!(parse_date("2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "24-01-01",
            "2024/01/01",
            "1899-12-31",
            "2101-01-01",
            "",
            "tomorrow",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
    }
}
