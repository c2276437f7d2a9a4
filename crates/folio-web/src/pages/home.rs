//! The landing page, and the activity row view the dashboard and lists share.

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::portfolio::UserData;
use crate::render::{Layout, page};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/", get(landing))
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage {
    layout: Layout,
}

async fn landing(user: Option<CurrentUser>) -> Result<Response, PageError> {
    let layout = match user {
        Some(u) => Layout::new("Welcome", "", Some(u.email), u.csrf),
        None => Layout::new("Welcome", "", None, String::new()),
    };
    page(&LandingPage { layout })
}

/// One recent activity, formatted.
pub(crate) struct RecentView {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub account: String,
    pub asset: String,
    pub detail: String,
}

/// The `n` most recently dated activities.
pub(crate) fn recent_views(data: &UserData, n: usize) -> Vec<RecentView> {
    data.activities
        .iter()
        .rev()
        .take(n)
        .map(|a| crate::pages::activities::row_view(data, a))
        .collect()
}
