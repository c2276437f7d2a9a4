//! A user's data out: the Folio JSON document (lossless: export → import into an empty
//! user reproduces every figure), the Folio CSV of activities and one asset's price
//! history, for `folio export` and the web downloads alike (one code path).
//!
//! The text comes from `folio_core::export`'s writers, which print stored decimals as
//! they are: privacy mode (`crate::format`) never applies to a user's own export.

use folio_core::import::{
    DocumentAccount, DocumentActivity, DocumentAsset, DocumentFxRate, DocumentPrice,
    DocumentSettings, FolioDocument,
};
use folio_core::{AssetId, UserId};
use folio_db::models::Asset;
use folio_db::repo::{assets, prices};
use folio_db::{Db, DbError};

use super::plan::load;

/// Which of Folio's formats an export is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Folio JSON: everything the user owns (accounts, assets, activities, prices, FX
    /// rates, settings).
    Json,
    /// Folio CSV: one row per activity, formula-looking text cells neutralised.
    Csv,
}

impl ExportFormat {
    /// Parses `json` or `csv` (the CLI's `--format`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }

    /// Writes the document in this format.
    pub fn write(self, doc: &FolioDocument) -> String {
        match self {
            Self::Json => folio_core::export::folio_json(doc),
            Self::Csv => folio_core::export::folio_csv(doc),
        }
    }
}

/// Everything the user owns, as text in `format` (reads only).
pub async fn export(db: &Db, user: UserId, format: ExportFormat) -> Result<String, DbError> {
    Ok(format.write(&document(db, user).await?))
}

/// One asset's price history as `date,symbol,close` CSV, oldest first, with the asset.
/// Another user's asset (or none) is [`DbError::NotFound`].
pub async fn price_history(
    db: &Db,
    user: UserId,
    asset: AssetId,
) -> Result<(Asset, String), DbError> {
    let asset = assets::get_asset(db, user, asset).await?;
    let points = prices::list_prices(db, user, asset.id).await?;
    let series: Vec<_> = points.iter().rev().map(|p| (p.date, p.close)).collect();
    let text = folio_core::export::price_csv(&asset.symbol, &series);
    Ok((asset, text))
}

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
