//! Accounts, always scoped by the owning user.

use folio_core::{AccountId, CurrencyCode, Name, UserId};
use sea_query::{Expr, ExprTrait, InsertStatement, Order, Query};

use crate::db::Db;
use crate::error::DbResult;
use crate::models::{Account, NewAccount};
use crate::row::DbRow;

const COLUMNS: [&str; 5] = ["id", "name", "currency", "tracks_cash", "created_at"];

fn account_from(row: &DbRow) -> DbResult<Account> {
    Ok(Account {
        id: AccountId::new(row.i64("id")?),
        name: row.parsed("name", Name::parse)?,
        currency: row.parsed("currency", CurrencyCode::parse)?,
        tracks_cash: row.bool("tracks_cash")?,
        created_at: row.i64("created_at")?,
    })
}

/// The INSERT for a new row (shared with imports, which run it inside their transaction).
pub(crate) fn insert_statement(user: UserId, new: &NewAccount) -> InsertStatement {
    Query::insert()
        .into_table("accounts")
        .columns(["user_id", "name", "currency", "tracks_cash", "created_at"])
        .values_panic([
            user.get().into(),
            new.name.as_str().into(),
            new.currency.as_str().into(),
            new.tracks_cash.into(),
            super::now().into(),
        ])
        .to_owned()
}

/// Creates an account; a duplicate name for the same user is `Conflict`.
pub async fn insert_account(db: &Db, user: UserId, new: &NewAccount) -> DbResult<AccountId> {
    let insert = insert_statement(user, new);
    db.insert_id(insert).await.map(AccountId::new)
}

/// The user's accounts by name.
pub async fn list_accounts(db: &Db, user: UserId) -> DbResult<Vec<Account>> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("accounts")
        .and_where(Expr::col("user_id").eq(user.get()))
        .order_by("name", Order::Asc)
        .to_owned();
    db.fetch_all(&q).await?.iter().map(account_from).collect()
}

/// One of the user's accounts; another user's id is `NotFound`.
pub async fn get_account(db: &Db, user: UserId, id: AccountId) -> DbResult<Account> {
    let q = Query::select()
        .columns(COLUMNS)
        .from("accounts")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    account_from(&db.fetch_one(&q).await?)
}

/// Updates one of the user's accounts.
pub async fn update_account(
    db: &Db,
    user: UserId,
    id: AccountId,
    upd: &NewAccount,
) -> DbResult<()> {
    let q = Query::update()
        .table("accounts")
        .value("name", upd.name.as_str())
        .value("currency", upd.currency.as_str())
        .value("tracks_cash", upd.tracks_cash)
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}

/// Deletes one of the user's accounts and (by cascade) its activities.
pub async fn delete_account(db: &Db, user: UserId, id: AccountId) -> DbResult<()> {
    let q = Query::delete()
        .from_table("accounts")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id.get()))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}
