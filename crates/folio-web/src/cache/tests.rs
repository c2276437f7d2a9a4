//! Cache bookkeeping (generations, LRU, pending writes) and the incremental path's
//! equality with a full rebuild.

use std::str::FromStr;

use folio_core::portfolio::{Range, Scope};
use folio_core::{
    AccountId, ActivityId, ActivityType, AssetClass, AssetId, Name, Note, PricingMode, Symbol,
};
use folio_db::models::{Account, Activity, Asset, FxRate, NewActivity, PricePoint};
use rust_decimal::Decimal;

use super::compute::build;
use super::*;

fn ccy(s: &str) -> CurrencyCode {
    CurrencyCode::parse(s).unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn day(s: &str) -> Date {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
}

fn computed_of(data: UserData) -> Computed {
    build(data, ccy("EUR"), UserSettings::default())
}

fn sample() -> Arc<Computed> {
    Arc::new(computed_of(UserData::default()))
}

const EUR_ACC: AccountId = AccountId::new(1);
const USD_ACC: AccountId = AccountId::new(2);
const EUR_X: AssetId = AssetId::new(10);
const USD_Y: AssetId = AssetId::new(11);

fn act(id: i64, account: AccountId, kind: ActivityType, date: &str) -> Activity {
    let currency = if account == EUR_ACC { "EUR" } else { "USD" };
    Activity {
        id: ActivityId::new(id),
        data: NewActivity {
            account_id: account,
            asset_id: None,
            kind,
            date: day(date),
            quantity: None,
            unit_price: None,
            amount: None,
            fee: Decimal::ZERO,
            tax: Decimal::ZERO,
            currency: ccy(currency),
            note: Note::parse("").unwrap(),
            transfer_of: None,
        },
    }
}

fn trade(
    id: i64,
    account: AccountId,
    kind: ActivityType,
    date: &str,
    asset: AssetId,
    q: &str,
    p: &str,
) -> Activity {
    let mut a = act(id, account, kind, date);
    a.data.asset_id = Some(asset);
    a.data.quantity = Some(d(q));
    a.data.unit_price = Some(d(p));
    a.data.fee = d("1.5");
    a
}

fn cash(id: i64, account: AccountId, date: &str, amount: &str) -> Activity {
    let mut a = act(id, account, ActivityType::Deposit, date);
    a.data.amount = Some(d(amount));
    a
}

fn account(id: AccountId, currency: &str) -> Account {
    let name = Name::parse(&format!("Account {currency}")).unwrap();
    Account {
        id,
        name,
        currency: ccy(currency),
        tracks_cash: true,
        created_at: 0,
    }
}

fn asset(id: AssetId, currency: &str) -> Asset {
    Asset {
        id,
        symbol: Symbol::parse(&format!("S{}", id.get())).unwrap(),
        name: Name::parse("Asset").unwrap(),
        currency: ccy(currency),
        class: AssetClass::Equity,
        pricing: PricingMode::Manual,
    }
}

fn price(asset: AssetId, date: &str, close: &str) -> PricePoint {
    PricePoint {
        asset_id: asset,
        date: day(date),
        close: d(close),
    }
}

fn usd_eur(date: &str, rate: &str) -> FxRate {
    FxRate {
        base: ccy("USD"),
        quote: ccy("EUR"),
        date: day(date),
        rate: d(rate),
    }
}

/// A EUR and a USD account, one asset each, a year of monthly prices and rates.
fn two_currency_data() -> UserData {
    let mut data = UserData {
        accounts: vec![account(EUR_ACC, "EUR"), account(USD_ACC, "USD")],
        assets: vec![asset(EUR_X, "EUR"), asset(USD_Y, "USD")],
        activities: vec![
            cash(1, EUR_ACC, "2024-01-02", "10000"),
            cash(2, USD_ACC, "2024-01-02", "5000"),
            trade(
                3,
                EUR_ACC,
                ActivityType::Buy,
                "2024-01-03",
                EUR_X,
                "10",
                "100",
            ),
            trade(
                4,
                USD_ACC,
                ActivityType::Buy,
                "2024-02-01",
                USD_Y,
                "20",
                "50",
            ),
            trade(
                5,
                EUR_ACC,
                ActivityType::Buy,
                "2024-06-03",
                EUR_X,
                "5",
                "110",
            ),
        ],
        ..UserData::default()
    };
    for m in 1..=12 {
        let date = format!("2024-{m:02}-01");
        data.prices
            .push(price(EUR_X, &date, &format!("{}", 100 + m)));
        data.prices
            .push(price(USD_Y, &date, &format!("{}", 50 + 2 * m)));
        data.fx.push(usd_eur(&date, &format!("0.9{m:02}")));
    }
    data.prices.sort_by_key(|p| (p.asset_id, p.date));
    data
}

/// The figures pages read must be identical, and so must the records.
fn assert_same_as_rebuild(c: &Computed) {
    let full = computed_of(c.data.clone());
    let (a, b) = (
        c.portfolio.as_ref().unwrap(),
        full.portfolio.as_ref().unwrap(),
    );
    assert_eq!(a.total_series(), b.total_series());
    assert_eq!(a.holdings(c.as_of).unwrap(), b.holdings(c.as_of).unwrap());
    for scope in [Scope::Total, Scope::Asset(EUR_X), Scope::Account(USD_ACC)] {
        for range in [Range::Max, Range::YearToDate, Range::OneYear] {
            assert_eq!(
                a.returns(scope, range).unwrap(),
                b.returns(scope, range).unwrap()
            );
        }
    }
}

#[test]
fn every_kind_of_known_write_applied_incrementally_matches_a_full_rebuild() {
    let mut c = computed_of(two_currency_data());
    let value_before = c.portfolio.as_ref().unwrap().holdings(c.as_of).unwrap();
    let mut edited = trade(
        3,
        EUR_ACC,
        ActivityType::Buy,
        "2024-01-03",
        EUR_X,
        "12",
        "95",
    );
    edited.data.fee = d("2");
    let steps = [
        Change::Activity(trade(
            6,
            EUR_ACC,
            ActivityType::Sell,
            "2024-04-02",
            EUR_X,
            "4",
            "104",
        )),
        Change::Activity(edited),
        Change::ActivityDeleted(ActivityId::new(5)),
        Change::Prices(vec![
            price(EUR_X, "2024-03-15", "130"),
            price(USD_Y, "2025-01-02", "80"),
        ]),
        Change::PriceDeleted(EUR_X, day("2024-12-01")),
        Change::FxRates(vec![
            usd_eur("2024-02-01", "0.5"),
            usd_eur("2025-01-02", "1.1"),
        ]),
        Change::FxRateDeleted(ccy("USD"), ccy("EUR"), day("2024-12-01")),
    ];
    for step in steps {
        let incremental = change::bring_up_to_date(&mut c, std::slice::from_ref(&step), today());
        assert!(incremental, "{step:?} fell back to a rebuild");
        assert_same_as_rebuild(&c);
    }
    let ids: Vec<i64> = c.data.activities.iter().map(|a| a.id.get()).collect();
    assert_eq!(
        ids,
        [1, 2, 3, 4, 6],
        "records in booking order, the deleted one gone"
    );
    assert!(c.data.prices.contains(&price(USD_Y, "2025-01-02", "80")));
    assert!(!c.data.prices.contains(&price(EUR_X, "2024-12-01", "112")));
    assert_eq!(
        c.data
            .fx
            .iter()
            .filter(|r| r.date == day("2024-02-01"))
            .count(),
        1
    );
    let after = c.portfolio.as_ref().unwrap().holdings(c.as_of).unwrap();
    // 12 bought + 0 (the deleted 5) − 4 sold = 8 units of X at the latest close (111).
    let x = after.holdings.iter().find(|h| h.asset == EUR_X).unwrap();
    assert_eq!(x.quantity, d("8"));
    assert_ne!(after, value_before);
}

#[test]
fn a_known_write_is_applied_by_the_next_view_and_an_unknown_one_drops_the_entry() {
    let cache = PortfolioCache::new(8);
    let (user, eur, prefs) = (UserId::new(1), ccy("EUR"), UserSettings::default());
    let Lookup::Miss(g) = cache.lookup(user, &eur, &prefs, true) else {
        unreachable!()
    };
    cache.store(
        user,
        g,
        Arc::new(computed_of(two_currency_data())),
        Instant::now(),
    );
    cache.written(user, vec![Change::ActivityDeleted(ActivityId::new(5))]);
    assert!(
        cache.peek(user, &eur, &prefs).is_none(),
        "a pending write is not a hit"
    );
    let Lookup::Stale {
        changes,
        generation,
        ..
    } = cache.lookup(user, &eur, &prefs, true)
    else {
        panic!("expected the entry with its pending write")
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(cache.len(), 0, "claimed for the update");
    cache.store(user, generation, sample(), Instant::now());
    assert!(cache.peek(user, &eur, &prefs).is_some());
    cache.written(user, Vec::new());
    assert_eq!(cache.len(), 0);
}

#[test]
fn a_new_day_only_extends_the_series_and_matches_a_full_rebuild() {
    let data = two_currency_data();
    let (base, prefs) = (ccy("EUR"), UserSettings::default());
    let yesterday = today() - time::Duration::days(3);
    let input = data.engine_input(&base, &prefs, yesterday, None);
    let mut c = Computed {
        portfolio: Portfolio::build(input),
        data,
        as_of: yesterday,
        base,
        prefs,
    };
    let days_before = c.portfolio.as_ref().unwrap().total_series().len();
    assert!(change::bring_up_to_date(&mut c, &[], today()));
    assert_eq!(c.as_of, today());
    let p = c.portfolio.as_ref().unwrap();
    assert_eq!(p.total_series().len(), days_before + 3);
    assert_same_as_rebuild(&c);
}

#[test]
fn deleting_a_linked_transfer_out_unlinks_its_transfer_in_as_the_database_does() {
    let mut data = two_currency_data();
    let mut out = trade(
        6,
        EUR_ACC,
        ActivityType::TransferOut,
        "2024-07-01",
        EUR_X,
        "5",
        "0",
    );
    out.data.fee = Decimal::ZERO;
    let mut into = trade(
        7,
        USD_ACC,
        ActivityType::TransferIn,
        "2024-07-01",
        EUR_X,
        "5",
        "105",
    );
    into.data.fee = Decimal::ZERO;
    into.data.transfer_of = Some(ActivityId::new(6));
    data.activities.extend([out, into]);
    let mut c = computed_of(data);
    assert!(c.portfolio.is_ok(), "{:?}", c.portfolio.as_ref().err());
    let step = Change::ActivityDeleted(ActivityId::new(6));
    let incremental = change::bring_up_to_date(&mut c, std::slice::from_ref(&step), today());
    assert!(!incremental, "a linked delete is left to a rebuild");
    let left = c.data.activities.iter().find(|a| a.id.get() == 7).unwrap();
    assert_eq!(
        left.data.transfer_of, None,
        "the link is gone, as in the database"
    );
    assert!(c.portfolio.is_ok(), "{:?}", c.portfolio.as_ref().err());
    assert_same_as_rebuild(&c);
}

/// Generation bookkeeping, LRU and the disabled cache.
#[path = "generation_tests.rs"]
mod generation;
