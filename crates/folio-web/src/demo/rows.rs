//! Turns the generated demo into repository inputs, mapping its local ids (positions
//! + 1) to the ids the database assigned.

use folio_core::demo::DemoPortfolio;
use folio_core::portfolio::EngineActivity;
use folio_core::{AccountId, ActivityType, AssetId, Name, Note, Symbol, UserId};
use folio_db::Db;
use folio_db::models::{FxRate, NewAccount, NewActivity, NewAsset};
use folio_db::repo::{accounts, assets};

use super::DemoError;

fn invalid(what: &str, e: impl std::fmt::Display) -> DemoError {
    DemoError::Engine(format!("demo {what}: {e}"))
}

/// The stored id of every demo account, in demo order (existing ones reused by name).
pub(super) async fn ensure_accounts(
    db: &Db,
    user: UserId,
    demo: &DemoPortfolio,
) -> Result<Vec<AccountId>, DemoError> {
    let existing = accounts::list_accounts(db, user).await?;
    let mut ids = Vec::with_capacity(demo.accounts.len());
    for a in &demo.accounts {
        let name = Name::parse(a.name).map_err(|e| invalid("account name", e))?;
        let id = match existing.iter().find(|e| e.name == name) {
            Some(found) => found.id,
            None => {
                let new = NewAccount {
                    name,
                    currency: a.currency.clone(),
                    tracks_cash: a.tracks_cash,
                };
                accounts::insert_account(db, user, &new).await?
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// The stored id of every demo asset, in demo order (existing ones reused by symbol).
pub(super) async fn ensure_assets(
    db: &Db,
    user: UserId,
    demo: &DemoPortfolio,
) -> Result<Vec<AssetId>, DemoError> {
    let existing = assets::list_assets(db, user).await?;
    let mut ids = Vec::with_capacity(demo.assets.len());
    for a in &demo.assets {
        let symbol = Symbol::parse(a.symbol).map_err(|e| invalid("symbol", e))?;
        let id = match existing.iter().find(|e| e.symbol == symbol) {
            Some(found) => found.id,
            None => {
                let new = NewAsset {
                    symbol,
                    name: Name::parse(a.name).map_err(|e| invalid("asset name", e))?,
                    currency: a.currency.clone(),
                    class: a.class,
                    pricing: a.pricing,
                };
                assets::insert_asset(db, user, &new).await?
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Every FX rate of the demo.
pub(super) fn fx_rates(demo: &DemoPortfolio) -> Vec<FxRate> {
    demo.fx
        .iter()
        .flat_map(|pair| {
            pair.rates.iter().map(|&(date, rate)| FxRate {
                base: pair.base.clone(),
                quote: pair.quote.clone(),
                date,
                rate,
            })
        })
        .collect()
}

/// The element a local id (position + 1) names.
fn local<T: Copy>(ids: &[T], local_id: i64) -> Option<T> {
    let position = usize::try_from(local_id).ok()?.checked_sub(1)?;
    ids.get(position).copied()
}

/// Repository rows plus the in-batch transfer links `(row, out)`.
pub(super) type Batch = (Vec<NewActivity>, Vec<(usize, usize)>);

/// The activities as repository rows, plus the in-batch transfer links `(row, out)`.
pub(super) fn activities(
    demo: &DemoPortfolio,
    accounts: &[AccountId],
    assets: &[AssetId],
) -> Result<Batch, DemoError> {
    let mut rows = Vec::with_capacity(demo.activities.len());
    let mut links = Vec::new();
    for (i, a) in demo.activities.iter().enumerate() {
        if let Some(out) = a.transfer_of {
            let out = usize::try_from(out.get())
                .ok()
                .and_then(|o| o.checked_sub(1));
            links.push((i, out.ok_or_else(|| invalid("transfer link", a.id))?));
        }
        let account = local(accounts, a.account.get()).ok_or_else(|| invalid("account", a.id))?;
        rows.push(row(a, account, assets)?);
    }
    Ok((rows, links))
}

/// One activity as the activity form would store it: fields its type does not use are
/// empty; the transfer pair carries a note saying what happened.
fn row(
    a: &EngineActivity,
    account: AccountId,
    assets: &[AssetId],
) -> Result<NewActivity, DemoError> {
    let (quantity, unit_price, amount) = match a.kind {
        ActivityType::Buy | ActivityType::Sell => (Some(a.quantity), Some(a.unit_price), None),
        ActivityType::Split | ActivityType::TransferIn | ActivityType::TransferOut
            if a.asset.is_some() =>
        {
            (Some(a.quantity), None, None)
        }
        _ => (None, None, Some(a.amount)),
    };
    let note = match a.kind {
        ActivityType::TransferIn | ActivityType::TransferOut => "Moved to the low-cost broker",
        _ => "",
    };
    let asset = match a.asset {
        Some(id) => Some(local(assets, id.get()).ok_or_else(|| invalid("asset", a.id))?),
        None => None,
    };
    Ok(NewActivity {
        account_id: account,
        asset_id: asset,
        kind: a.kind,
        date: a.date,
        quantity,
        unit_price,
        amount,
        fee: a.fee,
        tax: a.tax,
        currency: a.currency.clone(),
        note: Note::parse(note).map_err(|e| invalid("note", e))?,
        transfer_of: None,
    })
}
