//! Browser sessions. The cookie carries a random token; only its SHA-256 is stored, so
//! a copy of the database does not let anyone log in.

use folio_core::UserId;
use sea_query::{Expr, ExprTrait, Query};

use crate::db::Db;
use crate::error::DbResult;
use crate::models::SessionRecord;

/// Stores a new session.
pub async fn insert_session(db: &Db, id_hash: &str, record: &SessionRecord) -> DbResult<()> {
    let insert = Query::insert()
        .into_table("sessions")
        .columns([
            "id_hash",
            "user_id",
            "csrf_token",
            "created_at",
            "expires_at",
        ])
        .values_panic([
            id_hash.into(),
            record.user_id.get().into(),
            record.csrf_token.clone().into(),
            super::now().into(),
            record.expires_at.into(),
        ])
        .to_owned();
    db.execute(&insert).await.map(drop)
}

/// Loads a session that has not expired.
pub async fn find_session(db: &Db, id_hash: &str) -> DbResult<Option<SessionRecord>> {
    let q = Query::select()
        .columns(["user_id", "csrf_token", "expires_at"])
        .from("sessions")
        .and_where(Expr::col("id_hash").eq(id_hash))
        .and_where(Expr::col("expires_at").gt(super::now()))
        .to_owned();
    let Some(row) = db.fetch_optional(&q).await? else {
        return Ok(None);
    };
    Ok(Some(SessionRecord {
        user_id: UserId::new(row.i64("user_id")?),
        csrf_token: row.string("csrf_token")?,
        expires_at: row.i64("expires_at")?,
    }))
}

/// Ends one session (logout).
pub async fn delete_session(db: &Db, id_hash: &str) -> DbResult<()> {
    let q = Query::delete()
        .from_table("sessions")
        .and_where(Expr::col("id_hash").eq(id_hash))
        .to_owned();
    db.execute(&q).await.map(drop)
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired_sessions(db: &Db) -> DbResult<u64> {
    let q = Query::delete()
        .from_table("sessions")
        .and_where(Expr::col("expires_at").lte(super::now()))
        .to_owned();
    db.execute(&q).await
}
