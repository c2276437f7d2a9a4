//! The income page: dividends and interest by month and year (chart and table), by
//! holding, trailing twelve months and yield on cost — all from `Portfolio::income`.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use folio_core::portfolio::{EngineError, IncomeReport, Portfolio, Scope};
use rust_decimal::Decimal;
use time::Date;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::computed;
use crate::charts::{Bar, BarChart, Chart, Unit};
use crate::error::PageError;
use crate::format::engine_error;
use crate::format::{money, percent};
use crate::portfolio::UserData;
use crate::render::{Layout, page};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/income", get(income))
}

/// Months shown in the monthly chart (the table has them all).
const CHART_MONTHS: usize = 36;

/// One year of the month × year table.
struct YearRow {
    year: i32,
    months: Vec<String>,
    total: String,
}

/// Income of one holding (or of cash, for interest not tied to an asset).
struct HoldingIncome {
    symbol: String,
    account: String,
    total: String,
    trailing: String,
    yield_on_cost: String,
}

struct Figures {
    total: String,
    this_year: String,
    trailing: String,
    yield_on_cost: String,
    monthly: Chart,
    yearly: Chart,
    years: Vec<YearRow>,
    holdings: Vec<HoldingIncome>,
}

#[derive(Template)]
#[template(path = "income.html")]
struct IncomePage {
    layout: Layout,
    base: String,
    as_of: String,
    figures: Option<Figures>,
    problem: String,
    problem_link: Option<(String, &'static str)>,
}

async fn income(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let figures = match &c.portfolio {
        Ok(p) => figures(p, &c.data, c.as_of),
        Err(e) => Err(e.clone()),
    };
    let (figures, problem, problem_link) = match figures {
        Ok(f) => (Some(f), String::new(), None),
        Err(e) => (None, engine_error(&e), super::dashboard::fix_link(&e)),
    };
    let layout = Layout::new(
        "Income",
        "income",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&IncomePage {
        layout,
        base: c.base.to_string(),
        as_of: c.as_of.to_string(),
        figures,
        problem,
        problem_link,
    })
}

fn figures(p: &Portfolio, data: &UserData, today: Date) -> Result<Figures, EngineError> {
    let r = p.income(Scope::Total)?;
    Ok(Figures {
        total: money(r.total),
        this_year: money(r.by_year.get(&today.year()).copied().unwrap_or_default()),
        trailing: money(r.trailing_12m),
        yield_on_cost: r.yield_on_cost.map(percent).unwrap_or_default(),
        monthly: monthly_chart(&r, today),
        yearly: BarChart::new(
            "Income per year",
            "Year",
            Unit::Money,
            r.by_year
                .iter()
                .map(|(y, v)| Bar {
                    label: y.to_string(),
                    value: *v,
                })
                .collect(),
        )
        .render(),
        years: year_rows(&r.by_month),
        holdings: by_holding(p, data, &r, today)?,
    })
}

/// The last months up to this one, months without income included as zero.
fn monthly_chart(r: &IncomeReport, today: Date) -> Chart {
    let Some(&(y0, m0)) = r.by_month.keys().next() else {
        return BarChart::new("Income per month", "Month", Unit::Money, Vec::new()).render();
    };
    let mut months = Vec::new();
    let (mut y, mut m) = (y0, m0);
    while (y, m) <= (today.year(), u8::from(today.month())) {
        let value = r.by_month.get(&(y, m)).copied().unwrap_or_default();
        months.push(Bar {
            label: format!("{y}-{m:02}"),
            value,
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    let skip = months.len().saturating_sub(CHART_MONTHS);
    BarChart::new(
        "Income per month",
        "Month",
        Unit::Money,
        months.split_off(skip),
    )
    .render()
}

fn year_rows(by_month: &BTreeMap<(i32, u8), Decimal>) -> Vec<YearRow> {
    let mut years: BTreeMap<i32, [Decimal; 12]> = BTreeMap::new();
    for (&(y, m), v) in by_month {
        let slot = &mut years.entry(y).or_default()[usize::from(m.clamp(1, 12) - 1)];
        *slot = slot.checked_add(*v).unwrap_or(*slot);
    }
    years
        .into_iter()
        .rev()
        .map(|(year, months)| YearRow {
            year,
            // Too large to add up is a dash, never a silently wrong total.
            total: months
                .iter()
                .try_fold(Decimal::ZERO, |a, v| a.checked_add(*v))
                .map_or_else(|| "—".to_owned(), money),
            months: months
                .iter()
                .map(|v| {
                    if v.is_zero() {
                        String::new()
                    } else {
                        money(*v)
                    }
                })
                .collect(),
        })
        .collect()
}

/// Per holding that ever paid income, largest first; interest not tied to an asset is
/// one "Cash" row (the total minus the holdings).
fn by_holding(
    p: &Portfolio,
    data: &UserData,
    total: &IncomeReport,
    today: Date,
) -> Result<Vec<HoldingIncome>, EngineError> {
    let h = p.holdings(today)?;
    let mut rows = Vec::new();
    let (mut rest, mut rest_12m) = (total.total, total.trailing_12m);
    for row in h.holdings.iter().filter(|r| !r.totals.income.is_zero()) {
        let r = p.income(Scope::Holding(row.account, row.asset))?;
        rest = rest.checked_sub(r.total).unwrap_or(rest);
        rest_12m = rest_12m.checked_sub(r.trailing_12m).unwrap_or(rest_12m);
        let symbol = data
            .asset(row.asset)
            .map_or_else(|| "?".into(), |a| a.symbol.to_string());
        let account = data
            .account(row.account)
            .map_or_else(String::new, |a| a.name.to_string());
        rows.push((
            r.total,
            HoldingIncome {
                symbol,
                account,
                total: money(r.total),
                trailing: money(r.trailing_12m),
                yield_on_cost: r.yield_on_cost.map(percent).unwrap_or_default(),
            },
        ));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out: Vec<HoldingIncome> = rows.into_iter().map(|(_, r)| r).collect();
    if !rest.is_zero() || !rest_12m.is_zero() {
        out.push(HoldingIncome {
            symbol: "Cash".into(),
            account: "interest on cash balances".into(),
            total: money(rest),
            trailing: money(rest_12m),
            yield_on_cost: String::new(),
        });
    }
    Ok(out)
}
