//! "Download your data": the signed-in user's Folio JSON (`/export/folio.json`), Folio
//! CSV of activities (`/export/activities.csv`) and one asset's price history
//! (`/prices/{id}/prices.csv`), written by the same code as `folio export`
//! ([`crate::import::export`]).
//!
//! These are the user's own data, like the JSON API: privacy mode does not mask them
//! (the writers print stored decimals and never go through [`crate::format`]). Each is an
//! attachment with a dated file name and `Cache-Control: no-store`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use folio_core::AssetId;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::import::{ExportFormat, export, price_history};
use crate::portfolio::today;

const JSON: &str = "application/json";
const CSV: &str = "text/csv; charset=utf-8";

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/export/folio.json", get(folio_json))
        .route("/export/activities.csv", get(activities_csv))
        .route("/prices/{id}/prices.csv", get(prices_csv))
}

/// A file name safe inside a quoted `Content-Disposition` parameter: ASCII letters,
/// digits, `.`, `-` and `_`; anything else becomes `_`.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `body` as a download named `name` (made safe), never cached.
fn download(content_type: &'static str, name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file_name(name));
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Everything the user owns as Folio JSON; reads on the background share of the
/// connection budget, like any bulk job.
async fn folio_json(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let text = export(&state.db.background(), user.id, ExportFormat::Json).await?;
    Ok(download(JSON, &format!("folio-{}.json", today()), text))
}

/// The user's activities as Folio CSV.
async fn activities_csv(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let text = export(&state.db.background(), user.id, ExportFormat::Csv).await?;
    let name = format!("folio-activities-{}.csv", today());
    Ok(download(CSV, &name, text))
}

/// One of the user's assets' price history; another user's asset is the 404 page.
async fn prices_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: AssetId = id.parse().map_err(|_| PageError::NotFound)?;
    let (asset, text) = price_history(&state.db, user.id, id).await?;
    let name = format!("{}-prices-{}.csv", asset.symbol, today());
    Ok(download(CSV, &name, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_name("BRK.B-prices-2024-01-02.csv"),
            "BRK.B-prices-2024-01-02.csv"
        );
        assert_eq!(file_name("a\"b\r\n/é;c"), "a_b_____c");
    }
}
