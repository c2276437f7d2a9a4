//! Rendering askama templates into responses, and the layout data every page shares.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::error::PageError;

/// What the shared layout needs: who is signed in, the CSRF token for its forms, and
/// the request's theme and privacy mode (taken from [`crate::display::View`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    /// Page title.
    pub title: String,
    /// The signed-in user's email, if any.
    pub user: Option<String>,
    /// The token every form on the page echoes.
    pub csrf: String,
    /// Which nav entry is highlighted.
    pub nav: &'static str,
    /// `data-theme` of the page: `light`, `dark` or `system`.
    pub theme: &'static str,
    /// Whether amounts are hidden (the nav's toggle shows the way back).
    pub privacy: bool,
    /// This page's local path, where the privacy toggle returns to.
    pub back: String,
}

impl Layout {
    pub(crate) fn new(
        title: impl Into<String>,
        nav: &'static str,
        user: Option<String>,
        csrf: String,
    ) -> Self {
        let view = crate::display::View::current();
        Self {
            title: title.into(),
            user,
            csrf,
            nav,
            theme: view.prefs.theme.css(),
            privacy: view.prefs.privacy_mode,
            back: view.back,
        }
    }

    /// Whether the signed-in user is the demo user (the layout shows a badge).
    pub(crate) fn is_demo(&self) -> bool {
        self.user.as_deref() == Some(folio_core::demo::DEMO_EMAIL)
    }
}

/// Renders a template as a 200 HTML response.
pub(crate) fn page<T: Template>(t: &T) -> Result<Response, PageError> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a template with a status (e.g. 422 for a form with errors).
pub(crate) fn page_with_status<T: Template>(
    status: axum::http::StatusCode,
    t: &T,
) -> Result<Response, PageError> {
    Ok((status, Html(t.render()?)).into_response())
}
