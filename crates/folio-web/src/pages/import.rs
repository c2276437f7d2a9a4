//! The import flow: upload (a file read into the form, or a paste) → preview (every row,
//! errors with line and column, duplicates, new accounts and assets, totals; nothing
//! written) → confirm (the same text is posted again, re-parsed and re-checked under the
//! user's write lock; if the preview no longer matches, it is shown again) → one atomic
//! write → summary with links to the affected holdings.
//!
//! The upload is re-posted rather than kept on the server, so any instance behind a load
//! balancer can confirm it. This router has its own body limit (`--import-max-bytes`),
//! the rest of the app keeps the small one.

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use folio_core::import::{ParseOptions, parse};
use folio_db::DbError;
use serde::Deserialize;
use tokio::sync::OwnedSemaphorePermit;

use super::import_view::{PreviewPage, UploadPage, done_page};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::import::{ImportError, Importer, Preview, apply, choose_format, preview};
use crate::render::page_with_status;

pub(crate) fn router(state: &AppState) -> Router<AppState> {
    // URL-encoding can triple a CSV (`,` → `%2C`): the decoded text is checked against
    // `max_bytes` with a clear message; the raw body may be up to three times that.
    let body_limit = state
        .cfg
        .import_max_bytes
        .saturating_mul(3)
        .saturating_add(64 * 1024);
    Router::new()
        .route("/import", get(upload_form).post(preview_upload))
        .route("/import/confirm", post(confirm))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            one_place,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| too_large(req, next, body_limit),
        ))
        .merge(super::import_mappings::router())
}

/// Takes an import place (`--import-concurrency`) for a POST before its body is read,
/// so requests waiting in line hold no file; after `import_wait` the upload page says
/// the server is busy (503 with `Retry-After`), and nothing was imported.
async fn one_place(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != axum::http::Method::POST {
        return next.run(req).await;
    }
    let Some(_place) = import_place(&state).await else {
        return busy(&state, &user)
            .await
            .unwrap_or_else(axum::response::IntoResponse::into_response);
    };
    next.run(req).await
}

/// Refuses a body announced as too large before reading it, with a page that says why.
async fn too_large(req: Request, next: Next, limit: usize) -> Response {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return crate::error::error_page(StatusCode::PAYLOAD_TOO_LARGE, None);
    }
    next.run(req).await
}

/// The upload form as submitted (and re-submitted on confirm).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct ImportInput {
    /// auto, folio, ghostfolio, wealthfolio or mapping:NAME.
    pub format: String,
    /// The file's text.
    pub content: String,
    /// On confirm: the counts the user saw, `new/duplicates`.
    pub expected: String,
    pub csrf: String,
}

crate::has_csrf!(ImportInput);

async fn upload_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let page = UploadPage::new(&state, &user, ImportInput::default(), String::new()).await?;
    page_with_status(StatusCode::OK, &page)
}

fn importer(user: &CurrentUser) -> Importer {
    Importer {
        user: user.id,
        base_currency: user.base_currency.clone(),
        settings: user.settings.clone(),
    }
}

/// A place among the imports being processed (`--import-concurrency`), or `None` after
/// waiting `import_wait` in line.
async fn import_place(state: &AppState) -> Option<OwnedSemaphorePermit> {
    let waiting = Arc::clone(&state.imports).acquire_owned();
    tokio::time::timeout(state.cfg.import_wait, waiting)
        .await
        .ok()?
        .ok()
}

/// The upload page again with `message` and what the user sent; a 503 says when to
/// try again.
async fn again(
    state: &AppState,
    user: &CurrentUser,
    form: &ImportInput,
    message: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = UploadPage::new(state, user, form.clone(), message).await?;
    let mut response = page_with_status(status, &page)?;
    if status == StatusCode::SERVICE_UNAVAILABLE {
        let retry = state.cfg.import_wait.as_secs().max(1);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(retry));
    }
    Ok(response)
}

/// The upload page for a file over a limit: the reason, without the file's text.
async fn too_big(
    state: &AppState,
    user: &CurrentUser,
    form: &ImportInput,
    message: String,
) -> Result<Response, PageError> {
    let form = ImportInput {
        content: String::new(),
        ..form.clone()
    };
    again(state, user, &form, message, StatusCode::PAYLOAD_TOO_LARGE).await
}

/// Parses and plans the upload, off the request threads; `Err` is the upload page again
/// with the reason. The caller holds an import place ([`one_place`]).
async fn build(
    state: &AppState,
    user: &CurrentUser,
    form: &mut ImportInput,
) -> Result<Result<Preview, Response>, PageError> {
    let cfg = &state.cfg;
    if form.content.len() > cfg.import_max_bytes {
        let msg = format!(
            "The file is larger than {}, the most this server accepts for an import.",
            crate::format::bytes(cfg.import_max_bytes)
        );
        return Ok(Err(too_big(state, user, form, msg).await?));
    }
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    if form.content.trim().is_empty() {
        let msg = "Choose a file or paste its content.".to_owned();
        return Ok(Err(again(state, user, form, msg, invalid).await?));
    }
    let format =
        match choose_format(&state.db, user.id, &form.format, form.content.as_bytes()).await {
            Ok(f) => f,
            Err(crate::import::FormatError::Db(e)) => return db_failed(state, user, form, e).await,
            Err(e) => return Ok(Err(again(state, user, form, e.to_string(), invalid).await?)),
        };
    let options = ParseOptions {
        max_rows: cfg.import_max_rows,
        ..ParseOptions::default()
    };
    let content = std::mem::take(&mut form.content);
    let (content, parsed) = tokio::task::spawn_blocking(move || {
        let parsed = parse(content.as_bytes(), &format, &options);
        (content, parsed)
    })
    .await
    .map_err(|e| PageError::Internal(format!("import parsing failed: {e}")))?;
    form.content = content;
    if parsed.truncated {
        let msg = format!(
            "The file has more than {} rows, the most this server accepts in one import (--import-max-rows). Split it, or use `folio import`.",
            crate::format::count(cfg.import_max_rows)
        );
        return Ok(Err(too_big(state, user, form, msg).await?));
    }
    match preview(&state.db, &importer(user), parsed).await {
        Ok(p) => Ok(Ok(p)),
        Err(ImportError::Db(e)) => db_failed(state, user, form, e).await,
        Err(e) => Err(PageError::Internal(e.to_string())),
    }
}

/// A database that is out of capacity gives the upload page again with the user's input
/// (503, `Retry-After`); any other database failure is the error page.
async fn db_failed(
    state: &AppState,
    user: &CurrentUser,
    form: &ImportInput,
    e: DbError,
) -> Result<Result<Preview, Response>, PageError> {
    if !matches!(e, DbError::Unavailable { .. }) {
        return Err(e.into());
    }
    let msg =
        "The database is busy right now, so nothing was imported. Send the file again in a moment."
            .to_owned();
    let busy = StatusCode::SERVICE_UNAVAILABLE;
    Ok(Err(again(state, user, form, msg, busy).await?))
}

/// The upload page saying the server is busy with other imports (503, Retry-After).
async fn busy(state: &AppState, user: &CurrentUser) -> Result<Response, PageError> {
    let msg = "The server is busy with other imports, so this file was not read and nothing was imported. Send it again in a little while (your browser's Back button returns to the form with the file).".to_owned();
    let form = ImportInput::default();
    again(state, user, &form, msg, StatusCode::SERVICE_UNAVAILABLE).await
}

async fn preview_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(mut form): CsrfForm<ImportInput>,
) -> Result<Response, PageError> {
    match build(&state, &user, &mut form).await? {
        Ok(p) => page_with_status(StatusCode::OK, &PreviewPage::new(&user, form, p, false)),
        Err(page) => Ok(page),
    }
}

async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(mut form): CsrfForm<ImportInput>,
) -> Result<Response, PageError> {
    // The import place (taken in `one_place`) first, then the user's write lock (held
    // from the check to the write, so nothing changes in between).
    let writes = state.serialize_writes(user.id).await;
    let p = match build(&state, &user, &mut form).await? {
        Ok(p) => p,
        Err(page) => return Ok(page),
    };
    let seen = format!("{}/{}", p.new_rows(), p.duplicates);
    if !p.is_clean() || seen != form.expected {
        // The data changed since the preview (or the text did): show what would happen now.
        return page_with_status(
            StatusCode::CONFLICT,
            &PreviewPage::new(&user, form, p, true),
        );
    }
    let outcome = apply(&state.db, &importer(&user), &p)
        .await
        .map_err(|e| match e {
            ImportError::Db(e) => PageError::from(e),
            ImportError::NotClean(_) => PageError::NotFound,
            ImportError::Failed(e) => PageError::Internal(e),
        })?;
    drop(writes);
    done_page(&state, &user, &p, &outcome).await
}

#[cfg(test)]
mod tests;
