//! `/api/v1/assets` and their prices.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use folio_core::{AssetId, Price, parse_date};
use folio_db::models::{Asset, PricePoint};
use folio_db::repo::{assets, prices};
use serde::{Deserialize, Serialize};

use super::accounts::dup_name;
use super::caller::{ApiUser, created, parse_id};
use super::error::{ApiError, ApiJson};
use crate::AppState;
use crate::forms::FieldErrors;
use crate::pages::AssetInput;

#[derive(Serialize)]
pub(crate) struct AssetDto {
    id: AssetId,
    symbol: String,
    name: String,
    currency: String,
    class: folio_core::AssetClass,
    pricing: folio_core::PricingMode,
}

impl From<&Asset> for AssetDto {
    fn from(a: &Asset) -> Self {
        Self {
            id: a.id,
            symbol: a.symbol.to_string(),
            name: a.name.to_string(),
            currency: a.currency.to_string(),
            class: a.class,
            pricing: a.pricing,
        }
    }
}

/// JSON body for assets (same fields as the form).
#[derive(Deserialize)]
pub(crate) struct AssetBody {
    symbol: String,
    name: String,
    currency: String,
    class: String,
    #[serde(default = "manual")]
    pricing: String,
}

fn manual() -> String {
    "MANUAL".into()
}

impl AssetBody {
    fn parse(&self) -> Result<folio_db::models::NewAsset, ApiError> {
        let input = AssetInput {
            symbol: self.symbol.clone(),
            name: self.name.clone(),
            currency: self.currency.clone(),
            class: self.class.clone(),
            pricing: self.pricing.clone(),
            csrf: String::new(),
        };
        input.parse().map_err(ApiError::Invalid)
    }
}

pub(crate) async fn list_assets(
    State(s): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<AssetDto>>, ApiError> {
    Ok(Json(
        assets::list_assets(&s.db, user.id)
            .await?
            .iter()
            .map(AssetDto::from)
            .collect(),
    ))
}

pub(crate) async fn get_asset(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AssetDto>, ApiError> {
    Ok(Json(AssetDto::from(
        &assets::get_asset(&s.db, user.id, parse_id(&id)?).await?,
    )))
}

pub(crate) async fn create_asset(
    State(s): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<AssetBody>,
) -> Result<Response, ApiError> {
    let _writes = s.serialize_writes(user.id).await;
    let id = assets::insert_asset(&s.db, user.id, &body.parse()?)
        .await
        .map_err(dup_name)?;
    Ok(created(AssetDto::from(
        &assets::get_asset(&s.db, user.id, id).await?,
    )))
}

pub(crate) async fn update_asset(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssetBody>,
) -> Result<Json<AssetDto>, ApiError> {
    let id: AssetId = parse_id(&id)?;
    let _writes = s.serialize_writes(user.id).await;
    assets::update_asset(&s.db, user.id, id, &body.parse()?)
        .await
        .map_err(dup_name)?;
    Ok(Json(AssetDto::from(
        &assets::get_asset(&s.db, user.id, id).await?,
    )))
}

pub(crate) async fn delete_asset(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let _writes = s.serialize_writes(user.id).await;
    match assets::delete_asset(&s.db, user.id, parse_id(&id)?).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(folio_db::DbError::Conflict) => {
            Err(ApiError::Conflict("the asset is used by activities"))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
pub(crate) struct PriceDto {
    date: time::Date,
    close: rust_decimal::Decimal,
}

impl From<&PricePoint> for PriceDto {
    fn from(p: &PricePoint) -> Self {
        Self {
            date: p.date,
            close: p.close,
        }
    }
}

/// JSON body for a price: `{"date": "2024-01-31", "close": "123.45"}`.
#[derive(Deserialize)]
pub(crate) struct PriceBody {
    date: String,
    close: String,
}

pub(crate) async fn list_prices(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PriceDto>>, ApiError> {
    let id: AssetId = parse_id(&id)?;
    assets::get_asset(&s.db, user.id, id).await?;
    Ok(Json(
        prices::list_prices(&s.db, user.id, id)
            .await?
            .iter()
            .map(PriceDto::from)
            .collect(),
    ))
}

pub(crate) async fn add_price(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PriceBody>,
) -> Result<Response, ApiError> {
    let id: AssetId = parse_id(&id)?;
    let mut e = FieldErrors::default();
    let date = e.check("date", parse_date(&body.date));
    let close = e.check("close", Price::parse(&body.close));
    let (Some(date), Some(close)) = (date, close) else {
        return Err(ApiError::Invalid(e));
    };
    let mut writes = s.serialize_writes(user.id).await;
    prices::upsert_price(&s.db, user.id, id, date, close.get()).await?;
    writes.applied(crate::cache::Change::price(id, date, close.get()));
    Ok(created(PriceDto {
        date,
        close: close.get(),
    }))
}
