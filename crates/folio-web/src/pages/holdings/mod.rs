//! Holdings: every asset held (or once held), aggregated across accounts, with its
//! figures today and its returns over the selected range; sortable by any column with
//! plain links. `/holdings/{id}` is one asset's drill-down ([`detail`]).

mod detail;
mod price_chart;

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;

use folio_core::portfolio::{HoldingRow, Range, Scope, Totals};
use folio_core::{AssetId, UserId};
use rust_decimal::Decimal;

use super::range_nav::{RangeNav, ViewQuery, opt_percent, ratio, xirr_text};
use super::returns_memo;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::{Computed, computed};
use crate::error::PageError;
use crate::format::engine_error;
use crate::format::{money, signed_money, tone, units};
use crate::portfolio::UserData;
use crate::render::{Layout, page};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/holdings", get(list))
        .route("/holdings/{id}", get(detail::show))
}

/// Sortable columns: (query key, header).
const COLUMNS: [(&str, &str); 11] = [
    ("asset", "Asset"),
    ("quantity", "Quantity"),
    ("avg_cost", "Avg cost"),
    ("value", "Market value"),
    ("unrealized", "Unrealized"),
    ("unrealized_pct", "%"),
    ("realized", "Realized"),
    ("income", "Income"),
    ("weight", "Weight"),
    ("twr", "TWR"),
    ("xirr", "XIRR p.a."),
];

/// One asset's figures, unformatted (for sorting).
struct Figures {
    asset: AssetId,
    symbol: String,
    name: String,
    accounts: usize,
    quantity: Decimal,
    totals: Totals,
    twr: Option<Decimal>,
    xirr: Option<Decimal>,
    xirr_note: String,
}

/// A header cell: label, sort link, current sort direction marker.
struct Header {
    label: &'static str,
    href: String,
    mark: &'static str,
    num: bool,
    /// A second sort link in the same cell (the unrealized % under the amount).
    second: Option<Box<Header>>,
}

/// The header cells; "Avg cost" shares the "Quantity" cell and "%" the "Unrealized"
/// one, to keep the table narrow enough for a desktop screen.
fn headers(q: &ViewQuery, range: Range, current: (&str, bool)) -> Vec<Header> {
    let mut out: Vec<Header> = Vec::new();
    for &(k, label) in &COLUMNS {
        let h = Header {
            label,
            href: format!("/holdings{}", q.sort_href(range, k, current)),
            mark: match (k == current.0, current.1) {
                (true, true) => " ▼",
                (true, false) => " ▲",
                _ => "",
            },
            num: k != "asset",
            second: None,
        };
        match out.last_mut() {
            Some(prev) if k == "unrealized_pct" || k == "avg_cost" => {
                prev.second = Some(Box::new(h))
            }
            _ => out.push(h),
        }
    }
    out
}

/// One row, formatted.
struct Row {
    id: i64,
    symbol: String,
    name: String,
    accounts: usize,
    quantity: String,
    avg_cost: String,
    value: String,
    unrealized: String,
    unrealized_pct: String,
    tone: &'static str,
    realized: String,
    realized_tone: &'static str,
    income: String,
    weight: String,
    twr: String,
    xirr: String,
    xirr_note: String,
    no_price: bool,
}

#[derive(Template)]
#[template(path = "holdings.html")]
struct ListPage {
    layout: Layout,
    base: String,
    as_of: String,
    nav: RangeNav,
    headers: Vec<Header>,
    rows: Vec<Row>,
    total: Option<Row>,
    problem: String,
}

/// Sums the holding rows of each asset (accounts in id order).
fn by_asset(data: &UserData, rows: &[HoldingRow]) -> Result<Vec<Figures>, PageError> {
    let mut out: Vec<Figures> = Vec::new();
    for r in rows {
        let i = match out.iter().position(|f| f.asset == r.asset) {
            Some(i) => i,
            None => {
                let a = data.asset(r.asset);
                out.push(Figures {
                    asset: r.asset,
                    symbol: a.map_or_else(|| "?".into(), |a| a.symbol.to_string()),
                    name: a.map_or_else(String::new, |a| a.name.to_string()),
                    accounts: 0,
                    quantity: Decimal::ZERO,
                    totals: Totals::default(),
                    twr: None,
                    xirr: None,
                    xirr_note: String::new(),
                });
                out.len() - 1
            }
        };
        let f = &mut out[i];
        f.accounts += usize::from(!r.quantity.is_zero());
        f.quantity = add(f.quantity, r.quantity)?;
        add_totals(&mut f.totals, &r.totals)?;
    }
    Ok(out)
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, PageError> {
    a.checked_add(b)
        .ok_or_else(|| PageError::Refused("these holdings are too large to add up".into()))
}

/// Adds the fields the list shows.
fn add_totals(t: &mut Totals, o: &Totals) -> Result<(), PageError> {
    t.cost_basis = add(t.cost_basis, o.cost_basis)?;
    t.market_value = add(t.market_value, o.market_value)?;
    t.unrealized = add(t.unrealized, o.unrealized)?;
    t.realized = add(t.realized, o.realized)?;
    t.income = add(t.income, o.income)?;
    t.price_missing |= o.price_missing;
    Ok(())
}

/// Fills each asset's TWR and XIRR over `range` (an asset with nothing in the range
/// keeps none).
async fn add_returns(
    state: &AppState,
    c: &Arc<Computed>,
    user: UserId,
    range: Range,
    figures: &mut [Figures],
) -> Result<(), PageError> {
    let scopes: Vec<Scope> = figures.iter().map(|f| Scope::Asset(f.asset)).collect();
    let returns = returns_memo::returns(state, c, user, &scopes, range).await?;
    for (f, r) in figures.iter_mut().zip(returns) {
        if let Ok(r) = r.as_ref() {
            f.twr = Some(r.twr);
            f.xirr = r.mwr.as_ref().ok().map(|x| x.annual);
            f.xirr_note = xirr_text(&r.mwr).1;
        }
    }
    Ok(())
}

/// The value a column sorts by (text columns sort by symbol).
fn key_of(f: &Figures, key: &str, total_value: Decimal) -> Option<Decimal> {
    let t = &f.totals;
    match key {
        "quantity" => Some(f.quantity),
        "avg_cost" => ratio(t.cost_basis, f.quantity),
        "value" => Some(t.market_value),
        "unrealized" => Some(t.unrealized),
        "unrealized_pct" => ratio(t.unrealized, t.cost_basis),
        "realized" => Some(t.realized),
        "income" => Some(t.income),
        "weight" => ratio(t.market_value, total_value),
        "twr" => f.twr,
        "xirr" => f.xirr,
        _ => None,
    }
}

fn sort(figures: &mut [Figures], key: &str, desc: bool, total_value: Decimal) {
    figures.sort_by(|a, b| {
        let ord = if key == "asset" {
            a.symbol.to_lowercase().cmp(&b.symbol.to_lowercase())
        } else {
            // Missing values sort last whichever the direction.
            match (key_of(a, key, total_value), key_of(b, key, total_value)) {
                (Some(x), Some(y)) if desc => y.cmp(&x),
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        };
        ord.then_with(|| a.symbol.cmp(&b.symbol))
    });
    if key == "asset" && desc {
        figures.reverse();
    }
}

fn row(f: &Figures, total_value: Decimal) -> Row {
    let t = &f.totals;
    Row {
        id: f.asset.get(),
        symbol: f.symbol.clone(),
        name: f.name.clone(),
        accounts: f.accounts,
        quantity: units(f.quantity),
        avg_cost: ratio(t.cost_basis, f.quantity).map_or_else(String::new, money),
        value: money(t.market_value),
        unrealized: signed_money(t.unrealized),
        unrealized_pct: opt_percent(ratio(t.unrealized, t.cost_basis)),
        tone: tone(t.unrealized),
        realized: signed_money(t.realized),
        realized_tone: tone(t.realized),
        income: money(t.income),
        weight: ratio(t.market_value, total_value).map_or_else(String::new, crate::format::share),
        twr: opt_percent(f.twr),
        xirr: f.xirr.map_or_else(|| "—".into(), crate::format::percent),
        xirr_note: f.xirr_note.clone(),
        no_price: t.price_missing,
    }
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<ViewQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let keys: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    let (key, desc) = q.sort(&keys, "value");
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let (range, message) = q.range(Range::YearToDate, c.as_of);
    let (mut rows, mut total, mut problem) = (Vec::new(), None, String::new());
    match c.portfolio.as_ref().map(|p| (p, p.holdings(c.as_of))) {
        Ok((_, Ok(h))) => {
            let mut figures = by_asset(&c.data, &h.holdings)?;
            let mut sum = Figures {
                asset: AssetId::new(0),
                symbol: "Total".into(),
                name: String::new(),
                accounts: 0,
                quantity: Decimal::ZERO,
                totals: Totals::default(),
                twr: None,
                xirr: None,
                xirr_note: String::new(),
            };
            for f in &figures {
                add_totals(&mut sum.totals, &f.totals)?;
            }
            let total_value = sum.totals.market_value;
            add_returns(&state, &c, user.id, range, &mut figures).await?;
            sort(&mut figures, key, desc, total_value);
            rows = figures.iter().map(|f| row(f, total_value)).collect();
            let mut t = row(&sum, total_value);
            (t.quantity, t.avg_cost, t.xirr) = (String::new(), String::new(), String::new());
            total = Some(t);
        }
        Ok((_, Err(e))) => problem = engine_error(&e),
        Err(e) => problem = engine_error(e),
    }
    let headers = headers(&q, range, (key, desc));
    let layout = Layout::new(
        "Holdings",
        "holdings",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&ListPage {
        layout,
        base: c.base.to_string(),
        as_of: c.as_of.to_string(),
        nav: q.nav("/holdings", range, message),
        headers,
        rows,
        total,
        problem,
    })
}
