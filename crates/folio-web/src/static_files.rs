//! Static assets compiled into the binary (no CDN, no files to deploy).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

const CSS: &str = include_str!("../static/folio.css");
const JS: &str = include_str!("../static/folio.js");
const ICON: &str = include_str!("../static/favicon.svg");

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/static/folio.css", get(css))
        .route("/static/folio.js", get(js))
        // Browsers ask for an icon on every first visit; a 404 there is console noise.
        .route("/static/favicon.svg", get(icon))
        .route("/favicon.ico", get(icon))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}

async fn icon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON,
    )
}
