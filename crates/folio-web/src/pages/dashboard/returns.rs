//! The range's returns — TWR and XIRR, each saying what it is — and the engine's
//! explanation of how they were computed.

use folio_core::portfolio::{Explanation, Portfolio, Range, Returns, Scope};
use time::Date;

use crate::format::engine_error;
use crate::format::{money, percent, signed_money, tone};

/// One day with an external flow.
pub(crate) struct FlowView {
    pub date: String,
    pub inflow: String,
    pub outflow: String,
}

/// The inputs of the returns, formatted.
pub(crate) struct ExplanationView {
    pub base_date: String,
    pub start_value: String,
    pub end_date: String,
    pub end_value: String,
    /// The latest [`MAX_FLOWS`] flow days.
    pub flows: Vec<FlowView>,
    /// Flow days before those, left out of the table (still in `net_flows`).
    pub flows_hidden: usize,
    pub net_flows: String,
    pub days: i64,
    pub income: String,
    pub realized: String,
    pub costs: String,
    pub days_valued_at_cost: usize,
}

/// Flow days listed at most: a ten-year holdings-only portfolio has a flow on every
/// trading day, and thousands of rows would only slow the page down.
const MAX_FLOWS: usize = 250;

/// The returns of the range.
pub(crate) struct ReturnsView {
    /// "1Y", "custom".
    pub label: &'static str,
    /// The close the range starts from.
    pub base: Date,
    /// The last day measured.
    pub end: Date,
    pub gain: String,
    pub gain_tone: &'static str,
    pub twr: String,
    pub twr_tone: &'static str,
    /// Annualized TWR, for ranges of a year or more.
    pub twr_annualized: String,
    /// Annual XIRR, or empty when there is none.
    pub xirr: String,
    pub xirr_tone: &'static str,
    /// XIRR over the period (not annualized).
    pub xirr_period: String,
    /// Why there is no XIRR.
    pub xirr_none: String,
    pub explanation: ExplanationView,
}

/// The total portfolio's returns over `range`, or why there are none (a message).
pub(super) fn view(p: &Portfolio, range: Range) -> Result<ReturnsView, String> {
    let r = p
        .returns(Scope::Total, range)
        .map_err(|e| format!("No returns for this range: {e}."))?;
    Ok(from_returns(&r))
}

fn from_returns(r: &Returns) -> ReturnsView {
    let e = &r.explanation;
    let (xirr, xirr_tone, xirr_period, xirr_none) = match &r.mwr {
        Ok(x) => (
            percent(x.annual),
            tone(x.annual),
            percent(x.period),
            String::new(),
        ),
        Err(err) => (String::new(), "", String::new(), engine_error(err)),
    };
    ReturnsView {
        label: e.range,
        base: e.base_date,
        end: e.end_date,
        gain: signed_money(r.gain),
        gain_tone: tone(r.gain),
        twr: percent(r.twr),
        twr_tone: tone(r.twr),
        // For exactly a year the annualized figure is the figure itself: not repeated.
        twr_annualized: match e.days > 366 {
            true => r.twr_annualized.map(percent).unwrap_or_default(),
            false => String::new(),
        },
        xirr,
        xirr_tone,
        xirr_period,
        xirr_none,
        explanation: explanation(e),
    }
}

fn explanation(e: &Explanation) -> ExplanationView {
    let hidden = e.flows.len().saturating_sub(MAX_FLOWS);
    ExplanationView {
        base_date: e.base_date.to_string(),
        start_value: money(e.start_value),
        end_date: e.end_date.to_string(),
        end_value: money(e.end_value),
        flows_hidden: hidden,
        flows: e.flows[hidden..]
            .iter()
            .map(|f| FlowView {
                date: f.date.to_string(),
                inflow: money(f.inflow),
                outflow: money(f.outflow),
            })
            .collect(),
        net_flows: signed_money(e.net_flows),
        days: e.days,
        income: money(e.income),
        realized: signed_money(e.realized),
        costs: money(e.costs),
        days_valued_at_cost: e.days_valued_at_cost,
    }
}
