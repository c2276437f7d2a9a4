//! A non-trivial instance for backup tests: two users, several accounts and currencies,
//! buys, sells, a dividend, a split, a transfer linked forward (the TRANSFER_IN has the
//! lower id), prices, FX rates, an API token and a session.

#![allow(dead_code)] // each test binary uses a different part

use std::str::FromStr;

use folio_core::portfolio::{EngineActivity, LotMethod};
use folio_core::{
    AccountId, ActivityId, ActivityType, AssetClass, AssetId, CurrencyCode, Email, Name, Note,
    PricingMode, Symbol, UserId,
};
use folio_db::Db;
use folio_db::models::{
    Activity, FxRate, NewAccount, NewActivity, NewAsset, NewUser, SessionRecord, UserSettings,
};
use folio_db::repo::{accounts, activities, assets, prices, sessions, tokens, users};
use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn ccy(s: &str) -> CurrencyCode {
    CurrencyCode::parse(s).unwrap()
}

/// A stored activity as the engine reads it (as folio-web does).
pub fn to_engine(a: &Activity) -> EngineActivity {
    let d = &a.data;
    let mut e = EngineActivity::new(a.id.get(), d.account_id, d.kind, d.date, d.currency.clone());
    e.asset = d.asset_id;
    e.quantity = d.quantity.unwrap_or(Decimal::ZERO);
    e.unit_price = d.unit_price.unwrap_or(Decimal::ZERO);
    e.amount = d.amount.unwrap_or(Decimal::ZERO);
    e.fee = d.fee;
    e.tax = d.tax;
    e.transfer_of = d.transfer_of;
    e
}

async fn user(db: &Db, email: &str, base: &str) -> UserId {
    let new = NewUser {
        email: Email::parse(email).unwrap(),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${email}"),
        base_currency: ccy(base),
        role: None,
    };
    users::insert_user(db, &new).await.unwrap().id
}

async fn account(db: &Db, user: UserId, name: &str, currency: &str) -> AccountId {
    let new = NewAccount {
        name: Name::parse(name).unwrap(),
        currency: ccy(currency),
        tracks_cash: true,
    };
    accounts::insert_account(db, user, &new).await.unwrap()
}

async fn asset(db: &Db, user: UserId, symbol: &str, currency: &str, class: AssetClass) -> AssetId {
    let new = NewAsset {
        symbol: Symbol::parse(symbol).unwrap(),
        name: Name::parse(&format!("{symbol} name")).unwrap(),
        currency: ccy(currency),
        class,
        pricing: PricingMode::Manual,
    };
    assets::insert_asset(db, user, &new).await.unwrap()
}

/// An activity with the given numbers (quantity, price, amount, fee) in `currency`.
#[allow(clippy::too_many_arguments)]
pub fn act(
    account: AccountId,
    asset: Option<AssetId>,
    kind: ActivityType,
    date: Date,
    numbers: [Option<&str>; 4],
    currency: &str,
) -> NewActivity {
    let [q, p, a, f] = numbers;
    NewActivity {
        account_id: account,
        asset_id: asset,
        kind,
        date,
        quantity: q.map(dec),
        unit_price: p.map(dec),
        amount: a.map(dec),
        fee: f.map_or(Decimal::ZERO, dec),
        tax: Decimal::ZERO,
        currency: ccy(currency),
        note: Note::parse("seeded \"quoted\", ✓").unwrap(),
        transfer_of: None,
    }
}

async fn add(db: &Db, user: UserId, new: NewActivity) -> ActivityId {
    activities::insert_activity(db, user, &new).await.unwrap()
}

/// Seeds both users; returns (alice, bob).
pub async fn portfolio(db: &Db) -> (UserId, UserId) {
    use ActivityType::*;
    let alice = user(db, "alice@example.com", "EUR").await;
    let bob = user(db, "bob@example.com", "USD").await;
    let avg = UserSettings {
        lot_method: LotMethod::AverageCost,
        fees_in_cost_basis: false,
    };
    users::update_settings(db, bob, &ccy("USD"), &avg)
        .await
        .unwrap();
    for u in [alice, bob] {
        let eur = account(db, u, "Broker EUR", "EUR").await;
        let usd = account(db, u, "Broker USD", "USD").await;
        let second = account(db, u, "Second", "EUR").await;
        let vwce = asset(db, u, "VWCE", "EUR", AssetClass::Fund).await;
        let aapl = asset(db, u, "AAPL", "USD", AssetClass::Equity).await;
        let n = |x: &'static str| Some(x);
        add(
            db,
            u,
            act(
                eur,
                None,
                Deposit,
                date!(2024 - 01 - 02),
                [None, None, n("10000"), None],
                "EUR",
            ),
        )
        .await;
        add(
            db,
            u,
            act(
                usd,
                None,
                Deposit,
                date!(2024 - 01 - 02),
                [None, None, n("5000"), None],
                "USD",
            ),
        )
        .await;
        add(
            db,
            u,
            act(
                eur,
                Some(vwce),
                Buy,
                date!(2024 - 01 - 03),
                [n("10"), n("100.25"), None, n("1.5")],
                "EUR",
            ),
        )
        .await;
        add(
            db,
            u,
            act(
                eur,
                Some(vwce),
                Buy,
                date!(2024 - 02 - 01),
                [n("5"), n("104.1"), None, n("1.5")],
                "EUR",
            ),
        )
        .await;
        add(
            db,
            u,
            act(
                usd,
                Some(aapl),
                Buy,
                date!(2024 - 01 - 04),
                [n("5"), n("150.123456"), None, n("0.99")],
                "USD",
            ),
        )
        .await;
        add(
            db,
            u,
            act(
                eur,
                Some(vwce),
                Sell,
                date!(2024 - 03 - 01),
                [n("3"), n("110.5"), None, n("1.5")],
                "EUR",
            ),
        )
        .await;
        add(
            db,
            u,
            act(
                usd,
                Some(aapl),
                Dividend,
                date!(2024 - 02 - 15),
                [None, None, n("2.5"), None],
                "USD",
            ),
        )
        .await;
        add(
            db,
            u,
            act(
                usd,
                Some(aapl),
                Split,
                date!(2024 - 04 - 01),
                [n("4"), None, None, None],
                "USD",
            ),
        )
        .await;
        // The receiving side first, so its id is lower than the TRANSFER_OUT it links to.
        let mut incoming = act(
            second,
            Some(vwce),
            TransferIn,
            date!(2024 - 05 - 02),
            [n("2"), None, None, None],
            "EUR",
        );
        let tin = add(db, u, incoming.clone()).await;
        let tout = add(
            db,
            u,
            act(
                eur,
                Some(vwce),
                TransferOut,
                date!(2024 - 05 - 02),
                [n("2"), None, None, None],
                "EUR",
            ),
        )
        .await;
        incoming.transfer_of = Some(tout);
        activities::update_activity(db, u, tin, &incoming)
            .await
            .unwrap();
        let vwce_prices = [
            (date!(2024 - 01 - 03), "100.25"),
            (date!(2024 - 03 - 28), "112.40"),
            (date!(2024 - 06 - 28), "118.0100"),
        ];
        prices::upsert_prices(db, u, vwce, &vwce_prices.map(|(d, p)| (d, dec(p))))
            .await
            .unwrap();
        let aapl_prices = [
            (date!(2024 - 01 - 04), "150.123456"),
            (date!(2024 - 06 - 28), "52.5"),
        ];
        prices::upsert_prices(db, u, aapl, &aapl_prices.map(|(d, p)| (d, dec(p))))
            .await
            .unwrap();
        let rates: Vec<FxRate> = [
            ("2024-01-02", "0.91"),
            ("2024-03-01", "0.9234"),
            ("2024-06-28", "0.9345"),
        ]
        .iter()
        .flat_map(|(d, r)| {
            let d =
                Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
            let inverse = (Decimal::ONE / dec(r)).round_dp(10);
            [
                FxRate {
                    base: ccy("USD"),
                    quote: ccy("EUR"),
                    date: d,
                    rate: dec(r),
                },
                FxRate {
                    base: ccy("EUR"),
                    quote: ccy("USD"),
                    date: d,
                    rate: inverse,
                },
            ]
        })
        .collect();
        prices::upsert_fx_rates(db, u, &rates).await.unwrap();
    }
    folio_db::repo::templates::insert_template(
        db,
        bob,
        "My broker",
        r#"{"name":"My broker","delimiter":";"}"#,
    )
    .await
    .unwrap();
    tokens::insert_token(db, alice, &Name::parse("script").unwrap(), "ab12cd34")
        .await
        .unwrap();
    (alice, bob)
}

/// A live session (which a backup must leave out).
pub async fn session(db: &Db, user: UserId) {
    let rec = SessionRecord {
        user_id: user,
        csrf_token: "csrf-secret".into(),
        expires_at: i64::MAX / 2,
    };
    sessions::insert_session(db, "session-hash", &rec)
        .await
        .unwrap();
}

const PROBE: &str = "Probe account";

/// Adds an account and checks its id comes after every restored one.
pub async fn one_more_account(db: &Db, user: UserId) {
    let before = accounts::list_accounts(db, user).await.unwrap();
    let id = account(db, user, PROBE, "EUR").await;
    assert!(
        before.iter().all(|a| a.id.get() < id.get()),
        "new id {id} reuses a restored one"
    );
}

/// Removes the account [`one_more_account`] added.
pub async fn drop_probe_account(db: &Db, user: UserId) {
    let all = accounts::list_accounts(db, user).await.unwrap();
    let probe = all.iter().find(|a| a.name.as_str() == PROBE).unwrap();
    accounts::delete_account(db, user, probe.id).await.unwrap();
}
