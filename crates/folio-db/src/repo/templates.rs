//! Saved column-mapping templates for CSV imports, by name, per user. The definition is
//! the mapping as JSON text; its structure belongs to `folio_core::import::ColumnMapping`.

use folio_core::UserId;
use sea_query::{Expr, ExprTrait, InsertStatement, Order, Query};

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

/// The INSERT of a new template row.
fn insert_statement(user: UserId, name: &str, definition: &str) -> InsertStatement {
    Query::insert()
        .into_table("import_templates")
        .columns(["user_id", "name", "definition", "created_at"])
        .values_panic([
            user.get().into(),
            name.into(),
            definition.into(),
            super::now().into(),
        ])
        .to_owned()
}

/// Creates a template; a name the user already uses is `Conflict` (nothing is replaced).
pub async fn insert_template(db: &Db, user: UserId, name: &str, definition: &str) -> DbResult<i64> {
    db.insert_id(insert_statement(user, name, definition)).await
}

/// Renames and redefines one of the user's templates by id, so a rename leaves no copy
/// under the old name. Another user's id is `NotFound`; a name another of the user's
/// templates has is `Conflict` (nothing is changed).
pub async fn update_template(
    db: &Db,
    user: UserId,
    id: i64,
    name: &str,
    definition: &str,
) -> DbResult<()> {
    let q = Query::update()
        .table("import_templates")
        .value("name", name)
        .value("definition", definition)
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    super::one_or_not_found(db.execute(&q).await?)
}

/// The user's templates by name.
pub async fn list_templates(db: &Db, user: UserId) -> DbResult<Vec<Template>> {
    let q = Query::select()
        .columns(["id", "name", "definition"])
        .from("import_templates")
        .and_where(Expr::col("user_id").eq(user.get()))
        .order_by("name", Order::Asc)
        .to_owned();
    db.fetch_all(&q).await?.iter().map(template_from).collect()
}

fn template_from(r: &crate::row::DbRow) -> DbResult<Template> {
    Ok(Template {
        id: r.i64("id")?,
        name: r.string("name")?,
        definition: r.string("definition")?,
    })
}

/// One of the user's templates by name; another user's is `NotFound`.
pub async fn get_template(db: &Db, user: UserId, name: &str) -> DbResult<Template> {
    list_templates(db, user)
        .await?
        .into_iter()
        .find(|t| t.name == name)
        .ok_or(crate::DbError::NotFound)
}

/// One of the user's templates by id; another user's is `NotFound`.
pub async fn get_template_by_id(db: &Db, user: UserId, id: i64) -> DbResult<Template> {
    let q = Query::select()
        .columns(["id", "name", "definition"])
        .from("import_templates")
        .and_where(Expr::col("user_id").eq(user.get()))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    template_from(&db.fetch_one(&q).await?)
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
