//! Self-registration: the first user becomes admin; closed registration is honoured.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use folio_core::{CurrencyCode, Email, Password};
use folio_db::DbError;
use folio_db::models::NewUser;
use folio_db::repo::users;
use serde::Deserialize;

use super::{ClientAddr, with_cookie};
use crate::AppState;
use crate::auth::csrf::{CsrfForm, HasCsrf, anonymous_token};
use crate::auth::session::{self};
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::render::{Layout, page_with_status};

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
    let limit = state.cfg.signups_per_address;
    if limit > 0 && state.throttle.hit("register", &addr, limit).is_some() {
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
    let password_hash = crate::auth::hash_password_async(password)
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
