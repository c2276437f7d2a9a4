//! Reading numbers and dates the way brokers write them, exactly (no `f64`), and refusing
//! what cannot be read without guessing.

use rust_decimal::Decimal;
use time::{Date, Month};

use super::options::{DateFormat, NumberFormat};

/// Largest integer part Folio stores: values stay below 10^18 (see `domain::decimal`).
const MAX_INTEGER_DIGITS: usize = 18;
/// Most fraction digits rust_decimal can hold; anything longer is refused outright.
const MAX_PARSE_SCALE: usize = 28;

/// Currency signs stripped from around a number.
const CURRENCY_SIGNS: &[char] = &['$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '₿', '¢', '₫'];

/// Parses a number written with `fmt`'s separators; currency signs or a three-letter code
/// around it, spaces, a leading `+` and parentheses for negatives are understood.
pub(crate) fn parse_number(raw: &str, fmt: NumberFormat) -> Result<Decimal, String> {
    let mut s = raw.trim();
    if s.is_empty() {
        return Err("a number is required".into());
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    let cleaned: String = strip_currency(s)
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let (sign_negative, body) = split_sign(&cleaned);
    let body = strip_currency(body);
    let (sign_negative, body) = match split_sign(body) {
        (true, rest) if !sign_negative => (true, rest),
        _ => (sign_negative, body),
    };
    let plain = normalise_separators(body, fmt).ok_or_else(|| {
        format!(
            "{raw:?} is not a number in this file's format ({})",
            describe(fmt)
        )
    })?;
    let value = plain_decimal(&plain).ok_or_else(|| not_a_number(raw))??;
    Ok(if negative ^ sign_negative {
        -value
    } else {
        value
    })
}

fn not_a_number(raw: &str) -> String {
    format!("{raw:?} is not a number")
}

fn describe(fmt: NumberFormat) -> String {
    match fmt.thousands {
        Some(t) => format!(
            "decimal separator '{}', thousands separator '{t}'",
            fmt.decimal
        ),
        None => format!(
            "decimal separator '{}', no thousands separator",
            fmt.decimal
        ),
    }
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

fn strip_currency(s: &str) -> &str {
    let s = s.trim_matches(|c: char| CURRENCY_SIGNS.contains(&c) || c.is_whitespace());
    let is_code = |t: &str| t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic());
    let s = match s.get(..3) {
        Some(p) if is_code(p) && s.len() > 3 => s[3..].trim_start(),
        _ => s,
    };
    match s
        .len()
        .checked_sub(3)
        .and_then(|i| s.get(i..).map(|t| (i, t)))
    {
        Some((i, t)) if is_code(t) && i > 0 => s[..i].trim_end(),
        _ => s,
    }
}

/// Removes thousands separators (checking they group by three) and turns the decimal
/// separator into `.`. `None` when the text does not follow the format.
fn normalise_separators(body: &str, fmt: NumberFormat) -> Option<String> {
    let (int_part, frac_part) = match body.split_once(fmt.decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let int_digits = match fmt.thousands {
        Some(t) if int_part.contains(t) => {
            let groups: Vec<&str> = int_part.split(t).collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
                return None;
            }
            groups.concat()
        }
        _ => int_part.to_owned(),
    };
    let ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !ok(&int_digits) || !frac_part.is_none_or(ok) {
        return None;
    }
    Some(match frac_part {
        Some(f) => format!("{int_digits}.{f}"),
        None => int_digits,
    })
}

/// `digits[.digits]` to a decimal, refusing sizes Folio cannot store.
fn plain_decimal(plain: &str) -> Option<Result<Decimal, String>> {
    let (int_part, frac_part) = plain.split_once('.').unwrap_or((plain, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if int_part.trim_start_matches('0').len() > MAX_INTEGER_DIGITS {
        return Some(Err(format!(
            "{plain} is too large (Folio stores values below 10^18)"
        )));
    }
    let frac = frac_part.trim_end_matches('0');
    if frac.len() > MAX_PARSE_SCALE {
        return Some(Err(format!(
            "{plain} has {} decimal places; Folio stores at most 10",
            frac.len()
        )));
    }
    let text = if frac.is_empty() {
        int_part.to_owned()
    } else {
        format!("{int_part}.{frac}")
    };
    let text = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text
    };
    Some(
        text.parse::<Decimal>()
            .map_err(|_| format!("{plain} is not a number")),
    )
}

/// Checks that `value` fits a column with `max_scale` fraction digits, naming the field.
pub(crate) fn check_scale(value: Decimal, max_scale: u32, what: &str) -> Result<Decimal, String> {
    let value = value.normalize();
    if value.scale() > max_scale {
        return Err(format!(
            "{value} has {} decimal places; Folio stores at most {max_scale} for {what} — \
             round it in the file (nothing is rounded silently)",
            value.scale()
        ));
    }
    Ok(value)
}

/// Parses a date. ISO forms (`2024-03-04`, `2024/03/04`, `2024.03.04`, `20240304`, with an
/// optional time part) are always accepted; `DD/MM/YYYY`-like forms follow `format`.
pub(crate) fn parse_date(raw: &str, format: DateFormat) -> Result<Date, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("a date is required".into());
    }
    let token = date_token(s);
    let date = match year_first(token) {
        Some(r) => r,
        None => day_month(token, format, raw)?,
    }
    .map_err(|()| format!("{raw:?} is not a valid date"))?;
    if !(1900..=2100).contains(&date.year()) {
        return Err(format!("{raw:?}: dates must be between 1900 and 2100"));
    }
    Ok(date)
}

/// The date part of a date-time: up to a `T` after an ISO date, or the first space.
fn date_token(s: &str) -> &str {
    let s = s.split_whitespace().next().unwrap_or(s);
    match s.find('T') {
        Some(i) if i >= 8 => &s[..i],
        _ => s,
    }
}

fn numbers(token: &str) -> Option<Vec<&str>> {
    let sep = token.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = token.split(sep).collect();
    let digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (parts.len() == 3 && digits).then_some(parts)
}

fn ymd(y: &str, m: &str, d: &str) -> Result<Date, ()> {
    let (y, m, d): (i32, u8, u8) = (
        y.parse().map_err(drop)?,
        m.parse().map_err(drop)?,
        d.parse().map_err(drop)?,
    );
    let month = Month::try_from(m).map_err(drop)?;
    Date::from_calendar_date(y, month, d).map_err(drop)
}

fn year_first(token: &str) -> Option<Result<Date, ()>> {
    if token.len() == 8 && token.bytes().all(|b| b.is_ascii_digit()) {
        return Some(ymd(&token[..4], &token[4..6], &token[6..]));
    }
    let parts = numbers(token)?;
    (parts[0].len() == 4).then(|| ymd(parts[0], parts[1], parts[2]))
}

fn day_month(token: &str, format: DateFormat, raw: &str) -> Result<Result<Date, ()>, String> {
    let Some(parts) = numbers(token) else {
        return Ok(Err(()));
    };
    let year = match parts[2].len() {
        4 => parts[2].to_owned(),
        2 => format!("20{}", parts[2]),
        _ => return Ok(Err(())),
    };
    let day_first = ymd(&year, parts[1], parts[0]);
    let month_first = ymd(&year, parts[0], parts[1]);
    Ok(match format {
        DateFormat::DayFirst => day_first,
        DateFormat::MonthFirst => month_first,
        DateFormat::Iso => {
            return Err(format!(
                "{raw:?} is not an ISO date; write YYYY-MM-DD or choose a date format"
            ));
        }
        DateFormat::Auto => match (day_first, month_first) {
            (Ok(a), Ok(b)) if a != b => {
                return Err(format!(
                    "{raw:?} is ambiguous: it could be {a} (day first) or {b} (month first); \
                     choose the file's date format"
                ));
            }
            (Ok(a), _) => Ok(a),
            (_, b) => b,
        },
    })
}

#[cfg(test)]
#[path = "values_tests.rs"]
mod tests;
