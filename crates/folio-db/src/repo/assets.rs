//! Assets, always scoped by the owning user.

use folio_core::{AssetClass, AssetId, CurrencyCode, Name, PricingMode, Symbol, UserId};
use sea_query::{Expr, ExprTrait, InsertStatement, Order, Query};

use crate::db::Db;
use crate::error::DbResult;
use crate::models::{Asset, NewAsset};
use crate::row::DbRow;

const COLUMNS: [&str; 6] = ["id", "symbol", "name", "currency", "asset_class", "pricing"];

fn asset_from(row: &DbRow) -> DbResult<Asset> {
    Ok(Asset {
        id: AssetId::new(row.i64("id")?),
        symbol: row.parsed("symbol", Symbol::parse)?,
        name: row.parsed("name", Name::parse)?,
        currency: row.parsed("currency", CurrencyCode::parse)?,
        class: row.parsed("asset_class", str::parse::<AssetClass>)?,
        pricing: row.parsed("pricing", str::parse::<PricingMode>)?,
    })
}

/// The INSERT for a new row (shared with imports, which run it inside their transaction).
pub(crate) fn insert_statement(user: UserId, new: &NewAsset) -> InsertStatement {
    Query::insert()
        .into_table("assets")
        .columns([
            "user_id",
            "symbol",
            "name",
            "currency",
            "asset_class",
            "pricing",
            "created_at",
        ])
        .values_panic([
            user.get().into(),
            new.symbol.as_str().into(),
            new.name.as_str().into(),
            new.currency.as_str().into(),
            new.class.as_str().into(),
            new.pricing.as_str().into(),
            super::now().into(),
        ])
        .to_owned()
}

/// Creates an asset; a duplicate symbol for the same user is `Conflict`.
pub async fn insert_asset(db: &Db, user: UserId, new: &NewAsset) -> DbResult<AssetId> {
    let insert = insert_statement(user, new);
    db.insert_id(insert).await.map(AssetId::new)
}

/// The user's assets by symbol.
pub async fn list_assets(db: &Db, user: UserId) -> DbResult<Vec<Asset>> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("assets")
        .and_where(Expr::col("user_id").eq(user.get()))
        .order_by("symbol", Order::Asc)
        .to_owned();
    db.fetch_all(&q).await?.iter().map(asset_from).collect()
}

/// One of the user's assets; another user's id is `NotFound`.
pub async fn get_asset(db: &Db, user: UserId, id: AssetId) -> DbResult<Asset> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("assets")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    asset_from(&db.fetch_one(&q).await?)
}

/// Updates one of the user's assets.
pub async fn update_asset(db: &Db, user: UserId, id: AssetId, upd: &NewAsset) -> DbResult<()> {
    let q = Query::update()
        .table("assets")
        .value("symbol", upd.symbol.as_str())
        .value("name", upd.name.as_str())
        .value("currency", upd.currency.as_str())
        .value("asset_class", upd.class.as_str())
        .value("pricing", upd.pricing.as_str())
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}

/// Deletes one of the user's assets and its prices. An asset still used by activities
/// is `Conflict` (delete those first).
pub async fn delete_asset(db: &Db, user: UserId, id: AssetId) -> DbResult<()> {
    let q = Query::delete()
        .from_table("assets")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}
