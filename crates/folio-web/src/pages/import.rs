//! The import flow: upload (a file read into the form, or a paste) → preview (every row,
//! errors with line and column, duplicates, new accounts and assets, totals; nothing
//! written) → confirm (the same text is posted again, re-parsed and re-checked under the
//! user's write lock; if the preview no longer matches, it is shown again) → one atomic
//! write → summary with links to the affected holdings.
//!
//! The upload is re-posted rather than kept on the server, so any instance behind a load
//! balancer can confirm it. This router has its own body limit (`--import-max-bytes`),
//! the rest of the app keeps the small one.

use crate::import::{Importer, Preview, apply, choose_format, preview};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use folio_core::import::{ParseOptions, parse};
use serde::Deserialize;

use super::import_view::{PreviewPage, UploadPage, done_page};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;

use crate::render::page_with_status;

pub(crate) fn router(max_bytes: usize) -> Router<AppState> {
    // URL-encoding can triple a CSV (`,` → `%2C`): the decoded text is checked against
    // `max_bytes` with a clear message; the raw body may be up to three times that.
    let body_limit = max_bytes.saturating_mul(3).saturating_add(64 * 1024);
    Router::new()
        .route("/import", get(upload_form).post(preview_upload))
        .route("/import/confirm", post(confirm))
        .merge(super::import_mappings::router())
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| too_large(req, next, body_limit),
        ))
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

/// Parses and plans the upload; `Err` is the upload page again with the reason.
async fn build(
    state: &AppState,
    user: &CurrentUser,
    form: &ImportInput,
) -> Result<Result<Preview, Response>, PageError> {
    let cfg = &state.cfg;
    let again = |message: String| async {
        let page = UploadPage::new(state, user, form.clone(), message).await?;
        page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    if form.content.len() > cfg.import_max_bytes {
        let msg = format!(
            "The file is larger than {}, the most this server accepts for an import.",
            crate::format::bytes(cfg.import_max_bytes)
        );
        let page = UploadPage::new(
            state,
            user,
            ImportInput {
                content: String::new(),
                ..form.clone()
            },
            msg,
        )
        .await?;
        return Ok(Err(page_with_status(StatusCode::PAYLOAD_TOO_LARGE, &page)?));
    }
    if form.content.trim().is_empty() {
        return Ok(Err(
            again("Choose a file or paste its content.".into()).await?
        ));
    }
    let bytes = form.content.as_bytes();
    let format = match choose_format(&state.db, user.id, &form.format, bytes).await {
        Ok(f) => f,
        Err(crate::import::FormatError::Db(e)) => return Err(e.into()),
        Err(e) => return Ok(Err(again(e.to_string()).await?)),
    };
    let options = ParseOptions {
        max_rows: cfg.import_max_rows,
        ..ParseOptions::default()
    };
    let parsed = parse(bytes, &format, &options);
    if parsed.truncated {
        let msg = format!(
            "The file has more than {} rows, the most this server accepts in one import (--import-max-rows). Split it, or use `folio import`.",
            crate::format::count(cfg.import_max_rows)
        );
        let page = UploadPage::new(
            state,
            user,
            ImportInput {
                content: String::new(),
                ..form.clone()
            },
            msg,
        )
        .await?;
        return Ok(Err(page_with_status(StatusCode::PAYLOAD_TOO_LARGE, &page)?));
    }
    Ok(Ok(preview(&state.db, &importer(user), parsed).await?))
}

async fn preview_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ImportInput>,
) -> Result<Response, PageError> {
    match build(&state, &user, &form).await? {
        Ok(p) => page_with_status(StatusCode::OK, &PreviewPage::new(&user, form, p, false)),
        Err(page) => Ok(page),
    }
}

async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ImportInput>,
) -> Result<Response, PageError> {
    // Checked and written under the user's write lock: nothing changes in between.
    let writes = state.serialize_writes(user.id).await;
    let p = match build(&state, &user, &form).await? {
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
            crate::import::ImportError::Db(e) => PageError::from(e),
            crate::import::ImportError::NotClean(_) => PageError::NotFound,
        })?;
    drop(writes);
    done_page(&state, &user, &p, &outcome).await
}
