//! The demo must be deterministic, current, complete and acceptable to the engine.

use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

use super::*;
use crate::domain::{ActivityType, CurrencyCode, Email, Money, Password, Price, Quantity};
use crate::portfolio::{Portfolio, Range, Scope};

const TODAY: Date = date!(2026 - 11 - 27);

fn built(demo: &DemoPortfolio) -> Portfolio {
    Portfolio::build(demo.engine_input()).unwrap()
}

#[test]
fn the_same_day_and_seed_always_give_the_same_portfolio() {
    assert_eq!(generate(TODAY), generate(TODAY));
    let other = generate_with_seed(TODAY, 1);
    assert_ne!(generate(TODAY).assets[0].prices, other.assets[0].prices);
}

#[test]
fn the_engine_builds_it_without_oversells_or_missing_prices_and_rates() {
    let demo = generate(TODAY);
    let p = built(&demo);
    assert!(p.total_series().iter().all(|d| !d.price_missing));
    let h = p.holdings(TODAY).unwrap();
    assert!(!h.total.price_missing);
    for r in &h.holdings {
        let what = (r.account, r.asset, r.quantity);
        assert!(r.price.is_some() || r.quantity.is_zero(), "{what:?}");
    }
    // Roughly half a million euros: a flat, savings plans and a growing crypto stake.
    let value = h.total.value;
    assert!(
        value > Decimal::from(350_000) && value < Decimal::from(1_200_000),
        "{value}"
    );
    assert!(h.total.income > Decimal::from(5_000), "{}", h.total.income);
    assert!(
        h.total.realized != Decimal::ZERO,
        "sales realized a gain or loss"
    );
    for r in &h.accounts {
        assert!(
            r.cash_local >= Decimal::ZERO,
            "account {} overdrawn",
            r.account
        );
    }
    for range in [Range::OneYear, Range::FiveYears, Range::Max] {
        assert!(p.returns(Scope::Total, range).unwrap().mwr.is_ok());
    }
}

#[test]
fn it_builds_for_any_today_including_a_leap_day_and_a_weekend() {
    for today in [
        date!(2024 - 02 - 29),
        date!(2025 - 06 - 01),
        date!(2031 - 01 - 01),
    ] {
        let demo = generate(today);
        let p = built(&demo);
        assert!(!p.holdings(today).unwrap().total.price_missing, "{today}");
        assert!(demo.activities.iter().all(|a| a.date <= today));
    }
}

#[test]
fn it_spans_six_years_up_to_today_with_weekday_histories() {
    let demo = generate(TODAY);
    let first = demo.activities.iter().map(|a| a.date).min().unwrap();
    let last = demo.activities.iter().map(|a| a.date).max().unwrap();
    assert!(
        first >= date!(2020 - 11 - 01) && first <= date!(2020 - 11 - 10),
        "{first}"
    );
    assert!(last >= date!(2026 - 10 - 27), "{last}");
    for asset in demo
        .assets
        .iter()
        .filter(|a| a.pricing == PricingMode::Market)
    {
        let (d0, _) = asset.prices[0];
        assert!(d0 < first && asset.prices.last().unwrap().0 == TODAY);
        assert!(asset.prices.iter().all(|(d, _)| market::is_weekday(*d)));
        assert!(asset.prices.len() > 1_550, "{}", asset.prices.len());
    }
    let quotes: Vec<&str> = demo.fx.iter().map(|f| f.quote.as_str()).collect();
    assert_eq!(quotes, ["USD", "GBP", "CHF"]);
    assert!(
        demo.fx
            .iter()
            .all(|f| f.base.as_str() == "EUR" && f.rates[0].0 < first)
    );
    assert_eq!(demo.price_count(), 9 * demo.fx[0].rates.len() + 4);
    assert_eq!(demo.fx_count(), 3 * demo.fx[0].rates.len());
}

#[test]
fn it_has_every_kind_of_activity_asset_and_currency_the_dashboard_shows() {
    let demo = generate(TODAY);
    use ActivityType::*;
    for kind in [
        Buy,
        Sell,
        Dividend,
        Interest,
        Fee,
        Deposit,
        Withdrawal,
        Split,
        TransferIn,
        TransferOut,
    ] {
        assert!(demo.activities.iter().any(|a| a.kind == kind), "no {kind}");
    }
    for class in [
        AssetClass::Equity,
        AssetClass::Fund,
        AssetClass::Bond,
        AssetClass::Crypto,
        AssetClass::RealEstate,
    ] {
        assert!(demo.assets.iter().any(|a| a.class == class), "no {class}");
    }
    let currencies: Vec<&str> = demo.accounts.iter().map(|a| a.currency.as_str()).collect();
    for c in ["EUR", "USD", "GBP", "CHF"] {
        assert!(currencies.contains(&c), "no {c} account");
    }
    assert!(demo.accounts.iter().any(|a| !a.tracks_cash));
    assert!(
        (300..1_500).contains(&demo.activities.len()),
        "{}",
        demo.activities.len()
    );
}

#[test]
fn the_transfer_in_receives_its_transfer_out_and_the_flat_is_valued_by_hand() {
    let demo = generate(TODAY);
    let inn = demo
        .activities
        .iter()
        .find(|a| a.kind == ActivityType::TransferIn)
        .unwrap();
    let out_id = inn.transfer_of.unwrap();
    let out = &demo.activities[usize::try_from(out_id.get() - 1).unwrap()];
    assert_eq!(out.kind, ActivityType::TransferOut);
    assert_eq!(
        (out.asset, out.date, out.quantity),
        (inn.asset, inn.date, inn.quantity)
    );
    assert_ne!(out.account, inn.account);
    let home = demo
        .assets
        .iter()
        .find(|a| a.pricing == PricingMode::Manual)
        .unwrap();
    assert_eq!(home.class, AssetClass::RealEstate);
    assert_eq!(home.prices.len(), 4, "purchase plus a yearly appraisal");
    assert!(home.prices.windows(2).all(|w| w[1].1 > w[0].1));
}

#[test]
fn the_split_rescales_the_as_traded_price_history() {
    let demo = generate(TODAY);
    let split = demo
        .activities
        .iter()
        .find(|a| a.kind == ActivityType::Split)
        .unwrap();
    assert_eq!(split.quantity, Decimal::from(4));
    let asset = &demo.assets[usize::try_from(split.asset.unwrap().get() - 1).unwrap()];
    let at = asset
        .prices
        .iter()
        .position(|(d, _)| *d == split.date)
        .unwrap();
    let (before, after) = (asset.prices[at - 1].1, asset.prices[at].1);
    let ratio = before / after;
    assert!(
        ratio > Decimal::from(3) && ratio < Decimal::from(5),
        "{before} -> {after}"
    );
}

#[test]
fn every_value_fits_the_stored_types_and_every_account_uses_its_own_currency() {
    let demo = generate(TODAY);
    for a in &demo.activities {
        assert!(
            Money::new(a.amount).is_ok() && Money::new(a.fee).is_ok() && Money::new(a.tax).is_ok()
        );
        assert!(Price::new(a.unit_price).is_ok());
        if a.kind.uses_quantity() {
            assert!(Quantity::new(a.quantity).is_ok(), "{a:?}");
        }
        let account = &demo.accounts[usize::try_from(a.account.get() - 1).unwrap()];
        if account.tracks_cash {
            assert_eq!(a.currency, account.currency, "{a:?}");
        }
    }
    let codes = demo
        .accounts
        .iter()
        .map(|a| &a.currency)
        .chain(demo.assets.iter().map(|a| &a.currency));
    for code in codes {
        assert_eq!(&CurrencyCode::parse(code.as_str()).unwrap(), code);
    }
    assert!(Email::parse(DEMO_EMAIL).is_ok() && Password::parse(DEMO_PASSWORD).is_ok());
}
