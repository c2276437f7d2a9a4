//! One repository conformance suite, run unchanged against SQLite, MariaDB/MySQL and
//! PostgreSQL. Each test gets its own fresh database.

#![allow(clippy::unwrap_used)] // tests: a failed step should panic with its error

use std::str::FromStr;

use folio_core::portfolio::LotMethod;
use folio_core::{
    ActivityType, AssetClass, CurrencyCode, Email, Name, Note, PricingMode, Role, Symbol, UserId,
};
use folio_db::models::{
    ActivityFilter, DisplayPrefs, FxRate, NewAccount, NewActivity, NewAsset, NewUser,
    SessionRecord, Theme, UserSettings,
};
use folio_db::repo::{accounts, activities, assets, prices, sessions, templates, tokens, users};
use folio_db::testing::TestDatabase;
use folio_db::{Backend, Db, DbError};
use rust_decimal::Decimal;
use time::macros::date;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn fresh(backend: Backend) -> Option<(TestDatabase, Db)> {
    let tdb = TestDatabase::create(backend).await?;
    let db = Db::connect_lazy(&tdb.config()).unwrap();
    db.migrate().await.unwrap();
    Some((tdb, db))
}

async fn user(db: &Db, email: &str) -> UserId {
    let new = NewUser {
        email: Email::parse(email).unwrap(),
        password_hash: "$argon2id$fake".into(),
        base_currency: CurrencyCode::parse("EUR").unwrap(),
        role: None,
    };
    users::insert_user(db, &new).await.unwrap().id
}

fn account(name: &str) -> NewAccount {
    NewAccount {
        name: Name::parse(name).unwrap(),
        currency: CurrencyCode::parse("EUR").unwrap(),
        tracks_cash: true,
    }
}

fn asset(symbol: &str) -> NewAsset {
    NewAsset {
        symbol: Symbol::parse(symbol).unwrap(),
        name: Name::parse("Vanguard FTSE All-World").unwrap(),
        currency: CurrencyCode::parse("EUR").unwrap(),
        class: AssetClass::Fund,
        pricing: PricingMode::Manual,
    }
}

fn buy(
    account: folio_core::AccountId,
    asset: folio_core::AssetId,
    date: time::Date,
    qty: &str,
    price: &str,
) -> NewActivity {
    NewActivity {
        account_id: account,
        asset_id: Some(asset),
        kind: ActivityType::Buy,
        date,
        quantity: Some(dec(qty)),
        unit_price: Some(dec(price)),
        amount: None,
        fee: dec("1.5"),
        tax: Decimal::ZERO,
        currency: CurrencyCode::parse("EUR").unwrap(),
        note: Note::parse("first <b>buy</b> ✓").unwrap(),
        transfer_of: None,
    }
}

async fn migrations_are_idempotent(db: Db) {
    assert_eq!(db.migrate().await.unwrap(), 0, "second run applies nothing");
}

async fn first_user_is_admin_and_emails_are_unique(db: Db) {
    let first = users::get_user(&db, user(&db, "ann@example.com").await)
        .await
        .unwrap();
    let second = users::get_user(&db, user(&db, "bob@example.com").await)
        .await
        .unwrap();
    assert_eq!(first.role, Role::Admin);
    assert_eq!(second.role, Role::User);
    let dup = NewUser {
        email: Email::parse("ANN@example.com").unwrap(),
        password_hash: "x".into(),
        base_currency: CurrencyCode::parse("USD").unwrap(),
        role: None,
    };
    assert!(matches!(
        users::insert_user(&db, &dup).await,
        Err(DbError::Conflict)
    ));
    let found = users::find_user_by_email(&db, &Email::parse("ann@example.com").unwrap())
        .await
        .unwrap();
    assert_eq!(found.unwrap().id, first.id);
    assert_eq!(users::list_users(&db).await.unwrap().len(), 2);
}

async fn sessions_expire_and_password_change_ends_other_sessions(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let live = SessionRecord {
        user_id: ann,
        csrf_token: "c1".into(),
        expires_at: i64::MAX / 2,
    };
    let dead = SessionRecord {
        user_id: ann,
        csrf_token: "c2".into(),
        expires_at: 1,
    };
    sessions::insert_session(&db, "h-live", &live)
        .await
        .unwrap();
    sessions::insert_session(&db, "h-other", &live)
        .await
        .unwrap();
    sessions::insert_session(&db, "h-dead", &dead)
        .await
        .unwrap();
    assert_eq!(
        sessions::find_session(&db, "h-live").await.unwrap(),
        Some(live.clone())
    );
    assert_eq!(sessions::find_session(&db, "h-dead").await.unwrap(), None);
    assert_eq!(sessions::delete_expired_sessions(&db).await.unwrap(), 1);
    users::update_password(&db, ann, "new-hash", Some("h-live"))
        .await
        .unwrap();
    assert!(
        sessions::find_session(&db, "h-live")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        sessions::find_session(&db, "h-other")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        users::get_user(&db, ann).await.unwrap().password_hash,
        "new-hash"
    );
}

async fn accounts_are_scoped_to_their_owner(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let id = accounts::insert_account(&db, ann, &account("Broker <One> ü"))
        .await
        .unwrap();
    assert_eq!(
        accounts::get_account(&db, ann, id)
            .await
            .unwrap()
            .name
            .as_str(),
        "Broker <One> ü"
    );
    assert!(matches!(
        accounts::get_account(&db, bob, id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        accounts::update_account(&db, bob, id, &account("x")).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        accounts::delete_account(&db, bob, id).await,
        Err(DbError::NotFound)
    ));
    assert!(accounts::list_accounts(&db, bob).await.unwrap().is_empty());
    assert!(matches!(
        accounts::insert_account(&db, ann, &account("Broker <One> ü")).await,
        Err(DbError::Conflict)
    ));
    accounts::insert_account(&db, bob, &account("Broker <One> ü"))
        .await
        .unwrap();
    accounts::update_account(&db, ann, id, &account("Renamed"))
        .await
        .unwrap();
    accounts::update_account(&db, ann, id, &account("Renamed"))
        .await
        .unwrap();
    assert_eq!(
        accounts::list_accounts(&db, ann).await.unwrap()[0]
            .name
            .as_str(),
        "Renamed"
    );
    accounts::delete_account(&db, ann, id).await.unwrap();
    assert!(accounts::list_accounts(&db, ann).await.unwrap().is_empty());
}

async fn activities_round_trip_exact_decimals_and_filter(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let acc = accounts::insert_account(&db, ann, &account("Main"))
        .await
        .unwrap();
    let vwrl = assets::insert_asset(&db, ann, &asset("VWRL.L"))
        .await
        .unwrap();
    let mut first = buy(
        acc,
        vwrl,
        date!(2024 - 01 - 15),
        "0.1234567891",
        "99999999.0000000001",
    );
    let id = activities::insert_activity(&db, ann, &first).await.unwrap();
    let stored = activities::get_activity(&db, ann, id).await.unwrap();
    assert_eq!(
        stored.data, first,
        "every field, decimals exact to the last digit"
    );
    first.kind = ActivityType::Sell;
    first.date = date!(2024 - 03 - 01);
    first.quantity = Some(dec("0.1"));
    activities::insert_activity(&db, ann, &first).await.unwrap();
    let dividend = NewActivity {
        kind: ActivityType::Dividend,
        quantity: None,
        unit_price: None,
        amount: Some(dec("12.34")),
        ..first.clone()
    };
    activities::insert_activity(&db, ann, &dividend)
        .await
        .unwrap();
    let all = activities::list_activities(&db, ann, &ActivityFilter::default(), 0, 2)
        .await
        .unwrap();
    assert_eq!((all.total, all.items.len()), (3, 2));
    let sells = ActivityFilter {
        kind: Some(ActivityType::Sell),
        ..Default::default()
    };
    assert_eq!(
        activities::list_activities(&db, ann, &sells, 0, 50)
            .await
            .unwrap()
            .total,
        1
    );
    let feb = ActivityFilter {
        from: Some(date!(2024 - 02 - 01)),
        to: Some(date!(2024 - 02 - 29)),
        ..Default::default()
    };
    assert_eq!(
        activities::list_activities(&db, ann, &feb, 0, 50)
            .await
            .unwrap()
            .total,
        0
    );
    let ordered = activities::all_activities(&db, ann).await.unwrap();
    assert_eq!(
        ordered.first().unwrap().id,
        id,
        "booking order is date then id"
    );
}

async fn activities_cannot_reference_another_users_account_or_asset(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let ann_acc = accounts::insert_account(&db, ann, &account("Ann's"))
        .await
        .unwrap();
    let ann_asset = assets::insert_asset(&db, ann, &asset("AAPL"))
        .await
        .unwrap();
    let bob_acc = accounts::insert_account(&db, bob, &account("Bob's"))
        .await
        .unwrap();
    let new = buy(ann_acc, ann_asset, date!(2024 - 01 - 15), "1", "10");
    assert!(matches!(
        activities::insert_activity(&db, bob, &new).await,
        Err(DbError::NotFound)
    ));
    let mixed = buy(bob_acc, ann_asset, date!(2024 - 01 - 15), "1", "10");
    assert!(matches!(
        activities::insert_activity(&db, bob, &mixed).await,
        Err(DbError::NotFound)
    ));
    let id = activities::insert_activity(&db, ann, &new).await.unwrap();
    assert!(matches!(
        activities::get_activity(&db, bob, id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        activities::delete_activity(&db, bob, id).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        activities::update_activity(&db, bob, id, &mixed).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        activities::list_activities(&db, bob, &ActivityFilter::default(), 0, 10)
            .await
            .unwrap()
            .total,
        0
    );
    let res = assets::delete_asset(&db, ann, ann_asset).await;
    assert!(
        matches!(res, Err(DbError::Conflict)),
        "asset in use: {res:?}"
    );
}

async fn prices_upsert_and_stay_private(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let a = assets::insert_asset(&db, ann, &asset("BTC-USD"))
        .await
        .unwrap();
    prices::upsert_price(&db, ann, a, date!(2024 - 01 - 01), dec("42000.5"))
        .await
        .unwrap();
    prices::upsert_price(&db, ann, a, date!(2024 - 01 - 01), dec("42001.25"))
        .await
        .unwrap();
    prices::upsert_price(&db, ann, a, date!(2024 - 02 - 01), dec("0.0000000001"))
        .await
        .unwrap();
    assert!(matches!(
        prices::upsert_price(&db, bob, a, date!(2024 - 03 - 01), dec("1")).await,
        Err(DbError::NotFound)
    ));
    let list = prices::list_prices(&db, ann, a).await.unwrap();
    assert_eq!(
        list.iter().map(|p| p.close).collect::<Vec<_>>(),
        vec![dec("0.0000000001"), dec("42001.25")]
    );
    let latest = prices::latest_prices(&db, ann, date!(2024 - 01 - 31))
        .await
        .unwrap();
    assert_eq!(latest[&a].close, dec("42001.25"));
    assert!(prices::list_prices(&db, bob, a).await.unwrap().is_empty());
    assert!(matches!(
        prices::delete_price(&db, bob, a, date!(2024 - 01 - 01)).await,
        Err(DbError::NotFound)
    ));
    let rate = FxRate {
        base: CurrencyCode::parse("USD").unwrap(),
        quote: CurrencyCode::parse("EUR").unwrap(),
        date: date!(2024 - 01 - 02),
        rate: dec("0.9123"),
    };
    prices::upsert_fx_rate(&db, ann, &rate).await.unwrap();
    prices::upsert_fx_rate(
        &db,
        ann,
        &FxRate {
            rate: dec("0.92"),
            ..rate.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        prices::list_fx_rates(&db, ann).await.unwrap()[0].rate,
        dec("0.92")
    );
    assert!(prices::list_fx_rates(&db, bob).await.unwrap().is_empty());
}

async fn bulk_price_and_rate_upserts_keep_one_row_per_date_and_stay_private(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let a = assets::insert_asset(&db, ann, &asset("VWCE"))
        .await
        .unwrap();
    // 1,200 days: more than two multi-row statements; a repeated date keeps the last.
    let start = date!(2020 - 01 - 01);
    let mut points: Vec<_> = (0..1200i64)
        .map(|i| (start + time::Duration::days(i), Decimal::from(100 + i)))
        .collect();
    points.push((start, dec("99.5")));
    prices::upsert_prices(&db, ann, a, &points).await.unwrap();
    let stored = prices::list_prices(&db, ann, a).await.unwrap();
    assert_eq!(stored.len(), 1200);
    assert_eq!(stored.last().unwrap().close, dec("99.5"));
    assert!(matches!(
        prices::upsert_prices(&db, bob, a, &points).await,
        Err(DbError::NotFound)
    ));
    let usd = CurrencyCode::parse("USD").unwrap();
    let eur = CurrencyCode::parse("EUR").unwrap();
    let rates: Vec<FxRate> = (0..700i64)
        .map(|i| FxRate {
            base: usd.clone(),
            quote: eur.clone(),
            date: start + time::Duration::days(i),
            rate: dec("0.9") + Decimal::new(i, 4),
        })
        .collect();
    prices::upsert_fx_rates(&db, ann, &rates).await.unwrap();
    prices::upsert_fx_rates(&db, ann, &rates[..10])
        .await
        .unwrap();
    assert_eq!(prices::list_fx_rates(&db, ann).await.unwrap().len(), 700);
    assert!(prices::list_fx_rates(&db, bob).await.unwrap().is_empty());
}

async fn api_tokens_resolve_only_by_hash(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let id = tokens::insert_token(&db, ann, &Name::parse("script").unwrap(), "hash-a")
        .await
        .unwrap();
    assert_eq!(
        tokens::find_token_user(&db, "hash-a").await.unwrap(),
        Some(ann)
    );
    assert_eq!(tokens::find_token_user(&db, "hash-b").await.unwrap(), None);
    let used = tokens::list_tokens(&db, ann).await.unwrap();
    assert!(used[0].last_used_at.is_some(), "a use is recorded");
    assert!(matches!(
        tokens::delete_token(&db, bob, id).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(tokens::list_tokens(&db, ann).await.unwrap().len(), 1);
    tokens::delete_token(&db, ann, id).await.unwrap();
    assert_eq!(tokens::find_token_user(&db, "hash-a").await.unwrap(), None);
}

async fn mapping_templates_keep_names_unique_and_rename_in_place(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let a = templates::insert_template(&db, ann, "Broker", "{}")
        .await
        .unwrap();
    let b = templates::insert_template(&db, ann, "Bank", "{}")
        .await
        .unwrap();
    assert!(matches!(
        templates::insert_template(&db, ann, "Broker", "{\"x\":1}").await,
        Err(DbError::Conflict)
    ));
    templates::insert_template(&db, bob, "Broker", "{}")
        .await
        .unwrap();
    // Renamed in place: no copy under the old name; an unchanged save is still found.
    templates::update_template(&db, ann, a, "Broker 2", "{\"v\":2}")
        .await
        .unwrap();
    templates::update_template(&db, ann, a, "Broker 2", "{\"v\":2}")
        .await
        .unwrap();
    let names: Vec<String> = templates::list_templates(&db, ann)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["Bank", "Broker 2"]);
    assert!(matches!(
        templates::update_template(&db, ann, b, "Broker 2", "{}").await,
        Err(DbError::Conflict)
    ));
    let t = templates::get_template_by_id(&db, ann, a).await.unwrap();
    assert_eq!(
        (t.name.as_str(), t.definition.as_str()),
        ("Broker 2", "{\"v\":2}")
    );
    assert!(matches!(
        templates::get_template_by_id(&db, bob, a).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        templates::update_template(&db, bob, a, "Mine", "{}").await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        templates::get_template_by_id(&db, ann, b)
            .await
            .unwrap()
            .name,
        "Bank"
    );
}

async fn user_settings_round_trip(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let fresh = users::get_user(&db, ann).await.unwrap();
    assert_eq!(fresh.settings, UserSettings::default());
    let wanted = UserSettings {
        lot_method: LotMethod::AverageCost,
        fees_in_cost_basis: false,
    };
    let usd = CurrencyCode::parse("USD").unwrap();
    users::update_settings(&db, ann, &usd, &wanted)
        .await
        .unwrap();
    let stored = users::get_user(&db, ann).await.unwrap();
    assert_eq!(
        (stored.settings, stored.base_currency),
        (wanted.clone(), usd.clone())
    );
    let nobody = UserId::new(999_999);
    assert!(matches!(
        users::update_settings(&db, nobody, &usd, &wanted).await,
        Err(DbError::NotFound)
    ));
}

async fn display_prefs_round_trip_and_leave_the_figures_settings_alone(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let fresh = users::get_user(&db, ann).await.unwrap();
    assert_eq!(
        fresh.display,
        DisplayPrefs {
            theme: Theme::System,
            privacy_mode: false
        }
    );
    for wanted in [
        DisplayPrefs {
            theme: Theme::Dark,
            privacy_mode: true,
        },
        DisplayPrefs {
            theme: Theme::Light,
            privacy_mode: false,
        },
        DisplayPrefs {
            theme: Theme::Light,
            privacy_mode: false,
        },
    ] {
        // The last one repeats the stored values: still a success, not NotFound.
        users::update_display(&db, ann, wanted).await.unwrap();
        let stored = users::get_user(&db, ann).await.unwrap();
        assert_eq!(stored.display, wanted);
        assert_eq!(
            stored.settings, fresh.settings,
            "figures' settings unchanged"
        );
    }
    let theirs = users::get_user(&db, bob).await.unwrap();
    assert_eq!(
        theirs.display,
        DisplayPrefs::default(),
        "only Ann's row changed"
    );
    assert!(matches!(
        users::update_display(&db, UserId::new(999_999), DisplayPrefs::default()).await,
        Err(DbError::NotFound)
    ));
}

async fn a_transfer_in_links_only_to_the_users_own_activity(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let a1 = accounts::insert_account(&db, ann, &account("One"))
        .await
        .unwrap();
    let a2 = accounts::insert_account(&db, ann, &account("Two"))
        .await
        .unwrap();
    let vwrl = assets::insert_asset(&db, ann, &asset("VWRL"))
        .await
        .unwrap();
    let out = NewActivity {
        kind: ActivityType::TransferOut,
        unit_price: None,
        ..buy(a1, vwrl, date!(2024 - 05 - 01), "3", "0")
    };
    let out_id = activities::insert_activity(&db, ann, &out).await.unwrap();
    let into = NewActivity {
        kind: ActivityType::TransferIn,
        account_id: a2,
        transfer_of: Some(out_id),
        ..out.clone()
    };
    let in_id = activities::insert_activity(&db, ann, &into).await.unwrap();
    assert_eq!(
        activities::get_activity(&db, ann, in_id)
            .await
            .unwrap()
            .data
            .transfer_of,
        Some(out_id)
    );
    let b_acc = accounts::insert_account(&db, bob, &account("Bob"))
        .await
        .unwrap();
    let b_asset = assets::insert_asset(&db, bob, &asset("VWRL"))
        .await
        .unwrap();
    let steal = NewActivity {
        account_id: b_acc,
        asset_id: Some(b_asset),
        ..into.clone()
    };
    assert!(matches!(
        activities::insert_activity(&db, bob, &steal).await,
        Err(DbError::NotFound)
    ));
    activities::delete_activity(&db, ann, out_id).await.unwrap();
    assert_eq!(
        activities::get_activity(&db, ann, in_id)
            .await
            .unwrap()
            .data
            .transfer_of,
        None,
        "link cleared, row kept"
    );
}

async fn an_idle_db_handle_holds_no_connections_before_first_use(db: Db) {
    // `fresh` ran migrations; a new handle on the same URL must start with none open.
    assert_eq!(db.stats().in_use, 0);
}

async fn a_bulk_insert_links_transfers_within_the_batch_and_is_all_or_nothing(db: Db) {
    let ann = user(&db, "ann@example.com").await;
    let bob = user(&db, "bob@example.com").await;
    let a1 = accounts::insert_account(&db, ann, &account("One"))
        .await
        .unwrap();
    let a2 = accounts::insert_account(&db, ann, &account("Two"))
        .await
        .unwrap();
    let vwrl = assets::insert_asset(&db, ann, &asset("VWRL"))
        .await
        .unwrap();
    let day = date!(2024 - 05 - 01);
    let first = buy(a1, vwrl, day, "5", "100");
    let out = NewActivity {
        kind: ActivityType::TransferOut,
        unit_price: None,
        ..buy(a1, vwrl, day, "3", "0")
    };
    let into = NewActivity {
        kind: ActivityType::TransferIn,
        account_id: a2,
        ..out.clone()
    };
    // 600 rows after the transfer: more than any one statement batch on any backend.
    let mut rows = vec![first, out, into];
    rows.extend((0..600).map(|i| buy(a2, vwrl, day, &format!("{}", i + 1), "1")));
    let stored = activities::insert_activities(&db, ann, &rows, &[(2, 1)]).await;
    assert_eq!(stored.unwrap(), 603);
    // Same date: booking order is id order, which must be the input order.
    let all = activities::all_activities(&db, ann).await.unwrap();
    let data: Vec<&NewActivity> = all.iter().map(|a| &a.data).collect();
    assert_eq!(data.len(), 603);
    assert_eq!(
        (data[0].kind, data[1].kind),
        (ActivityType::Buy, ActivityType::TransferOut)
    );
    assert_eq!(data[2].kind, ActivityType::TransferIn);
    assert_eq!(
        data[2].transfer_of,
        Some(all[1].id),
        "linked to the out in the batch"
    );
    assert_eq!(data[2].account_id, a2);
    let quantities: Vec<Decimal> = data[3..].iter().map(|a| a.quantity.unwrap()).collect();
    assert_eq!(quantities, (1..=600).map(Decimal::from).collect::<Vec<_>>());

    // Another user's account anywhere in the batch, or a link that does not point
    // backwards, stores nothing.
    let b_acc = accounts::insert_account(&db, bob, &account("Bob"))
        .await
        .unwrap();
    let mut bad = rows[..3].to_vec();
    bad.push(buy(b_acc, vwrl, day, "1", "1"));
    assert!(matches!(
        activities::insert_activities(&db, ann, &bad, &[(2, 1)]).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        activities::insert_activities(&db, ann, &rows[..3], &[(1, 2)]).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        activities::insert_activities(&db, bob, &rows[..1], &[]).await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        activities::all_activities(&db, ann).await.unwrap().len(),
        603
    );
    assert!(
        activities::all_activities(&db, bob)
            .await
            .unwrap()
            .is_empty()
    );
}

macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {
        mod sqlite { use super::*; $( #[tokio::test] async fn $name() { if let Some((_t, db)) = fresh(Backend::Sqlite).await { super::$name(db).await } } )+ }
        mod mysql { use super::*; $( #[tokio::test] async fn $name() { if let Some((_t, db)) = fresh(Backend::MySql).await { super::$name(db).await } } )+ }
        mod postgres { use super::*; $( #[tokio::test] async fn $name() { if let Some((_t, db)) = fresh(Backend::Postgres).await { super::$name(db).await } } )+ }
    };
}

conformance!(
    migrations_are_idempotent,
    first_user_is_admin_and_emails_are_unique,
    sessions_expire_and_password_change_ends_other_sessions,
    accounts_are_scoped_to_their_owner,
    activities_round_trip_exact_decimals_and_filter,
    activities_cannot_reference_another_users_account_or_asset,
    prices_upsert_and_stay_private,
    bulk_price_and_rate_upserts_keep_one_row_per_date_and_stay_private,
    api_tokens_resolve_only_by_hash,
    mapping_templates_keep_names_unique_and_rename_in_place,
    an_idle_db_handle_holds_no_connections_before_first_use,
    user_settings_round_trip,
    display_prefs_round_trip_and_leave_the_figures_settings_alone,
    a_transfer_in_links_only_to_the_users_own_activity,
    a_bulk_insert_links_transfers_within_the_batch_and_is_all_or_nothing,
);
