//! Static assets compiled into the binary (no CDN, no files to deploy).
//!
//! Each file is served under a name carrying a hash of its content, computed at
//! start-up (`/static/folio.3f2a9c1b.css`), with `Cache-Control: immutable` for a year:
//! browsers never ask again, and a new release changes the name. Templates link the
//! hashed name through [`url`]. The plain name (`/static/folio.css`) keeps working for
//! old pages and bookmarks, cached for an hour only.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::AppState;

/// The files: (plain name, content type, content).
const SOURCES: [(&str, &str, &str); 3] = [
    (
        "folio.css",
        "text/css; charset=utf-8",
        include_str!("../static/folio.css"),
    ),
    (
        "folio.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/folio.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../static/favicon.svg"),
    ),
];

/// Long-lived caching for content-addressed names.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Plain names may change with a release: cache them briefly.
const PLAIN: &str = "public, max-age=3600";

struct StaticFile {
    name: &'static str,
    hashed: String,
    url: String,
    content_type: &'static str,
    body: &'static str,
}

static FILES: LazyLock<Vec<StaticFile>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|&(name, content_type, body)| {
            let hashed = hashed_name(name, body);
            StaticFile {
                url: format!("/static/{hashed}"),
                hashed,
                name,
                content_type,
                body,
            }
        })
        .collect()
});

/// `folio.css` with content `body` → `folio.<first 8 hex digits of SHA-256>.css`.
fn hashed_name(name: &str, body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// The content-hashed URL of a static file, for templates: `url("folio.css")`.
pub(crate) fn url(name: &str) -> &'static str {
    FILES
        .iter()
        .find(|f| f.name == name)
        .map_or("/static/missing", |f| f.url.as_str())
}

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/static/{file}", get(serve))
        // Browsers ask for an icon on every first visit; a 404 there is console noise.
        .route(
            "/favicon.ico",
            get(|| serve(Path("favicon.svg".to_owned()))),
        )
}

async fn serve(Path(file): Path<String>) -> Response {
    for f in FILES.iter() {
        let cache = if file == f.hashed {
            IMMUTABLE
        } else if file == f.name {
            PLAIN
        } else {
            continue;
        };
        let headers = [
            (header::CONTENT_TYPE, f.content_type),
            (header::CACHE_CONTROL, cache),
        ];
        return (headers, f.body).into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_name_changes_with_the_content_and_keeps_the_extension() {
        let a = hashed_name("folio.css", "body { color: red }");
        let b = hashed_name("folio.css", "body { color: blue }");
        assert_ne!(a, b);
        assert!(
            a.starts_with("folio.") && a.ends_with(".css") && a.len() == 18,
            "{a}"
        );
        assert_eq!(url("folio.js"), format!("/static/{}", FILES[1].hashed));
    }
}
