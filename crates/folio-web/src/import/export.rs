//! A user's data as a Folio JSON document (lossless: export → import into an empty user
//! reproduces every figure), for the CLI and the web download.

use folio_core::UserId;
use folio_core::import::{
    DocumentAccount, DocumentActivity, DocumentAsset, DocumentFxRate, DocumentPrice,
    DocumentSettings, FolioDocument,
};
use folio_db::{Db, DbError};

use super::plan::load;

/// Builds the document of everything the user owns (reads only).
pub async fn document(db: &Db, user: UserId) -> Result<FolioDocument, DbError> {
    let u = folio_db::repo::users::get_user(db, user).await?;
    let data = load(db, user).await?;
    let mut doc = FolioDocument::new(DocumentSettings {
        base_currency: u.base_currency.clone(),
        lot_method: u.settings.lot_method,
        fees_in_cost_basis: u.settings.fees_in_cost_basis,
    });
    doc.accounts = data
        .accounts
        .iter()
        .map(|a| DocumentAccount {
            name: a.name.clone(),
            currency: a.currency.clone(),
            tracks_cash: a.tracks_cash,
        })
        .collect();
    doc.assets = data
        .assets
        .iter()
        .map(|a| DocumentAsset {
            symbol: a.symbol.clone(),
            name: a.name.clone(),
            currency: a.currency.clone(),
            class: a.class,
            pricing: a.pricing,
        })
        .collect();
    for a in &data.activities {
        let Some(account) = data.account(a.data.account_id) else {
            continue;
        };
        doc.activities.push(DocumentActivity {
            id: a.id.get(),
            account: account.name.clone(),
            asset: a
                .data
                .asset_id
                .and_then(|x| data.asset(x))
                .map(|x| x.symbol.clone()),
            kind: a.data.kind,
            date: a.data.date,
            quantity: a.data.quantity,
            unit_price: a.data.unit_price,
            amount: a.data.amount,
            fee: a.data.fee,
            tax: a.data.tax,
            currency: a.data.currency.clone(),
            note: a.data.note.clone(),
            transfer_of: a.data.transfer_of.map(|t| t.get()),
        });
    }
    doc.prices = data
        .prices
        .iter()
        .filter_map(|p| {
            Some(DocumentPrice {
                symbol: data.asset(p.asset_id)?.symbol.clone(),
                date: p.date,
                close: p.close,
            })
        })
        .collect();
    doc.fx_rates = data
        .fx
        .iter()
        .map(|r| DocumentFxRate {
            base: r.base.clone(),
            quote: r.quote.clone(),
            date: r.date,
            rate: r.rate,
        })
        .collect();
    Ok(doc)
}
