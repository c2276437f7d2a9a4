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
    if !state.schema_ready() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "migrations_pending\n".to_owned(),
        );
    }
    let r = state.db.readiness();
    let status = if r.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, format!("{}\n", r.reason))
}

/// Prometheus text: database budget, HTTP counters and the portfolio cache.
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!(
        "{}{}{}",
        state.db.metrics_text(),
        state.metrics.render(),
        state.portfolios.stats.render(state.portfolios.len())
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
}
