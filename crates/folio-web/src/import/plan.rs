//! From a parsed file to a [`Preview`]: accounts and assets matched by name and symbol
//! (new ones listed), duplicates of stored activities flagged, transfer pairs linked,
//! and the whole result checked with the engine's consistency rules.

use std::collections::{BTreeMap, HashMap};

use folio_core::import::{Fingerprint, FingerprintParts, ImportRow, ParsedFile, RowError};
use folio_core::{AccountId, AssetClass, AssetId, CurrencyCode, Name, PricingMode};
use folio_db::models::{Activity, FxRate, NewAccount, NewActivity, NewAsset};
use folio_db::repo::import::{ImportActivity, Ref};
use folio_db::repo::{accounts, activities, assets, prices};
use folio_db::{Db, DbError};
use rust_decimal::Decimal;

use super::{Importer, Preview, PreviewRow, Total};
use crate::portfolio::UserData;

/// The user's stored data, one short query per table.
pub(super) async fn load(db: &Db, user: folio_core::UserId) -> Result<UserData, DbError> {
    Ok(UserData {
        accounts: accounts::list_accounts(db, user).await?,
        assets: assets::list_assets(db, user).await?,
        activities: activities::all_activities(db, user).await?,
        prices: prices::all_prices(db, user).await?,
        fx: prices::list_fx_rates(db, user).await?,
    })
}

fn fingerprint_of(data: &UserData, a: &Activity) -> Option<Fingerprint> {
    let account = data.account(a.data.account_id)?;
    let symbol = a
        .data
        .asset_id
        .and_then(|x| data.asset(x))
        .map(|x| x.symbol.as_str());
    Some(Fingerprint::of(&FingerprintParts {
        account: account.name.as_str(),
        symbol,
        kind: a.data.kind,
        date: a.data.date,
        quantity: a.data.quantity,
        unit_price: a.data.unit_price,
        amount: a.data.amount,
        fee: a.data.fee,
        tax: a.data.tax,
        currency: &a.data.currency,
    }))
}

/// Name → reference maps, growing as the file names new accounts and assets.
struct Refs {
    accounts: HashMap<String, Ref<AccountId>>,
    assets: HashMap<String, Ref<AssetId>>,
}

fn resolve_refs(
    data: &UserData,
    parsed: &ParsedFile,
    base: &CurrencyCode,
    p: &mut Preview,
) -> Refs {
    let mut refs = Refs {
        accounts: HashMap::new(),
        assets: HashMap::new(),
    };
    for a in &data.accounts {
        refs.accounts
            .insert(a.name.as_str().to_lowercase(), Ref::Existing(a.id));
    }
    for a in &data.assets {
        refs.assets
            .insert(a.symbol.as_str().to_owned(), Ref::Existing(a.id));
    }
    let first_currency = |pick: &dyn Fn(&ImportRow) -> bool| {
        parsed
            .rows
            .iter()
            .find(|r| pick(r))
            .map(|r| r.currency.clone())
    };
    for a in &parsed.accounts {
        let key = a.name.as_str().to_lowercase();
        if refs.accounts.contains_key(&key) {
            continue;
        }
        let currency = a.currency.clone().or_else(|| {
            first_currency(&|r| {
                r.account
                    .as_ref()
                    .is_some_and(|n| n.as_str().to_lowercase() == key)
            })
        });
        refs.accounts.insert(key, Ref::New(p.batch.accounts.len()));
        let new = NewAccount {
            name: a.name.clone(),
            currency: currency.unwrap_or_else(|| base.clone()),
            tracks_cash: a.tracks_cash.unwrap_or(true),
        };
        p.batch.accounts.push(new.clone());
        p.new_accounts.push(new);
    }
    for a in &parsed.assets {
        let key = a.symbol.as_str().to_owned();
        if refs.assets.contains_key(&key) {
            continue;
        }
        let currency = a.currency.clone().or_else(|| {
            first_currency(&|r| r.asset.as_ref().is_some_and(|x| x.symbol == a.symbol))
        });
        let Ok(fallback) = Name::parse(a.symbol.as_str()) else {
            continue;
        };
        refs.assets.insert(key, Ref::New(p.batch.assets.len()));
        let new = NewAsset {
            symbol: a.symbol.clone(),
            name: a.name.clone().unwrap_or(fallback),
            currency: currency.unwrap_or_else(|| base.clone()),
            class: a.class.unwrap_or(AssetClass::Equity),
            pricing: a.pricing.unwrap_or(PricingMode::Market),
        };
        p.batch.assets.push(new.clone());
        p.new_assets.push(new);
    }
    refs
}

/// Turns the parsed file into a preview against `data` (the user's stored data).
pub(super) fn plan(data: &UserData, who: &Importer, parsed: ParsedFile) -> Preview {
    let mut p = Preview {
        rows_seen: parsed.rows_seen,
        errors: parsed.errors.clone(),
        prices: u64::try_from(parsed.prices.len()).unwrap_or(0),
        fx_rates: u64::try_from(parsed.fx_rates.len()).unwrap_or(0),
        ..Preview::default()
    };
    p.notes = super::notes::notes(&parsed, who);
    let refs = resolve_refs(data, &parsed, &who.base_currency, &mut p);
    let mut stored: HashMap<Fingerprint, u32> = HashMap::new();
    for a in &data.activities {
        if let Some(f) = fingerprint_of(data, a) {
            *stored.entry(f).or_default() += 1;
        }
    }
    let mut lines = Vec::new();
    let mut by_external: HashMap<&str, usize> = HashMap::new();
    let mut wanted_links: Vec<Option<&str>> = Vec::new();
    let mut totals: BTreeMap<(&'static str, String), Total> = BTreeMap::new();
    for row in &parsed.rows {
        let Some(account_name) = row.account.as_ref() else {
            p.errors.push(RowError::at(
                row.line,
                Some("account"),
                "no account: add an account column or choose a default account",
            ));
            continue;
        };
        let Some(account) = refs
            .accounts
            .get(&account_name.as_str().to_lowercase())
            .copied()
        else {
            p.errors.push(RowError::at(
                row.line,
                Some("account"),
                format!("unknown account {account_name}"),
            ));
            continue;
        };
        let asset = match &row.asset {
            Some(a) => match refs.assets.get(a.symbol.as_str()) {
                Some(r) => Some(*r),
                None => {
                    p.errors.push(RowError::at(
                        row.line,
                        Some("symbol"),
                        format!("unknown asset {}", a.symbol),
                    ));
                    continue;
                }
            },
            None => None,
        };
        let fp = row.fingerprint(account_name.as_str());
        let duplicate = match stored.get_mut(&fp) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        };
        if p.rows.len() < super::ROWS_LISTED {
            p.rows.push(preview_row(row, account_name, duplicate));
        } else {
            p.unlisted += 1;
        }
        if duplicate {
            p.duplicates += 1;
            continue;
        }
        let t = totals
            .entry((row.kind.as_str(), row.currency.to_string()))
            .or_insert_with(|| Total {
                kind: row.kind,
                currency: row.currency.clone(),
                count: 0,
                value: Decimal::ZERO,
            });
        t.count += 1;
        let gross = row
            .quantity
            .unwrap_or_default()
            .checked_mul(row.unit_price.unwrap_or_default());
        t.value = t
            .value
            .checked_add(gross.unwrap_or_default())
            .and_then(|v| v.checked_add(row.amount.unwrap_or_default()))
            .unwrap_or(t.value);
        if let Some(id) = row.external_id.as_deref() {
            by_external.insert(id, p.batch.activities.len());
        }
        wanted_links.push(row.transfer_of.as_deref());
        lines.push(row.line);
        p.batch.activities.push(ImportActivity {
            account,
            asset,
            data: new_activity(row),
            link: None,
        });
    }
    p.totals = totals.into_values().collect();
    let links: Vec<Option<usize>> = wanted_links
        .iter()
        .map(|w| w.and_then(|w| by_external.get(w).copied()))
        .collect();
    if links.iter().any(Option::is_some) {
        lines = order_links(&mut p, &links, lines);
    }
    add_market_data(&mut p, &refs, &parsed);
    super::check::check(data, who, &mut p, &lines);
    p
}

fn preview_row(row: &ImportRow, account: &Name, duplicate: bool) -> PreviewRow {
    PreviewRow {
        line: row.line,
        account: account.as_str().to_owned(),
        symbol: row.asset.as_ref().map(|a| a.symbol.as_str().to_owned()),
        kind: row.kind,
        date: row.date,
        quantity: row.quantity,
        unit_price: row.unit_price,
        amount: row.amount,
        fee: row.fee,
        currency: row.currency.clone(),
        duplicate,
    }
}

fn new_activity(row: &ImportRow) -> NewActivity {
    NewActivity {
        account_id: AccountId::new(0),
        asset_id: None,
        kind: row.kind,
        date: row.date,
        quantity: row.quantity,
        unit_price: row.unit_price,
        amount: row.amount,
        fee: row.fee,
        tax: row.tax,
        currency: row.currency.clone(),
        note: row.comment.clone(),
        transfer_of: None,
    }
}

/// Puts every TRANSFER_IN after the TRANSFER_OUT it receives (files may list them the
/// other way round) and records the links by position; returns the lines in new order.
fn order_links(p: &mut Preview, links: &[Option<usize>], lines: Vec<u64>) -> Vec<u64> {
    let n = p.batch.activities.len();
    let mut after: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut order = Vec::with_capacity(n);
    for i in 0..n {
        match links.get(i).copied().flatten() {
            Some(t) if t > i => after.entry(t).or_default().push(i),
            _ => {
                order.push(i);
                order.extend(after.remove(&i).unwrap_or_default());
            }
        }
    }
    order.extend(after.into_values().flatten());
    let mut pos = vec![0; n];
    for (new, old) in order.iter().enumerate() {
        pos[*old] = new;
    }
    let old = std::mem::take(&mut p.batch.activities);
    let mut slots: Vec<Option<ImportActivity>> = old.into_iter().map(Some).collect();
    for &i in &order {
        if let Some(mut a) = slots[i].take() {
            a.link = links
                .get(i)
                .copied()
                .flatten()
                .map(|t| pos[t])
                .filter(|t| *t < pos[i]);
            p.batch.activities.push(a);
        }
    }
    order.iter().map(|i| lines[*i]).collect()
}

fn add_market_data(p: &mut Preview, refs: &Refs, parsed: &ParsedFile) {
    for r in &parsed.prices {
        match refs.assets.get(r.symbol.as_str()) {
            Some(asset) => p.batch.prices.push((*asset, r.date, r.close)),
            None => p.errors.push(RowError::at(
                r.line,
                Some("symbol"),
                format!(
                    "unknown asset {}: add it or import its activities first",
                    r.symbol
                ),
            )),
        }
    }
    for r in &parsed.fx_rates {
        p.batch.fx_rates.push(FxRate {
            base: r.base.clone(),
            quote: r.quote.clone(),
            date: r.date,
            rate: r.rate,
        });
    }
}
