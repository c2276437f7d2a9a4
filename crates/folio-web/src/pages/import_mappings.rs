//! Saved column mappings (templates) for broker CSVs, per user: save, show, delete.
//! Another user's mapping is a 404.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use folio_core::import::ColumnMapping;
use folio_db::repo::templates;
use serde::Deserialize;

use super::import::ImportInput;
use super::import_view::UploadPage;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::{CsrfForm, TokenForm};
use crate::error::PageError;
use crate::render::{Layout, page_with_status};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/import/mappings", post(save))
        .route("/import/mappings/{id}", get(show))
        .route("/import/mappings/{id}/delete", post(delete))
}

/// The mapping form as submitted.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct MappingInput {
    name: String,
    definition: String,
    csrf: String,
}

crate::has_csrf!(MappingInput);

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<MappingInput>,
) -> Result<Response, PageError> {
    let name = form.name.trim();
    let parsed: Result<ColumnMapping, String> =
        serde_json::from_str(&form.definition).map_err(|e| e.to_string());
    let problem = match (&parsed, name.is_empty() || name.chars().count() > 200) {
        (_, true) => Some("Give the mapping a name of 1 to 200 characters.".to_owned()),
        (Err(e), _) => Some(format!("The mapping is not valid: {e}")),
        (Ok(_), false) => None,
    };
    if let Some(message) = problem {
        let page = UploadPage::new(&state, &user, ImportInput::default(), message).await?;
        return page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let mut mapping = parsed.map_err(PageError::Internal)?;
    mapping.name = name.to_owned();
    let definition =
        serde_json::to_string_pretty(&mapping).map_err(|e| PageError::Internal(e.to_string()))?;
    templates::save_template(&state.db, user.id, name, &definition).await?;
    Ok(Redirect::to("/import").into_response())
}

#[derive(Template)]
#[template(path = "import_mapping.html")]
struct MappingPage {
    layout: Layout,
    name: String,
    definition: String,
}

async fn find(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<templates::Template, PageError> {
    templates::list_templates(&state.db, user.id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(PageError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = find(&state, &user, id).await?;
    let page = MappingPage {
        layout: Layout::new(
            "Column mapping",
            "import",
            Some(user.email.clone()),
            user.csrf.clone(),
        ),
        name: t.name,
        definition: t.definition,
    };
    page_with_status(StatusCode::OK, &page)
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    templates::delete_template(&state.db, user.id, id).await?;
    Ok(Redirect::to("/import").into_response())
}
