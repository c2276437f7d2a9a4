//! `/api/v1/tokens`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use folio_core::Name;
use folio_db::repo::tokens;
use serde::Deserialize;
use serde_json::json;

use super::caller::{ApiUser, created, parse_id};
use super::error::{ApiError, ApiJson};
use crate::AppState;
use crate::auth::session::{self};
use crate::forms::FieldErrors;

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
