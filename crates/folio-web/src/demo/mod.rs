//! `folio demo` / `folio serve --demo`: creates, once, a clearly labelled demo user with
//! the generated demo portfolio (`folio_core::demo`), written through the repositories.
//!
//! Idempotent: when the demo user already has activities nothing is written or reset
//! (its password included). The activities go in last, in one transaction, so an
//! interrupted seed leaves no activities and the next start completes it: accounts and
//! assets are matched by name and symbol, and prices and rates are upserts.

mod rows;

use folio_core::demo::{DEMO_EMAIL, DEMO_PASSWORD, DemoPortfolio};
use folio_core::portfolio::Portfolio;
use folio_core::{Email, Password, Role, UserId};
use folio_db::models::{ActivityFilter, NewUser, User};
use folio_db::repo::{activities, prices, users};
use folio_db::{Db, DbError};
use rust_decimal::Decimal;
use time::Date;

use crate::portfolio::UserData;

/// What `seed` found or wrote.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The demo user's login.
    pub email: &'static str,
    /// The demo user's fixed, published password.
    pub password: &'static str,
    /// `true` when this call wrote the portfolio; `false` when it was already there.
    pub created: bool,
    /// Activities the demo user has.
    pub activities: u64,
    /// Prices and valuations the demo user has.
    pub prices: usize,
    /// FX rates the demo user has.
    pub fx_rates: usize,
    /// Total value in the base currency today, as the engine computes it.
    pub value: Decimal,
    /// The base currency.
    pub base: String,
}

/// Why the demo could not be seeded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Db(#[from] DbError),
    /// The password could not be hashed.
    #[error("password hashing: {0}")]
    Hash(String),
    /// The stored demo portfolio does not build (a bug, or the demo user's data was
    /// edited into an inconsistent state).
    #[error("the demo portfolio does not compute: {0}")]
    Engine(String),
}

/// Creates the demo user and portfolio (history up to today, UTC) unless they exist;
/// either way returns the login and what is stored.
pub async fn seed(db: &Db) -> Result<Seeded, DemoError> {
    seed_on(db, crate::portfolio::today()).await
}

/// [`seed`] with the history ending on `today` (tests pin the date).
pub async fn seed_on(db: &Db, today: Date) -> Result<Seeded, DemoError> {
    let user = demo_user(db).await?;
    let existing = count_activities(db, user.id).await?;
    let created = existing == 0;
    if created {
        let demo = folio_core::demo::generate(today);
        write(db, user.id, &demo).await?;
    }
    summary(db, &user, created, today).await
}

/// The demo user, created (as an ordinary user with base EUR) if missing.
async fn demo_user(db: &Db) -> Result<User, DemoError> {
    let email = Email::parse(DEMO_EMAIL).map_err(|e| DemoError::Hash(e.to_string()))?;
    if let Some(found) = users::find_user_by_email(db, &email).await? {
        return Ok(found);
    }
    let password = Password::parse(DEMO_PASSWORD).map_err(|e| DemoError::Hash(e.to_string()))?;
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|e| DemoError::Hash(e.to_string()))?
        .map_err(|e| DemoError::Hash(e.to_string()))?;
    let new = NewUser {
        email: email.clone(),
        password_hash: hash,
        base_currency: folio_core::CurrencyCode::parse("EUR")
            .map_err(|e| DemoError::Hash(e.to_string()))?,
        role: Some(Role::User),
    };
    match users::insert_user(db, &new).await {
        Ok(user) => Ok(user),
        // Another process created it meanwhile: use theirs.
        Err(DbError::Conflict) => users::find_user_by_email(db, &email)
            .await?
            .ok_or(DemoError::Db(DbError::NotFound)),
        Err(e) => Err(e.into()),
    }
}

async fn count_activities(db: &Db, user: UserId) -> Result<u64, DbError> {
    let page = activities::list_activities(db, user, &ActivityFilter::default(), 0, 1).await?;
    Ok(page.total)
}

/// Accounts and assets (matched by name/symbol), then prices and rates (upserts), then
/// every activity in one transaction.
async fn write(db: &Db, user: UserId, demo: &DemoPortfolio) -> Result<(), DemoError> {
    let accounts = rows::ensure_accounts(db, user, demo).await?;
    let assets = rows::ensure_assets(db, user, demo).await?;
    for (asset, id) in demo.assets.iter().zip(&assets) {
        prices::upsert_prices(db, user, *id, &asset.prices).await?;
    }
    prices::upsert_fx_rates(db, user, &rows::fx_rates(demo)).await?;
    let (new, links) = rows::activities(demo, &accounts, &assets)?;
    activities::insert_activities(db, user, &new, &links).await?;
    Ok(())
}

/// Counts what is stored and values it with the engine, as the dashboard will.
async fn summary(db: &Db, user: &User, created: bool, today: Date) -> Result<Seeded, DemoError> {
    let data = UserData::load(db, user.id)
        .await
        .map_err(|e| DemoError::Engine(e.to_string()))?;
    let input = data.engine_input(&user.base_currency, &user.settings, today, None);
    let portfolio = Portfolio::build(input).map_err(|e| DemoError::Engine(e.to_string()))?;
    let holdings = portfolio
        .holdings(today)
        .map_err(|e| DemoError::Engine(e.to_string()))?;
    Ok(Seeded {
        email: DEMO_EMAIL,
        password: DEMO_PASSWORD,
        created,
        activities: u64::try_from(data.activities.len()).unwrap_or(u64::MAX),
        prices: data.prices.len(),
        fx_rates: data.fx.len(),
        value: holdings.total.value.round_dp(2),
        base: user.base_currency.to_string(),
    })
}
