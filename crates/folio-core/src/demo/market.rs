//! Synthetic market data: a weekday calendar and random walks in exact decimals.
//!
//! A series is a linear trend times a mean-reverting noise factor (a discrete
//! Ornstein–Uhlenbeck process): it wiggles like a market day to day but cannot wander
//! off, so every seed gives a believable history that ends near its planned level. One
//! market-wide fall and recovery (a [`crash`]) hits every risky asset at the same time.

use rust_decimal::Decimal;
use time::{Date, Duration, Weekday};

use super::rng::SplitMix64;

/// How one synthetic series moves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk {
    /// Level on the first day.
    pub start: Decimal,
    /// Trend growth over the whole history: 0.75 ends the trend 75% above `start`.
    pub growth: Decimal,
    /// Daily noise (standard deviation of the factor's step), e.g. 0.012.
    pub sigma: Decimal,
    /// Daily pull of the factor back to 1, e.g. 0.005.
    pub theta: Decimal,
    /// Lowest and highest factor allowed (a floor and a ceiling around the trend).
    pub band: (Decimal, Decimal),
    /// Fraction digits of the published values (2 for prices, 4 for FX rates).
    pub dp: u32,
    /// How strongly the market-wide [`crash`] hits it (1 = fully, 0 = not at all).
    pub beta: Decimal,
}

/// Depth of the market-wide fall at its trough (as deep as in 2020 or 2022).
const CRASH_DEPTH: (i64, u32) = (30, 2);

/// The market-wide fall on day `i` of `n`: nothing, then over five weeks down to
/// [`CRASH_DEPTH`] starting 55% into the history, and back over the next half year.
pub(crate) fn crash(i: usize, n: usize) -> Decimal {
    let (start, fall, recover) = (n * 55 / 100, 25, 130);
    let depth = Decimal::new(CRASH_DEPTH.0, CRASH_DEPTH.1);
    let part = |num: usize, den: usize| Decimal::from(num) / Decimal::from(den);
    match i.checked_sub(start) {
        Some(d) if d < fall => depth * part(d, fall),
        Some(d) if d < fall + recover => depth * (Decimal::ONE - part(d - fall, recover)),
        _ => Decimal::ZERO,
    }
}

/// `Decimal::new` shorthand for the constant tables: `dec(12, 3)` is 0.012.
pub(crate) fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

/// Every weekday from `from` to `to`, both included.
pub(crate) fn weekdays(from: Date, to: Date) -> Vec<Date> {
    let mut days = Vec::new();
    let mut d = from;
    while d <= to {
        if is_weekday(d) {
            days.push(d);
        }
        d = d.saturating_add(Duration::DAY);
    }
    days
}

/// Monday to Friday.
pub(crate) fn is_weekday(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// One value per day of `days`, following `walk`, drawn from `rng`.
pub(crate) fn series(rng: &mut SplitMix64, walk: &Walk, days: &[Date]) -> Vec<(Date, Decimal)> {
    let last = Decimal::from(days.len().saturating_sub(1).max(1));
    let mut factor = Decimal::ONE;
    let (lo, hi) = walk.band;
    days.iter()
        .enumerate()
        .map(|(i, &day)| {
            if i > 0 {
                let pull = walk.theta * (Decimal::ONE - factor);
                factor = (factor + pull + walk.sigma * rng.normalish())
                    .clamp(lo, hi)
                    .round_dp(8);
            }
            let trend = walk.start * (Decimal::ONE + walk.growth * Decimal::from(i) / last);
            let hit = (Decimal::ONE - walk.beta * crash(i, days.len())).max(dec(1, 1));
            (day, (trend * factor * hit).round_dp(walk.dp))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn walk() -> Walk {
        Walk {
            start: Decimal::from(100),
            growth: dec(50, 2),
            sigma: dec(12, 3),
            theta: dec(5, 3),
            band: (dec(6, 1), dec(14, 1)),
            dp: 2,
            beta: Decimal::ZERO,
        }
    }

    #[test]
    fn the_calendar_has_only_weekdays() {
        let days = weekdays(date!(2024 - 01 - 01), date!(2024 - 01 - 14));
        assert_eq!(days.len(), 10);
        assert!(days.iter().all(|d| is_weekday(*d)));
        assert_eq!(days.first(), Some(&date!(2024 - 01 - 01)));
        assert_eq!(days.last(), Some(&date!(2024 - 01 - 12)));
    }

    #[test]
    fn a_walk_starts_at_its_level_and_stays_inside_its_band_around_the_trend() {
        let days = weekdays(date!(2019 - 01 - 01), date!(2024 - 12 - 31));
        let points = series(&mut SplitMix64::new(3), &walk(), &days);
        assert_eq!(points.len(), days.len());
        assert_eq!(points[0].1, Decimal::from(100));
        let end = points.last().unwrap().1;
        // Trend ends at 150; the factor keeps the close within 60%..140% of it.
        assert!(
            end >= Decimal::from(90) && end <= Decimal::from(210),
            "{end}"
        );
        assert!(
            points
                .iter()
                .all(|(_, p)| p.scale() <= 2 && *p > Decimal::ZERO)
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_series_and_another_seed_a_different_one() {
        let days = weekdays(date!(2024 - 01 - 01), date!(2024 - 06 - 30));
        let a = series(&mut SplitMix64::new(9), &walk(), &days);
        let b = series(&mut SplitMix64::new(9), &walk(), &days);
        let c = series(&mut SplitMix64::new(10), &walk(), &days);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_crash_falls_to_its_depth_and_recovers() {
        let n = 1_000;
        assert_eq!(crash(549, n), Decimal::ZERO);
        assert_eq!(crash(550 + 25, n), dec(30, 2), "trough");
        assert!(crash(550 + 90, n) > Decimal::ZERO && crash(550 + 90, n) < dec(30, 2));
        assert_eq!(crash(550 + 155, n), Decimal::ZERO, "recovered");
    }

    #[test]
    fn dec_builds_the_decimal_it_names() {
        assert_eq!(dec(12, 3).to_string(), "0.012");
        assert_eq!(dec(-5, 1).to_string(), "-0.5");
        assert_eq!(dec(285_000, 0), Decimal::from(285_000));
    }
}
