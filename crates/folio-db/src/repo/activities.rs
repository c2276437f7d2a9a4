//! Activities, scoped by user; an activity may only reference the user's own account
//! and asset.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use folio_core::{AccountId, ActivityId, ActivityType, AssetId, CurrencyCode, Note, UserId};
use sea_query::{Expr, ExprTrait, InsertStatement, Order, Query, SelectStatement, Value};

use crate::db::{Db, Tx};
use crate::error::{DbError, DbResult};
use crate::models::{Activity, ActivityFilter, NewActivity, Page};
use crate::row::DbRow;

const COLUMNS: [&str; 13] = [
    "transfer_of",
    "id",
    "account_id",
    "asset_id",
    "activity_type",
    "activity_date",
    "quantity",
    "unit_price",
    "amount",
    "fee",
    "tax",
    "currency",
    "note",
];

/// Largest LIMIT/OFFSET value every backend binds (`i64::MAX`).
const MAX_BIND: u64 = 9_223_372_036_854_775_807;

fn activity_from(row: &DbRow) -> DbResult<Activity> {
    Ok(Activity {
        id: ActivityId::new(row.i64("id")?),
        data: NewActivity {
            account_id: AccountId::new(row.i64("account_id")?),
            asset_id: row.opt_i64("asset_id")?.map(AssetId::new),
            kind: row.parsed("activity_type", str::parse::<ActivityType>)?,
            date: row.date("activity_date")?,
            quantity: row.opt_decimal("quantity")?,
            unit_price: row.opt_decimal("unit_price")?,
            amount: row.opt_decimal("amount")?,
            fee: row.decimal("fee")?,
            tax: row.decimal("tax")?,
            currency: row.parsed("currency", CurrencyCode::parse)?,
            note: row.parsed("note", Note::parse)?,
            transfer_of: row.opt_i64("transfer_of")?.map(ActivityId::new),
        },
    })
}

/// Column values of an activity (without `user_id` and `created_at`).
pub(crate) fn values_of(new: &NewActivity) -> Vec<(&'static str, Value)> {
    vec![
        ("account_id", new.account_id.get().into()),
        ("asset_id", new.asset_id.map(AssetId::get).into()),
        ("activity_type", new.kind.as_str().into()),
        ("activity_date", new.date.into()),
        ("quantity", new.quantity.into()),
        ("unit_price", new.unit_price.into()),
        ("amount", new.amount.into()),
        ("fee", new.fee.into()),
        ("tax", new.tax.into()),
        ("currency", new.currency.as_str().into()),
        ("note", new.note.as_str().into()),
        ("transfer_of", new.transfer_of.map(ActivityId::get).into()),
    ]
}

/// Checks that the account (and asset, if any) belong to the user: `NotFound` otherwise.
async fn check_refs(tx: &mut Tx, user: UserId, new: &NewActivity) -> DbResult<()> {
    check_owned(tx, user, "accounts", new.account_id.get()).await?;
    if let Some(asset) = new.asset_id {
        check_owned(tx, user, "assets", asset.get()).await?;
    }
    if let Some(out) = new.transfer_of {
        check_owned(tx, user, "activities", out.get()).await?;
    }
    Ok(())
}

/// `NotFound` unless row `id` of `table` belongs to the user.
async fn check_owned(tx: &mut Tx, user: UserId, table: &'static str, id: i64) -> DbResult<()> {
    let q = Query::select()
        .column("id")
        .from(table)
        .and_where(Expr::col("id").eq(id))
        .and_where(Expr::col("user_id").eq(user.get()))
        .to_owned();
    match tx.fetch_optional(&q).await? {
        Some(_) => Ok(()),
        None => Err(DbError::NotFound),
    }
}

async fn insert_in(tx: &mut Tx, user: UserId, new: &NewActivity) -> DbResult<ActivityId> {
    Ok(ActivityId::new(
        tx.insert_id(insert_rows(user, &[new])).await?,
    ))
}

/// One `INSERT` of `rows` (in order, so their ids ascend in the same order).
fn insert_rows(user: UserId, rows: &[&NewActivity]) -> InsertStatement {
    let mut insert = Query::insert();
    insert.into_table("activities");
    let now = super::now();
    for (i, new) in rows.iter().enumerate() {
        let fields = values_of(new);
        if i == 0 {
            let mut columns: Vec<&str> = fields.iter().map(|(c, _)| *c).collect();
            columns.extend(["user_id", "created_at"]);
            insert.columns(columns);
        }
        let mut values: Vec<Expr> = fields.into_iter().map(|(_, v)| Expr::val(v)).collect();
        values.extend([Expr::val(user.get()), Expr::val(now)]);
        insert.values_panic(values);
    }
    insert
}

/// Rows per multi-row activity `INSERT`: 14 parameters each stays far below every
/// backend's parameter limit (SQLite's 32,766 is the smallest).
const ROWS_PER_STATEMENT: usize = 250;

/// Records an activity.
pub async fn insert_activity(db: &Db, user: UserId, new: &NewActivity) -> DbResult<ActivityId> {
    let mut tx = db.begin().await?;
    check_refs(&mut tx, user, new).await?;
    let id = insert_in(&mut tx, user, new).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records many activities in one transaction — all or none — in input order (so
/// their ids ascend in that order, which decides same-day ties), with multi-row
/// statements: seeding and imports cost a few round trips, not one per row. Each
/// account, asset and external transfer link is checked once: another user's is
/// `NotFound`. `links` pairs `(row, out)`: the TRANSFER_IN at index `row` receives the
/// activity at index `out`, which must come earlier in `rows` (else `NotFound`); it
/// overrides that row's `transfer_of`. Returns the number of rows stored.
pub async fn insert_activities(
    db: &Db,
    user: UserId,
    rows: &[NewActivity],
    links: &[(usize, usize)],
) -> DbResult<u64> {
    if links
        .iter()
        .any(|&(row, out)| out >= row || row >= rows.len())
    {
        return Err(DbError::NotFound);
    }
    let linked: HashMap<usize, usize> = links.iter().copied().collect();
    let mut tx = db.begin().await?;
    check_batch_refs(&mut tx, user, rows, &linked).await?;
    let targets: HashSet<usize> = linked.values().copied().collect();
    let mut target_ids: HashMap<usize, ActivityId> = HashMap::new();
    let mut pending: Vec<Cow<'_, NewActivity>> = Vec::new();
    for (i, new) in rows.iter().enumerate() {
        let row = match linked.get(&i).and_then(|out| target_ids.get(out)) {
            Some(out) => Cow::Owned(NewActivity {
                transfer_of: Some(*out),
                ..new.clone()
            }),
            None => Cow::Borrowed(new),
        };
        if targets.contains(&i) {
            // Its id is needed by a later row: flush what precedes it, insert it alone.
            flush(&mut tx, user, &mut pending).await?;
            target_ids.insert(i, insert_in(&mut tx, user, &row).await?);
        } else {
            pending.push(row);
            if pending.len() == ROWS_PER_STATEMENT {
                flush(&mut tx, user, &mut pending).await?;
            }
        }
    }
    flush(&mut tx, user, &mut pending).await?;
    tx.commit().await?;
    Ok(u64::try_from(rows.len()).unwrap_or(u64::MAX))
}

/// Checks every distinct account, asset and out-of-batch transfer link once.
async fn check_batch_refs(
    tx: &mut Tx,
    user: UserId,
    rows: &[NewActivity],
    linked: &HashMap<usize, usize>,
) -> DbResult<()> {
    let mut refs = BTreeSet::new();
    for (i, new) in rows.iter().enumerate() {
        refs.insert(("accounts", new.account_id.get()));
        if let Some(asset) = new.asset_id {
            refs.insert(("assets", asset.get()));
        }
        if let (Some(out), false) = (new.transfer_of, linked.contains_key(&i)) {
            refs.insert(("activities", out.get()));
        }
    }
    for (table, id) in refs {
        check_owned(tx, user, table, id).await?;
    }
    Ok(())
}

/// Inserts the pending rows in one statement and empties the list.
async fn flush(tx: &mut Tx, user: UserId, pending: &mut Vec<Cow<'_, NewActivity>>) -> DbResult<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let batch: Vec<&NewActivity> = pending.iter().map(AsRef::as_ref).collect();
    tx.execute(&insert_rows(user, &batch)).await?;
    pending.clear();
    Ok(())
}

/// Replaces an activity's fields.
pub async fn update_activity(
    db: &Db,
    user: UserId,
    id: ActivityId,
    upd: &NewActivity,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    check_refs(&mut tx, user, upd).await?;
    let mut q = Query::update();
    q.table("activities")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()));
    for (col, v) in values_of(upd) {
        q.value(col, v);
    }
    if tx.execute(&q).await? == 0 {
        return Err(DbError::NotFound);
    }
    tx.commit().await
}

/// Deletes one of the user's activities.
pub async fn delete_activity(db: &Db, user: UserId, id: ActivityId) -> DbResult<()> {
    let q = Query::delete()
        .from_table("activities")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}

/// One of the user's activities.
pub async fn get_activity(db: &Db, user: UserId, id: ActivityId) -> DbResult<Activity> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("activities")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    activity_from(&db.fetch_one(&q).await?)
}

fn filtered(user: UserId, f: &ActivityFilter) -> SelectStatement {
    let mut q = Query::select();
    q.from("activities")
        .and_where(Expr::col("user_id").eq(user.get()));
    if let Some(a) = f.account_id {
        q.and_where(Expr::col("account_id").eq(a.get()));
    }
    if let Some(a) = f.asset_id {
        q.and_where(Expr::col("asset_id").eq(a.get()));
    }
    if let Some(k) = f.kind {
        q.and_where(Expr::col("activity_type").eq(k.as_str()));
    }
    if let Some(d) = f.from {
        q.and_where(Expr::col("activity_date").gte(d));
    }
    if let Some(d) = f.to {
        q.and_where(Expr::col("activity_date").lte(d));
    }
    q
}

/// A page of the user's activities matching the filter, newest first.
pub async fn list_activities(
    db: &Db,
    user: UserId,
    f: &ActivityFilter,
    offset: u64,
    limit: u64,
) -> DbResult<Page<Activity>> {
    let mut count = filtered(user, f);
    count.expr_as(Expr::col("id").count(), "n");
    let total = db.fetch_one(&count).await?.i64("n")?;
    let mut q = filtered(user, f);
    q.columns(COLUMNS)
        .order_by("activity_date", Order::Desc)
        .order_by("id", Order::Desc)
        // The drivers bind LIMIT/OFFSET as signed 64-bit: clamp so no input can overflow.
        .limit(Ord::min(limit, MAX_BIND))
        .offset(Ord::min(offset, MAX_BIND));
    let items = db
        .fetch_all(&q)
        .await?
        .iter()
        .map(activity_from)
        .collect::<DbResult<_>>()?;
    Ok(Page {
        items,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// Every activity of the user in booking order (date, then id): the engine's input.
pub async fn all_activities(db: &Db, user: UserId) -> DbResult<Vec<Activity>> {
    let mut q = filtered(user, &ActivityFilter::default());
    q.columns(COLUMNS)
        .order_by("activity_date", Order::Asc)
        .order_by("id", Order::Asc);
    db.fetch_map(&q, |row| activity_from(&row)).await
}
