//! The dashboard: headline figures, returns for a chosen range with their working,
//! value over time, allocation, top holdings, recent activities and what needs fixing.
//!
//! Everything comes from the user's cached [`crate::cache::Computed`] portfolio; the
//! range only selects which part of the already-computed daily series is shown.

mod kpis;
mod returns;
mod sections;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use folio_core::portfolio::{EngineError, Portfolio, Range};
use time::Date;

use self::kpis::Kpi;
use self::returns::ReturnsView;
use self::sections::{TopHolding, Warning};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::computed;
use crate::charts::Chart;
use crate::error::PageError;
use crate::format::engine_error;
use crate::pages::home::{RecentView, recent_views};
use crate::pages::range_nav::{RangeNav, ViewQuery};
use crate::portfolio::UserData;
use crate::render::{Layout, page};

/// The range shown when none (or an invalid one) is asked for.
const DEFAULT_RANGE: Range = Range::OneYear;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}

/// Everything computed from the portfolio (absent when the engine reported an error).
struct Figures {
    kpis: Vec<Kpi>,
    secondary: Vec<Kpi>,
    returns: Result<ReturnsView, String>,
    value_chart: Chart,
    allocation: Vec<Chart>,
    top: Vec<TopHolding>,
    totals: Option<TopHolding>,
    warnings: Vec<Warning>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    base: String,
    as_of: String,
    nav: RangeNav,
    custom: bool,
    figures: Option<Figures>,
    recent: Vec<RecentView>,
    problem: String,
    problem_link: Option<(String, &'static str)>,
    has_accounts: bool,
    has_assets: bool,
}

async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ViewQuery>,
) -> Result<Response, PageError> {
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let (range, message) = q.range(DEFAULT_RANGE, c.as_of);
    let figures = match &c.portfolio {
        Ok(p) => figures(p, &c.data, range, c.as_of),
        Err(e) => Err(e.clone()),
    };
    let custom = matches!(range, Range::Custom { .. });
    let mut nav = q.nav("/dashboard", range, message);
    // The date fields show the named range on screen, so a custom range starts from it.
    if let Ok(Ok(r)) = figures.as_ref().map(|f| &f.returns)
        && !custom
        && nav.message.is_empty()
    {
        nav.from = r
            .base
            .next_day()
            .map_or_else(String::new, |d| d.to_string());
        nav.to = r.end.to_string();
    }
    let (figures, problem, problem_link) = match figures {
        Ok(f) => (Some(f), String::new(), None),
        Err(e) => {
            let link = fix_link(&e);
            (None, engine_error(&e), link)
        }
    };
    let layout = Layout::new(
        "Dashboard",
        "dashboard",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&DashboardPage {
        layout,
        base: c.base.to_string(),
        as_of: c.as_of.to_string(),
        nav,
        custom,
        figures,
        recent: recent_views(&c.data, 10),
        problem,
        problem_link,
        has_accounts: !c.data.accounts.is_empty(),
        has_assets: !c.data.assets.is_empty(),
    })
}

fn figures(
    p: &Portfolio,
    data: &UserData,
    range: Range,
    today: Date,
) -> Result<Figures, EngineError> {
    let h = p.holdings(today)?;
    let returns = returns::view(p, range);
    let value_chart = match &returns {
        Ok(r) => sections::value_chart(p, r.base, r.end),
        Err(_) => Chart::default(),
    };
    let (top, totals) = sections::top_holdings(data, &h, 10);
    Ok(Figures {
        kpis: kpis::headline(p, &h, today)?,
        secondary: kpis::secondary(&h),
        returns,
        value_chart,
        allocation: sections::allocation(p, data, today)?,
        top,
        totals: Some(totals),
        warnings: sections::warnings(data, &h),
    })
}

/// Where to fix an engine error, when there is a page for it.
pub(crate) fn fix_link(e: &EngineError) -> Option<(String, &'static str)> {
    match e {
        EngineError::MissingFxRate { from, to, .. } => {
            Some((format!("/fx/{from}/{to}"), "Add the exchange rate"))
        }
        EngineError::InsufficientQuantity { .. }
        | EngineError::UnknownReference { .. }
        | EngineError::InvalidActivity { .. }
        | EngineError::Overflow { .. } => Some(("/activities".into(), "Review your activities")),
        EngineError::UnknownScope { .. }
        | EngineError::NoIrr(_)
        | EngineError::EmptyRange { .. } => None,
    }
}
