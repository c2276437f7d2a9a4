//! API handlers. Inputs reuse the page forms' parsing, so both front ends accept and
//! refuse exactly the same values.

use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use folio_core::portfolio::Portfolio;
use folio_core::{AccountId, ActivityId, AssetId, Name, Price, UserId, parse_date};
use folio_db::models::{Account, Activity, Asset, PricePoint};
use folio_db::repo::{accounts, activities, assets, prices, tokens};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::{ApiError, ApiJson};
use crate::AppState;
use crate::auth::session::{self, CurrentUser};
use crate::consistency::Change;
use crate::forms::FieldErrors;
use crate::pages::{AccountInput, ActivityInput, AssetInput};
use crate::portfolio::{UserData, today};

/// The caller, authenticated by bearer token or session cookie.
pub(crate) struct ApiUser {
    id: UserId,
    base_currency: folio_core::CurrencyCode,
    settings: folio_db::models::UserSettings,
    email: String,
    /// Present when authenticated by cookie (creating tokens needs a browser session).
    session: Option<CurrentUser>,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let token = auth
                .strip_prefix("Bearer ")
                .ok_or(ApiError::Unauthorized)?
                .trim();
            let user_id = tokens::find_token_user(&state.db, &session::hash_token(token))
                .await?
                .ok_or(ApiError::Unauthorized)?;
            let user = folio_db::repo::users::get_user(&state.db, user_id).await?;
            return Ok(Self {
                id: user.id,
                base_currency: user.base_currency,
                settings: user.settings,
                email: user.email.to_string(),
                session: None,
            });
        }
        let user = session::load_user(state, &parts.headers)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !crate::auth::csrf::token_ok(&parts.headers, Some(&user), sent) {
                return Err(ApiError::Csrf);
            }
        }
        Ok(Self {
            id: user.id,
            base_currency: user.base_currency.clone(),
            settings: user.settings.clone(),
            email: user.email.clone(),
            session: Some(user),
        })
    }
}

fn parse_id<T: std::str::FromStr>(s: &str) -> Result<T, ApiError> {
    s.parse().map_err(|_| ApiError::NotFound)
}

fn created(body: impl Serialize) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

pub(crate) async fn me(user: ApiUser) -> Json<serde_json::Value> {
    Json(json!({ "id": user.id, "email": user.email, "base_currency": user.base_currency }))
}

// ---- accounts ----

#[derive(Serialize)]
pub(crate) struct AccountDto {
    id: AccountId,
    name: String,
    currency: String,
    tracks_cash: bool,
}

impl From<&Account> for AccountDto {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id,
            name: a.name.to_string(),
            currency: a.currency.to_string(),
            tracks_cash: a.tracks_cash,
        }
    }
}

/// JSON body for accounts.
#[derive(Deserialize)]
pub(crate) struct AccountBody {
    name: String,
    currency: String,
    #[serde(default = "yes")]
    tracks_cash: bool,
}

fn yes() -> bool {
    true
}

impl AccountBody {
    fn parse(&self) -> Result<folio_db::models::NewAccount, ApiError> {
        let input = AccountInput {
            name: self.name.clone(),
            currency: self.currency.clone(),
            tracks_cash: self.tracks_cash.then(|| "on".into()),
            csrf: String::new(),
        };
        input.parse().map_err(ApiError::Invalid)
    }
}

pub(crate) async fn list_accounts(
    State(s): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<AccountDto>>, ApiError> {
    Ok(Json(
        accounts::list_accounts(&s.db, user.id)
            .await?
            .iter()
            .map(AccountDto::from)
            .collect(),
    ))
}

pub(crate) async fn get_account(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AccountDto>, ApiError> {
    Ok(Json(AccountDto::from(
        &accounts::get_account(&s.db, user.id, parse_id(&id)?).await?,
    )))
}

fn dup_name(e: folio_db::DbError) -> ApiError {
    match e {
        folio_db::DbError::Conflict => {
            ApiError::Conflict("an account or asset with this name or symbol already exists")
        }
        other => other.into(),
    }
}

pub(crate) async fn create_account(
    State(s): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<AccountBody>,
) -> Result<Response, ApiError> {
    let new = body.parse()?;
    let id = accounts::insert_account(&s.db, user.id, &new)
        .await
        .map_err(dup_name)?;
    Ok(created(AccountDto::from(
        &accounts::get_account(&s.db, user.id, id).await?,
    )))
}

pub(crate) async fn update_account(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AccountBody>,
) -> Result<Json<AccountDto>, ApiError> {
    let id: AccountId = parse_id(&id)?;
    let upd = body.parse()?;
    accounts::get_account(&s.db, user.id, id).await?;
    guard(&s, &user, &Change::UpdateAccount(id, &upd)).await?;
    accounts::update_account(&s.db, user.id, id, &upd)
        .await
        .map_err(dup_name)?;
    Ok(Json(AccountDto::from(
        &accounts::get_account(&s.db, user.id, id).await?,
    )))
}

pub(crate) async fn delete_account(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: AccountId = parse_id(&id)?;
    accounts::get_account(&s.db, user.id, id).await?;
    guard(&s, &user, &Change::DeleteAccount(id)).await?;
    accounts::delete_account(&s.db, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- assets and prices ----

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
    prices::upsert_price(&s.db, user.id, id, date, close.get()).await?;
    Ok(created(PriceDto {
        date,
        close: close.get(),
    }))
}

// ---- activities ----

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
    let new = checked(&s, &user, &body, None).await?;
    let id = activities::insert_activity(&s.db, user.id, &new).await?;
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
    let id: ActivityId = parse_id(&id)?;
    activities::get_activity(&s.db, user.id, id).await?;
    let upd = checked(&s, &user, &body, Some(id)).await?;
    activities::update_activity(&s.db, user.id, id, &upd).await?;
    Ok(Json(ActivityDto::from(
        &activities::get_activity(&s.db, user.id, id).await?,
    )))
}

pub(crate) async fn delete_activity(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: ActivityId = parse_id(&id)?;
    activities::get_activity(&s.db, user.id, id).await?;
    guard(&s, &user, &Change::DeleteActivity(id)).await?;
    activities::delete_activity(&s.db, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses a change that would make the portfolio inconsistent (409 with the reason).
async fn guard(s: &AppState, user: &ApiUser, change: &Change<'_>) -> Result<(), ApiError> {
    let data = UserData::load(&s.db, user.id).await?;
    crate::consistency::check(&data, &user.base_currency, &user.settings, change)
        .map_err(|r| ApiError::Refused(r.message))
}

// ---- holdings ----

pub(crate) async fn holdings(
    State(s): State<AppState>,
    user: ApiUser,
) -> Result<Response, ApiError> {
    let data = UserData::load(&s.db, user.id).await?;
    let today = today();
    let input = data.engine_input(&user.base_currency, &user.settings, today, None);
    match Portfolio::build(input).and_then(|p| p.holdings(today)) {
        Ok(h) => Ok(Json(json!({ "base_currency": user.base_currency, "holdings": h })).into_response()),
        Err(e) => Ok((StatusCode::CONFLICT, [(header::CONTENT_TYPE, "application/problem+json")], json!({
            "type": "about:blank", "title": "Cannot value portfolio", "status": 409, "detail": e.to_string()
        }).to_string()).into_response()),
    }
}

// ---- tokens ----

/// JSON body for a new token: `{"name": "my script"}`.
#[derive(Deserialize)]
pub(crate) struct TokenBody {
    name: String,
}

pub(crate) async fn list_tokens(
    State(s): State<AppState>,
    user: ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = tokens::list_tokens(&s.db, user.id).await?;
    let items: Vec<_> = list.iter().map(|t| json!({ "id": t.id, "name": t.name, "created_at": t.created_at, "last_used_at": t.last_used_at })).collect();
    Ok(Json(json!(items)))
}

/// Creates a token; the secret is in this response only. Needs a browser session, so a
/// leaked token cannot mint more tokens.
pub(crate) async fn create_token(
    State(s): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<Response, ApiError> {
    if user.session.is_none() {
        return Err(ApiError::Unauthorized);
    }
    let mut e = FieldErrors::default();
    let Some(name) = e.check("name", Name::parse(&body.name)) else {
        return Err(ApiError::Invalid(e));
    };
    let secret = session::new_token();
    let id = tokens::insert_token(&s.db, user.id, &name, &session::hash_token(&secret)).await?;
    Ok(created(json!({ "id": id, "name": name, "token": secret })))
}

pub(crate) async fn delete_token(
    State(s): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    tokens::delete_token(&s.db, user.id, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
