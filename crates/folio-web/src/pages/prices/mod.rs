//! Prices: every asset with its latest price and whether it is stale (`/prices`), one
//! asset's history with entry, edit, delete and a paste box (`/prices/{id}`), and what
//! is missing to value the portfolio (`/prices/missing`).
//!
//! "Stale" is defined once, here: a market-priced asset's latest price is stale when it
//! is older than [`MARKET_HORIZON_DAYS`], a manually valued one's when older than
//! [`MANUAL_HORIZON_DAYS`], an exchange rate when older than [`FX_HORIZON_DAYS`]. The
//! pages state these numbers.

mod history;
mod missing;

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use folio_core::{AssetId, PricingMode};
use rust_decimal::Decimal;
use time::Date;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::{Computed, computed};
use crate::error::PageError;
use crate::format::price;
use crate::render::{Layout, page};

/// Days a market price stays current (a week covers weekends and holidays).
pub(crate) const MARKET_HORIZON_DAYS: i64 = 7;
/// Days a manual valuation (property, collectibles) stays current: a quarter.
pub(crate) const MANUAL_HORIZON_DAYS: i64 = 90;
/// Days an exchange rate stays current.
pub(crate) const FX_HORIZON_DAYS: i64 = 7;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/prices", get(list))
        .route("/prices/missing", get(missing::show))
        .route("/prices/{id}", get(history::page).post(history::add))
        .route("/prices/{id}/paste", post(history::paste))
        .route("/prices/{id}/{date}/delete", post(history::delete))
        // The asset page's former price forms post here; same handlers, no copies.
        .route("/assets/{id}/prices", post(history::add))
        .route("/assets/{id}/prices/{date}/delete", post(history::delete))
}

/// How long a price of this kind of asset stays current.
pub(crate) const fn horizon(mode: PricingMode) -> i64 {
    match mode {
        PricingMode::Market => MARKET_HORIZON_DAYS,
        PricingMode::Manual => MANUAL_HORIZON_DAYS,
    }
}

/// Whole days from `date` to `today` (negative for a future date).
pub(crate) fn age_days(date: Date, today: Date) -> i64 {
    (today - date).whole_days()
}

/// Each asset's latest price on or before the valuation day, in one pass over the
/// user's prices.
pub(crate) fn latest_prices(c: &Computed) -> HashMap<AssetId, (Date, Decimal)> {
    let mut latest: HashMap<AssetId, (Date, Decimal)> = HashMap::new();
    for p in c.data.prices.iter().filter(|p| p.date <= c.as_of) {
        let e = latest.entry(p.asset_id).or_insert((p.date, p.close));
        if p.date >= e.0 {
            *e = (p.date, p.close);
        }
    }
    latest
}

/// Assets with units held today, or `None` when the portfolio could not be computed.
pub(crate) fn held_assets(c: &Computed) -> Option<HashSet<AssetId>> {
    let portfolio = c.portfolio.as_ref().ok()?;
    let holdings = portfolio.holdings(c.as_of).ok()?;
    Some(
        holdings
            .holdings
            .iter()
            .filter(|h| !h.quantity.is_zero())
            .map(|h| h.asset)
            .collect(),
    )
}

/// One asset on the list, formatted.
struct PriceRow {
    id: AssetId,
    symbol: String,
    name: String,
    currency: String,
    pricing: &'static str,
    latest: String,
    date: String,
    /// "none", "stale" or "ok" (also the row's CSS hook).
    status: &'static str,
    age: i64,
    held: bool,
}

#[derive(Template)]
#[template(path = "prices.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<PriceRow>,
    stale_count: usize,
    market_days: i64,
    manual_days: i64,
}

/// The user's layout for price pages.
pub(crate) fn layout(user: &CurrentUser, title: &str) -> Layout {
    Layout::new(title, "prices", Some(user.email.clone()), user.csrf.clone())
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let held = held_assets(&c).unwrap_or_default();
    let latest_prices = latest_prices(&c);
    let mut rows: Vec<PriceRow> = c
        .data
        .assets
        .iter()
        .map(|a| {
            let latest = latest_prices.get(&a.id).copied();
            let age = latest.map_or(0, |(d, _)| age_days(d, c.as_of));
            PriceRow {
                id: a.id,
                symbol: a.symbol.to_string(),
                name: a.name.to_string(),
                currency: a.currency.to_string(),
                pricing: a.pricing.label(),
                latest: latest.map_or_else(String::new, |(_, v)| price(v)),
                date: latest.map_or_else(String::new, |(d, _)| d.to_string()),
                status: match latest {
                    None => "none",
                    Some(_) if age > horizon(a.pricing) => "stale",
                    Some(_) => "ok",
                },
                age,
                held: held.contains(&a.id),
            }
        })
        .collect();
    // Held first, then what needs attention, then by symbol.
    rows.sort_by(|a, b| {
        (!a.held, a.status == "ok", &a.symbol).cmp(&(!b.held, b.status == "ok", &b.symbol))
    });
    let stale_count = rows.iter().filter(|r| r.held && r.status != "ok").count();
    page(&ListPage {
        layout: layout(&user, "Prices"),
        rows,
        stale_count,
        market_days: MARKET_HORIZON_DAYS,
        manual_days: MANUAL_HORIZON_DAYS,
    })
}
