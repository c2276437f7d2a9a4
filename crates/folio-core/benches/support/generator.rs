//! Deterministic synthetic portfolio for benchmarks: 100,000 activities over 20 years
//! across 500 assets with daily (weekday) prices in 3 currencies (EUR base, USD, and
//! GBP with pence-quoted assets). No randomness crate: a fixed-seed SplitMix64 keeps the
//! data identical on every machine and run.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;

use folio_core::portfolio::{
    AccountInfo, AssetInfo, EngineActivity, FxTable, PortfolioInput, PriceBasis, PriceBook,
    Settings,
};
use folio_core::{AccountId, ActivityType, AssetClass, AssetId, CurrencyCode, PricingMode};
use rust_decimal::Decimal;
use time::{Date, Duration, Month, Weekday};

/// Fixed-seed SplitMix64.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn ccy(s: &str) -> CurrencyCode {
    CurrencyCode::parse(s).unwrap()
}

/// Weekdays from `start` for `years` years.
fn weekdays(start: Date, years: i32) -> Vec<Date> {
    let end = Date::from_calendar_date(start.year() + years, Month::January, 1).unwrap();
    let mut out = Vec::new();
    let mut d = start;
    while d < end {
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

/// A random walk in 1/10000 units starting at `start`, one point per day.
fn walk(rng: &mut Rng, days: &[Date], start: i64) -> Vec<(Date, Decimal)> {
    let mut p = start;
    days.iter()
        .map(|&d| {
            let step = i64::try_from(rng.below(41)).unwrap() - 20;
            p = (p + p * step / 1000).max(100);
            (d, Decimal::new(p, 4))
        })
        .collect()
}

/// The benchmark portfolio with `n` activities, `assets` assets over `years` years.
pub fn generate(n: usize, assets: usize, years: i32) -> PortfolioInput {
    let mut rng = Rng::new(0x000F_0110);
    let days = weekdays(
        Date::from_calendar_date(2005, Month::January, 3).unwrap(),
        years,
    );
    let codes = ["EUR", "USD", "GBp"];
    let asset_info: Vec<AssetInfo> = (0..assets)
        .map(|i| AssetInfo {
            id: AssetId::new(1000 + i64::try_from(i).unwrap()),
            currency: ccy(codes[i % 3]),
            class: [AssetClass::Equity, AssetClass::Fund, AssetClass::Bond][i % 3],
            pricing: PricingMode::Market,
            price_basis: PriceBasis::AsTraded,
        })
        .collect();
    let mut prices = PriceBook::new();
    for a in &asset_info {
        let start = 100_000 + i64::try_from(rng.below(2_000_000)).unwrap();
        prices.set(a.id, walk(&mut rng, &days, start));
    }
    let mut fx = FxTable::new();
    for (code, start) in [("USD", 9_000), ("GBP", 11_500)] {
        for (d, r) in walk(&mut rng, &days, start) {
            fx.insert(&ccy(code), &ccy("EUR"), d, r);
        }
    }
    let accounts = vec![
        AccountInfo {
            id: AccountId::new(1),
            currency: ccy("EUR"),
            tracks_cash: true,
        },
        AccountInfo {
            id: AccountId::new(2),
            currency: ccy("USD"),
            tracks_cash: true,
        },
        AccountInfo {
            id: AccountId::new(3),
            currency: ccy("GBP"),
            tracks_cash: true,
        },
        AccountInfo {
            id: AccountId::new(4),
            currency: ccy("EUR"),
            tracks_cash: false,
        },
    ];
    let activities = activities(&mut rng, n, &days, &asset_info, &prices);
    let end = *days.last().unwrap();
    PortfolioInput {
        settings: Settings::new(ccy("EUR")),
        accounts,
        assets: asset_info,
        activities,
        prices,
        fx,
        end,
    }
}

/// The activity stream: monthly deposits, then buys, sells of half a holding, dividends,
/// fees and the occasional split.
fn activities(
    rng: &mut Rng,
    n: usize,
    days: &[Date],
    assets: &[AssetInfo],
    prices: &PriceBook,
) -> Vec<EngineActivity> {
    let mut held: HashMap<(i64, usize), Decimal> = HashMap::new();
    let mut cash: HashMap<i64, Decimal> = HashMap::new();
    let mut out = Vec::with_capacity(n);
    let per_day = n.div_ceil(days.len());
    let mut id = 1_i64;
    for &date in days {
        for _ in 0..per_day {
            if out.len() >= n {
                break;
            }
            let acc = 1 + i64::try_from(rng.below(4)).unwrap();
            // Cash accounts trade assets of their own currency; account 4 trades anything.
            let pick = usize::try_from(rng.below(u64::try_from(assets.len()).unwrap())).unwrap();
            let x = if acc == 4 {
                pick
            } else {
                pick - pick % 3 + usize::try_from(acc - 1).unwrap()
            };
            let x = if x >= assets.len() { x - 3 } else { x };
            let asset = &assets[x];
            let price = prices.price(asset.id, date).unwrap().1;
            let mut a = EngineActivity::new(
                id,
                AccountId::new(acc),
                ActivityType::Buy,
                date,
                asset.currency.clone(),
            );
            id += 1;
            a.asset = Some(asset.id);
            let roll = rng.below(100);
            let q = held.get(&(acc, x)).copied().unwrap_or_default();
            let account_ccy = ccy(["EUR", "USD", "GBP", "EUR"][usize::try_from(acc - 1).unwrap()]);
            let balance = cash.entry(acc).or_default();
            let buy_q = Decimal::new(i64::try_from(1 + rng.below(20_000)).unwrap(), 2);
            let cost = folio_core::portfolio::to_major(
                buy_q * price + Decimal::new(499, 2),
                &asset.currency,
            )
            .0;
            let wants_buy = roll >= 40 || q.is_zero();
            if acc != 4 && wants_buy && *balance < cost {
                a.kind = ActivityType::Deposit;
                a.asset = None;
                a.currency = account_ccy;
                a.amount = (cost - *balance).ceil() + Decimal::from(5_000 + rng.below(20_000));
                *balance += a.amount;
            } else if roll < 25 && !q.is_zero() {
                a.kind = ActivityType::Sell;
                a.quantity = (q / Decimal::TWO)
                    .round_dp(4)
                    .max(Decimal::new(1, 4))
                    .min(q);
                a.unit_price = price;
                a.fee = Decimal::new(499, 2);
                *held.get_mut(&(acc, x)).unwrap() -= a.quantity;
                *balance +=
                    folio_core::portfolio::to_major(a.quantity * price - a.fee, &asset.currency).0;
            } else if roll < 38 && !q.is_zero() {
                a.kind = ActivityType::Dividend;
                a.amount = (q * price / Decimal::from(200)).round_dp(2) + Decimal::ONE;
                a.tax = (a.amount * Decimal::new(15, 2)).round_dp(2);
                *balance += folio_core::portfolio::to_major(a.amount - a.tax, &asset.currency).0;
            } else if roll == 38 && !q.is_zero() && rng.below(40) == 0 {
                a.kind = ActivityType::Split;
                a.quantity = Decimal::TWO;
                *held.get_mut(&(acc, x)).unwrap() *= Decimal::TWO;
            } else if roll == 39 && acc != 4 {
                a.kind = ActivityType::Fee;
                a.asset = None;
                a.currency = account_ccy;
                a.amount = Decimal::from(10);
                *balance -= a.amount;
            } else {
                a.quantity = buy_q;
                a.unit_price = price;
                a.fee = Decimal::new(499, 2);
                *balance -= cost;
                *held.entry((acc, x)).or_default() += a.quantity;
            }
            out.push(a);
        }
    }
    out
}
