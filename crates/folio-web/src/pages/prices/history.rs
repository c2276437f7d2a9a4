//! One asset's price history: table (newest first, with the change from the previous
//! price), one-price form for adding or correcting a day, delete, and the paste box.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use folio_core::{AssetId, parse_date};
use folio_db::models::{Asset, PricePoint};
use folio_db::repo::{assets, prices};
use rust_decimal::Decimal;
use serde::Deserialize;
use time::Date;

use super::{age_days, horizon, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::cache::Change;
use crate::charts::{Chart, TimeChart, Unit};
use crate::error::PageError;
use crate::format::{exact, percent, price, tone};
use crate::forms::FieldErrors;
use crate::paste::{PasteBox, parse_series, positive};
use crate::portfolio::today;
use crate::render::page_with_status;

/// The one-price form as submitted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct PriceInput {
    date: String,
    close: String,
    csrf: String,
}

crate::has_csrf!(PriceInput);

/// The paste box as submitted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct PasteInput {
    lines: String,
    csrf: String,
}

crate::has_csrf!(PasteInput);

/// `?date=` opens that day's price for correction; `?saved=` reports a paste.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ViewQuery {
    date: String,
    saved: String,
}

/// One row of the history, formatted.
struct Row {
    date: Date,
    close: String,
    change: String,
    tone: &'static str,
}

/// The forms' state: as the user left them, with any messages.
#[derive(Default)]
struct Forms {
    form: PriceInput,
    errors: FieldErrors,
    editing: bool,
    /// Privacy mode kept the stored price out of the correction form.
    close_hidden: bool,
    saved: usize,
}

#[derive(Template)]
#[template(path = "price_history.html")]
struct HistoryPage {
    layout: crate::render::Layout,
    asset: Asset,
    rows: Vec<Row>,
    latest: String,
    stale: bool,
    horizon: i64,
    f: Forms,
    paste: PasteBox,
    /// The history as a line chart (with its own data table).
    chart: Chart,
}

fn parse_id(id: &str) -> Result<AssetId, PageError> {
    id.parse().map_err(|_| PageError::NotFound)
}

/// Rows newest first, each with its change from the price before it.
fn rows(points: &[PricePoint]) -> Vec<Row> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let before = points.get(i + 1).map(|q| q.close);
            let change = before
                .filter(|b| !b.is_zero())
                .and_then(|b| p.close.checked_sub(b)?.checked_div(b));
            Row {
                date: p.date,
                close: price(p.close),
                change: change.map_or_else(String::new, percent),
                tone: change.map_or("", tone),
            }
        })
        .collect()
}

/// Renders the page for an asset the user owns, with the forms as given.
async fn render(
    state: &AppState,
    user: &CurrentUser,
    asset: Asset,
    (f, mut paste): (Forms, PasteBox),
    status: StatusCode,
) -> Result<Response, PageError> {
    let points = prices::list_prices(&state.db, user.id, asset.id).await?;
    let today = today();
    let latest = points.iter().find(|p| p.date <= today);
    let horizon = horizon(asset.pricing);
    paste.action = format!("/prices/{}/paste", asset.id);
    paste.value = "close";
    let title = format!("{} close ({})", asset.symbol, asset.currency);
    let line = points.iter().rev().map(|p| (p.date, p.close)).collect();
    let chart = TimeChart::new(title, Unit::Price)
        .series("Close", line)
        .render();
    let page = HistoryPage {
        chart,
        layout: layout(user, &format!("{} prices", asset.symbol)),
        rows: rows(&points),
        latest: latest.map_or_else(String::new, |p| format!("{} on {}", price(p.close), p.date)),
        stale: latest.is_none_or(|p| age_days(p.date, today) > horizon),
        horizon,
        paste,
        asset,
        f,
    };
    page_with_status(status, &page)
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    q: Result<Query<ViewQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    // A repeated or malformed key opens the page as if none were given (never a 400).
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let asset = assets::get_asset(&state.db, user.id, parse_id(&id)?).await?;
    let mut f = Forms {
        saved: q.saved.parse().unwrap_or(0),
        ..Forms::default()
    };
    f.form.date = today().to_string();
    if let Ok(date) = parse_date(&q.date) {
        let points = prices::list_prices(&state.db, user.id, asset.id).await?;
        if let Some(p) = points.iter().find(|p| p.date == date) {
            // Privacy mode: the price is an amount, so it is not put in the form.
            match crate::display::privacy_on() {
                true => f.close_hidden = true,
                false => f.form.close = exact(p.close),
            }
            f.editing = true;
        }
        f.form.date = date.to_string();
    }
    render(
        &state,
        &user,
        asset,
        (f, PasteBox::default()),
        StatusCode::OK,
    )
    .await
}

fn parse_entry(form: &PriceInput) -> Result<(Date, Decimal), FieldErrors> {
    let mut e = FieldErrors::default();
    let date = e.check("date", parse_date(&form.date));
    let close = e.check("close", positive(&form.close));
    match (date, close) {
        (Some(date), Some(close)) => Ok((date, close)),
        _ => Err(e),
    }
}

pub(super) async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PriceInput>,
) -> Result<Response, PageError> {
    let asset = assets::get_asset(&state.db, user.id, parse_id(&id)?).await?;
    match parse_entry(&form) {
        Ok((date, close)) => {
            let mut writes = state.serialize_writes(user.id).await;
            prices::upsert_price(&state.db, user.id, asset.id, date, close).await?;
            writes.applied(Change::price(asset.id, date, close));
            Ok(Redirect::to(&format!("/prices/{}", asset.id)).into_response())
        }
        Err(errors) => {
            let f = Forms {
                form,
                errors,
                ..Forms::default()
            };
            let forms = (f, PasteBox::default());
            render(
                &state,
                &user,
                asset,
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub(super) async fn paste(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PasteInput>,
) -> Result<Response, PageError> {
    let asset = assets::get_asset(&state.db, user.id, parse_id(&id)?).await?;
    match parse_series(&input.lines, "close") {
        Ok(points) => {
            let mut writes = state.serialize_writes(user.id).await;
            prices::upsert_prices(&state.db, user.id, asset.id, &points).await?;
            writes.applied(Change::Prices(
                points
                    .iter()
                    .map(|&(date, close)| PricePoint {
                        asset_id: asset.id,
                        date,
                        close,
                    })
                    .collect(),
            ));
            let to = format!("/prices/{}?saved={}", asset.id, points.len());
            Ok(Redirect::to(&to).into_response())
        }
        Err(errors) => {
            let mut f = Forms::default();
            f.form.date = today().to_string();
            let paste = PasteBox {
                text: input.lines,
                errors,
                ..PasteBox::default()
            };
            render(
                &state,
                &user,
                asset,
                (f, paste),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub(super) async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, date)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let date = parse_date(&date).map_err(|_| PageError::NotFound)?;
    let mut writes = state.serialize_writes(user.id).await;
    prices::delete_price(&state.db, user.id, id, date).await?;
    writes.applied(Change::PriceDeleted(id, date));
    Ok(Redirect::to(&format!("/prices/{id}")).into_response())
}
