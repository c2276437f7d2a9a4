//! Page-speed benchmark (not a test): a 10,000-activity portfolio on SQLite, served over
//! real HTTP on 127.0.0.1, timing the dashboard and the activity list against `/livez`
//! measured in the same run as the baseline (the machine is noisy; compare within a run).
//!
//! Run: `cargo bench -p folio-web --bench dashboard` (optimised build). Bounded: fixed
//! request counts, sequential requests.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_types,
    clippy::float_arithmetic,
    clippy::cast_precision_loss
)]
// A bench harness: failed set-up should panic, and timings are reported as f64
// milliseconds (never money).

use std::str::FromStr;
use std::time::{Duration, Instant};

use folio_core::{ActivityType, AssetClass, CurrencyCode, Email, Name, Note, PricingMode, Symbol};
use folio_db::models::{NewAccount, NewActivity, NewAsset, NewUser};
use folio_db::repo::{accounts, activities, assets, prices, users};
use folio_db::testing::TestDatabase;
use folio_db::{Backend, Db};
use rust_decimal::Decimal;
use time::{Date, Duration as Days};

const ACTIVITIES: usize = 10_000;
const ASSETS: usize = 50;
const ROUNDS: usize = 40;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Deterministic portfolio: 3 holdings-only accounts × 50 assets, activities spread over
/// ten years (mostly buys, partial sells, dividends); monthly prices per asset.
async fn seed(db: &Db) -> (String, String) {
    let email = "bench@example.com";
    let password = "bench password 123";
    let hash =
        folio_web::auth::hash_password(&folio_core::Password::parse(password).unwrap()).unwrap();
    let new = NewUser {
        email: Email::parse(email).unwrap(),
        password_hash: hash,
        base_currency: CurrencyCode::parse("EUR").unwrap(),
        role: None,
    };
    let user = users::insert_user(db, &new).await.unwrap().id;
    let eur = CurrencyCode::parse("EUR").unwrap();
    let mut accts = Vec::new();
    for i in 0..3 {
        let a = NewAccount {
            name: Name::parse(&format!("Account {i}")).unwrap(),
            currency: eur.clone(),
            tracks_cash: false,
        };
        accts.push(accounts::insert_account(db, user, &a).await.unwrap());
    }
    let start = Date::from_calendar_date(2015, time::Month::January, 1).unwrap();
    let mut ids = Vec::new();
    for i in 0..ASSETS {
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
        for m in 0..120_i64 {
            let price = Decimal::from(100 + i64::try_from(i % 7).unwrap() * 10 + m);
            prices::upsert_price(db, user, id, start + Days::days(m * 30), price)
                .await
                .unwrap();
        }
        ids.push(id);
    }
    for n in 0..ACTIVITIES {
        let asset = ids[(n / 3) % ASSETS];
        let account = accts[n % 3];
        let date = start + Days::days(i64::try_from(n * 3650 / ACTIVITIES).unwrap());
        // The k-th activity of each (account, asset) pair: buys first, then a partial
        // sell every tenth and a dividend every twentieth, so nothing is oversold.
        let k = n / (3 * ASSETS);
        let (kind, quantity, unit_price, amount) = match k % 20 {
            19 => (ActivityType::Dividend, None, None, Some(dec("3.5"))),
            9 => (ActivityType::Sell, Some(dec("0.5")), Some(dec("150")), None),
            _ => (ActivityType::Buy, Some(dec("2")), Some(dec("120.25")), None),
        };
        let a = NewActivity {
            account_id: account,
            asset_id: Some(asset),
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
        };
        activities::insert_activity(db, user, &a).await.unwrap();
    }
    (email.to_owned(), password.to_owned())
}

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: usize| ms(samples[(samples.len() - 1) * q / 100]);
    println!(
        "{label:<22} n={:<3} p50 {:>8.2} ms   p95 {:>8.2} ms   max {:>8.2} ms",
        samples.len(),
        p(50),
        p(95),
        ms(*samples.last().unwrap())
    );
}

async fn time_get(client: &reqwest::Client, url: &str, expect: &str) -> Vec<Duration> {
    let mut out = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let body = client.get(url).send().await.unwrap().text().await.unwrap();
        out.push(t.elapsed());
        assert!(body.contains(expect), "{url} did not render as expected");
    }
    out
}

#[tokio::main]
async fn main() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = Db::connect_lazy(&database.config()).unwrap();
    db.migrate().await.unwrap();
    let t = Instant::now();
    let (email, password) = seed(&db).await;
    println!(
        "seeded {ACTIVITIES} activities, {ASSETS} assets, {} prices in {:.1} s",
        ASSETS * 120,
        t.elapsed().as_secs_f64()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = folio_web::AppState::new(db.clone(), folio_web::WebConfig::default());
    tokio::spawn(async move {
        folio_web::serve(listener, state, std::future::pending())
            .await
            .unwrap()
    });
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let base = format!("http://{addr}");
    let login = client
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let csrf = login
        .split(marker)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = client
        .post(format!("{base}/login"))
        .form(&[
            ("email", email.as_str()),
            ("password", password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "login failed: {}", r.status());
    // Warm up once each, then measure.
    let _ = time_get(&client, &format!("{base}/dashboard"), "id=\"holdings\"").await;
    summary(
        "GET /livez (baseline)",
        time_get(&client, &format!("{base}/livez"), "ok").await,
    );
    summary(
        "GET /dashboard",
        time_get(&client, &format!("{base}/dashboard"), "id=\"holdings\"").await,
    );
    summary(
        "GET /activities",
        time_get(&client, &format!("{base}/activities"), "id=\"activities\"").await,
    );
    summary(
        "GET /api/v1/holdings",
        time_get(&client, &format!("{base}/api/v1/holdings"), "cost_basis").await,
    );
}
