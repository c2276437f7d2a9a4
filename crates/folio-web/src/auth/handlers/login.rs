//! Login (with throttling and session rotation) and logout.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use folio_core::Email;
use folio_db::repo::users;
use serde::Deserialize;

use super::{ClientAddr, safe_next, with_cookie};
use crate::AppState;
use crate::auth::csrf::{CsrfForm, HasCsrf, anonymous_token};
use crate::auth::session::{self};
use crate::error::PageError;
use crate::render::{Layout, page_with_status};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    message: String,
}

/// The login form as submitted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LoginInput {
    email: String,
    password: String,
    next: String,
    csrf: String,
}

impl HasCsrf for LoginInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }

    fn pre_login() -> bool {
        true
    }
}

/// `?next=` on the login page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NextQuery {
    next: String,
}

pub(crate) async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    let (csrf, cookie) = anonymous_token(&state, &headers);
    let page = LoginPage {
        layout: Layout::new("Log in", "login", None, csrf),
        email: String::new(),
        next: safe_next(&q.next).to_owned(),
        message: String::new(),
    };
    Ok(with_cookie(
        page_with_status(StatusCode::OK, &page)?,
        cookie,
    ))
}

pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LoginInput>,
) -> Result<Response, PageError> {
    let (csrf, _) = anonymous_token(&state, &headers);
    let key = form.email.trim().to_lowercase();
    let next = safe_next(&form.next).to_owned();
    let fail = |status, message: &str| {
        let page = LoginPage {
            layout: Layout::new("Log in", "login", None, csrf.clone()),
            email: form.email.clone(),
            next: next.clone(),
            message: message.to_owned(),
        };
        page_with_status(status, &page)
    };
    if let Some(wait) = state.throttle.blocked(&addr, &key) {
        let minutes = wait.as_secs().div_ceil(60);
        return fail(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("Too many failed attempts. Try again in {minutes} minute(s)."),
        );
    }
    let user = match Email::parse(&form.email) {
        Ok(email) => users::find_user_by_email(&state.db, &email).await?,
        Err(_) => None,
    };
    let ok = crate::auth::verify_password_async(
        form.password.clone(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let Some(user) = user.filter(|_| ok) else {
        state.throttle.record_failure(&addr, &key);
        return fail(StatusCode::UNAUTHORIZED, "Email or password is incorrect.");
    };
    state.throttle.record_success(&key);
    // Rotate: the pre-login session (if any) ends, a new id is issued.
    session::end_session(&state, &headers).await?;
    let cookie = session::start_session(&state, &user).await?;
    Ok(with_cookie(
        Redirect::to(&next).into_response(),
        Some(cookie),
    ))
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<crate::auth::csrf::TokenForm>,
) -> Result<Response, PageError> {
    session::end_session(&state, &headers).await?;
    let clear = session::set_cookie(
        &state,
        session::SESSION_COOKIE,
        "",
        std::time::Duration::ZERO,
    );
    Ok(with_cookie(Redirect::to("/").into_response(), Some(clear)))
}
