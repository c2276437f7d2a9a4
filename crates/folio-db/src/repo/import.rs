//! Writing a previewed import: new accounts and assets, activities, prices and FX rates
//! of one user in ONE transaction (all or nothing), with multi-row inserts of at most
//! [`ROWS_PER_STATEMENT`] rows so a 100,000-row file is a few hundred statements.
//!
//! Run it on `db.background()`: the transaction then holds one connection of the
//! background share, never one an interactive request is waiting for.

use folio_core::{AccountId, ActivityId, AssetId, UserId};
use rust_decimal::Decimal;
use sea_query::{Expr, Query};
use time::Date;

use crate::db::{Db, Tx};
use crate::error::DbResult;
use crate::models::{FxRate, NewAccount, NewActivity, NewAsset};

/// Rows per multi-row INSERT: 14 parameters each stays far below every backend's limit.
const ROWS_PER_STATEMENT: usize = 500;

/// An account or asset an imported row refers to: one the user has, or the n-th one
/// this import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref<T> {
    /// Already stored (the caller took it from the user's own list).
    Existing(T),
    /// Index into [`ImportBatch::accounts`] / [`ImportBatch::assets`].
    New(usize),
}

/// One activity to write.
#[derive(Debug, Clone)]
pub struct ImportActivity {
    /// Its account.
    pub account: Ref<AccountId>,
    /// Its asset, if any.
    pub asset: Option<Ref<AssetId>>,
    /// The fields; `account_id`, `asset_id` and `transfer_of` are filled in on write.
    pub data: NewActivity,
    /// For a TRANSFER_IN: index (in [`ImportBatch::activities`]) of the TRANSFER_OUT it
    /// receives, which must come earlier in the list.
    pub link: Option<usize>,
}

/// Everything one import writes.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    /// Accounts to create.
    pub accounts: Vec<NewAccount>,
    /// Assets to create.
    pub assets: Vec<NewAsset>,
    /// Activities in booking order of the file.
    pub activities: Vec<ImportActivity>,
    /// Prices to record (replacing one on the same day).
    pub prices: Vec<(Ref<AssetId>, Date, Decimal)>,
    /// FX rates to record (replacing one on the same day).
    pub fx_rates: Vec<FxRate>,
}

/// What an import created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Ids of the created accounts, in batch order.
    pub accounts: Vec<AccountId>,
    /// Ids of the created assets, in batch order.
    pub assets: Vec<AssetId>,
    /// Activities written.
    pub activities: u64,
}

/// Writes the batch in one transaction: everything or, on any error, nothing.
pub async fn write_import(db: &Db, user: UserId, batch: &ImportBatch) -> DbResult<ImportOutcome> {
    let mut tx = db.begin().await?;
    let mut out = ImportOutcome::default();
    for a in &batch.accounts {
        let id = tx
            .insert_id(super::accounts::insert_statement(user, a))
            .await?;
        out.accounts.push(AccountId::new(id));
    }
    for a in &batch.assets {
        let id = tx
            .insert_id(super::assets::insert_statement(user, a))
            .await?;
        out.assets.push(AssetId::new(id));
    }
    write_activities(&mut tx, user, batch, &mut out).await?;
    write_prices(&mut tx, user, batch, &out).await?;
    super::prices::write_fx_rates(&mut tx, user, &batch.fx_rates).await?;
    tx.commit().await?;
    Ok(out)
}

fn resolve<T: Copy>(r: Ref<T>, created: &[T]) -> Option<T> {
    match r {
        Ref::Existing(id) => Some(id),
        Ref::New(i) => created.get(i).copied(),
    }
}

/// Activities in file order; those in a transfer pair one by one (their ids are needed),
/// the rest in multi-row statements.
async fn write_activities(
    tx: &mut Tx,
    user: UserId,
    batch: &ImportBatch,
    out: &mut ImportOutcome,
) -> DbResult<()> {
    let targets: std::collections::HashSet<usize> =
        batch.activities.iter().filter_map(|a| a.link).collect();
    let mut ids: Vec<Option<ActivityId>> = vec![None; batch.activities.len()];
    let mut pending: Vec<NewActivity> = Vec::new();
    for (i, a) in batch.activities.iter().enumerate() {
        let mut data = a.data.clone();
        data.account_id = resolve(a.account, &out.accounts).ok_or(crate::DbError::NotFound)?;
        data.asset_id = match a.asset {
            Some(r) => Some(resolve(r, &out.assets).ok_or(crate::DbError::NotFound)?),
            None => None,
        };
        data.transfer_of = a.link.and_then(|l| ids.get(l).copied().flatten());
        if a.link.is_some() || targets.contains(&i) {
            flush(tx, user, &mut pending).await?;
            let insert = insert_rows(user, std::slice::from_ref(&data));
            ids[i] = Some(ActivityId::new(tx.insert_id(insert).await?));
        } else {
            pending.push(data);
            if pending.len() >= ROWS_PER_STATEMENT {
                flush(tx, user, &mut pending).await?;
            }
        }
        out.activities += 1;
    }
    flush(tx, user, &mut pending).await
}

fn insert_rows(user: UserId, rows: &[NewActivity]) -> sea_query::InsertStatement {
    let mut insert = Query::insert();
    insert.into_table("activities");
    let mut columns_set = false;
    let now = super::now();
    for row in rows {
        let fields = super::activities::values_of(row);
        if !columns_set {
            let mut cols: Vec<&str> = fields.iter().map(|(c, _)| *c).collect();
            cols.extend(["user_id", "created_at"]);
            insert.columns(cols);
            columns_set = true;
        }
        let mut values: Vec<Expr> = fields.into_iter().map(|(_, v)| Expr::val(v)).collect();
        values.extend([Expr::val(user.get()), Expr::val(now)]);
        insert.values_panic(values);
    }
    insert
}

async fn flush(tx: &mut Tx, user: UserId, pending: &mut Vec<NewActivity>) -> DbResult<()> {
    if !pending.is_empty() {
        tx.execute(&insert_rows(user, pending)).await?;
        pending.clear();
    }
    Ok(())
}

async fn write_prices(
    tx: &mut Tx,
    user: UserId,
    batch: &ImportBatch,
    out: &ImportOutcome,
) -> DbResult<()> {
    let mut points = Vec::with_capacity(batch.prices.len());
    for (asset, date, close) in &batch.prices {
        let id = resolve(*asset, &out.assets).ok_or(crate::DbError::NotFound)?;
        points.push((id, *date, *close));
    }
    super::prices::write_prices(tx, user, &points).await
}
