//! The paste box for dated values (`date,close` prices, `date,rate` FX rates): parsed
//! line by line, every bad line reported with its number and reason, and nothing saved
//! unless every line is good.
//!
//! Format: one `YYYY-MM-DD,value` per line, a decimal point, no thousands separators.
//! Blank lines are skipped, and so is a header as the first line (`date,close`: any
//! first line whose first field starts with a letter). A date given twice is refused
//! rather than one of them silently winning.

use std::collections::BTreeMap;

use folio_core::{DecimalError, Price, parse_date};
use rust_decimal::Decimal;
use time::Date;

/// At most this many refused lines are listed (the rest are counted).
const MAX_REPORTED: usize = 50;
/// A field shown in a message is cut to this many characters.
const MAX_SHOWN: usize = 30;

/// Why one line (or, with `line == 0`, the whole paste) was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineError {
    /// 1-based line number in the pasted text; 0 for the paste as a whole.
    pub line: usize,
    /// What is wrong, written for the person who pasted it.
    pub reason: String,
}

impl LineError {
    fn new(line: usize, reason: impl Into<String>) -> Self {
        Self {
            line,
            reason: reason.into(),
        }
    }
}

/// The paste box as a page shows it: where it posts, what the value is called, and the
/// user's text with its refused lines after a failed attempt (`templates/_paste.html`).
#[derive(Debug, Clone, Default)]
pub(crate) struct PasteBox {
    /// The form's action.
    pub action: String,
    /// "close" or "rate", as in `date,close`.
    pub value: &'static str,
    /// The text as the user left it.
    pub text: String,
    /// Why it was refused; empty when nothing was tried.
    pub errors: Vec<LineError>,
}

/// A user's field, cut and quoted for a message.
fn shown(field: &str) -> String {
    let cut: String = field.chars().take(MAX_SHOWN).collect();
    if cut.len() < field.len() {
        format!("\"{cut}…\"")
    } else {
        format!("\"{cut}\"")
    }
}

/// Parses one line into a date and a value greater than zero.
fn parse_line(text: &str, value_name: &str) -> Result<(Date, Decimal), String> {
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    let [date, value] = fields[..] else {
        return Err(if fields.len() > 2 {
            format!(
                "expected 2 values separated by a comma, found {}; write numbers without thousands separators (1234.50)",
                fields.len()
            )
        } else {
            format!("expected date,{value_name} (e.g. 2024-01-31,123.45)")
        });
    };
    let date = parse_date(date).map_err(|e| {
        if no_such_day(date) {
            format!("date {}: there is no such day", shown(date))
        } else {
            format!("date {}: {e}", shown(date))
        }
    })?;
    let value = positive(value).map_err(|e| format!("{value_name} {}: {e}", shown(value)))?;
    Ok((date, value))
}

/// Whether `s` is written as `YYYY-MM-DD` but names no calendar day (`2024-02-30`), so
/// the message can say that instead of asking for the format it already has.
fn no_such_day(s: &str) -> bool {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    let part = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u8>().ok());
    let (Some(month), Some(day)) = (part(5..7), part(8..10)) else {
        return false;
    };
    let year = s.get(0..4).and_then(|p| p.parse::<i32>().ok()).unwrap_or(0);
    shaped
        && time::Month::try_from(month)
            .and_then(|m| Date::from_calendar_date(year, m, day))
            .is_err()
}

/// A price or rate as typed: a plain decimal greater than zero, within the stored
/// limits (10 fraction digits, below 10^18). Zero is refused: a price of 0 is almost
/// always a typo, and a rate of 0 cannot be inverted.
pub(crate) fn positive(input: &str) -> Result<Decimal, DecimalError> {
    let value = Price::parse(input)?.get();
    if value.is_zero() {
        return Err(DecimalError::NotPositive);
    }
    Ok(value)
}

/// Parses the whole paste: every line's value, oldest first, or every refused line.
pub(crate) fn parse_series(
    text: &str,
    value_name: &str,
) -> Result<Vec<(Date, Decimal)>, Vec<LineError>> {
    let mut seen: BTreeMap<Date, (usize, Decimal)> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut first = true;
    for (i, raw) in text.lines().enumerate() {
        let (number, line) = (i + 1, raw.trim());
        if line.is_empty() {
            continue;
        }
        let is_header = first
            && line
                .split(',')
                .next()
                .is_some_and(|f| f.trim().starts_with(|c: char| c.is_ascii_alphabetic()));
        first = false;
        if is_header {
            continue;
        }
        match parse_line(line, value_name) {
            Ok((date, value)) => match seen.get(&date) {
                Some((earlier, _)) => errors.push(LineError::new(
                    number,
                    format!("date {date} is already on line {earlier}"),
                )),
                None => {
                    seen.insert(date, (number, value));
                }
            },
            Err(reason) => errors.push(LineError::new(number, reason)),
        }
    }
    if errors.len() > MAX_REPORTED {
        let more = errors.len() - MAX_REPORTED;
        errors.truncate(MAX_REPORTED);
        errors.push(LineError::new(0, format!("and {more} more lines refused")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if seen.is_empty() {
        return Err(vec![LineError::new(
            0,
            format!("nothing to save: paste one date,{value_name} per line"),
        )]);
    }
    Ok(seen.into_iter().map(|(d, (_, v))| (d, v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use time::macros::date;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn good_lines_parse_with_header_blanks_and_windows_line_ends() {
        let text = "Date,Close\r\n\r\n2024-01-31, 101.5\r\n  2024-01-02,100\n\n";
        assert_eq!(
            parse_series(text, "close").unwrap(),
            vec![
                (date!(2024 - 01 - 02), dec("100")),
                (date!(2024 - 01 - 31), dec("101.5"))
            ],
            "sorted by date, exact decimals"
        );
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number_and_reason() {
        let text = "date,close\n2024-01-02,100\n2024-02-30,1\n2024-01-03,-5\n2024-01-04,0\n\
                    2024-01-05,1,234.50\n2024-01-06\n2024-01-02,99\n31/01/2024,1\n2024-01-07,1e3\n\
                    2024-01-08,1234567890123456789\n2024-01-09,1,5";
        let errors = parse_series(text, "close").unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let reason = |line: usize| {
            errors
                .iter()
                .find(|e| e.line == line)
                .map(|e| e.reason.clone())
                .unwrap()
        };
        assert!(reason(3).contains("\"2024-02-30\"") && reason(3).contains("no such day"));
        assert!(reason(4).contains("must not be negative"), "{}", reason(4));
        assert!(reason(5).contains("greater than zero"));
        assert!(reason(6).contains("found 3"), "{}", reason(6));
        assert!(reason(7).contains("expected date,close"));
        assert!(reason(8).contains("already on line 2"));
        assert!(reason(9).contains("YYYY-MM-DD"));
        assert!(reason(10).contains("not a number"));
        assert!(reason(11).contains("too large"));
    }

    #[test]
    fn only_the_first_line_may_be_a_header() {
        let errors = parse_series("2024-01-02,1\nrate,x", "rate").unwrap_err();
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn an_empty_paste_or_a_header_alone_is_refused() {
        for text in ["", "\n \n", "date,rate\n"] {
            let errors = parse_series(text, "rate").unwrap_err();
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].line, 0);
        }
    }

    #[test]
    fn long_fields_are_cut_and_many_errors_are_counted() {
        let long = format!("{},1", "9".repeat(500));
        let reason = &parse_series(&long, "close").unwrap_err()[0].reason;
        assert!(reason.len() < 120, "{reason}");
        let text = "x\n".repeat(120);
        let errors = parse_series(&format!("2024-01-01,1\n{text}"), "close").unwrap_err();
        assert_eq!(errors.len(), MAX_REPORTED + 1);
        assert_eq!(errors[MAX_REPORTED].reason, "and 70 more lines refused");
    }
}
