//! One currency pair (`/fx/{BASE}/{QUOTE}`): its rate history newest first, a form for
//! one day's rate (also to correct one), delete, and a paste box of `date,rate` lines.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use folio_core::{CurrencyCode, parse_date};
use folio_db::models::FxRate;
use folio_db::repo::prices;
use serde::Deserialize;

use super::major;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::cache::Change;
use crate::charts::{Chart, TimeChart, Unit};
use crate::error::PageError;
use crate::format::{exact, percent, tone};
use crate::forms::FieldErrors;
use crate::paste::{PasteBox, parse_series, positive};
use crate::portfolio::today;
use crate::render::{Layout, page_with_status};

/// One day's rate for this pair, as submitted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct RateInput {
    date: String,
    rate: String,
    csrf: String,
}

crate::has_csrf!(RateInput);

/// The paste box as submitted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct PasteInput {
    lines: String,
    csrf: String,
}

crate::has_csrf!(PasteInput);

/// `?date=` opens that day's rate for correction; `?saved=` reports a paste.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ViewQuery {
    date: String,
    saved: String,
}

/// One row of the history, formatted.
struct Row {
    date: time::Date,
    rate: String,
    change: String,
    tone: &'static str,
}

#[derive(Template)]
#[template(path = "fx_pair.html")]
struct PairPage {
    layout: Layout,
    base: CurrencyCode,
    quote: CurrencyCode,
    rows: Vec<Row>,
    /// How many rates the opposite pair has (the engine inverts them when needed).
    inverse_count: usize,
    form: RateInput,
    errors: FieldErrors,
    editing: bool,
    saved: usize,
    paste: PasteBox,
    /// The history as a line chart (with its own data table).
    chart: Chart,
}

/// The pair named in the path: two different major currencies, else 404.
fn parse_pair(base: &str, quote: &str) -> Result<(CurrencyCode, CurrencyCode), PageError> {
    let base = major(base).map_err(|_| PageError::NotFound)?;
    let quote = major(quote).map_err(|_| PageError::NotFound)?;
    if base == quote {
        return Err(PageError::NotFound);
    }
    Ok((base, quote))
}

fn rows(rates: &[&FxRate]) -> Vec<Row> {
    rates
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let change = rates
                .get(i + 1)
                .map(|b| b.rate)
                .filter(|b| !b.is_zero())
                .and_then(|b| r.rate.checked_sub(b)?.checked_div(b));
            Row {
                date: r.date,
                rate: exact(r.rate),
                change: change.map_or_else(String::new, percent),
                tone: change.map_or("", tone),
            }
        })
        .collect()
}

/// Renders the pair's page; `page` carries the forms as the user left them.
async fn render(
    state: &AppState,
    user: &CurrentUser,
    mut page: PairPage,
    status: StatusCode,
) -> Result<Response, PageError> {
    let all = prices::list_fx_rates(&state.db, user.id).await?;
    let (b, q) = (&page.base, &page.quote);
    let mut mine: Vec<&FxRate> = all
        .iter()
        .filter(|r| &r.base == b && &r.quote == q)
        .collect();
    mine.reverse();
    page.inverse_count = all.iter().filter(|r| &r.base == q && &r.quote == b).count();
    page.rows = rows(&mine);
    let line = mine.iter().rev().map(|r| (r.date, r.rate)).collect();
    page.chart = TimeChart::new(format!("{q} per {b}"), Unit::Rate)
        .series(format!("{b}/{q}"), line)
        .render();
    page.paste.action = format!("/fx/{b}/{q}/paste");
    page.paste.value = "rate";
    page_with_status(status, &page)
}

fn blank(user: &CurrentUser, base: CurrencyCode, quote: CurrencyCode) -> PairPage {
    let title = format!("{base}/{quote} rates");
    PairPage {
        layout: Layout::new(title, "fx", Some(user.email.clone()), user.csrf.clone()),
        base,
        quote,
        rows: Vec::new(),
        inverse_count: 0,
        form: RateInput {
            date: today().to_string(),
            ..RateInput::default()
        },
        errors: FieldErrors::default(),
        editing: false,
        saved: 0,
        paste: PasteBox::default(),
        chart: Chart::default(),
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((base, quote)): Path<(String, String)>,
    q: Result<Query<ViewQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    // A repeated or malformed key opens the page as if none were given (never a 400).
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let (base, quote) = parse_pair(&base, &quote)?;
    let mut page = blank(&user, base, quote);
    page.saved = q.saved.parse().unwrap_or(0);
    if let Ok(date) = parse_date(&q.date) {
        let all = prices::list_fx_rates(&state.db, user.id).await?;
        let found = all
            .iter()
            .find(|r| r.base == page.base && r.quote == page.quote && r.date == date);
        if let Some(r) = found {
            page.form.rate = exact(r.rate);
            page.editing = true;
        }
        page.form.date = date.to_string();
    }
    render(&state, &user, page, StatusCode::OK).await
}

pub(super) async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((base, quote)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<RateInput>,
) -> Result<Response, PageError> {
    let (base, quote) = parse_pair(&base, &quote)?;
    let mut errors = FieldErrors::default();
    let date = errors.check("date", parse_date(&form.date));
    let rate = errors.check("rate", positive(&form.rate));
    let (Some(date), Some(rate)) = (date, rate) else {
        let mut page = blank(&user, base, quote);
        page.form = form;
        page.errors = errors;
        return render(&state, &user, page, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let to = format!("/fx/{base}/{quote}");
    let rate = FxRate {
        base,
        quote,
        date,
        rate,
    };
    let mut writes = state.serialize_writes(user.id).await;
    prices::upsert_fx_rate(&state.db, user.id, &rate).await?;
    writes.applied(Change::fx_rate(&rate));
    Ok(Redirect::to(&to).into_response())
}

pub(super) async fn paste(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((base, quote)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<PasteInput>,
) -> Result<Response, PageError> {
    let (base, quote) = parse_pair(&base, &quote)?;
    match parse_series(&input.lines, "rate") {
        Ok(points) => {
            let to = format!("/fx/{base}/{quote}?saved={}", points.len());
            let rates: Vec<FxRate> = points
                .into_iter()
                .map(|(date, rate)| FxRate {
                    base: base.clone(),
                    quote: quote.clone(),
                    date,
                    rate,
                })
                .collect();
            let mut writes = state.serialize_writes(user.id).await;
            prices::upsert_fx_rates(&state.db, user.id, &rates).await?;
            writes.applied(Change::FxRates(rates));
            Ok(Redirect::to(&to).into_response())
        }
        Err(errors) => {
            let mut page = blank(&user, base, quote);
            page.paste.text = input.lines;
            page.paste.errors = errors;
            render(&state, &user, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
