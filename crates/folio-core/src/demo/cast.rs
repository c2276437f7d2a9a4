//! The demo's cast: its accounts, its (fictional) assets and how their prices and the
//! exchange rates move.

use rust_decimal::Decimal;
use time::{Date, Duration};

use super::market::{Walk, dec, series, weekdays};
use super::plot::{HOME_BUY, SPLIT, SPLIT_RATIO, on};
use super::rng::SplitMix64;
use super::{DemoAccount, DemoAsset, DemoFx};
use crate::domain::{AssetClass, CurrencyCode, PricingMode};

/// Account positions (local ids are position + 1).
pub(crate) const MAIN: usize = 0;
pub(crate) const LOW_COST: usize = 1;
pub(crate) const US: usize = 2;
pub(crate) const UK: usize = 3;
pub(crate) const SWISS: usize = 4;
pub(crate) const CRYPTO: usize = 5;
pub(crate) const PROPERTY: usize = 6;

/// Asset positions (local ids are position + 1).
pub(crate) const WORLD_ETF: usize = 0;
pub(crate) const BOND_FUND: usize = 1;
pub(crate) const FABRIKAM: usize = 2;
pub(crate) const CONTOSO: usize = 3;
pub(crate) const NORTHWIND: usize = 4;
pub(crate) const US_ETF: usize = 5;
pub(crate) const TAILSPIN: usize = 6;
pub(crate) const HELVETIA: usize = 7;
pub(crate) const BITCOIN: usize = 8;
pub(crate) const HOME: usize = 9;

fn code(c: &'static str) -> CurrencyCode {
    CurrencyCode::known(c)
}

/// The base currency.
pub(crate) fn eur() -> CurrencyCode {
    code("EUR")
}

/// The accounts, in position order.
pub(crate) fn accounts() -> Vec<DemoAccount> {
    let acct = |name, currency: &'static str, tracks_cash| DemoAccount {
        name,
        currency: code(currency),
        tracks_cash,
    };
    vec![
        acct("Main broker", "EUR", true),
        acct("Low-cost broker", "EUR", true),
        acct("US brokerage", "USD", true),
        acct("UK ISA", "GBP", true),
        acct("Swiss bank", "CHF", true),
        acct("Crypto wallet", "EUR", false),
        acct("Property", "EUR", false),
    ]
}

type Spec = (
    &'static str,
    &'static str,
    &'static str,
    AssetClass,
    Option<Walk>,
);

/// A market walk: start level (cents), trend growth (%), daily sigma (‱), band (% of
/// trend) and how hard the market-wide crash hits it (%).
fn walk(start: i64, growth_pct: i64, sigma_bp: i64, band: (i64, i64), beta_pct: i64) -> Walk {
    Walk {
        start: dec(start, 2),
        growth: dec(growth_pct, 2),
        sigma: dec(sigma_bp, 4),
        theta: dec(5, 3),
        band: (dec(band.0, 2), dec(band.1, 2)),
        dp: 2,
        beta: dec(beta_pct, 2),
    }
}

/// Symbol, name, currency, class and price walk of each asset, in position order.
fn specs() -> [Spec; 10] {
    use AssetClass::{Bond, Crypto, Equity, Fund, RealEstate};
    [
        (
            "DWRLD",
            "Demo World Equity ETF",
            "EUR",
            Fund,
            Some(walk(6_800, 80, 90, (65, 140), 100)),
        ),
        (
            "DAGG",
            "Demo Euro Aggregate Bond Fund",
            "EUR",
            Bond,
            Some(walk(5_200, 3, 30, (88, 112), 25)),
        ),
        (
            "FABK",
            "Fabrikam AG",
            "EUR",
            Equity,
            Some(walk(9_500, 45, 150, (60, 145), 110)),
        ),
        // Contoso's walk is of the pre-split share; prices from the split on are / 4.
        (
            "CNTS",
            "Contoso Systems Inc.",
            "USD",
            Equity,
            Some(walk(18_000, 160, 170, (60, 145), 130)),
        ),
        (
            "NWND",
            "Northwind Traders Inc.",
            "USD",
            Equity,
            Some(walk(6_200, 30, 130, (60, 145), 100)),
        ),
        (
            "DUS5",
            "Demo US 500 ETF",
            "USD",
            Fund,
            Some(walk(31_000, 95, 100, (65, 140), 100)),
        ),
        (
            "TSPN",
            "Tailspin Energy plc",
            "GBP",
            Equity,
            Some(walk(480, 15, 160, (55, 150), 90)),
        ),
        (
            "HELV",
            "Helvetia Pharma AG",
            "CHF",
            Equity,
            Some(walk(8_800, 25, 110, (65, 140), 70)),
        ),
        (
            "DBTC",
            "Demo Bitcoin",
            "USD",
            Crypto,
            Some(Walk {
                theta: dec(8, 3),
                ..walk(950_000, 800, 300, (40, 180), 200)
            }),
        ),
        ("HOME", "Apartment, Lisbon", "EUR", RealEstate, None),
    ]
}

/// An FX walk around a slowly drifting level, published with four decimals.
fn fx_walk(start: i64, growth_pct: i64) -> Walk {
    Walk {
        start: dec(start, 4),
        growth: dec(growth_pct, 2),
        sigma: dec(4, 3),
        theta: dec(1, 2),
        band: (dec(90, 2), dec(110, 2)),
        dp: 4,
        beta: Decimal::ZERO,
    }
}

/// Assets with their price histories and the FX histories, from the first of `start`'s
/// month (less two weeks of lead-in, so the first trades have a price and a rate) to
/// `today`.
pub(crate) fn market(seed: u64, start: Date, today: Date) -> (Vec<DemoAsset>, Vec<DemoFx>) {
    let first = start.replace_day(1).unwrap_or(start);
    let days = weekdays(first.saturating_sub(Duration::days(14)), today);
    // One generator per series, so that adding a series never changes another.
    let rng = |k: u64| SplitMix64::new(seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let assets = specs()
        .into_iter()
        .enumerate()
        .map(|(k, (symbol, name, currency, class, walk))| {
            let mut rng = rng(u64::try_from(k).unwrap_or(0).wrapping_add(1));
            let prices = match walk {
                Some(w) => series(&mut rng, &w, &days),
                None => valuations(&mut rng, start, today),
            };
            let mut asset = DemoAsset {
                symbol,
                name,
                currency: code(currency),
                class,
                pricing: if walk.is_some() {
                    PricingMode::Market
                } else {
                    PricingMode::Manual
                },
                prices,
            };
            if k == CONTOSO {
                as_traded_after_split(&mut asset, on(start, SPLIT.0, SPLIT.1));
            }
            asset
        })
        .collect();
    let fx = [
        ("USD", fx_walk(11_200, -3)),
        ("GBP", fx_walk(8_800, -2)),
        ("CHF", fx_walk(10_700, -9)),
    ]
    .into_iter()
    .zip(100_u64..)
    .map(|((quote, w), k)| DemoFx {
        base: eur(),
        quote: code(quote),
        rates: series(&mut rng(k), &w, &days),
    })
    .collect();
    (assets, fx)
}

/// Divides the prices from the split date on by the split ratio (as-traded history).
fn as_traded_after_split(asset: &mut DemoAsset, split: Date) {
    for (date, close) in &mut asset.prices {
        if *date >= split {
            *close = (*close / Decimal::from(SPLIT_RATIO)).round_dp(2);
        }
    }
}

/// The property's valuations: the purchase price, then a yearly appraisal rising 2–7%
/// (rounded to thousands), none after `today`.
fn valuations(rng: &mut SplitMix64, start: Date, today: Date) -> Vec<(Date, Decimal)> {
    let mut value = Decimal::from(165_000);
    let mut out = Vec::new();
    for year in 0..DEMO_YEARS_PLUS_ONE {
        let date = on(start, HOME_BUY.0 + 12 * year, HOME_BUY.1);
        if date > today {
            break;
        }
        if year > 0 {
            let rise = dec(2, 2) + dec(5, 2) * (rng.uniform() + Decimal::ONE) / Decimal::TWO;
            value = (value * (Decimal::ONE + rise) / Decimal::ONE_THOUSAND).round()
                * Decimal::ONE_THOUSAND;
        }
        out.push((date, value));
    }
    out
}

const DEMO_YEARS_PLUS_ONE: i32 = super::DEMO_YEARS + 1;
