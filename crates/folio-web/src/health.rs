//! `/livez`, `/readyz` and `/metrics`. None of them opens a database connection.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The process is up. Never touches the database.
async fn livez() -> &'static str {
    "ok\n"
}

/// Whether the database looks usable, judged from the budget's own state.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    // Until the budget's breaker reports readiness, a saturated queue is "not ready".
    let stats = state.db.stats();
    if stats.waiters > 0 && stats.in_use >= stats.hard_cap {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database busy\n".to_owned(),
        )
    } else {
        (StatusCode::OK, "ready\n".to_owned())
    }
}

/// Prometheus text: database budget plus HTTP counters.
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!("{}{}", db_metrics(&state.db), state.metrics.render());
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
}

fn db_metrics(db: &folio_db::Db) -> String {
    let s = db.stats();
    let mut out = String::new();
    for (name, help, v) in [
        ("folio_db_pool_size", "Open database connections.", s.size),
        ("folio_db_pool_idle", "Open connections not in use.", s.idle),
        (
            "folio_db_pool_in_use",
            "Budget slots held by requests.",
            s.in_use,
        ),
        (
            "folio_db_waiters",
            "Requests waiting for a connection.",
            s.waiters,
        ),
        (
            "folio_db_hard_cap",
            "Most connections this process may open.",
            s.hard_cap,
        ),
    ] {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}\n"
        ));
    }
    out
}
