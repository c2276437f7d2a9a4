//! The API caller and helpers shared by the resource handlers.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use folio_core::UserId;
use folio_db::repo::tokens;
use serde::Serialize;
use serde_json::json;

use super::error::ApiError;
use crate::AppState;
use crate::auth::session::{self, CurrentUser};
use crate::consistency::Change;
use crate::portfolio::UserData;

/// The caller, authenticated by bearer token or session cookie.
pub(crate) struct ApiUser {
    pub(crate) id: UserId,
    pub(crate) base_currency: folio_core::CurrencyCode,
    pub(crate) settings: folio_db::models::UserSettings,
    pub(crate) email: String,
    /// Present when authenticated by cookie (creating tokens needs a browser session).
    pub(crate) session: Option<CurrentUser>,
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

pub(crate) fn parse_id<T: std::str::FromStr>(s: &str) -> Result<T, ApiError> {
    s.parse().map_err(|_| ApiError::NotFound)
}

pub(crate) fn created(body: impl Serialize) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

pub(crate) async fn me(user: ApiUser) -> Json<serde_json::Value> {
    Json(json!({ "id": user.id, "email": user.email, "base_currency": user.base_currency }))
}

/// Refuses a change that would make the portfolio inconsistent (409 with the reason).
pub(crate) async fn guard(
    s: &AppState,
    user: &ApiUser,
    change: &Change<'_>,
) -> Result<(), ApiError> {
    let data = UserData::load(&s.db, user.id).await?;
    crate::consistency::check(&data, &user.base_currency, &user.settings, change)
        .map_err(|r| ApiError::Refused(r.message))
}
