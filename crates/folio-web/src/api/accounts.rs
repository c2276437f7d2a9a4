//! `/api/v1/accounts`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use folio_core::AccountId;
use folio_db::models::Account;
use folio_db::repo::accounts;
use serde::{Deserialize, Serialize};

use super::caller::{ApiUser, created, guard, parse_id};
use super::error::{ApiError, ApiJson};
use crate::AppState;
use crate::consistency::Change;
use crate::pages::AccountInput;

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

pub(crate) fn dup_name(e: folio_db::DbError) -> ApiError {
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
    let _writes = s.serialize_writes(user.id).await;
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
    let _writes = s.serialize_writes(user.id).await;
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
    let _writes = s.serialize_writes(user.id).await;
    let id: AccountId = parse_id(&id)?;
    accounts::get_account(&s.db, user.id, id).await?;
    guard(&s, &user, &Change::DeleteAccount(id)).await?;
    accounts::delete_account(&s.db, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
