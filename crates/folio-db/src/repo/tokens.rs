//! API tokens: a random secret shown once to the user; only its SHA-256 is stored.

use folio_core::{Name, UserId};
use sea_query::{Expr, ExprTrait, Order, Query};

use crate::db::Db;
use crate::error::DbResult;
use crate::models::ApiToken;

/// Stores a token's hash under a label.
pub async fn insert_token(db: &Db, user: UserId, name: &Name, token_hash: &str) -> DbResult<i64> {
    let insert = Query::insert()
        .into_table("api_tokens")
        .columns(["user_id", "name", "token_hash", "created_at"])
        .values_panic([
            user.get().into(),
            name.as_str().into(),
            token_hash.into(),
            super::now().into(),
        ])
        .to_owned();
    db.insert_id(insert).await
}

/// How stale `last_used_at` may get before a use of the token records it again; keeps
/// API reads from turning into a write per request.
const LAST_USED_RESOLUTION: i64 = 3600;

/// The user a token hash belongs to, if it exists and has not expired. Records the use
/// (at most once per hour per token).
pub async fn find_token_user(db: &Db, token_hash: &str) -> DbResult<Option<UserId>> {
    let q = Query::select()
        .columns(["id", "user_id", "expires_at", "last_used_at"])
        .from("api_tokens")
        .and_where(Expr::col("token_hash").eq(token_hash))
        .to_owned();
    let Some(row) = db.fetch_optional(&q).await? else {
        return Ok(None);
    };
    let now = super::now();
    if row.opt_i64("expires_at")?.is_some_and(|exp| exp <= now) {
        return Ok(None);
    }
    let stale = row
        .opt_i64("last_used_at")?
        .is_none_or(|t| now.saturating_sub(t) >= LAST_USED_RESOLUTION);
    if stale {
        let touch = Query::update()
            .table("api_tokens")
            .value("last_used_at", now)
            .and_where(Expr::col("id").eq(row.i64("id")?))
            .to_owned();
        db.execute(&touch).await?;
    }
    Ok(Some(UserId::new(row.i64("user_id")?)))
}

/// The user's tokens, newest first.
pub async fn list_tokens(db: &Db, user: UserId) -> DbResult<Vec<ApiToken>> {
    let q = Query::select()
        .columns(["id", "name", "created_at", "last_used_at"])
        .from("api_tokens")
        .and_where(Expr::col("user_id").eq(user.get()))
        .order_by("id", Order::Desc)
        .to_owned();
    db.fetch_all(&q)
        .await?
        .iter()
        .map(|row| {
            Ok(ApiToken {
                id: row.i64("id")?,
                name: row.parsed("name", Name::parse)?,
                created_at: row.i64("created_at")?,
                last_used_at: row.opt_i64("last_used_at")?,
            })
        })
        .collect()
}

/// Revokes one of the user's tokens.
pub async fn delete_token(db: &Db, user: UserId, id: i64) -> DbResult<()> {
    let q = Query::delete()
        .from_table("api_tokens")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}
