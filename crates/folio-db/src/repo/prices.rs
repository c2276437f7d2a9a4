//! Dated prices (manual entries for now) and FX rates, scoped by user.

use std::collections::{BTreeMap, HashMap};

use folio_core::{AssetId, CurrencyCode, UserId};
use rust_decimal::Decimal;
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use time::Date;

use crate::db::{Db, Tx};
use crate::error::{DbError, DbResult};
use crate::models::{FxRate, PricePoint};
use crate::row::DbRow;

fn price_from(row: &DbRow) -> DbResult<PricePoint> {
    Ok(PricePoint {
        asset_id: AssetId::new(row.i64("asset_id")?),
        date: row.date("price_date")?,
        close: row.decimal("close")?,
    })
}

/// Rows per multi-row `INSERT`: 4 parameters each stays far below every backend's
/// parameter limit (SQLite's is the smallest at 32,766).
const ROWS_PER_STATEMENT: usize = 500;

/// Records (or replaces) the user's price for an asset on a date. The asset must be the
/// user's own, else `NotFound`.
pub async fn upsert_price(
    db: &Db,
    user: UserId,
    asset: AssetId,
    date: Date,
    close: Decimal,
) -> DbResult<()> {
    upsert_prices(db, user, asset, &[(date, close)]).await
}

/// Records (or replaces) many prices of one asset in one transaction: all or none. The
/// asset must be the user's own, else `NotFound`. A date given twice keeps the last.
pub async fn upsert_prices(
    db: &Db,
    user: UserId,
    asset: AssetId,
    points: &[(Date, Decimal)],
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let owned = Query::select()
        .column("id")
        .from("assets")
        .and_where(Expr::col("id").eq(asset.get()))
        .and_where(Expr::col("user_id").eq(user.get()))
        .to_owned();
    if tx.fetch_optional(&owned).await?.is_none() {
        return Err(DbError::NotFound);
    }
    let rows: Vec<(AssetId, Date, Decimal)> = points.iter().map(|&(d, c)| (asset, d, c)).collect();
    write_prices(&mut tx, user, &rows).await?;
    tx.commit().await
}

/// The user's prices for one asset, newest first.
pub async fn list_prices(db: &Db, user: UserId, asset: AssetId) -> DbResult<Vec<PricePoint>> {
    let q = Query::select()
        .columns(["asset_id", "price_date", "close"])
        .from("prices")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("asset_id").eq(asset.get()))
        .order_by("price_date", Order::Desc)
        .to_owned();
    db.fetch_map(&q, |row| price_from(&row)).await
}

/// Every price the user has, oldest first (input to valuation).
pub async fn all_prices(db: &Db, user: UserId) -> DbResult<Vec<PricePoint>> {
    let q = Query::select()
        .columns(["asset_id", "price_date", "close"])
        .from("prices")
        .and_where(Expr::col("user_id").eq(user.get()))
        .order_by("asset_id", Order::Asc)
        .order_by("price_date", Order::Asc)
        .to_owned();
    db.fetch_map(&q, |row| price_from(&row)).await
}

/// The latest price per asset on or before `on`.
pub async fn latest_prices(
    db: &Db,
    user: UserId,
    on: Date,
) -> DbResult<HashMap<AssetId, PricePoint>> {
    let mut latest = HashMap::new();
    for p in all_prices(db, user).await? {
        if p.date <= on {
            latest.insert(p.asset_id, p);
        }
    }
    Ok(latest)
}

/// Deletes the user's price for an asset on a date.
pub async fn delete_price(db: &Db, user: UserId, asset: AssetId, date: Date) -> DbResult<()> {
    let q = Query::delete()
        .from_table("prices")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("asset_id").eq(asset.get()))
        .and_where(Expr::col("price_date").eq(date))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}

/// Records (or replaces) a user's FX rate for a pair on a date.
pub async fn upsert_fx_rate(db: &Db, user: UserId, rate: &FxRate) -> DbResult<()> {
    upsert_fx_rates(db, user, std::slice::from_ref(rate)).await
}

/// Records (or replaces) many FX rates in one transaction: all or none. A (pair, date)
/// given twice keeps the last.
pub async fn upsert_fx_rates(db: &Db, user: UserId, rates: &[FxRate]) -> DbResult<()> {
    let mut tx = db.begin().await?;
    write_fx_rates(&mut tx, user, rates).await?;
    tx.commit().await
}

/// Upserts prices inside the caller's transaction, in multi-row statements; an
/// (asset, date) given twice keeps the last (one statement may not name a key twice:
/// PostgreSQL refuses it). The caller has checked the assets are the user's.
pub(crate) async fn write_prices(
    tx: &mut Tx,
    user: UserId,
    points: &[(AssetId, Date, Decimal)],
) -> DbResult<()> {
    let unique: BTreeMap<(i64, Date), Decimal> =
        points.iter().map(|&(a, d, c)| ((a.get(), d), c)).collect();
    let rows: Vec<_> = unique.into_iter().collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Query::insert()
            .into_table("prices")
            .columns(["asset_id", "user_id", "price_date", "close"])
            .on_conflict(
                OnConflict::columns(["asset_id", "price_date"])
                    .update_column("close")
                    .to_owned(),
            )
            .to_owned();
        for ((asset, date), close) in chunk {
            insert.values_panic([
                (*asset).into(),
                user.get().into(),
                (*date).into(),
                (*close).into(),
            ]);
        }
        tx.execute(&insert).await?;
    }
    Ok(())
}

/// Upserts FX rates inside the caller's transaction, in multi-row statements; a
/// (pair, date) given twice keeps the last.
pub(crate) async fn write_fx_rates(tx: &mut Tx, user: UserId, rates: &[FxRate]) -> DbResult<()> {
    let mut unique = BTreeMap::new();
    for r in rates {
        unique.insert((r.base.as_str(), r.quote.as_str(), r.date), r.rate);
    }
    let rows: Vec<_> = unique.into_iter().collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Query::insert()
            .into_table("fx_rates")
            .columns([
                "user_id",
                "base_currency",
                "quote_currency",
                "rate_date",
                "rate",
            ])
            .on_conflict(
                OnConflict::columns(["user_id", "base_currency", "quote_currency", "rate_date"])
                    .update_column("rate")
                    .to_owned(),
            )
            .to_owned();
        for ((base, quote, date), rate) in chunk {
            insert.values_panic([
                user.get().into(),
                (*base).into(),
                (*quote).into(),
                (*date).into(),
                (*rate).into(),
            ]);
        }
        tx.execute(&insert).await?;
    }
    Ok(())
}

/// Every FX rate the user has, oldest first.
pub async fn list_fx_rates(db: &Db, user: UserId) -> DbResult<Vec<FxRate>> {
    let q = Query::select()
        .columns(["base_currency", "quote_currency", "rate_date", "rate"])
        .from("fx_rates")
        .and_where(Expr::col("user_id").eq(user.get()))
        .order_by("rate_date", Order::Asc)
        .to_owned();
    db.fetch_map(&q, |row| {
        Ok(FxRate {
            base: row.parsed("base_currency", CurrencyCode::parse)?,
            quote: row.parsed("quote_currency", CurrencyCode::parse)?,
            date: row.date("rate_date")?,
            rate: row.decimal("rate")?,
        })
    })
    .await
}

/// Deletes one of the user's FX rates.
pub async fn delete_fx_rate(
    db: &Db,
    user: UserId,
    base: &CurrencyCode,
    quote: &CurrencyCode,
    date: Date,
) -> DbResult<()> {
    let q = Query::delete()
        .from_table("fx_rates")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("base_currency").eq(base.as_str()))
        .and_where(Expr::col("quote_currency").eq(quote.as_str()))
        .and_where(Expr::col("rate_date").eq(date))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}
