//! Display formatting: the only place numbers are rounded, and only for showing.
//!
//! Privacy mode lives here: while the signed-in user has it on
//! ([`crate::display::privacy_on`]), [`money`], [`signed_money`], [`price`] and [`units`]
//! print [`MASK`] instead of the number; [`percent`] is unaffected.

use folio_core::portfolio::EngineError;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::display::privacy_on;

/// What an amount is shown as in privacy mode.
pub(crate) const MASK: &str = "•••";

/// An engine error for a page. In privacy mode the quantities an error carries (units
/// wanted and held) are left out; the activity, date, account and asset stay, so the
/// user can still find what to fix.
pub(crate) fn engine_error(e: &EngineError) -> String {
    match e {
        EngineError::InsufficientQuantity {
            activity,
            date,
            account,
            asset,
            ..
        } if privacy_on() => format!(
            "activity {activity} on {date} sells or moves more units of asset {asset} than account {account} holds (switch privacy mode off to see the quantities)"
        ),
        e => e.to_string(),
    }
}

/// Money with two decimals and thousands separators, e.g. `-1,234.50` (the mask in
/// privacy mode).
pub(crate) fn money(d: Decimal) -> String {
    if privacy_on() {
        return MASK.into();
    }
    plain_money(d)
}

fn plain_money(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    let s = format!("{:.2}", r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}.{frac}")
}

/// Money with an explicit sign, for gains (the mask, without a sign, in privacy mode).
pub(crate) fn signed_money(d: Decimal) -> String {
    if privacy_on() {
        MASK.into()
    } else if d > Decimal::ZERO {
        format!("+{}", plain_money(d))
    } else {
        plain_money(d)
    }
}

/// A quantity or price exactly as stored, without trailing zeros. For form values and
/// messages; to show a price or a quantity on a page use [`price`] or [`units`].
pub(crate) fn exact(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A unit price or valuation as stored (the mask in privacy mode: the price of a
/// manually valued asset is the user's wealth).
pub(crate) fn price(d: Decimal) -> String {
    if privacy_on() { MASK.into() } else { exact(d) }
}

/// A number of units held or traded (the mask in privacy mode: units times a public
/// price give the amount away).
pub(crate) fn units(d: Decimal) -> String {
    price(d)
}

/// A ratio as a percentage with two decimals, e.g. `+12.34%`.
pub(crate) fn percent(ratio: Decimal) -> String {
    // A ratio too large to scale (a tiny cost, a huge gain) is shown as a dash, not a panic.
    let Some(scaled) = ratio.checked_mul(Decimal::ONE_HUNDRED) else {
        return "—".into();
    };
    let p = scaled.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    if p > Decimal::ZERO {
        format!("+{p:.2}%")
    } else {
        format!("{p:.2}%")
    }
}

/// A share of a whole (a weight) as a percentage without a plus sign, e.g. `12.34%`:
/// `percent` with its sign dropped, so privacy rules for percentages apply alike.
pub(crate) fn share(ratio: Decimal) -> String {
    let p = percent(ratio);
    p.strip_prefix('+').map_or(p.clone(), str::to_owned)
}

/// CSS class for a gain or loss.
pub(crate) fn tone(d: Decimal) -> &'static str {
    if d > Decimal::ZERO {
        "gain"
    } else if d < Decimal::ZERO {
        "loss"
    } else {
        ""
    }
}

/// A size in bytes for people: "16 MiB", "1.5 MiB", "64 KiB", "900 bytes" (a limit, not
/// an amount: never masked).
pub(crate) fn bytes(n: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    let scaled = |unit: usize, name: &str| {
        let tenths = n.saturating_mul(10) / unit;
        if tenths.is_multiple_of(10) {
            format!("{} {name}", tenths / 10)
        } else {
            format!("{}.{} {name}", tenths / 10, tenths % 10)
        }
    };
    if n >= MIB {
        scaled(MIB, "MiB")
    } else if n >= KIB {
        scaled(KIB, "KiB")
    } else {
        format!("{n} bytes")
    }
}

/// A count with thousands separators, e.g. `100,000` (a limit, never masked).
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn an_engine_error_names_no_quantities_in_privacy_mode() {
        use folio_core::{AccountId, ActivityId, AssetId};
        let e = EngineError::InsufficientQuantity {
            activity: ActivityId::new(7),
            date: time::macros::date!(2024 - 03 - 01),
            account: AccountId::new(2),
            asset: AssetId::new(3),
            wanted: Decimal::from(15),
            held: Decimal::from(10),
        };
        assert!(engine_error(&e).contains("15 units") && engine_error(&e).contains("only 10"));
        let mut view = crate::display::View::default();
        view.prefs.privacy_mode = true;
        let hidden = view.enter(|| engine_error(&e));
        assert!(!hidden.contains("15") && !hidden.contains("10"), "{hidden}");
        assert!(hidden.contains("activity 7 on 2024-03-01"), "{hidden}");
    }

    #[test]
    fn money_groups_thousands_and_rounds_half_even() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(money(d("1234567.125")), "1,234,567.12");
        assert_eq!(money(d("-1000")), "-1,000.00");
        assert_eq!(money(d("0.005")), "0.00");
        assert_eq!(money(d("999.999")), "1,000.00");
        assert_eq!(signed_money(d("5")), "+5.00");
        assert_eq!(percent(d("0.12345")), "+12.34%", "half-even");
        assert_eq!(percent(d("0.12355")), "+12.36%");
        assert_eq!(exact(d("1.5000")), "1.5");
        assert_eq!(share(d("0.25")), "25.00%", "a weight has no sign");
        assert_eq!(share(d("-0.01")), "-1.00%");
        assert_eq!(
            percent(Decimal::MAX),
            "—",
            "too large to scale is a dash, not a panic"
        );
    }

    #[test]
    fn privacy_mode_masks_amounts_prices_and_units_but_not_percentages() {
        use crate::display::View;
        use folio_db::models::DisplayPrefs;
        let d = |s| Decimal::from_str(s).unwrap();
        let hidden = View {
            prefs: DisplayPrefs {
                privacy_mode: true,
                ..DisplayPrefs::default()
            },
            back: "/".into(),
        };
        let shown = hidden.enter(|| {
            [
                money(d("1205")),
                signed_money(d("-204")),
                signed_money(d("204")),
                price(d("120.5")),
                units(d("10")),
                percent(d("0.2038")),
                exact(d("120.50")),
            ]
        });
        assert_eq!(
            shown,
            [MASK, MASK, MASK, MASK, MASK, "+20.38%", "120.5"].map(String::from)
        );
        assert_eq!(
            money(d("1205")),
            "1,205.00",
            "shown again outside the scope"
        );
        assert_eq!(signed_money(d("204")), "+204.00");
    }

    #[test]
    fn sizes_and_counts_read_like_people_write_them() {
        assert_eq!(bytes(16 * 1024 * 1024), "16 MiB");
        assert_eq!(bytes(1024 * 1024 + 512 * 1024), "1.5 MiB");
        assert_eq!(bytes(64 * 1024), "64 KiB");
        assert_eq!(bytes(900), "900 bytes");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
