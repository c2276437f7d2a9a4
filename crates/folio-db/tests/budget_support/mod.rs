//! Shared load for the connection-budget tests: seeded users and a bounded burst of
//! concurrent repository calls mixing reads and writes, classified like HTTP would be
//! (2xx, 503, or 500).

#![allow(dead_code, reason = "each test binary uses a different part")]
#![allow(
    clippy::unwrap_used,
    reason = "test set-up: a failed step should panic"
)]

use std::collections::BTreeMap;
use std::str::FromStr;

use folio_core::{
    AccountId, ActivityId, ActivityType, AssetClass, AssetId, CurrencyCode, Email, Name, Note,
    PricingMode, Symbol, UserId,
};
use folio_db::models::{ActivityFilter, NewAccount, NewActivity, NewAsset, NewUser};
use folio_db::repo::{accounts, activities, assets, prices, users};
use folio_db::{Db, DbError};
use rust_decimal::Decimal;
use time::macros::date;

/// One seeded user with an account and an asset.
#[derive(Clone, Copy)]
pub struct Owner {
    pub user: UserId,
    pub account: AccountId,
    pub asset: AssetId,
}

/// What a burst produced.
#[derive(Default, Debug)]
pub struct Outcome {
    /// Operations that succeeded (a 2xx).
    pub ok: u32,
    /// Operations refused as unavailable (a 503), by reason.
    pub unavailable: BTreeMap<&'static str, u32>,
    /// Anything else (a 500): must stay empty.
    pub other: Vec<String>,
    /// Activities whose insert was acknowledged.
    pub written: Vec<(UserId, ActivityId)>,
}

impl Outcome {
    pub fn merge(&mut self, other: Outcome) {
        self.ok += other.ok;
        for (k, v) in other.unavailable {
            *self.unavailable.entry(k).or_default() += v;
        }
        self.other.extend(other.other);
        self.written.extend(other.written);
    }

    pub fn unavailable_total(&self) -> u32 {
        self.unavailable.values().sum()
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

/// Creates `n` users, each with an account and an asset.
pub async fn seed(db: &Db, n: usize) -> Vec<Owner> {
    let mut owners = Vec::new();
    for i in 0..n {
        let new = NewUser {
            email: Email::parse(&format!("load{i}@example.com")).unwrap(),
            password_hash: "$argon2id$fake".into(),
            base_currency: CurrencyCode::parse("EUR").unwrap(),
            role: None,
        };
        let user = users::insert_user(db, &new).await.unwrap().id;
        let account = accounts::insert_account(
            db,
            user,
            &NewAccount {
                name: Name::parse("Broker").unwrap(),
                currency: CurrencyCode::parse("EUR").unwrap(),
                tracks_cash: true,
            },
        )
        .await
        .unwrap();
        let asset = assets::insert_asset(
            db,
            user,
            &NewAsset {
                symbol: Symbol::parse("VWCE").unwrap(),
                name: Name::parse("All-World").unwrap(),
                currency: CurrencyCode::parse("EUR").unwrap(),
                class: AssetClass::Fund,
                pricing: PricingMode::Manual,
            },
        )
        .await
        .unwrap();
        owners.push(Owner {
            user,
            account,
            asset,
        });
    }
    owners
}

fn buy(o: Owner) -> NewActivity {
    NewActivity {
        account_id: o.account,
        asset_id: Some(o.asset),
        kind: ActivityType::Buy,
        date: date!(2024 - 03 - 01),
        quantity: Some(dec("2")),
        unit_price: Some(dec("101.25")),
        amount: None,
        fee: dec("1"),
        tax: Decimal::ZERO,
        currency: CurrencyCode::parse("EUR").unwrap(),
        note: Note::parse("load").unwrap(),
        transfer_of: None,
    }
}

enum Done {
    Ok(Option<(UserId, ActivityId)>),
    Err(DbError),
}

async fn one_op(db: Db, o: Owner, i: usize) -> Done {
    let r = match i % 5 {
        0 => activities::insert_activity(&db, o.user, &buy(o))
            .await
            .map(|id| Some((o.user, id))),
        1 => activities::list_activities(&db, o.user, &ActivityFilter::default(), 0, 50)
            .await
            .map(|_| None),
        2 => accounts::list_accounts(&db, o.user).await.map(|_| None),
        3 => prices::upsert_price(&db, o.user, o.asset, date!(2024 - 03 - 02), dec("102.5"))
            .await
            .map(|_| None),
        _ => users::get_user(&db, o.user).await.map(|_| None),
    };
    match r {
        Ok(w) => Done::Ok(w),
        Err(e) => Done::Err(e),
    }
}

/// Runs `ops` operations at once (one task each) and classifies the results.
pub async fn burst(db: &Db, owners: &[Owner], ops: usize, salt: usize) -> Outcome {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..ops {
        let o = owners[(i + salt) % owners.len()];
        set.spawn(one_op(db.clone(), o, i + salt));
    }
    let mut out = Outcome::default();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(Done::Ok(w)) => {
                out.ok += 1;
                out.written.extend(w);
            }
            Ok(Done::Err(DbError::Unavailable { reason, .. })) => {
                *out.unavailable.entry(reason.label()).or_default() += 1;
            }
            Ok(Done::Err(e)) => out.other.push(e.to_string()),
            Err(e) => out.other.push(format!("task panicked: {e}")),
        }
    }
    out
}

/// Like [`burst`], but an operation still running after `limit` counts as hung (a
/// failure): the deadline must always answer.
pub async fn burst_bounded(
    db: &Db,
    owners: &[Owner],
    ops: usize,
    salt: usize,
    limit: std::time::Duration,
) -> Outcome {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..ops {
        let o = owners[(i + salt) % owners.len()];
        let db = db.clone();
        set.spawn(async move { tokio::time::timeout(limit, one_op(db, o, i + salt)).await });
    }
    let mut out = Outcome::default();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(Ok(Done::Ok(w))) => {
                out.ok += 1;
                out.written.extend(w);
            }
            Ok(Ok(Done::Err(DbError::Unavailable { reason, .. }))) => {
                *out.unavailable.entry(reason.label()).or_default() += 1;
            }
            Ok(Ok(Done::Err(e))) => out.other.push(e.to_string()),
            Ok(Err(_elapsed)) => out.other.push(format!("hung past {limit:?}")),
            Err(e) => out.other.push(format!("task panicked: {e}")),
        }
    }
    out
}
