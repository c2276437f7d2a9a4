//! Changing one's password ends every other session.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use folio_core::Password;
use folio_db::repo::users;
use serde::Deserialize;

use super::ClientAddr;
use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::render::{Layout, page_with_status};

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

crate::has_csrf!(PasswordInput);

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
    if !crate::auth::verify_password_async(form.current.clone(), Some(stored.password_hash)).await?
    {
        // Counted like a failed login, so the form cannot be used to guess passwords.
        state.throttle.record_failure(&addr, &user.email);
        errors.add("current", "this is not your current password");
    }
    if user.email == folio_core::demo::DEMO_EMAIL {
        // The demo login is published: one visitor must not lock out the others.
        errors.add(
            "password",
            "the demo user's password is shared and cannot be changed here (an operator can use `folio user passwd`)",
        );
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
    let hash = crate::auth::hash_password_async(password)
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
