//! The page front end's error type, the error-logging middleware and the panic handler.
//!
//! Errors are logged once, in [`log_and_count`], from a detail the response carries in
//! its extensions; no internal text reaches a client.

use std::time::Duration;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use folio_db::DbError;

use crate::AppState;

/// Internal detail of a failed request, attached to the response for the log only.
#[derive(Clone, Debug)]
pub(crate) struct ErrorDetail(pub String);

/// Why a page could not be served.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PageError {
    /// Missing, or another user's: `404` with the friendly page.
    #[error("not found")]
    NotFound,
    /// The database is at capacity or down: `503` + `Retry-After`, a page that retries.
    #[error("temporarily unavailable")]
    Unavailable(Duration),
    /// The change would make the portfolio inconsistent: `409` with the reason, which
    /// is written for the user (it names their own activity, never internals).
    #[error("refused: {0}")]
    Refused(String),
    /// A bug or a broken dependency: `500` with the friendly page; detail only logged.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for PageError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => PageError::NotFound,
            DbError::Unavailable { retry_after, .. } => PageError::Unavailable(retry_after),
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(err: askama::Error) -> Self {
        PageError::Internal(format!("template: {err}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: &'static str,
    message: String,
    retry_seconds: u64,
    /// `data-theme`, so an error inside a dark-themed session stays dark.
    theme: &'static str,
}

/// Renders the friendly error page for a status.
pub(crate) fn error_page(status: StatusCode, retry: Option<Duration>) -> Response {
    let (title, message) = match status.as_u16() {
        404 => (
            "Page not found",
            "There is nothing here, or it belongs to someone else.",
        ),
        403 => (
            "Not allowed",
            "This request was refused. Reload the page you came from and try again.",
        ),
        413 => ("Too large", "That submission is larger than Folio accepts."),
        409 => (
            "Not saved",
            "This change would make your portfolio inconsistent.",
        ),
        429 => (
            "Slow down",
            "Too many attempts. Please wait a few minutes and try again.",
        ),
        503 => (
            "Busy right now",
            "Folio is handling a lot at the moment. This page will retry by itself.",
        ),
        _ => (
            "Something went wrong",
            "Folio could not complete this request. Nothing you entered was half-saved.",
        ),
    };
    let retry_seconds = retry.map_or(0, |d| d.as_secs().max(1));
    let page = ErrorPage {
        status: status.as_u16(),
        title,
        message: message.to_owned(),
        retry_seconds,
        theme: crate::display::theme_css(),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {title}", status.as_u16()));
    let mut resp = (status, Html(body)).into_response();
    if let Some(d) = retry
        && let Ok(v) = HeaderValue::from_str(&d.as_secs().max(1).to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let PageError::Refused(reason) = &self {
            return refused_page(reason);
        }
        let (status, retry) = match &self {
            PageError::Refused(_) | PageError::NotFound => (StatusCode::NOT_FOUND, None),
            PageError::Unavailable(d) => (StatusCode::SERVICE_UNAVAILABLE, Some(*d)),
            PageError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, None),
        };
        let mut resp = error_page(status, retry);
        resp.extensions_mut().insert(ErrorDetail(self.to_string()));
        resp
    }
}

/// The 409 page for a refused change, with the user-facing reason.
fn refused_page(reason: &str) -> Response {
    let page = ErrorPage {
        status: 409,
        title: "Not saved",
        message: reason.to_owned(),
        retry_seconds: 0,
        theme: crate::display::theme_css(),
    };
    let body = page.render().unwrap_or_else(|_| "409 Not saved".to_owned());
    (StatusCode::CONFLICT, Html(body)).into_response()
}

/// Logs each failed request once (with its internal detail) and counts responses.
pub(crate) async fn log_and_count(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut resp = next.run(req).await;
    let status = resp.status();
    state.metrics.record(status.as_u16());
    let detail = resp.extensions_mut().remove::<ErrorDetail>().map(|d| d.0);
    if status.is_server_error() {
        tracing::error!(%method, %path, status = status.as_u16(), detail = detail.as_deref().unwrap_or("-"), "request failed");
    } else if let Some(detail) = detail {
        tracing::debug!(%method, %path, status = status.as_u16(), %detail, "request refused");
    }
    resp
}

/// While migrations have not run, everything but health, metrics and static files is
/// answered with 503 + Retry-After (a page for browsers, a problem for the API).
pub(crate) async fn wait_for_schema(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let exempt = matches!(path, "/livez" | "/readyz" | "/metrics") || path.starts_with("/static/");
    if state.schema_ready() || exempt {
        return next.run(req).await;
    }
    let retry = Duration::from_secs(5);
    if path.starts_with("/api/") {
        crate::api::ApiError::Unavailable(retry).into_response()
    } else {
        error_page(StatusCode::SERVICE_UNAVAILABLE, Some(retry))
    }
}

/// Turns a panic inside a handler into the friendly 500 page.
pub(crate) fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    tracing::error!(panic = msg, "handler panicked");
    error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
}

impl From<crate::auth::HashError> for PageError {
    fn from(err: crate::auth::HashError) -> Self {
        match err {
            crate::auth::HashError::Busy => PageError::Unavailable(Duration::from_secs(5)),
            crate::auth::HashError::Failed(e) => PageError::Internal(e),
        }
    }
}
