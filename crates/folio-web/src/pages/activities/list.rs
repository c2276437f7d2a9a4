//! The activity list: filters by account, asset, type and dates, 50 rows a page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use folio_core::ActivityType;
use folio_db::models::ActivityFilter;
use folio_db::repo::activities;
use serde::Deserialize;

use super::{Choice, PAGE_SIZE, choices, row_view};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::forms::{FieldErrors, blank_to_none};
use crate::pages::home::RecentView;
use crate::portfolio::UserData;
use crate::render::{Layout, page};

/// The list's query string. Every field is text so a bad value is reported, not a 400.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ListQuery {
    account: String,
    asset: String,
    #[serde(rename = "type")]
    kind: String,
    from: String,
    to: String,
    page: String,
}

impl ListQuery {
    fn filter(&self, errors: &mut FieldErrors) -> ActivityFilter {
        let mut f = ActivityFilter::default();
        if let Some(v) = blank_to_none(&self.account) {
            f.account_id = errors.check("account", v.parse().map_err(|_| "not an account"));
        }
        if let Some(v) = blank_to_none(&self.asset) {
            f.asset_id = errors.check("asset", v.parse().map_err(|_| "not an asset"));
        }
        if let Some(v) = blank_to_none(&self.kind) {
            f.kind = errors.check("type", v.parse::<ActivityType>());
        }
        if let Some(v) = blank_to_none(&self.from) {
            f.from = errors.check("from", folio_core::parse_date(v));
        }
        if let Some(v) = blank_to_none(&self.to) {
            f.to = errors.check("to", folio_core::parse_date(v));
        }
        f
    }

    fn page(&self) -> u64 {
        self.page
            .trim()
            .parse::<u64>()
            .unwrap_or(1)
            .clamp(1, 1_000_000)
    }

    fn link(&self, page: u64) -> String {
        use crate::auth::session::urlencode as e;
        format!(
            "/activities?account={}&asset={}&type={}&from={}&to={}&page={page}",
            e(&self.account),
            e(&self.asset),
            e(&self.kind),
            e(&self.from),
            e(&self.to)
        )
    }
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<RecentView>,
    accounts: Vec<Choice>,
    assets: Vec<Choice>,
    kinds: &'static [ActivityType],
    q: ListQuery,
    errors: FieldErrors,
    total: u64,
    page: u64,
    pages: u64,
    prev: String,
    next: String,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let filter = q.filter(&mut errors);
    let page_no = q.page();
    let listed = activities::list_activities(
        &state.db,
        user.id,
        &filter,
        (page_no - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await?;
    let data = UserData {
        accounts: folio_db::repo::accounts::list_accounts(&state.db, user.id).await?,
        assets: folio_db::repo::assets::list_assets(&state.db, user.id).await?,
        activities: Vec::new(),
        prices: Vec::new(),
        fx: Vec::new(),
    };
    let rows = listed.items.iter().map(|a| row_view(&data, a)).collect();
    let (accounts, assets) = choices(&data);
    let pages = listed.total.div_ceil(PAGE_SIZE).max(1);
    let prev = if page_no > 1 {
        q.link(page_no - 1)
    } else {
        String::new()
    };
    let next = if page_no < pages {
        q.link(page_no + 1)
    } else {
        String::new()
    };
    let layout = Layout::new(
        "Activities",
        "activities",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&ListPage {
        layout,
        rows,
        accounts,
        assets,
        kinds: ActivityType::ALL,
        q,
        errors,
        total: listed.total,
        page: page_no,
        pages,
        prev,
        next,
    })
}
