//! Returns of single accounts and assets, remembered for as long as the computed
//! portfolio they came from is the user's current one.
//!
//! The whole portfolio's daily series is cached with the portfolio, but an account's or
//! an asset's series is swept on demand (days × assets in scope), and the holdings and
//! accounts lists ask for one per row: about a millisecond each for a ten-year history,
//! on every view. The app's [`super::memo::Memos::returns`] keeps each result for as
//! long as the [`Computed`] it came from is current.

use std::sync::Arc;

use folio_core::UserId;
use folio_core::portfolio::{EngineError, Range, Returns, Scope};

use super::memo::Memo;
use crate::AppState;
use crate::cache::Computed;
use crate::error::PageError;

type Key = (UserId, Scope, String);

/// One scope's returns, shared between the memo and the pages.
pub(crate) type Shared = Arc<Result<Returns, EngineError>>;

/// The returns of each of `scopes` over `range`, from the app's memo where it holds them
/// for this very `Computed`, else computed on the blocking pool (a ten-year history
/// takes a while per scope) and remembered.
pub(crate) async fn returns(
    state: &AppState,
    c: &Arc<Computed>,
    user: UserId,
    scopes: &[Scope],
    range: Range,
) -> Result<Vec<Shared>, PageError> {
    let range_key = format!("{range:?}");
    let memo = &state.memos.returns;
    let found: Vec<Option<Shared>> = scopes
        .iter()
        .map(|&s| memo.get(&(user, s, range_key.clone()), c))
        .collect();
    if found.iter().all(Option::is_some) {
        return Ok(found.into_iter().flatten().collect());
    }
    let (c, scopes, memos) = (Arc::clone(c), scopes.to_vec(), Arc::clone(&state.memos));
    tokio::task::spawn_blocking(move || {
        fill(&memos.returns, &c, user, &scopes, range, range_key, found)
    })
    .await
    .map_err(|e| PageError::Internal(format!("returns computation failed: {e}")))
}

/// Computes the missing returns and remembers them.
fn fill(
    memo: &Memo<Key, Result<Returns, EngineError>>,
    c: &Arc<Computed>,
    user: UserId,
    scopes: &[Scope],
    range: Range,
    range_key: String,
    mut found: Vec<Option<Shared>>,
) -> Vec<Shared> {
    let mut fresh = Vec::new();
    for (slot, &scope) in found.iter_mut().zip(scopes) {
        if slot.is_none() {
            let value = Arc::new(match &c.portfolio {
                Ok(p) => p.returns(scope, range),
                Err(e) => Err(e.clone()),
            });
            fresh.push(((user, scope, range_key.clone()), Arc::clone(&value)));
            *slot = Some(value);
        }
    }
    memo.put(c, fresh);
    found.into_iter().flatten().collect()
}
