//! The benchmark's portfolios: the main user with 3 holdings-only EUR accounts, 50
//! manually priced assets each held in one account (50 holdings), weekly prices for ten
//! years and 10,000 activities (buys, partial sells, dividends) over the same ten years;
//! and smaller users of the same shape for the many-users phase.

use std::str::FromStr;

use folio_core::{ActivityType, AssetClass, CurrencyCode, Email, Name, Note, PricingMode, Symbol};
use folio_db::Db;
use folio_db::models::{NewAccount, NewActivity, NewAsset, NewUser};
use folio_db::repo::{accounts, activities, assets, prices, tokens, users};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use time::{Date, Duration as Days};

pub const ACTIVITIES: usize = 10_000;
pub const ASSETS: usize = 50;
pub const YEARS: i64 = 10;
pub const EMAIL: &str = "bench@example.com";
pub const PASSWORD: &str = "bench password 123";
/// Bearer token for the API writes that make a view cold.
pub const TOKEN: &str = "bench-token-0123456789abcdef0123456789abcdef0123456789abcdef01";

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn start() -> Date {
    Date::from_calendar_date(2015, time::Month::January, 1).unwrap()
}

/// What the phases need to write: the accounts and assets by index.
pub struct Seeded {
    pub accounts: Vec<folio_core::AccountId>,
    pub assets: Vec<folio_core::AssetId>,
    pub prices: usize,
}

/// The main bench user: [`ACTIVITIES`] activities over [`ASSETS`] holdings, with an API
/// token for the writes that make a view cold.
pub async fn seed(db: &Db) -> Seeded {
    let (user, seeded) = seed_user(db, EMAIL, ACTIVITIES, ASSETS).await;
    let token_hash: String = Sha256::digest(TOKEN.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    tokens::insert_token(db, user, &Name::parse("bench").unwrap(), &token_hash)
        .await
        .unwrap();
    seeded
}

/// One user (password [`PASSWORD`]) with `n` activities over `holdings` assets in three
/// accounts across [`YEARS`] years, weekly prices, written with bulk inserts.
pub async fn seed_user(
    db: &Db,
    email: &str,
    n: usize,
    holdings: usize,
) -> (folio_core::UserId, Seeded) {
    let hash = folio_web::auth::hash_password(&folio_core::Password::parse(PASSWORD).unwrap());
    let eur = CurrencyCode::parse("EUR").unwrap();
    let new = NewUser {
        email: Email::parse(email).unwrap(),
        password_hash: hash.unwrap(),
        base_currency: eur.clone(),
        role: None,
    };
    let user = users::insert_user(db, &new).await.unwrap().id;
    let mut accts = Vec::new();
    for i in 0..3 {
        let a = NewAccount {
            name: Name::parse(&format!("Account {i}")).unwrap(),
            currency: eur.clone(),
            tracks_cash: false,
        };
        accts.push(accounts::insert_account(db, user, &a).await.unwrap());
    }
    let weeks = YEARS * 52;
    let mut ids = Vec::new();
    for i in 0..holdings {
        let a = NewAsset {
            symbol: Symbol::parse(&format!("AS{i:03}")).unwrap(),
            name: Name::parse(&format!("Asset {i}")).unwrap(),
            currency: eur.clone(),
            class: if i % 3 == 0 {
                AssetClass::Fund
            } else {
                AssetClass::Equity
            },
            pricing: PricingMode::Manual,
        };
        let id = assets::insert_asset(db, user, &a).await.unwrap();
        let base = 100 + i64::try_from(i % 7).unwrap() * 10;
        let points: Vec<(Date, Decimal)> = (0..weeks)
            .map(|w| {
                (
                    start() + Days::weeks(w),
                    Decimal::new(base * 100 + w * 7 + (w % 13) * 11, 2),
                )
            })
            .collect();
        prices::upsert_prices(db, user, id, &points).await.unwrap();
        ids.push(id);
    }
    let span = i64::try_from(n).unwrap();
    let rows: Vec<NewActivity> = (0..n)
        .map(|k| {
            let x = k % holdings;
            let date = start() + Days::days(i64::try_from(k).unwrap() * YEARS * 365 / span);
            // The k-th activity of each asset: buys first, then a partial sell every
            // tenth and a dividend every twentieth, so nothing is ever oversold.
            let (kind, quantity, unit_price, amount) = match (k / holdings) % 20 {
                19 => (ActivityType::Dividend, None, None, Some(dec("3.5"))),
                9 => (ActivityType::Sell, Some(dec("0.5")), Some(dec("150")), None),
                _ => (ActivityType::Buy, Some(dec("2")), Some(dec("120.25")), None),
            };
            NewActivity {
                account_id: accts[x % 3],
                asset_id: Some(ids[x]),
                kind,
                date,
                quantity,
                unit_price,
                amount,
                fee: dec("1"),
                tax: Decimal::ZERO,
                currency: eur.clone(),
                note: Note::parse("").unwrap(),
                transfer_of: None,
            }
        })
        .collect();
    activities::insert_activities(db, user, &rows, &[])
        .await
        .unwrap();
    let seeded = Seeded {
        accounts: accts,
        assets: ids,
        prices: holdings * usize::try_from(weeks).unwrap(),
    };
    (user, seeded)
}
