//! CSRF protection for every state-changing request, in two layers:
//! 1. [`reject_cross_origin`]: a non-GET request whose `Origin` (or `Sec-Fetch-Site`)
//!    shows it came from another site is refused outright;
//! 2. [`CsrfForm`]: every HTML form echoes a token — the session's own token when signed
//!    in, or a random `folio_csrf` cookie value before login (double submit).
//!
//! API requests authenticated by bearer token need no token (browsers never attach one
//! by themselves); API requests using the session cookie send it in `X-CSRF-Token`.

use std::time::Duration;

use axum::extract::{Form, FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::session::{self, CurrentUser};
use crate::AppState;
use crate::error::error_page;

/// Cookie carrying the pre-login CSRF token.
pub(crate) const CSRF_COOKIE: &str = "folio_csrf";

/// A form that carries a CSRF token field.
pub(crate) trait HasCsrf {
    /// The token the form echoed.
    fn csrf(&self) -> &str;

    /// Forms shown before login (login, register) are checked against the pre-login
    /// cookie even when a session exists, since that is the token they carry.
    fn pre_login() -> bool {
        false
    }
}

/// Implements [`HasCsrf`] for a form struct with a `csrf: String` field.
#[macro_export]
#[doc(hidden)]
macro_rules! has_csrf {
    ($form:ty) => {
        impl $crate::auth::csrf::HasCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    };
}

/// Refuses cross-site state-changing requests before any handler runs.
pub(crate) async fn reject_cross_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let cross_site =
        headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site");
    let origin_mismatch = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or("");
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            origin == "null" || origin_host != host.to_str().unwrap_or("")
        }
        _ => false,
    };
    if cross_site || origin_mismatch {
        return error_page(StatusCode::FORBIDDEN, None);
    }
    next.run(req).await
}

/// The pre-login token for a form: the existing cookie's, or a new one with the
/// `Set-Cookie` header that stores it.
pub(crate) fn anonymous_token(
    state: &AppState,
    headers: &HeaderMap,
) -> (String, Option<HeaderValue>) {
    match session::cookie(headers, CSRF_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (t.to_owned(), None)
        }
        _ => {
            let token = session::new_token();
            let cookie =
                session::set_cookie(state, CSRF_COOKIE, &token, Duration::from_secs(86_400));
            (token, Some(cookie))
        }
    }
}

/// Constant-time comparison, so the check leaks nothing through timing.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks a submitted token against the session's (or the pre-login cookie's).
pub(crate) fn token_ok(headers: &HeaderMap, user: Option<&CurrentUser>, submitted: &str) -> bool {
    let expected = match user {
        Some(u) => Some(u.csrf.as_str()),
        None => session::cookie(headers, CSRF_COOKIE),
    };
    expected.is_some_and(|e| !e.is_empty() && same(e, submitted))
}

/// A url-encoded form whose CSRF token has been verified. A missing or wrong token, or
/// a body that is not a form, gets the friendly error page and nothing is changed.
pub(crate) struct CsrfForm<T>(pub T);

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + HasCsrf + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user =
            <CurrentUser as axum::extract::OptionalFromRequestParts<AppState>>::from_request_parts(
                &mut parts, state,
            )
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let req = Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(req, state)
            .await
            .map_err(|rejection| {
                let status = rejection.status();
                let status = if status == StatusCode::PAYLOAD_TOO_LARGE {
                    status
                } else {
                    StatusCode::BAD_REQUEST
                };
                error_page(status, None)
            })?;
        let user = if T::pre_login() { None } else { user };
        if !token_ok(&headers, user.as_ref(), form.csrf()) {
            return Err(error_page(StatusCode::FORBIDDEN, None));
        }
        Ok(CsrfForm(form))
    }
}

/// A form that carries nothing but the CSRF token (delete buttons, logout).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct TokenForm {
    csrf: String,
}

crate::has_csrf!(TokenForm);
