//! The user's settings: base currency, lot method and the cost-basis option, API tokens,
//! and (saved by [`super::appearance`]) theme and privacy mode.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use folio_core::CurrencyCode;
use folio_core::portfolio::LotMethod;
use folio_db::models::{Theme, UserSettings};
use folio_db::repo::{tokens, users};
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::auth::session;
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::render::{Layout, page_with_status};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings_form).post(save_settings))
        .route("/settings/tokens", post(create_token))
        .route("/settings/tokens/{id}/delete", post(revoke_token))
}

/// The settings form as submitted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct SettingsInput {
    currency: String,
    lot_method: String,
    /// Checkbox: present when checked.
    fees_in_cost_basis: Option<String>,
    csrf: String,
}

crate::has_csrf!(SettingsInput);

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    form: SettingsInput,
    errors: FieldErrors,
    saved: bool,
    tokens: Vec<TokenView>,
    /// A token just created: shown once, never stored in clear.
    new_token: String,
    token_name: String,
    /// Stored theme code (`SYSTEM`, `LIGHT`, `DARK`) for the appearance form.
    theme: &'static str,
    themes: &'static [Theme],
    privacy_mode: bool,
}

/// An API token as listed (the secret is never shown again).
struct TokenView {
    id: i64,
    name: String,
    created: String,
}

async fn token_views(state: &AppState, user: &CurrentUser) -> Result<Vec<TokenView>, PageError> {
    Ok(tokens::list_tokens(&state.db, user.id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name.to_string(),
            created: time::OffsetDateTime::from_unix_timestamp(t.created_at)
                .map(|d| d.date().to_string())
                .unwrap_or_default(),
        })
        .collect())
}

/// Renders the page with everything it lists.
async fn render(
    state: &AppState,
    user: &CurrentUser,
    form: SettingsInput,
    errors: FieldErrors,
    saved: bool,
    new_token: String,
) -> Result<Response, PageError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let tokens = token_views(state, user).await?;
    let token_name = String::new();
    let page = SettingsPage {
        layout: layout(user),
        form,
        errors,
        saved,
        tokens,
        new_token,
        token_name,
        theme: user.display.theme.as_str(),
        themes: Theme::ALL,
        privacy_mode: user.display.privacy_mode,
    };
    page_with_status(status, &page)
}

/// The settings page as stored, with messages for a refused form (422).
pub(super) async fn render_with_errors(
    state: &AppState,
    user: &CurrentUser,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    render(
        state,
        user,
        current_form(user),
        errors,
        false,
        String::new(),
    )
    .await
}

fn current_form(user: &CurrentUser) -> SettingsInput {
    SettingsInput {
        currency: user.base_currency.to_string(),
        lot_method: match user.settings.lot_method {
            LotMethod::Fifo => "FIFO".into(),
            LotMethod::AverageCost => "AVERAGE".into(),
        },
        fees_in_cost_basis: user.settings.fees_in_cost_basis.then(|| "on".into()),
        csrf: String::new(),
    }
}

/// The new-token form.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct TokenInput {
    name: String,
    csrf: String,
}

crate::has_csrf!(TokenInput);

async fn create_token(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<TokenInput>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let Some(name) = errors.check("token_name", folio_core::Name::parse(&form.name)) else {
        return render(
            &state,
            &user,
            current_form(&user),
            errors,
            false,
            String::new(),
        )
        .await;
    };
    let secret = session::new_token();
    tokens::insert_token(&state.db, user.id, &name, &session::hash_token(&secret)).await?;
    render(&state, &user, current_form(&user), errors, false, secret).await
}

async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
    tokens::delete_token(&state.db, user.id, id).await?;
    Ok(Redirect::to("/settings").into_response())
}

fn layout(user: &CurrentUser) -> Layout {
    Layout::new(
        "Settings",
        "settings",
        Some(user.email.clone()),
        user.csrf.clone(),
    )
}

async fn settings_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    render(
        &state,
        &user,
        current_form(&user),
        FieldErrors::default(),
        false,
        String::new(),
    )
    .await
}

async fn save_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<SettingsInput>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let currency = errors.check("currency", CurrencyCode::parse(&form.currency));
    let lot_method = match form.lot_method.as_str() {
        "FIFO" => Some(LotMethod::Fifo),
        "AVERAGE" => Some(LotMethod::AverageCost),
        _ => {
            errors.add("lot_method", "choose FIFO or average cost");
            None
        }
    };
    let (Some(currency), Some(lot_method)) = (currency, lot_method) else {
        return render(&state, &user, form, errors, false, String::new()).await;
    };
    let settings = UserSettings {
        lot_method,
        fees_in_cost_basis: form.fees_in_cost_basis.is_some(),
    };
    let _writes = state.serialize_writes(user.id).await;
    users::update_settings(&state.db, user.id, &currency, &settings).await?;
    // Cached sessions carry the old settings; drop them so every request re-reads.
    state.sessions.forget_user(user.id);
    render(&state, &user, form, errors, true, String::new()).await
}
