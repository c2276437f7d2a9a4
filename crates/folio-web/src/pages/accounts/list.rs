//! The account list: each account's value, cash, gain and returns over the selected
//! range, next to its settings (currency, cash tracking).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use folio_core::portfolio::{AccountRow, EngineError, Range, Returns, Scope};
use folio_db::models::Account;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::computed;
use crate::error::PageError;
use crate::format::engine_error;
use crate::format::{money, percent, signed_money, tone};
use crate::pages::range_nav::{RangeNav, ViewQuery, xirr_text};
use crate::pages::returns_memo;
use crate::render::{Layout, page};

/// One account with its figures, formatted (blank when the portfolio cannot be computed).
struct Row {
    account: Account,
    value: String,
    cash: String,
    gain: String,
    tone: &'static str,
    twr: String,
    xirr: String,
    xirr_note: String,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct ListPage {
    layout: Layout,
    base: String,
    nav: RangeNav,
    rows: Vec<Row>,
    problem: String,
}

fn row(
    returns: Option<&Result<Returns, EngineError>>,
    figures: Option<&AccountRow>,
    account: Account,
) -> Row {
    let (twr, (xirr, xirr_note)) = match returns {
        Some(Ok(r)) => (percent(r.twr), xirr_text(&r.mwr)),
        Some(Err(_)) => ("—".into(), ("—".into(), String::new())),
        None => (String::new(), (String::new(), String::new())),
    };
    let t = figures.map(|f| &f.totals);
    Row {
        value: t.map_or_else(String::new, |t| money(t.value)),
        cash: match (t, account.tracks_cash) {
            (Some(t), true) => money(t.cash),
            (Some(_), false) => "not tracked".into(),
            (None, _) => String::new(),
        },
        gain: t.map_or_else(String::new, |t| signed_money(t.total_gain)),
        tone: t.map_or("", |t| tone(t.total_gain)),
        twr,
        xirr,
        xirr_note,
        account,
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<ViewQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let (range, message) = q.range(Range::YearToDate, c.as_of);
    let portfolio = c.portfolio.as_ref().ok();
    let holdings = portfolio.map(|p| p.holdings(c.as_of));
    let problem = match (&c.portfolio, &holdings) {
        (Err(e), _) | (_, Some(Err(e))) => engine_error(e),
        _ => String::new(),
    };
    let accounts = holdings
        .as_ref()
        .and_then(|h| h.as_ref().ok())
        .map(|h| &h.accounts);
    let scopes: Vec<Scope> = c
        .data
        .accounts
        .iter()
        .map(|a| Scope::Account(a.id))
        .collect();
    let returns = match portfolio {
        Some(_) => returns_memo::returns(&state, &c, user.id, &scopes, range).await?,
        None => Vec::new(),
    };
    let rows = c
        .data
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let figures = accounts.and_then(|list| list.iter().find(|r| r.account == a.id));
            row(returns.get(i).map(|r| r.as_ref()), figures, a.clone())
        })
        .collect();
    let layout = Layout::new(
        "Accounts",
        "accounts",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&ListPage {
        layout,
        base: c.base.to_string(),
        nav: q.nav("/accounts", range, message),
        rows,
        problem,
    })
}
