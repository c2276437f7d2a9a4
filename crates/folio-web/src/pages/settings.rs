//! The user's settings: base currency, lot method and the cost-basis option.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use folio_core::CurrencyCode;
use folio_core::portfolio::LotMethod;
use folio_db::models::UserSettings;
use folio_db::repo::users;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, HasCsrf};
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::render::{Layout, page_with_status};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/settings", get(settings_form).post(save_settings))
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

impl HasCsrf for SettingsInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    form: SettingsInput,
    errors: FieldErrors,
    saved: bool,
}

fn layout(user: &CurrentUser) -> Layout {
    Layout::new(
        "Settings",
        "settings",
        Some(user.email.clone()),
        user.csrf.clone(),
    )
}

async fn settings_form(user: CurrentUser) -> Result<Response, PageError> {
    let form = SettingsInput {
        currency: user.base_currency.to_string(),
        lot_method: match user.settings.lot_method {
            LotMethod::Fifo => "FIFO".into(),
            LotMethod::AverageCost => "AVERAGE".into(),
        },
        fees_in_cost_basis: user.settings.fees_in_cost_basis.then(|| "on".into()),
        csrf: String::new(),
    };
    let page = SettingsPage {
        layout: layout(&user),
        form,
        errors: FieldErrors::default(),
        saved: false,
    };
    page_with_status(StatusCode::OK, &page)
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
        let page = SettingsPage {
            layout: layout(&user),
            form,
            errors,
            saved: false,
        };
        return page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let settings = UserSettings {
        lot_method,
        fees_in_cost_basis: form.fees_in_cost_basis.is_some(),
    };
    users::update_settings(&state.db, user.id, &currency, &settings).await?;
    // Cached sessions carry the old settings; drop them so every request re-reads.
    state.sessions.forget_user(user.id);
    let page = SettingsPage {
        layout: layout(&user),
        form,
        errors,
        saved: true,
    };
    page_with_status(StatusCode::OK, &page)
}
