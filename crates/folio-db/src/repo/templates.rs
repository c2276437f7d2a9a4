//! Saved column-mapping templates for CSV imports, by name, per user. The definition is
//! the mapping as JSON text; its structure belongs to `folio_core::import::ColumnMapping`.

use folio_core::UserId;
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

use crate::db::Db;
use crate::error::DbResult;

/// A saved template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Row id.
    pub id: i64,
    /// The user's name for it, unique per user.
    pub name: String,
    /// The mapping as JSON.
    pub definition: String,
}

/// Saves (or replaces) the user's template of that name.
pub async fn save_template(db: &Db, user: UserId, name: &str, definition: &str) -> DbResult<()> {
    let insert = Query::insert()
        .into_table("import_templates")
        .columns(["user_id", "name", "definition", "created_at"])
        .values_panic([
            user.get().into(),
            name.into(),
            definition.into(),
            super::now().into(),
        ])
        .on_conflict(
            OnConflict::columns(["user_id", "name"])
                .update_column("definition")
                .to_owned(),
        )
        .to_owned();
    db.execute(&insert).await.map(drop)
}

/// The user's templates by name.
pub async fn list_templates(db: &Db, user: UserId) -> DbResult<Vec<Template>> {
    let q = Query::select()
        .columns(["id", "name", "definition"])
        .from("import_templates")
        .and_where(Expr::col("user_id").eq(user.get()))
        .order_by("name", Order::Asc)
        .to_owned();
    db.fetch_all(&q)
        .await?
        .iter()
        .map(|r| {
            Ok(Template {
                id: r.i64("id")?,
                name: r.string("name")?,
                definition: r.string("definition")?,
            })
        })
        .collect()
}

/// One of the user's templates by name; another user's is `NotFound`.
pub async fn get_template(db: &Db, user: UserId, name: &str) -> DbResult<Template> {
    list_templates(db, user)
        .await?
        .into_iter()
        .find(|t| t.name == name)
        .ok_or(crate::DbError::NotFound)
}

/// Deletes one of the user's templates.
pub async fn delete_template(db: &Db, user: UserId, id: i64) -> DbResult<()> {
    let q = Query::delete()
        .from_table("import_templates")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}
