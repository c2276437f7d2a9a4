//! Assets: list, create, edit, delete, and a detail page. Prices are entered on the
//! asset's price page (`/prices/{id}`, [`super::prices`]), which the detail page links to.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use folio_core::{AssetClass, AssetId, CurrencyCode, Name, PricingMode, Symbol};
use folio_db::DbError;
use folio_db::models::{Asset, NewAsset};
use folio_db::repo::{assets, prices};
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::render::{Layout, page, page_with_status};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/assets", get(list).post(create))
        .route("/assets/new", get(new_form))
        .route("/assets/{id}", get(detail).post(update))
        .route("/assets/{id}/edit", get(edit_form))
        .route("/assets/{id}/delete", post(delete))
}

/// The asset form as submitted (also used by the JSON API).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct AssetInput {
    pub symbol: String,
    pub name: String,
    pub currency: String,
    pub class: String,
    pub pricing: String,
    pub csrf: String,
}

crate::has_csrf!(AssetInput);

impl AssetInput {
    fn from_asset(a: &Asset) -> Self {
        Self {
            symbol: a.symbol.to_string(),
            name: a.name.to_string(),
            currency: a.currency.to_string(),
            class: a.class.as_str().into(),
            pricing: a.pricing.as_str().into(),
            csrf: String::new(),
        }
    }

    /// Parses into a domain value or field messages.
    pub(crate) fn parse(&self) -> Result<NewAsset, FieldErrors> {
        let mut e = FieldErrors::default();
        let symbol = e.check("symbol", Symbol::parse(&self.symbol));
        let name = e.check("name", Name::parse(&self.name));
        let currency = e.check("currency", CurrencyCode::parse(&self.currency));
        let class = e.check("class", self.class.parse::<AssetClass>());
        let pricing = e.check("pricing", self.pricing.parse::<PricingMode>());
        match (symbol, name, currency, class, pricing) {
            (Some(symbol), Some(name), Some(currency), Some(class), Some(pricing)) => {
                Ok(NewAsset {
                    symbol,
                    name,
                    currency,
                    class,
                    pricing,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Template)]
#[template(path = "assets.html")]
struct ListPage {
    layout: Layout,
    assets: Vec<Asset>,
}

#[derive(Template)]
#[template(path = "asset_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    form: AssetInput,
    errors: FieldErrors,
    classes: &'static [AssetClass],
    modes: &'static [PricingMode],
}

#[derive(Template)]
#[template(path = "asset_detail.html")]
struct DetailPage {
    layout: Layout,
    asset: Asset,
    /// Latest price and its date, "" when there is none.
    latest: String,
    price_count: usize,
    errors: FieldErrors,
}

fn layout(user: &CurrentUser, title: &str) -> Layout {
    Layout::new(title, "assets", Some(user.email.clone()), user.csrf.clone())
}

fn form_page(
    user: &CurrentUser,
    title: &str,
    action: String,
    form: AssetInput,
    errors: FieldErrors,
) -> FormPage {
    FormPage {
        layout: layout(user, title),
        action,
        form,
        errors,
        classes: AssetClass::ALL,
        modes: PricingMode::ALL,
    }
}

fn parse_id(id: &str) -> Result<AssetId, PageError> {
    id.parse().map_err(|_| PageError::NotFound)
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let assets = assets::list_assets(&state.db, user.id).await?;
    page(&ListPage {
        layout: layout(&user, "Assets"),
        assets,
    })
}

async fn new_form(user: CurrentUser) -> Result<Response, PageError> {
    let form = AssetInput {
        currency: user.base_currency.to_string(),
        class: "EQUITY".into(),
        pricing: "MANUAL".into(),
        ..Default::default()
    };
    page(&form_page(
        &user,
        "New asset",
        "/assets".into(),
        form,
        FieldErrors::default(),
    ))
}

fn symbol_taken() -> FieldErrors {
    let mut e = FieldErrors::default();
    e.add("symbol", "you already have an asset with this symbol");
    e
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<AssetInput>,
) -> Result<Response, PageError> {
    let rerender = |form, errors| {
        page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&user, "New asset", "/assets".into(), form, errors),
        )
    };
    let new = match form.parse() {
        Ok(n) => n,
        Err(errors) => return rerender(form, errors),
    };
    let _writes = state.serialize_writes(user.id).await;
    match assets::insert_asset(&state.db, user.id, &new).await {
        Ok(id) => Ok(Redirect::to(&format!("/assets/{id}")).into_response()),
        Err(DbError::Conflict) => rerender(form, symbol_taken()),
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let asset = assets::get_asset(&state.db, user.id, id).await?;
    page(&form_page(
        &user,
        "Edit asset",
        format!("/assets/{id}"),
        AssetInput::from_asset(&asset),
        FieldErrors::default(),
    ))
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<AssetInput>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let rerender = |form, errors| {
        page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&user, "Edit asset", format!("/assets/{id}"), form, errors),
        )
    };
    let upd = match form.parse() {
        Ok(u) => u,
        Err(errors) => return rerender(form, errors),
    };
    let _writes = state.serialize_writes(user.id).await;
    match assets::update_asset(&state.db, user.id, id, &upd).await {
        Ok(()) => Ok(Redirect::to(&format!("/assets/{id}")).into_response()),
        Err(DbError::Conflict) => rerender(form, symbol_taken()),
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let _writes = state.serialize_writes(user.id).await;
    match assets::delete_asset(&state.db, user.id, id).await {
        Ok(()) => Ok(Redirect::to("/assets").into_response()),
        Err(DbError::Conflict) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "delete",
                "this asset is used by activities; delete or change those first",
            );
            let asset = assets::get_asset(&state.db, user.id, id).await?;
            detail_page(&state, &user, asset, errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let asset = assets::get_asset(&state.db, user.id, id).await?;
    detail_page(&state, &user, asset, FieldErrors::default(), StatusCode::OK).await
}

/// The asset page with a summary of its prices and any messages.
async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    asset: Asset,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let prices = prices::list_prices(&state.db, user.id, asset.id).await?;
    let today = crate::portfolio::today();
    let latest = prices
        .iter()
        .find(|p| p.date <= today)
        .map_or_else(String::new, |p| {
            format!(
                "{} {} on {}",
                crate::format::price(p.close),
                asset.currency,
                p.date
            )
        });
    let layout = layout(user, asset.symbol.as_str());
    page_with_status(
        status,
        &DetailPage {
            layout,
            asset,
            latest,
            price_count: prices.len(),
            errors,
        },
    )
}
