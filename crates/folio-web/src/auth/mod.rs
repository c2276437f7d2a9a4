//! Sign-up, login, logout and password change, plus the session and CSRF machinery.

pub(crate) mod csrf;
mod handlers;
mod password;
pub(crate) mod session;
pub(crate) mod throttle;

use axum::Router;
use axum::routing::{get, post};

pub(crate) use handlers::safe_next;
pub use password::{HashError, hash_password};
pub(crate) use password::{hash_password_async, verify_password_async};
pub(crate) use session::CurrentUser;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/register",
            get(handlers::register_form).post(handlers::register),
        )
        .route("/login", get(handlers::login_form).post(handlers::login))
        .route("/logout", post(handlers::logout))
        .route(
            "/settings/password",
            get(handlers::password_form).post(handlers::change_password),
        )
}
