//! `/prices/missing`: what keeps the portfolio from being valued today — held assets
//! without a price or without a recent one, and currencies in use without a rate to the
//! base currency (or only an old one). Each entry links to the page that fixes it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use folio_core::portfolio::FxTable;
use folio_core::{AssetId, CurrencyCode};
use time::Date;

use super::{
    FX_HORIZON_DAYS, MANUAL_HORIZON_DAYS, MARKET_HORIZON_DAYS, age_days, held_assets, horizon,
    latest_prices, layout,
};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::{Computed, computed};
use crate::error::PageError;
use crate::format::engine_error;
use crate::render::page;

/// A held asset whose price is missing or old.
struct PriceGap {
    id: AssetId,
    symbol: String,
    name: String,
    /// Date of the latest price, "" when there is none.
    last: String,
    age: i64,
    horizon: i64,
}

/// A currency in use whose rate to the base currency is missing or old.
struct RateGap {
    currency: String,
    /// First day a rate is needed (the first activity using the currency, or today).
    needed_from: Date,
    /// What uses it: accounts, assets.
    used_by: String,
    /// Date of the latest rate, "" when there is none on or before `needed_from`.
    last: String,
    age: i64,
}

#[derive(Template)]
#[template(path = "prices_missing.html")]
struct MissingPage {
    layout: crate::render::Layout,
    base: String,
    no_price: Vec<PriceGap>,
    old_price: Vec<PriceGap>,
    no_rate: Vec<RateGap>,
    old_rate: Vec<RateGap>,
    /// The engine's reason when holdings could not be computed ("" when they were).
    engine_error: String,
    market_days: i64,
    manual_days: i64,
    fx_days: i64,
}

/// Held assets (or, when the portfolio could not be computed, every asset an activity
/// uses) whose latest price is missing or older than its horizon.
fn price_gaps(c: &Computed, held: &HashSet<AssetId>) -> (Vec<PriceGap>, Vec<PriceGap>) {
    let latest = latest_prices(c);
    let (mut none, mut old) = (Vec::new(), Vec::new());
    for a in c.data.assets.iter().filter(|a| held.contains(&a.id)) {
        let mut gap = PriceGap {
            id: a.id,
            symbol: a.symbol.to_string(),
            name: a.name.to_string(),
            last: String::new(),
            age: 0,
            horizon: horizon(a.pricing),
        };
        match latest.get(&a.id).copied() {
            None => none.push(gap),
            Some((d, _)) if age_days(d, c.as_of) > gap.horizon => {
                gap.last = d.to_string();
                gap.age = age_days(d, c.as_of);
                old.push(gap);
            }
            Some(_) => {}
        }
    }
    (none, old)
}

/// Every non-base currency in use, with the first day it is needed and what uses it.
fn currencies_in_use(c: &Computed) -> BTreeMap<CurrencyCode, (Date, BTreeSet<String>)> {
    let base = c.base.major().0;
    let mut used: BTreeMap<CurrencyCode, (Date, BTreeSet<String>)> = BTreeMap::new();
    let mut note = |code: &CurrencyCode, date: Date, what: String| {
        let major = code.major().0;
        if major != base {
            let e = used.entry(major).or_insert((date, BTreeSet::new()));
            e.0 = e.0.min(date);
            e.1.insert(what);
        }
    };
    for a in &c.data.accounts {
        let first = c
            .data
            .activities
            .iter()
            .filter(|x| x.data.account_id == a.id);
        let date = first.map(|x| x.data.date).min().unwrap_or(c.as_of);
        note(&a.currency, date, format!("account {}", a.name));
    }
    for a in &c.data.assets {
        let first = c
            .data
            .activities
            .iter()
            .filter(|x| x.data.asset_id == Some(a.id));
        let date = first.map(|x| x.data.date).min().unwrap_or(c.as_of);
        note(&a.currency, date, format!("asset {}", a.symbol));
    }
    for x in &c.data.activities {
        note(&x.data.currency, x.data.date, "activities".into());
    }
    used
}

/// Currencies without a rate on or before the day they are first needed, and those
/// whose latest rate is older than [`FX_HORIZON_DAYS`].
fn rate_gaps(c: &Computed) -> (Vec<RateGap>, Vec<RateGap>) {
    let mut fx = FxTable::new();
    for r in &c.data.fx {
        fx.insert(&r.base, &r.quote, r.date, r.rate);
    }
    let base = c.base.major().0;
    let (mut none, mut old) = (Vec::new(), Vec::new());
    for (code, (needed_from, users)) in currencies_in_use(c) {
        let latest = fx
            .series(&code, &base)
            .and_then(|s| s.on_or_before(c.as_of));
        let mut gap = RateGap {
            currency: code.to_string(),
            needed_from,
            used_by: users.into_iter().collect::<Vec<_>>().join(", "),
            last: latest.map_or_else(String::new, |(d, _)| d.to_string()),
            age: latest.map_or(0, |(d, _)| age_days(d, c.as_of)),
        };
        if fx.rate(&code, &base, needed_from).is_none() {
            none.push(gap);
        } else if gap.age > FX_HORIZON_DAYS {
            gap.needed_from = c.as_of;
            old.push(gap);
        }
    }
    (none, old)
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let (held, engine_error) = match held_assets(&c) {
        Some(held) => (held, String::new()),
        None => {
            let used = c.data.activities.iter().filter_map(|a| a.data.asset_id);
            let reason = match &c.portfolio {
                Err(e) => engine_error(e),
                Ok(_) => "holdings could not be computed".into(),
            };
            (used.collect(), reason)
        }
    };
    let (no_price, old_price) = price_gaps(&c, &held);
    let (no_rate, old_rate) = rate_gaps(&c);
    page(&MissingPage {
        layout: layout(&user, "Missing prices and rates"),
        base: c.base.to_string(),
        no_price,
        old_price,
        no_rate,
        old_rate,
        engine_error,
        market_days: MARKET_HORIZON_DAYS,
        manual_days: MANUAL_HORIZON_DAYS,
        fx_days: FX_HORIZON_DAYS,
    })
}
