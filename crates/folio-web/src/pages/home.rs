//! The landing page and the dashboard.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use folio_core::portfolio::Holdings;
use rust_decimal::Decimal;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::computed;
use crate::error::PageError;
use crate::format::{money, percent, price, signed_money, tone, units};
use crate::portfolio::UserData;
use crate::render::{Layout, page};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/dashboard", get(dashboard))
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

/// One holding row, formatted.
pub(crate) struct HoldingView {
    pub symbol: String,
    pub name: String,
    pub account: String,
    pub quantity: String,
    pub cost: String,
    pub price: String,
    pub price_date: String,
    pub value: String,
    pub gain: String,
    pub gain_pct: String,
    pub tone: &'static str,
    pub no_price: bool,
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

struct Kpi {
    label: &'static str,
    value: String,
    tone: &'static str,
    id: &'static str,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    base: String,
    as_of: String,
    kpis: Vec<Kpi>,
    holdings: Vec<HoldingView>,
    totals: Option<HoldingView>,
    recent: Vec<RecentView>,
    problem: String,
    hints: Vec<String>,
    has_accounts: bool,
    has_assets: bool,
}

fn ratio(num: Decimal, den: Decimal) -> String {
    match num.checked_div(den) {
        Some(r) if !den.is_zero() => percent(r),
        Some(_) => String::new(),
        None if den.is_zero() => String::new(),
        None => "—".into(),
    }
}

fn holding_views(data: &UserData, h: &Holdings) -> Vec<HoldingView> {
    h.holdings
        .iter()
        .filter(|r| !r.quantity.is_zero())
        .map(|r| {
            let asset = data.asset(r.asset);
            let t = &r.totals;
            HoldingView {
                symbol: asset.map_or_else(|| "?".into(), |a| a.symbol.to_string()),
                name: asset.map_or_else(String::new, |a| a.name.to_string()),
                account: data
                    .account(r.account)
                    .map_or_else(String::new, |a| a.name.to_string()),
                quantity: units(r.quantity),
                cost: money(t.cost_basis),
                price: r
                    .price
                    .as_ref()
                    .map_or_else(String::new, |p| price(p.price)),
                price_date: r
                    .price
                    .as_ref()
                    .map_or_else(String::new, |p| p.date.to_string()),
                value: money(t.market_value),
                gain: signed_money(t.unrealized),
                gain_pct: ratio(t.unrealized, t.cost_basis),
                tone: tone(t.unrealized),
                no_price: r.price.is_none(),
            }
        })
        .collect()
}

pub(crate) fn recent_views(data: &UserData, n: usize) -> Vec<RecentView> {
    data.activities
        .iter()
        .rev()
        .take(n)
        .map(|a| crate::pages::activities::row_view(data, a))
        .collect()
}

/// A cash-tracking account below zero usually means the deposits that funded the buys
/// were not recorded; say so instead of letting a small "total value" puzzle the user.
fn negative_cash_hints(data: &UserData, h: &Holdings) -> Vec<String> {
    h.accounts
        .iter()
        .filter(|a| a.cash_local < Decimal::ZERO)
        .filter_map(|a| data.account(a.account))
        .map(|acc| {
            format!(
                "Cash in {} is negative. Record the deposits that paid for your buys, or edit the account to track holdings only.",
                acc.name
            )
        })
        .collect()
}

async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let (data, base, today) = (&c.data, c.base.clone(), c.as_of);
    let computed = match &c.portfolio {
        Ok(p) => p.holdings(today),
        Err(e) => Err(e.clone()),
    };
    let mut hints = Vec::new();
    let (kpis, holdings, totals, problem) = match computed {
        Ok(h) => {
            hints = negative_cash_hints(data, &h);
            let t = &h.total;
            let kpis = vec![
                Kpi {
                    label: "Total value",
                    value: money(t.value),
                    tone: "",
                    id: "kpi-value",
                },
                Kpi {
                    label: "Invested (cost)",
                    value: money(t.cost_basis),
                    tone: "",
                    id: "kpi-cost",
                },
                Kpi {
                    label: "Unrealized gain",
                    value: signed_money(t.unrealized),
                    tone: tone(t.unrealized),
                    id: "kpi-unrealized",
                },
                Kpi {
                    label: "Realized gain",
                    value: signed_money(t.realized),
                    tone: tone(t.realized),
                    id: "kpi-realized",
                },
                Kpi {
                    label: "Income",
                    value: money(t.income),
                    tone: "",
                    id: "kpi-income",
                },
                Kpi {
                    label: "Cash",
                    value: money(t.cash),
                    tone: "",
                    id: "kpi-cash",
                },
            ];
            let rows = holding_views(data, &h);
            let totals = HoldingView {
                symbol: "Total".into(),
                name: String::new(),
                account: String::new(),
                quantity: String::new(),
                cost: money(t.cost_basis),
                price: String::new(),
                price_date: String::new(),
                value: money(t.market_value),
                gain: signed_money(t.unrealized),
                gain_pct: ratio(t.unrealized, t.cost_basis),
                tone: tone(t.unrealized),
                no_price: t.price_missing,
            };
            (kpis, rows, Some(totals), String::new())
        }
        Err(e) => (Vec::new(), Vec::new(), None, e.to_string()),
    };
    let layout = Layout::new(
        "Dashboard",
        "dashboard",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&DashboardPage {
        layout,
        base: base.to_string(),
        as_of: today.to_string(),
        kpis,
        holdings,
        totals,
        recent: recent_views(data, 10),
        problem,
        hints,
        has_accounts: !data.accounts.is_empty(),
        has_assets: !data.assets.is_empty(),
    })
}
