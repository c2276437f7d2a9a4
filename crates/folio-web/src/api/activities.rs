//! `/api/v1/activities` and `/api/v1/holdings`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use folio_core::{AccountId, ActivityId, AssetId, parse_date};
use folio_db::models::Activity;
use folio_db::repo::activities;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::caller::{ApiUser, created, guard, parse_id};
use super::error::{ApiError, ApiJson};
use crate::AppState;
use crate::auth::session::CurrentUser;
use crate::consistency::Change;
use crate::forms::FieldErrors;
use crate::pages::ActivityInput;
use crate::portfolio::UserData;

#[derive(Serialize)]
pub(crate) struct ActivityDto {
    id: ActivityId,
    account: AccountId,
    asset: Option<AssetId>,
    #[serde(rename = "type")]
    kind: folio_core::ActivityType,
    date: time::Date,
    quantity: Option<rust_decimal::Decimal>,
    unit_price: Option<rust_decimal::Decimal>,
    amount: Option<rust_decimal::Decimal>,
    fee: rust_decimal::Decimal,
    tax: rust_decimal::Decimal,
    currency: String,
    note: String,
}

impl From<&Activity> for ActivityDto {
    fn from(a: &Activity) -> Self {
        let d = &a.data;
        Self {
            id: a.id,
            account: d.account_id,
            asset: d.asset_id,
            kind: d.kind,
            date: d.date,
            quantity: d.quantity,
            unit_price: d.unit_price,
            amount: d.amount,
            fee: d.fee,
            tax: d.tax,
            currency: d.currency.to_string(),
            note: d.note.to_string(),
        }
    }
}

/// Query of the activity list: the page filters plus `offset`/`limit`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ActivityQuery {
    account: Option<i64>,
    asset: Option<i64>,
    #[serde(rename = "type")]
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    offset: Option<u64>,
    limit: Option<u64>,
}

pub(crate) async fn list_activities(
    State(s): State<AppState>,
    user: ApiUser,
    q: Result<Query<ActivityQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::BadBody(e.body_text()))?;
    let mut e = FieldErrors::default();
    let filter = folio_db::models::ActivityFilter {
        account_id: q.account.map(AccountId::new),
        asset_id: q.asset.map(AssetId::new),
        kind: q.kind.as_deref().and_then(|k| e.check("type", k.parse())),
        from: q
            .from
            .as_deref()
            .and_then(|d| e.check("from", parse_date(d))),
        to: q.to.as_deref().and_then(|d| e.check("to", parse_date(d))),
    };
    if !e.is_empty() {
        return Err(ApiError::Invalid(e));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let page =
        activities::list_activities(&s.db, user.id, &filter, q.offset.unwrap_or(0), limit).await?;
    let items: Vec<ActivityDto> = page.items.iter().map(ActivityDto::from).collect();
    Ok(Json(json!({ "total": page.total, "items": items })))
}

pub(crate) async fn get_activity(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ActivityDto>, ApiError> {
    Ok(Json(ActivityDto::from(
        &activities::get_activity(&s.db, user.id, parse_id(&id)?).await?,
    )))
}

async fn checked(
    s: &AppState,
    user: &ApiUser,
    body: &ActivityInput,
    editing: Option<ActivityId>,
) -> Result<folio_db::models::NewActivity, ApiError> {
    let data = UserData::load(&s.db, user.id).await?;
    let current = CurrentUser::for_api(user.id, user.base_currency.clone(), user.settings.clone());
    crate::pages::validate_activity(&data, &current, body, editing).map_err(ApiError::Invalid)
}

pub(crate) async fn create_activity(
    State(s): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<ActivityInput>,
) -> Result<Response, ApiError> {
    let mut writes = s.serialize_writes(user.id).await;
    let new = checked(&s, &user, &body, None).await?;
    let id = activities::insert_activity(&s.db, user.id, &new).await?;
    writes.applied(crate::cache::Change::activity(id, &new));
    Ok(created(ActivityDto::from(
        &activities::get_activity(&s.db, user.id, id).await?,
    )))
}

pub(crate) async fn update_activity(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActivityInput>,
) -> Result<Json<ActivityDto>, ApiError> {
    let mut writes = s.serialize_writes(user.id).await;
    let id: ActivityId = parse_id(&id)?;
    activities::get_activity(&s.db, user.id, id).await?;
    let upd = checked(&s, &user, &body, Some(id)).await?;
    activities::update_activity(&s.db, user.id, id, &upd).await?;
    writes.applied(crate::cache::Change::activity(id, &upd));
    Ok(Json(ActivityDto::from(
        &activities::get_activity(&s.db, user.id, id).await?,
    )))
}

pub(crate) async fn delete_activity(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut writes = s.serialize_writes(user.id).await;
    let id: ActivityId = parse_id(&id)?;
    activities::get_activity(&s.db, user.id, id).await?;
    guard(&s, &user, &Change::DeleteActivity(id)).await?;
    activities::delete_activity(&s.db, user.id, id).await?;
    writes.applied(crate::cache::Change::ActivityDeleted(id));
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn holdings(
    State(s): State<AppState>,
    user: ApiUser,
) -> Result<Response, ApiError> {
    let c = crate::cache::computed(&s, user.id, &user.base_currency, &user.settings).await?;
    match c.portfolio.as_ref().map_err(Clone::clone).and_then(|p| p.holdings(c.as_of)) {
        Ok(h) => Ok(Json(json!({ "base_currency": user.base_currency, "holdings": h })).into_response()),
        Err(e) => Ok((StatusCode::CONFLICT, [(header::CONTENT_TYPE, "application/problem+json")], json!({
            "type": "about:blank", "title": "Cannot value portfolio", "status": 409, "detail": e.to_string()
        }).to_string()).into_response()),
    }
}
