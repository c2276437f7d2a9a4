//! How the user's pages look: the theme (light, dark, as the device prefers) and privacy
//! mode (every amount hidden, percentages kept), set on the settings page; privacy mode
//! also from the toggle every page's navigation carries.
//!
//! Neither changes a figure, so these handlers do not take the user's write guard (that
//! would throw away the cached portfolio for nothing); they forget the user's cached
//! sessions so the next request reads the new preferences.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use folio_db::models::{DisplayPrefs, Theme};
use folio_db::repo::users;
use serde::Deserialize;

use crate::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{CurrentUser, safe_next};
use crate::error::{PageError, error_page};
use crate::forms::FieldErrors;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/display", post(save_display))
        .route("/settings/privacy", post(toggle_privacy))
}

/// The appearance form on the settings page.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct DisplayInput {
    theme: String,
    /// Checkbox: present when checked.
    privacy_mode: Option<String>,
    csrf: String,
}

crate::has_csrf!(DisplayInput);

/// The privacy toggle in the navigation.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct PrivacyInput {
    /// `on` hides amounts, `off` shows them (explicit, so a double submit is harmless).
    hide: String,
    /// The page to return to; only a local path is followed.
    back: String,
    csrf: String,
}

crate::has_csrf!(PrivacyInput);

async fn store(state: &AppState, user: &CurrentUser, prefs: DisplayPrefs) -> Result<(), PageError> {
    users::update_display(&state.db, user.id, prefs).await?;
    state.sessions.forget_user(user.id);
    Ok(())
}

async fn save_display(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<DisplayInput>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let Some(theme) = errors.check("theme", form.theme.parse::<Theme>()) else {
        return super::settings::render_with_errors(&state, &user, errors).await;
    };
    let prefs = DisplayPrefs {
        theme,
        privacy_mode: form.privacy_mode.is_some(),
    };
    store(&state, &user, prefs).await?;
    Ok(Redirect::to("/settings#appearance").into_response())
}

async fn toggle_privacy(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<PrivacyInput>,
) -> Result<Response, PageError> {
    let privacy_mode = match form.hide.as_str() {
        "on" => true,
        "off" => false,
        _ => return Ok(error_page(StatusCode::BAD_REQUEST, None)),
    };
    let prefs = DisplayPrefs {
        privacy_mode,
        ..user.display
    };
    store(&state, &user, prefs).await?;
    Ok(Redirect::to(safe_next(&form.back)).into_response())
}
