//! The demo's six years, month by month: saving plans, occasional stock picks, income,
//! fees, a withdrawal, a stock split, a move to a cheaper broker, crypto and a flat.
//!
//! Month `m` counts from the start (six years before today); each account's events
//! within a month are written in date order so its cash is never overdrawn.

use rust_decimal::Decimal;
use time::{Date, Duration, Month};

use super::cast::*;
use super::market::{dec, is_weekday};
use super::rng::SplitMix64;
use super::story::Story;

/// Month and day of Contoso's 4-for-1 split.
pub(crate) const SPLIT: (i32, u8) = (40, 8);
/// Contoso's split ratio.
pub(crate) const SPLIT_RATIO: i64 = 4;
/// Month and day the flat is bought (and revalued every year after).
pub(crate) const HOME_BUY: (i32, u8) = (30, 15);
/// Month and day the world ETF moves to the low-cost broker.
const TRANSFER: (i32, u8) = (48, 12);
/// Months written (the last ones fall after today and are skipped).
const MONTHS: i32 = super::DEMO_YEARS * 12 + 1;

/// The first weekday on or after day `day` (at most 28) of the `m`-th month after
/// `start`'s month.
pub(crate) fn on(start: Date, m: i32, day: u8) -> Date {
    let index = i32::from(u8::from(start.month())) - 1 + m;
    let year = start.year() + index.div_euclid(12);
    let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
    let month = Month::try_from(month).unwrap_or(Month::January);
    let mut d = Date::from_calendar_date(year, month, day.clamp(1, 28)).unwrap_or(start);
    while !is_weekday(d) {
        d = d.saturating_add(Duration::DAY);
    }
    d
}

/// Writes the whole story.
pub(crate) fn write(s: &mut Story<'_>, start: Date, seed: u64) {
    let mut rng = SplitMix64::new(seed ^ 0x5106);
    for m in 0..MONTHS {
        let at = |day| on(start, m, day);
        euro_saver(s, m, &at);
        us_investor(s, m, &at);
        uk_isa(s, m, &at);
        swiss_bank(s, m, &at);
        crypto(s, m, &at, &mut rng);
        if m == HOME_BUY.0 {
            s.buy(PROPERTY, HOME, at(HOME_BUY.1), Decimal::ONE, dec(6_500, 0));
        }
    }
}

/// Main broker, then (after the transfer) the low-cost broker: a monthly ETF plan, a
/// quarterly bond fund, one German stock, yearly fee and interest, one withdrawal.
fn euro_saver(s: &mut Story<'_>, m: i32, at: &dyn Fn(u8) -> Date) {
    let moved = m >= TRANSFER.0;
    if m == 0 {
        s.deposit(MAIN, at(1), dec(15_000, 0));
    }
    s.deposit(MAIN, at(2), if moved { dec(300, 0) } else { dec(800, 0) });
    if moved {
        s.deposit(
            LOW_COST,
            at(2),
            if m == TRANSFER.0 {
                dec(2_000, 0)
            } else {
                dec(700, 0)
            },
        );
    }
    let (etf_account, etf_fee) = if moved {
        (LOW_COST, Decimal::ZERO)
    } else {
        (MAIN, dec(150, 2))
    };
    s.buy_for(etf_account, WORLD_ETF, at(5), dec(600, 0), etf_fee, 0);
    if m % 3 == 0 {
        s.buy_for(MAIN, BOND_FUND, at(10), dec(500, 0), dec(150, 2), 0);
    }
    match m {
        1 => s.buy(MAIN, FABRIKAM, at(6), dec(40, 0), dec(495, 2)),
        18 => s.buy(MAIN, FABRIKAM, at(6), dec(25, 0), dec(495, 2)),
        33 => s.buy(MAIN, FABRIKAM, at(6), dec(20, 0), dec(495, 2)),
        55 => s.sell(MAIN, FABRIKAM, at(6), dec(30, 0), dec(495, 2)),
        42 => s.withdraw(MAIN, at(20), dec(6_000, 0)),
        _ => {}
    }
    if m == TRANSFER.0 {
        s.transfer_all(MAIN, LOW_COST, WORLD_ETF, at(TRANSFER.1));
    }
    if m % 12 == 5 {
        // 26.375%: German capital gains tax with solidarity surcharge.
        let dps = dec(210, 2) + dec(15, 2) * Decimal::from(m / 12);
        s.dividend(MAIN, FABRIKAM, at(18), dps, dec(26_375, 5));
    }
    if m % 3 == 2 {
        s.dividend(etf_account, WORLD_ETF, at(20), dec(38, 2), Decimal::ZERO);
    }
    if m % 3 == 1 {
        s.dividend(MAIN, BOND_FUND, at(20), dec(29, 2), Decimal::ZERO);
    }
    if m % 12 == 0 && m > 0 {
        s.fee(MAIN, at(15), dec(2_400, 2));
    }
    if m % 12 == 11 {
        s.interest(MAIN, at(28), dec(4, 3));
    }
}

/// US brokerage in dollars: two stocks (one splits 4-for-1), a quarterly index ETF,
/// dividends with 15% withholding, one partial sale.
fn us_investor(s: &mut Story<'_>, m: i32, at: &dyn Fn(u8) -> Date) {
    let fee = Decimal::ONE;
    if m == 2 {
        s.deposit(US, at(3), dec(12_000, 0));
    } else if m % 3 == 2 {
        s.deposit(US, at(3), dec(1_500, 0));
    }
    match m {
        2 => s.buy(US, CONTOSO, at(7), dec(15, 0), fee),
        3 => s.buy(US, NORTHWIND, at(7), dec(60, 0), fee),
        20 => s.buy(US, CONTOSO, at(7), dec(10, 0), fee),
        27 => s.buy(US, NORTHWIND, at(7), dec(40, 0), fee),
        44 => s.buy(US, CONTOSO, at(7), dec(30, 0), fee),
        62 => s.sell(US, NORTHWIND, at(7), dec(50, 0), fee),
        _ => {}
    }
    if m == SPLIT.0 {
        s.split(US, CONTOSO, at(SPLIT.1), Decimal::from(SPLIT_RATIO));
    }
    if m % 3 == 2 {
        s.buy_for(US, US_ETF, at(12), dec(1_200, 0), fee, 0);
        s.dividend(US, NORTHWIND, at(16), dec(42, 2), dec(15, 2));
        s.dividend(US, US_ETF, at(22), dec(145, 2), dec(15, 2));
    }
}

/// A UK ISA in pounds: one energy stock, bought half-yearly, half-yearly dividends
/// (tax-free in an ISA).
fn uk_isa(s: &mut Story<'_>, m: i32, at: &dyn Fn(u8) -> Date) {
    if m == 6 {
        s.deposit(UK, at(4), dec(8_000, 0));
    } else if m > 6 && m % 12 == 6 {
        s.deposit(UK, at(4), dec(4_000, 0));
    }
    if m >= 6 && m % 6 == 0 {
        s.buy_for(UK, TAILSPIN, at(9), dec(3_000, 0), dec(595, 2), 0);
    }
    if m % 6 == 3 {
        s.dividend(UK, TAILSPIN, at(14), dec(12, 2), Decimal::ZERO);
    }
}

/// A Swiss bank account in francs: a pharma stock with 35% withholding, yearly custody
/// fee and interest on cash, one withdrawal.
fn swiss_bank(s: &mut Story<'_>, m: i32, at: &dyn Fn(u8) -> Date) {
    if m == 3 {
        s.deposit(SWISS, at(2), dec(20_000, 0));
    }
    match m {
        3 => s.buy(SWISS, HELVETIA, at(8), dec(100, 0), dec(25, 0)),
        24 => s.buy(SWISS, HELVETIA, at(8), dec(50, 0), dec(25, 0)),
        60 => s.withdraw(SWISS, at(11), dec(3_000, 0)),
        _ => {}
    }
    if m % 12 == 4 {
        let dps = dec(310, 2) + dec(10, 2) * Decimal::from(m / 12);
        s.dividend(SWISS, HELVETIA, at(13), dps, dec(35, 2));
    }
    if m % 12 == 0 && m > 0 {
        s.fee(SWISS, at(10), dec(60, 0));
    }
    if m % 12 == 11 {
        s.interest(SWISS, at(27), dec(25, 4));
    }
}

/// A holdings-only crypto wallet: a monthly dollar amount of Bitcoin from year two,
/// with a varying budget, and one profit-taking sale.
fn crypto(s: &mut Story<'_>, m: i32, at: &dyn Fn(u8) -> Date, rng: &mut SplitMix64) {
    if m >= 12 {
        let budget = Decimal::from(250 + 50 * rng.below(5));
        s.buy_for(CRYPTO, BITCOIN, at(15), budget, dec(99, 2), 6);
    }
    if m == 58 {
        let half = (s.held(CRYPTO, BITCOIN) / Decimal::TWO).round_dp(6);
        s.sell(CRYPTO, BITCOIN, at(21), half, dec(250, 2));
    }
}
