//! The headline figures: value, today's change, total gain, invested, income this year;
//! and a second row with cost, unrealized and realized gains and cash.

use folio_core::portfolio::{EngineError, Holdings, Portfolio, Range, Scope};
use rust_decimal::Decimal;
use time::Date;

use crate::format::{money, percent, signed_money, tone};

/// One figure with its label; `id` lets tests and scripts find it.
pub(crate) struct Kpi {
    pub label: &'static str,
    pub value: String,
    /// A second line (a percentage, or what the figure means).
    pub sub: String,
    pub tone: &'static str,
    pub id: &'static str,
    /// How it is computed (tooltip).
    pub hint: &'static str,
}

/// Value, today's change, total gain, invested, income this year.
pub(super) fn headline(p: &Portfolio, h: &Holdings, today: Date) -> Result<Vec<Kpi>, EngineError> {
    let t = &h.total;
    // A portfolio that starts today has no "yesterday": its 1D change is simply 0.
    let day = p.returns(Scope::Total, Range::OneDay).ok();
    let (day_gain, day_twr) = day.map_or((Decimal::ZERO, Decimal::ZERO), |r| (r.gain, r.twr));
    let max = p.returns(Scope::Total, Range::Max).ok();
    let invested = p
        .total_series()
        .last()
        .map_or(Decimal::ZERO, |d| d.net_contributions);
    let income = p.income(Scope::Total)?;
    let this_year = income
        .by_year
        .get(&today.year())
        .copied()
        .unwrap_or_default();
    Ok(vec![
        Kpi {
            label: "Total value",
            value: money(t.value),
            sub: String::new(),
            tone: "",
            id: "kpi-value",
            hint: "Market value of all holdings plus cash, in your base currency",
        },
        Kpi {
            label: "Today",
            value: signed_money(day_gain),
            sub: percent(day_twr),
            tone: tone(day_gain),
            id: "kpi-today",
            hint: "Change since yesterday's close, net of deposits and withdrawals",
        },
        Kpi {
            label: "Total gain",
            value: signed_money(t.total_gain),
            sub: max
                .and_then(|r| r.simple)
                .map(|s| format!("{} of money put in", percent(s)))
                .unwrap_or_default(),
            tone: tone(t.total_gain),
            id: "kpi-total-gain",
            hint: "Realized + unrealized gains + income − fees and taxes; % = gain ÷ everything put in",
        },
        Kpi {
            label: "Invested",
            value: money(invested),
            sub: "net contributions".into(),
            tone: "",
            id: "kpi-invested",
            hint: "Deposits and securities brought in, minus withdrawals",
        },
        Kpi {
            label: "Income this year",
            value: money(this_year),
            sub: format!("{} in total", money(income.total)),
            tone: "",
            id: "kpi-income-ytd",
            hint: "Dividends and interest received since 1 January, gross",
        },
    ])
}

/// Cost, unrealized, realized, cash: the figures the holdings table adds up to.
pub(super) fn secondary(h: &Holdings) -> Vec<Kpi> {
    let t = &h.total;
    let kpi = |label, value: String, tone, id, hint| Kpi {
        label,
        value,
        sub: String::new(),
        tone,
        id,
        hint,
    };
    vec![
        kpi(
            "Cost basis",
            money(t.cost_basis),
            "",
            "kpi-cost",
            "What the open positions cost",
        ),
        kpi(
            "Unrealized gain",
            signed_money(t.unrealized),
            tone(t.unrealized),
            "kpi-unrealized",
            "Market value − cost basis of open positions",
        ),
        kpi(
            "Realized gain",
            signed_money(t.realized),
            tone(t.realized),
            "kpi-realized",
            "Sale proceeds − cost of the lots sold",
        ),
        kpi(
            "Cash",
            money(t.cash),
            "",
            "kpi-cash",
            "Cash in accounts that track cash",
        ),
    ]
}
