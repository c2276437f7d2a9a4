//! HTML pages. Each resource owns its routes; this module merges them.

mod accounts;
mod activities;
mod appearance;
mod assets;
mod dashboard;
mod export;
mod fx;
mod holdings;
mod home;
pub(crate) mod import;
mod import_mappings;
mod import_view;
mod income;
pub(crate) mod memo;
mod performance;
mod prices;
mod range_nav;
mod returns_memo;
mod settings;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;

pub(crate) use accounts::AccountInput;
pub(crate) use activities::{ActivityInput, validate as validate_activity};
pub(crate) use assets::AssetInput;

use crate::AppState;
use crate::error::error_page;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(dashboard::router())
        .merge(income::router())
        .merge(accounts::router())
        .merge(activities::router())
        .merge(assets::router())
        .merge(settings::router())
        .merge(appearance::router())
        .merge(fx::router())
        .merge(prices::router())
        .merge(export::router())
        .merge(holdings::router())
        .merge(performance::router())
}

/// The friendly 404 page for unknown paths.
pub(crate) async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, None)
}
