//! The engine's consistency rules over stored + imported data: an import that would
//! oversell, break a transfer or overflow is refused, naming the file line at fault.

use folio_core::import::RowError;
use folio_core::{AccountId, ActivityId, AssetId};
use folio_db::models::{Activity, Asset, PricePoint};
use folio_db::repo::import::Ref;

use super::{Importer, Preview};
use crate::portfolio::UserData;

/// Runs the engine over stored + imported data; a refusal names the file line.
pub(super) fn check(data: &UserData, who: &Importer, p: &mut Preview, lines: &[u64]) {
    if !p.errors.is_empty() || p.batch.activities.is_empty() {
        return;
    }
    let next = |ids: &mut dyn Iterator<Item = i64>| ids.max().unwrap_or(0) + 1;
    let acc0 = next(&mut data.accounts.iter().map(|a| a.id.get()));
    let ass0 = next(&mut data.assets.iter().map(|a| a.id.get()));
    let act0 = next(&mut data.activities.iter().map(|a| a.id.get()));
    let idx = |i: usize| i64::try_from(i).unwrap_or(i64::MAX);
    let account = |r: Ref<AccountId>| match r {
        Ref::Existing(id) => id,
        Ref::New(i) => AccountId::new(acc0 + idx(i)),
    };
    let asset = |r: Ref<AssetId>| match r {
        Ref::Existing(id) => id,
        Ref::New(i) => AssetId::new(ass0 + idx(i)),
    };
    let mut changed = data.clone();
    for (i, a) in p.batch.accounts.iter().enumerate() {
        changed.accounts.push(folio_db::models::Account {
            id: account(Ref::New(i)),
            name: a.name.clone(),
            currency: a.currency.clone(),
            tracks_cash: a.tracks_cash,
            created_at: 0,
        });
    }
    for (i, a) in p.batch.assets.iter().enumerate() {
        changed.assets.push(Asset {
            id: asset(Ref::New(i)),
            symbol: a.symbol.clone(),
            name: a.name.clone(),
            currency: a.currency.clone(),
            class: a.class,
            pricing: a.pricing,
        });
    }
    for (i, a) in p.batch.activities.iter().enumerate() {
        let mut d = a.data.clone();
        d.account_id = account(a.account);
        d.asset_id = a.asset.map(asset);
        d.transfer_of = a.link.map(|l| ActivityId::new(act0 + idx(l)));
        changed.activities.push(Activity {
            id: ActivityId::new(act0 + idx(i)),
            data: d,
        });
    }
    for (r, date, close) in &p.batch.prices {
        changed.prices.push(PricePoint {
            asset_id: asset(*r),
            date: *date,
            close: *close,
        });
    }
    changed.fx.extend(p.batch.fx_rates.iter().cloned());
    changed.activities.sort_by_key(|a| (a.data.date, a.id));
    if let Err((culprit, message)) =
        crate::consistency::check_import(data, &changed, &who.base_currency, &who.settings)
    {
        let line = culprit
            .and_then(|id| usize::try_from(id.get() - act0).ok())
            .and_then(|i| lines.get(i).copied());
        p.errors.push(match line {
            Some(line) => RowError::at(line, None, message),
            None => RowError::file(message),
        });
    }
}
