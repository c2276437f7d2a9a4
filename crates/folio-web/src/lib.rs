//! Folio's web application: server-rendered HTML pages, the JSON API under `/api/v1`,
//! authentication and sessions, health and metrics.
//!
//! The app is a library: [`serve`] runs it on any listener with a shutdown future, so
//! tests bind `127.0.0.1:0`.

pub mod auth;
pub mod demo;

mod api;
mod cache;
mod charts;
mod consistency;
mod display;
mod error;
mod format;
mod forms;
mod health;
pub mod import;
mod metrics;
mod pages;
mod paste;
mod portfolio;
mod render;
mod state;
mod static_files;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use state::AppState;

/// Largest request body accepted; forms and JSON are small, so anything bigger is refused
/// with 413 before it is read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Responses smaller than this are sent as they are: gzip would save a few bytes at
/// best (health answers, redirects, small JSON) and cost CPU on every request.
const MIN_COMPRESS_BYTES: u16 = 1024;

/// The web layer's settings, built from the binary's configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Whether anyone may register (the very first user always may).
    pub registration_open: bool,
    /// Mark cookies `Secure` (served over https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a trusted proxy only).
    pub trust_proxy: bool,
    /// How long a login lasts.
    pub session_ttl: Duration,
    /// How long a cached session is trusted before it is re-read from the database, so
    /// a logout on another instance takes effect within this time.
    pub session_cache_ttl: Duration,
    /// Sign-ups accepted per client address per 15 minutes (each costs a password hash);
    /// 0 means no limit.
    pub signups_per_address: u32,
    /// Users whose computed portfolios are kept in memory (least recently used leave
    /// first); 0 disables the cache.
    pub portfolio_cache_users: usize,
    /// Largest file (in bytes of text) the web import accepts; bigger files are refused
    /// with 413 and go through `folio import`.
    pub import_max_bytes: usize,
    /// Most data rows one web import may have; more are refused with 413.
    pub import_max_rows: u64,
    /// Web imports processed at once (the rest wait in line); at least 1.
    pub import_concurrency: usize,
    /// How long an import waits in line before it gets a 503 page.
    pub import_wait: Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            registration_open: true,
            secure_cookies: false,
            trust_proxy: false,
            session_ttl: Duration::from_secs(14 * 86_400),
            session_cache_ttl: Duration::from_secs(300),
            signups_per_address: 20,
            portfolio_cache_users: 256,
            import_max_bytes: 16 * 1024 * 1024,
            import_max_rows: 100_000,
            import_concurrency: 1,
            import_wait: Duration::from_secs(30),
        }
    }
}

/// The complete application router with its middleware.
pub fn router(state: AppState) -> Router {
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
               form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    // Every route keeps the small body limit except the import upload, which has its own.
    let small_bodies = Router::new()
        .merge(health::router())
        .merge(static_files::router())
        .merge(auth::router())
        .merge(pages::router())
        .nest("/api/v1", api::router())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    Router::new()
        .merge(small_bodies)
        .merge(pages::import::router(&state))
        .fallback(pages::not_found)
        // Innermost, so it runs only once the schema is ready and wraps every handler's
        // rendering: it sets the request's theme and privacy mode.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            display::scope,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::wait_for_schema,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::log_and_count,
        ))
        .layer(axum::middleware::from_fn(auth::csrf::reject_cross_origin))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_response,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        // Pages carry personal figures (and, once, a new API token): never cache them.
        // Static assets set their own Cache-Control, which this keeps.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        // gzip for clients that ask (Accept-Encoding), above a size where it pays; the
        // default predicate also skips images, gRPC and event streams.
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(MIN_COMPRESS_BYTES))),
        )
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes, then drains.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = state.spawn_housekeeping();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    result
}
