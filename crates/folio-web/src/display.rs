//! How the current request's pages look: the signed-in user's theme and privacy mode,
//! set once per request by [`scope`] and read wherever a page is drawn.
//!
//! Privacy mode is applied centrally: [`crate::format::money`] and friends ask
//! [`privacy_on`] and print a mask instead of the amount, so no page needs to know about
//! it. The value lives in a tokio task-local around the handler, so it covers
//! everything the handler renders — but not work moved to another task
//! (`spawn_blocking`, `tokio::spawn`); format amounts after such work returns, or carry
//! the flag over with [`View::current`] and [`View::enter`].

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use folio_db::models::{DisplayPrefs, Theme};

use crate::AppState;
use crate::auth::{safe_next, session};

tokio::task_local! {
    static VIEW: View;
}

/// The request's look: theme, privacy mode and the page to come back to after a toggle.
#[derive(Debug, Clone, Default)]
pub(crate) struct View {
    /// The signed-in user's preferences (defaults when signed out).
    pub prefs: DisplayPrefs,
    /// Local path (with query) of the page being shown, for the privacy toggle to
    /// return to.
    pub back: String,
}

impl View {
    /// The current request's view; defaults outside a request (tests, CLI).
    pub(crate) fn current() -> View {
        VIEW.try_with(Clone::clone).unwrap_or_default()
    }

    /// Runs synchronous work (e.g. on the blocking pool) with this view in effect.
    pub(crate) fn enter<R>(self, f: impl FnOnce() -> R) -> R {
        VIEW.sync_scope(self, f)
    }
}

/// Whether amounts must be hidden in what is being rendered now.
pub(crate) fn privacy_on() -> bool {
    VIEW.try_with(|v| v.prefs.privacy_mode).unwrap_or(false)
}

/// The `data-theme` value for `<html>`.
pub(crate) fn theme_css() -> &'static str {
    VIEW.try_with(|v| v.prefs.theme)
        .unwrap_or(Theme::System)
        .css()
}

/// Paths that never render a page, so they skip the session lookup.
fn exempt(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/static/")
        || matches!(path, "/livez" | "/readyz" | "/metrics")
}

/// Middleware: resolves the signed-in user (leaving it in the request for the
/// [`crate::auth::CurrentUser`] extractor, so it is read once) and runs the rest of the
/// request inside its [`View`].
pub(crate) async fn scope(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if exempt(req.uri().path()) {
        return next.run(req).await;
    }
    // A failed lookup (database busy) is left to the extractor, which reports it; if
    // the extractor's own lookup then succeeds, the page must not show the amounts of
    // a user who hides them: unsure means hidden.
    let (user, unsure) = match session::load_user(&state, req.headers()).await {
        Ok(user) => (user, false),
        Err(_) => (None, true),
    };
    let mut prefs = user.as_ref().map(|u| u.display).unwrap_or_default();
    prefs.privacy_mode |= unsure;
    let view = View {
        prefs,
        back: back_path(&req),
    };
    if let Some(user) = user {
        req.extensions_mut().insert(user);
    }
    VIEW.scope(view, next.run(req)).await
}

/// Where a toggle on this page should return: the page itself for a GET, else the
/// page the submitted form was on (same-site `Referer`), else the dashboard. Only plain
/// local paths pass ([`safe_next`]); the toggle's handler checks again.
fn back_path(req: &Request) -> String {
    if req.method() == Method::GET {
        let pq = req
            .uri()
            .path_and_query()
            .map_or("/dashboard", |p| p.as_str());
        return safe_next(pq).to_owned();
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
    let from_referer = host.zip(referer).and_then(|(host, referer)| {
        let rest = referer
            .strip_prefix("http://")
            .or_else(|| referer.strip_prefix("https://"))?;
        rest.strip_prefix(host)
    });
    safe_next(from_referer.unwrap_or("/dashboard")).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, uri: &str, referer: Option<&str>) -> Request {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "folio.example:8080");
        if let Some(r) = referer {
            b = b.header(header::REFERER, r);
        }
        b.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn the_way_back_is_this_page_or_the_same_site_page_the_form_was_on() {
        let back = |m, uri, r| back_path(&request(m, uri, r));
        assert_eq!(
            back(Method::GET, "/prices/3?date=2024-01-01", None),
            "/prices/3?date=2024-01-01"
        );
        let post = Method::POST;
        let here = Some("http://folio.example:8080/fx/USD/EUR?saved=2");
        assert_eq!(
            back(post.clone(), "/fx/USD/EUR/paste", here),
            "/fx/USD/EUR?saved=2"
        );
        for other in [
            Some("http://evil.example/x"),
            Some("http://folio.example:8080//evil.example"),
            Some("http://folio.example:8080.evil.example/x"),
            None,
        ] {
            assert_eq!(back(post.clone(), "/fx", other), "/dashboard", "{other:?}");
        }
    }

    #[test]
    fn privacy_is_off_outside_a_request_and_follows_the_view_inside() {
        assert!(!privacy_on());
        let hidden = View {
            prefs: DisplayPrefs {
                theme: Theme::Dark,
                privacy_mode: true,
            },
            back: "/".into(),
        };
        assert!(hidden.enter(privacy_on));
        assert_eq!(
            View::default().enter(|| (privacy_on(), theme_css())),
            (false, "system")
        );
    }
}
