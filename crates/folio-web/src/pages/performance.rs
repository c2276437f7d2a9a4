//! Performance: returns by range (1D … MAX), by calendar year and month (a month × year
//! grid), the maximum drawdown, and a comparison with a benchmark the user picks (any of
//! their assets with a price history; its *price* return over the same dates).

mod benchmark;
mod chart;

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use folio_core::UserId;
use folio_core::portfolio::{PeriodReturns, Portfolio, Range, Scope, max_drawdown, period_returns};
use rust_decimal::Decimal;
use std::sync::Arc;

use super::range_nav::{RangeNav, ViewQuery, opt_percent, xirr_text};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::cache::{Computed, computed};
use crate::display::View;
use crate::error::PageError;
use crate::format::engine_error;
use crate::format::{percent, signed_money, tone};
use crate::render::{Layout, page};
use benchmark::{Benchmark, bench_return, benchmarks, choose};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/performance", get(show))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// One range's row.
struct RangeRow {
    label: &'static str,
    period: String,
    twr: String,
    annualized: String,
    xirr: String,
    xirr_note: String,
    gain: String,
    tone: &'static str,
    bench: String,
}

/// A cell of the month × year grid: portfolio and benchmark.
struct Cell {
    value: String,
    tone: &'static str,
    bench: String,
}

/// One year of the grid: 12 months then the year.
struct GridRow {
    year: i32,
    cells: Vec<Cell>,
}

/// The maximum drawdown, formatted.
struct DrawdownView {
    depth: String,
    peak: String,
    trough: String,
    recovered: String,
}

#[derive(Template)]
#[template(path = "performance.html")]
struct PerformancePage {
    layout: Layout,
    base: String,
    as_of: String,
    nav: RangeNav,
    months: [&'static str; 12],
    f: Arc<Figures>,
}

/// Everything the page shows that is computed from the portfolio, formatted. Remembered
/// per (user, range, benchmark, privacy mode) for as long as the portfolio is current.
pub(crate) struct Figures {
    problem: String,
    choices: Vec<(String, String, bool)>,
    bench_label: String,
    bench_note: String,
    ranges: Vec<RangeRow>,
    grid: Vec<GridRow>,
    drawdown: Option<DrawdownView>,
    chart: Option<crate::charts::Chart>,
}

fn range_rows(p: &Portfolio, bench: Option<&Benchmark>) -> Vec<RangeRow> {
    Range::NAMED
        .into_iter()
        .map(|range| match p.returns(Scope::Total, range) {
            Ok(r) => {
                let e = &r.explanation;
                let (xirr, xirr_note) = xirr_text(&r.mwr);
                RangeRow {
                    label: range.label(),
                    period: format!("after {} to {}", e.base_date, e.end_date),
                    twr: percent(r.twr),
                    annualized: opt_percent(r.twr_annualized),
                    xirr,
                    xirr_note,
                    gain: signed_money(r.gain),
                    tone: tone(r.gain),
                    bench: bench.map_or_else(String::new, |b| {
                        bench_return(&b.index, e.base_date, e.end_date)
                    }),
                }
            }
            Err(e) => RangeRow {
                label: range.label(),
                period: engine_error(&e),
                twr: "—".into(),
                annualized: String::new(),
                xirr: "—".into(),
                xirr_note: String::new(),
                gain: String::new(),
                tone: "",
                bench: String::new(),
            },
        })
        .collect()
}

fn cell(r: Option<&Decimal>, b: Option<&Decimal>, has_bench: bool) -> Cell {
    Cell {
        value: r.map_or_else(String::new, |v| percent(*v)),
        tone: r.map_or("", |v| tone(*v)),
        bench: match (has_bench, b) {
            (true, Some(v)) => percent(*v),
            (true, None) if r.is_some() => "·".into(),
            _ => String::new(),
        },
    }
}

/// Years (newest first) × months, plus the year.
fn grid(own: &PeriodReturns, bench: Option<&PeriodReturns>) -> Vec<GridRow> {
    own.yearly
        .keys()
        .rev()
        .map(|&year| {
            let mut cells: Vec<Cell> = (1..=12u8)
                .map(|m| {
                    let b = bench.and_then(|b| b.monthly.get(&(year, m)));
                    cell(own.monthly.get(&(year, m)), b, bench.is_some())
                })
                .collect();
            let b = bench.and_then(|b| b.yearly.get(&year));
            cells.push(cell(own.yearly.get(&year), b, bench.is_some()));
            GridRow { year, cells }
        })
        .collect()
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<ViewQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let c = computed(&state, user.id, &user.base_currency, &user.settings).await?;
    let (range, message) = q.range(Range::Max, c.as_of);
    let f = remembered(&state, &c, user.id, range, q.benchmark.trim()).await?;
    let layout = Layout::new(
        "Performance",
        "performance",
        Some(user.email.clone()),
        user.csrf.clone(),
    );
    page(&PerformancePage {
        layout,
        base: c.base.to_string(),
        as_of: c.as_of.to_string(),
        nav: q.nav("/performance", range, message),
        months: MONTHS,
        f,
    })
}

/// The figures from the app's memo, else computed on the blocking pool (eight ranges'
/// returns with XIRR, the TWR index, the month grid and the drawdown, for the portfolio
/// and the benchmark) with the request's view in effect, and remembered.
async fn remembered(
    state: &AppState,
    c: &Arc<Computed>,
    user: UserId,
    range: Range,
    benchmark: &str,
) -> Result<Arc<Figures>, PageError> {
    let view = View::current();
    let privacy = view.prefs.privacy_mode;
    let key = (user, format!("{range:?}"), benchmark.to_owned(), privacy);
    if let Some(f) = state.memos.performance.get(&key, c) {
        return Ok(f);
    }
    let (c, memos) = (Arc::clone(c), Arc::clone(&state.memos));
    tokio::task::spawn_blocking(move || {
        let f = Arc::new(view.enter(|| figures(&c, range, &key.2)));
        memos.performance.put(&c, vec![(key, Arc::clone(&f))]);
        f
    })
    .await
    .map_err(|e| PageError::Internal(format!("performance computation failed: {e}")))
}

fn figures(c: &Computed, range: Range, benchmark: &str) -> Figures {
    let list = benchmarks(&c.data);
    let (bench, mut bench_note) = choose(&list, benchmark);
    let (mut ranges, mut rows, mut drawdown, mut problem) =
        (Vec::new(), Vec::new(), None, String::new());
    let mut chart = None;
    match c.portfolio.as_ref() {
        Ok(p) => {
            ranges = range_rows(p, bench);
            // One TWR index serves the chart, the grid and the drawdown.
            // An engine error is shown, never turned into an empty grid without a word.
            let index = p.twr_index(Scope::Total).unwrap_or_else(|e| {
                problem = engine_error(&e);
                Vec::new()
            });
            chart = chart::comparison(
                p,
                &index,
                range,
                bench.map(|b| (b.label.as_str(), b.index.as_slice())),
            );
            let own = period_returns(&index).unwrap_or_else(|e| {
                problem = engine_error(&e);
                Default::default()
            });
            let theirs = bench.map(|b| period_returns(&b.index).unwrap_or_default());
            rows = grid(&own, theirs.as_ref());
            drawdown = max_drawdown(&index).ok().flatten().map(|w| DrawdownView {
                depth: percent(w.depth),
                peak: w.peak.to_string(),
                trough: w.trough.to_string(),
                recovered: w
                    .recovered
                    .map_or_else(|| "not yet".into(), |d| d.to_string()),
            });
            if let (Some(b), Some(first)) = (bench, p.total_series().first())
                && b.index.first().is_some_and(|s| s.0 >= first.date)
            {
                bench_note = format!(
                    "{}'s price history starts on {}, after your portfolio's first day: ranges starting earlier are compared from that date.",
                    b.label, b.index[0].0
                );
            }
        }
        Err(e) => problem = engine_error(e),
    }
    let choices = list
        .iter()
        .map(|b| {
            (
                b.id.to_string(),
                b.label.clone(),
                bench.is_some_and(|x| x.id == b.id),
            )
        })
        .collect();
    Figures {
        problem,
        choices,
        bench_label: bench.map_or_else(String::new, |b| b.label.clone()),
        bench_note,
        ranges,
        grid: rows,
        drawdown,
        chart,
    }
}
