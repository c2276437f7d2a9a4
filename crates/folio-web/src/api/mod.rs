//! The JSON API under `/api/v1`. Authenticated by `Authorization: Bearer <token>` or by
//! the session cookie (then unsafe methods also need `X-CSRF-Token`). Errors are
//! RFC 9457 problem documents; bodies go through our own JSON extractor so a rejection
//! is a problem document too.

mod accounts;
mod activities;
mod assets;
mod caller;
mod error;
mod tokens;

use axum::Router;
use axum::routing::get;

pub(crate) use error::ApiError;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    use accounts::*;
    use activities::*;
    use assets::*;
    use caller::me;
    use tokens::*;
    Router::new()
        .route("/me", get(me))
        .route("/accounts", get(list_accounts).post(create_account))
        .route(
            "/accounts/{id}",
            get(get_account).put(update_account).delete(delete_account),
        )
        .route("/assets", get(list_assets).post(create_asset))
        .route(
            "/assets/{id}",
            get(get_asset).put(update_asset).delete(delete_asset),
        )
        .route("/assets/{id}/prices", get(list_prices).post(add_price))
        .route("/activities", get(list_activities).post(create_activity))
        .route(
            "/activities/{id}",
            get(get_activity)
                .put(update_activity)
                .delete(delete_activity),
        )
        .route("/holdings", get(holdings))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(delete_token))
        .fallback(|| async { ApiError::NotFound })
}
