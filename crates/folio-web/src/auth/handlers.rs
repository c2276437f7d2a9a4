//! Handlers for register, login, logout and change password.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use folio_core::{CurrencyCode, Email, Password};
use folio_db::DbError;
use folio_db::models::NewUser;
use folio_db::repo::users;
use serde::Deserialize;

use super::csrf::{CsrfForm, HasCsrf, anonymous_token};
use super::session::{self, CurrentUser};
use crate::AppState;
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::render::{Layout, page_with_status};

/// The client's address, for throttling: the socket peer, or the first
/// `X-Forwarded-For` entry when the operator said a proxy is trusted.
pub(crate) struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.cfg.trust_proxy {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok());
            // The rightmost entry is the one our proxy appended; entries to its left
            // are whatever the client sent and cannot be trusted.
            if let Some(last) = forwarded.and_then(|v| v.rsplit(',').next()).map(str::trim)
                && !last.is_empty()
            {
                return Ok(Self(last.to_owned()));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(Self(peer.unwrap_or_else(|| "unknown".into())))
    }
}

fn with_cookie(mut resp: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// Only local paths may be redirect targets (no `//evil.example`).
/// Only local paths may be redirect targets: a `/` followed by URL-safe characters, no
/// second `/` or `\` (protocol-relative URLs), no control or space characters (browsers
/// drop tabs and newlines, which would turn `/\t/evil` into `//evil`).
pub(crate) fn safe_next(next: &str) -> &str {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~/?=&%+".contains(&b);
    let bytes = next.as_bytes();
    let local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|&b| allowed(b));
    if local { next } else { "/dashboard" }
}

// ---- register ----

/// Sign-ups allowed per client address per throttle window (each costs a password hash).
const REGISTRATIONS_PER_ADDRESS: u32 = 20;

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    form: RegisterInput,
    errors: FieldErrors,
    closed: bool,
}

/// The register form as submitted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RegisterInput {
    email: String,
    password: String,
    confirm: String,
    currency: String,
    csrf: String,
}

impl HasCsrf for RegisterInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }

    fn pre_login() -> bool {
        true
    }
}

async fn registration_allowed(state: &AppState) -> Result<bool, PageError> {
    Ok(state.cfg.registration_open || users::count_users(&state.db).await? == 0)
}

pub(crate) async fn register_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (csrf, cookie) = anonymous_token(&state, &headers);
    let closed = !registration_allowed(&state).await?;
    let form = RegisterInput {
        currency: "USD".into(),
        ..Default::default()
    };
    let page = RegisterPage {
        layout: Layout::new("Create your account", "register", None, csrf),
        form,
        errors: FieldErrors::default(),
        closed,
    };
    Ok(with_cookie(
        page_with_status(StatusCode::OK, &page)?,
        cookie,
    ))
}

pub(crate) async fn register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    CsrfForm(mut form): CsrfForm<RegisterInput>,
) -> Result<Response, PageError> {
    let (csrf, _) = anonymous_token(&state, &headers);
    let layout = Layout::new("Create your account", "register", None, csrf);
    if !registration_allowed(&state).await? {
        let page = RegisterPage {
            layout,
            form: RegisterInput::default(),
            errors: FieldErrors::default(),
            closed: true,
        };
        return page_with_status(StatusCode::FORBIDDEN, &page);
    }
    let mut errors = FieldErrors::default();
    let email = errors.check("email", Email::parse(&form.email));
    let password = errors.check("password", Password::parse(&form.password));
    if password.is_some() && form.password != form.confirm {
        errors.add("confirm", "the two passwords differ");
    }
    let currency = errors.check("currency", CurrencyCode::parse(&form.currency));
    form.password.clear();
    form.confirm.clear();
    let (Some(email), Some(password), Some(base_currency), true) =
        (email, password, currency, errors.is_empty())
    else {
        return page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &RegisterPage {
                layout,
                form,
                errors,
                closed: false,
            },
        );
    };
    if state
        .throttle
        .hit("register", &addr, REGISTRATIONS_PER_ADDRESS)
        .is_some()
    {
        errors.add(
            "email",
            "too many sign-ups from your address; try again later",
        );
        let page = RegisterPage {
            layout,
            form,
            errors,
            closed: false,
        };
        return page_with_status(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let password_hash = super::hash_password_async(password)
        .await
        .map_err(PageError::from)?;
    let new = NewUser {
        email,
        password_hash,
        base_currency,
        role: None,
    };
    match users::insert_user(&state.db, &new).await {
        Ok(user) => {
            let cookie = session::start_session(&state, &user).await?;
            Ok(with_cookie(
                Redirect::to("/dashboard").into_response(),
                Some(cookie),
            ))
        }
        Err(DbError::Conflict) => {
            errors.add(
                "email",
                "an account with this email already exists; log in instead",
            );
            page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage {
                    layout,
                    form,
                    errors,
                    closed: false,
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

// ---- login ----

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
    let ok = super::verify_password_async(
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

// ---- logout ----

pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<super::csrf::TokenForm>,
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

// ---- change password ----

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    errors: FieldErrors,
    done: bool,
}

/// The change-password form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PasswordInput {
    current: String,
    password: String,
    confirm: String,
    csrf: String,
}

impl HasCsrf for PasswordInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub(crate) async fn password_form(user: CurrentUser) -> Result<Response, PageError> {
    let layout = Layout::new("Change password", "settings", Some(user.email), user.csrf);
    page_with_status(
        StatusCode::OK,
        &PasswordPage {
            layout,
            errors: FieldErrors::default(),
            done: false,
        },
    )
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<PasswordInput>,
) -> Result<Response, PageError> {
    let layout = Layout::new(
        "Change password",
        "settings",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    let mut errors = FieldErrors::default();
    if state.throttle.blocked(&addr, &user.email).is_some() {
        errors.add(
            "current",
            "too many wrong passwords; try again in a few minutes",
        );
        let page = PasswordPage {
            layout,
            errors,
            done: false,
        };
        return page_with_status(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let stored = users::get_user(&state.db, user.id).await?;
    if !super::verify_password_async(form.current.clone(), Some(stored.password_hash)).await? {
        // Counted like a failed login, so the form cannot be used to guess passwords.
        state.throttle.record_failure(&addr, &user.email);
        errors.add("current", "this is not your current password");
    }
    let password = errors.check("password", Password::parse(&form.password));
    if password.is_some() && form.password != form.confirm {
        errors.add("confirm", "the two passwords differ");
    }
    let (Some(password), true) = (password, errors.is_empty()) else {
        return page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                layout,
                errors,
                done: false,
            },
        );
    };
    let hash = super::hash_password_async(password)
        .await
        .map_err(PageError::from)?;
    folio_db::repo::users::update_password(&state.db, user.id, &hash, Some(&user.session_hash))
        .await?;
    state
        .sessions
        .remove_user_except(user.id, &user.session_hash);
    page_with_status(
        StatusCode::OK,
        &PasswordPage {
            layout,
            errors,
            done: true,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_local_paths_are_redirect_targets() {
        assert_eq!(
            safe_next("/activities?type=BUY&page=2"),
            "/activities?type=BUY&page=2"
        );
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/x",
            "https://evil.example",
            "",
            "dashboard",
            "/a b",
            "/\u{7f}",
        ] {
            assert_eq!(safe_next(bad), "/dashboard", "{bad:?}");
        }
    }
}
