//! Manually entered exchange rates: the latest on or before a day converts that day's
//! values; a missing rate is reported on the dashboard, never guessed. `/fx` lists the
//! pairs with their latest rate and takes a rate for any pair; each pair has its own
//! history page ([`pair`]) with a paste box.

mod pair;

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use folio_core::{CurrencyCode, parse_date};
use folio_db::models::FxRate;
use folio_db::repo::prices;
use serde::Deserialize;
use time::Date;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::error::PageError;
use crate::format::exact;
use crate::forms::FieldErrors;
use crate::pages::prices::{FX_HORIZON_DAYS, age_days};
use crate::paste::positive;
use crate::render::{Layout, page_with_status};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/fx", get(list).post(add))
        .route("/fx/{base}/{quote}", get(pair::page).post(pair::add))
        .route("/fx/{base}/{quote}/paste", post(pair::paste))
        .route("/fx/{base}/{quote}/{date}/delete", post(delete))
}

/// The rate form as submitted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct FxInput {
    base: String,
    quote: String,
    date: String,
    rate: String,
    csrf: String,
}

crate::has_csrf!(FxInput);

impl FxInput {
    fn parse(&self) -> Result<FxRate, FieldErrors> {
        let mut e = FieldErrors::default();
        let base = e.check("base", major(&self.base));
        let quote = e.check("quote", major(&self.quote));
        if base.is_some() && base == quote {
            e.add("quote", "choose two different currencies");
        }
        let date = e.check("date", parse_date(&self.date));
        let rate = e.check("rate", positive(&self.rate));
        match (base, quote, date, rate) {
            (Some(base), Some(quote), Some(date), Some(rate)) if e.is_empty() => Ok(FxRate {
                base,
                quote,
                date,
                rate,
            }),
            _ => Err(e),
        }
    }
}

/// A major currency code (rates are stored between major currencies only).
pub(crate) fn major(code: &str) -> Result<CurrencyCode, folio_core::InvalidValue> {
    CurrencyCode::parse(code).and_then(|c| {
        if c.is_minor_unit() {
            Err(folio_core::InvalidValue(
                "enter the major currency (e.g. GBP); minor units like GBp are converted by Folio"
                    .into(),
            ))
        } else {
            Ok(c)
        }
    })
}

/// One currency pair on the list, formatted.
struct PairRow {
    base: String,
    quote: String,
    latest: String,
    date: String,
    count: usize,
    stale: bool,
}

/// The user's pairs as stored, each with its latest rate on or before today.
fn pair_rows(rates: &[FxRate], today: Date) -> Vec<PairRow> {
    let mut pairs: BTreeMap<(&str, &str), (usize, Option<&FxRate>)> = BTreeMap::new();
    for r in rates {
        let e = pairs
            .entry((r.base.as_str(), r.quote.as_str()))
            .or_default();
        e.0 += 1;
        if r.date <= today && e.1.is_none_or(|l| r.date >= l.date) {
            e.1 = Some(r);
        }
    }
    pairs
        .into_iter()
        .map(|((base, quote), (count, latest))| PairRow {
            base: base.to_owned(),
            quote: quote.to_owned(),
            latest: latest.map_or_else(String::new, |r| exact(r.rate)),
            date: latest.map_or_else(String::new, |r| r.date.to_string()),
            count,
            stale: latest.is_none_or(|r| age_days(r.date, today) > FX_HORIZON_DAYS),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "fx.html")]
struct FxPage {
    layout: Layout,
    pairs: Vec<PairRow>,
    fx_days: i64,
    form: FxInput,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    form: FxInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let rates = prices::list_fx_rates(&state.db, user.id).await?;
    let pairs = pair_rows(&rates, crate::portfolio::today());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = Layout::new(
        "Exchange rates",
        "fx",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page_with_status(
        status,
        &FxPage {
            layout,
            pairs,
            fx_days: FX_HORIZON_DAYS,
            form,
            errors,
        },
    )
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let form = FxInput {
        quote: user.base_currency.to_string(),
        date: crate::portfolio::today().to_string(),
        ..Default::default()
    };
    render(&state, &user, form, FieldErrors::default()).await
}

async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<FxInput>,
) -> Result<Response, PageError> {
    match form.parse() {
        Ok(rate) => {
            let mut writes = state.serialize_writes(user.id).await;
            prices::upsert_fx_rate(&state.db, user.id, &rate).await?;
            writes.applied(crate::cache::Change::fx_rate(&rate));
            Ok(Redirect::to(&format!("/fx/{}/{}", rate.base, rate.quote)).into_response())
        }
        Err(errors) => render(&state, &user, form, errors).await,
    }
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((base, quote, date)): Path<(String, String, String)>,
    CsrfForm(_): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let base = CurrencyCode::parse(&base).map_err(|_| PageError::NotFound)?;
    let quote = CurrencyCode::parse(&quote).map_err(|_| PageError::NotFound)?;
    let date = parse_date(&date).map_err(|_| PageError::NotFound)?;
    let mut writes = state.serialize_writes(user.id).await;
    prices::delete_fx_rate(&state.db, user.id, &base, &quote, date).await?;
    let to = format!("/fx/{base}/{quote}");
    writes.applied(crate::cache::Change::FxRateDeleted(base, quote, date));
    Ok(Redirect::to(&to).into_response())
}
