//! One asset's drill-down: per-account breakdown, open and closed lots, returns over the
//! selected range, income, its activities and its price history.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use folio_core::AssetId;
use folio_core::portfolio::{Disposal, HoldingRow, Portfolio, Range, Scope};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::computed;
use crate::error::PageError;
use crate::format::engine_error;
use crate::format::{money, percent, signed_money, tone, units};
use crate::pages::home::RecentView;
use crate::pages::range_nav::{RangeNav, ViewQuery, opt_percent, ratio, xirr_text};
use crate::portfolio::UserData;
use crate::render::{Layout, page};

/// One account's part of the holding.
struct AccountPart {
    account: String,
    quantity: String,
    cost: String,
    value: String,
    unrealized: String,
    tone: &'static str,
    realized: String,
    income: String,
}

/// An open lot.
struct OpenLot {
    account: String,
    acquired: String,
    quantity: String,
    cost: String,
    unit_cost: String,
    value: String,
    gain: String,
    tone: &'static str,
}

/// A sell with the lots it closed.
struct ClosedLot {
    sold: String,
    account: String,
    acquired: String,
    quantity: String,
    cost: String,
    proceeds: String,
    gain: String,
    tone: &'static str,
}

/// Returns over the selected range.
struct RangeFigures {
    twr: String,
    xirr: String,
    xirr_note: String,
    gain: String,
    tone: &'static str,
    base_date: String,
    end_date: String,
}

/// Income of the asset.
struct IncomeView {
    years: Vec<(i32, String)>,
    total: String,
    trailing: String,
    yield_on_cost: String,
}

#[derive(Template)]
#[template(path = "holding.html")]
struct DetailPage {
    layout: Layout,
    id: i64,
    symbol: String,
    name: String,
    currency: String,
    base: String,
    as_of: String,
    nav: RangeNav,
    problem: String,
    parts: Vec<AccountPart>,
    open: Vec<OpenLot>,
    closed: Vec<ClosedLot>,
    returns: Option<RangeFigures>,
    returns_note: String,
    income: Option<IncomeView>,
    activities: Vec<RecentView>,
    chart: Option<crate::charts::Chart>,
}

fn account_name(data: &UserData, id: folio_core::AccountId) -> String {
    data.account(id)
        .map_or_else(|| id.to_string(), |a| a.name.to_string())
}

fn part(data: &UserData, r: &HoldingRow) -> AccountPart {
    let t = &r.totals;
    AccountPart {
        account: account_name(data, r.account),
        quantity: units(r.quantity),
        cost: money(t.cost_basis),
        value: money(t.market_value),
        unrealized: signed_money(t.unrealized),
        tone: tone(t.unrealized),
        realized: signed_money(t.realized),
        income: money(t.income),
    }
}

/// Open lots of one account's holding, valued at the holding's price and rate.
fn open_lots(data: &UserData, r: &HoldingRow) -> Vec<OpenLot> {
    let unit = r.price.as_ref().and_then(|p| p.price.checked_mul(p.fx));
    r.lots
        .iter()
        .map(|l| {
            let value = unit.and_then(|u| u.checked_mul(l.quantity));
            let gain = value.and_then(|v| v.checked_sub(l.cost_base));
            OpenLot {
                account: account_name(data, r.account),
                acquired: l.acquired.to_string(),
                quantity: units(l.quantity),
                cost: money(l.cost_base),
                unit_cost: ratio(l.cost_base, l.quantity).map_or_else(String::new, money),
                value: value.map_or_else(|| "at cost".into(), money),
                gain: gain.map_or_else(String::new, signed_money),
                tone: gain.map_or("", tone),
            }
        })
        .collect()
}

fn closed_lot(data: &UserData, d: &Disposal) -> ClosedLot {
    let acquired: Vec<String> = d
        .consumed
        .lots
        .iter()
        .map(|l| format!("{} ({})", l.acquired, units(l.quantity)))
        .collect();
    ClosedLot {
        sold: d.date.to_string(),
        account: account_name(data, d.account),
        acquired: acquired.join(", "),
        quantity: units(d.quantity),
        cost: money(d.consumed.cost_base),
        proceeds: money(d.proceeds),
        gain: signed_money(d.realized),
        tone: tone(d.realized),
    }
}

fn range_figures(p: &Portfolio, id: AssetId, range: Range) -> Result<RangeFigures, String> {
    let r = p
        .returns(Scope::Asset(id), range)
        .map_err(|e| engine_error(&e))?;
    let (xirr, xirr_note) = xirr_text(&r.mwr);
    Ok(RangeFigures {
        twr: percent(r.twr),
        xirr,
        xirr_note,
        gain: signed_money(r.gain),
        tone: tone(r.gain),
        base_date: r.explanation.base_date.to_string(),
        end_date: r.explanation.end_date.to_string(),
    })
}

fn income_view(p: &Portfolio, id: AssetId) -> Option<IncomeView> {
    let inc = p.income(Scope::Asset(id)).ok()?;
    Some(IncomeView {
        years: inc.by_year.iter().map(|(y, v)| (*y, money(*v))).collect(),
        total: money(inc.total),
        trailing: money(inc.trailing_12m),
        yield_on_cost: opt_percent(inc.yield_on_cost),
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    q: Result<Query<ViewQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let id: AssetId = id.trim().parse().map_err(|_| PageError::NotFound)?;
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let (range, message) = q.range(Range::Max, c.as_of);
    let data = &c.data;
    let asset = data.asset(id).ok_or(PageError::NotFound)?;
    let (mut parts, mut open, mut closed) = (Vec::new(), Vec::new(), Vec::new());
    let (mut returns, mut returns_note, mut income, mut problem) =
        (None, String::new(), None, String::new());
    match c.portfolio.as_ref().map(|p| (p, p.holdings(c.as_of))) {
        Ok((p, Ok(h))) => {
            for r in h.holdings.iter().filter(|r| r.asset == id) {
                parts.push(part(data, r));
                open.extend(open_lots(data, r));
            }
            closed = p
                .disposals(Scope::Asset(id))
                .iter()
                .map(|d| closed_lot(data, d))
                .collect();
            match range_figures(p, id, range) {
                Ok(f) => returns = Some(f),
                Err(e) if parts.is_empty() => returns_note = format!("Nothing recorded yet ({e})."),
                Err(e) => returns_note = e,
            }
            income = income_view(p, id);
        }
        Ok((_, Err(e))) => problem = engine_error(&e),
        Err(e) => problem = engine_error(e),
    }
    let activities = data
        .activities
        .iter()
        .rev()
        .filter(|a| a.data.asset_id == Some(id))
        .map(|a| crate::pages::activities::row_view(data, a))
        .collect();
    let chart = super::price_chart::price_chart(data, id, &asset.currency.to_string());
    let symbol = asset.symbol.to_string();
    let layout = Layout::new(
        symbol.clone(),
        "holdings",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&DetailPage {
        layout,
        id: id.get(),
        symbol,
        name: asset.name.to_string(),
        currency: asset.currency.to_string(),
        base: c.base.to_string(),
        as_of: c.as_of.to_string(),
        nav: q.nav(&format!("/holdings/{id}"), range, message),
        problem,
        parts,
        open,
        closed,
        returns,
        returns_note,
        income,
        activities,
        chart,
    })
}
