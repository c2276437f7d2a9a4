//! The API's error type: every variant documents its status; the body is a problem
//! document (`application/problem+json`) without internal detail.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use folio_db::DbError;
use serde::de::DeserializeOwned;

use crate::error::ErrorDetail;
use crate::forms::FieldErrors;

/// Why an API request failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// 401: no or invalid credentials.
    #[error("authentication required")]
    Unauthorized,
    /// 403: a cookie-authenticated unsafe request without a valid `X-CSRF-Token`.
    #[error("missing or invalid CSRF token")]
    Csrf,
    /// 404: missing, or another user's.
    #[error("not found")]
    NotFound,
    /// 400: the body is not valid JSON of the expected shape.
    #[error("malformed request body: {0}")]
    BadBody(String),
    /// 422: fields failed validation.
    #[error("validation failed")]
    Invalid(FieldErrors),
    /// 409: conflicts with existing data (duplicate name, asset in use).
    #[error("{0}")]
    Conflict(&'static str),
    /// 409: the change would make the portfolio inconsistent (the reason is for the user).
    #[error("{0}")]
    Refused(String),
    /// 503 + Retry-After: the database is at capacity or down.
    #[error("temporarily unavailable")]
    Unavailable(Duration),
    /// 500: a bug; detail is logged, never returned.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => ApiError::NotFound,
            DbError::Conflict => ApiError::Conflict("conflicts with existing data"),
            DbError::Unavailable { retry_after, .. } => ApiError::Unavailable(retry_after),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<crate::error::PageError> for ApiError {
    fn from(err: crate::error::PageError) -> Self {
        match err {
            crate::error::PageError::NotFound => ApiError::NotFound,
            crate::error::PageError::Unavailable(d) => ApiError::Unavailable(d),
            crate::error::PageError::Internal(s) => ApiError::Internal(s),
            crate::error::PageError::Refused(reason) => ApiError::Refused(reason),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, title, detail) = match &self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Send a bearer token or log in.".to_owned(),
            ),
            ApiError::Csrf => (
                StatusCode::FORBIDDEN,
                "Forbidden",
                "Cookie-authenticated changes need the X-CSRF-Token header.".to_owned(),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found",
                "No such resource.".to_owned(),
            ),
            ApiError::BadBody(msg) => (StatusCode::BAD_REQUEST, "Malformed body", msg.clone()),
            ApiError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Validation failed",
                "Some fields are invalid; see errors.".to_owned(),
            ),
            ApiError::Conflict(msg) => (StatusCode::CONFLICT, "Conflict", (*msg).to_owned()),
            ApiError::Refused(reason) => (StatusCode::CONFLICT, "Not saved", reason.clone()),
            ApiError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service busy",
                "The database is busy; retry after the indicated time.".to_owned(),
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                "The request could not be completed.".to_owned(),
            ),
        };
        let errors: BTreeMap<&str, &str> = match &self {
            ApiError::Invalid(f) => f.as_map().iter().map(|(k, v)| (*k, v.as_str())).collect(),
            _ => BTreeMap::new(),
        };
        let mut body = serde_json::json!({ "type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail });
        if !errors.is_empty() {
            body["errors"] = serde_json::json!(errors);
        }
        let mut resp = (status, body.to_string()).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let ApiError::Unavailable(d) = &self
            && let Ok(v) = HeaderValue::from_str(&d.as_secs().max(1).to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp.extensions_mut().insert(ErrorDetail(self.to_string()));
        resp
    }
}

/// `Json<T>` whose rejection is a problem document.
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::BadBody(
                "Content-Type must be application/json".into(),
            )),
            Err(e) => Err(ApiError::BadBody(e.body_text())),
        }
    }
}
