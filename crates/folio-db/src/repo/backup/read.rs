//! Reading a database for a backup: schema check, emptiness check, keyset batches.

use sea_query::{Expr, ExprTrait, Order, Query};

use super::{BackupError, Cell, EXCLUDED_TABLES, Kind, TableSpec, table};
use crate::config::Backend;
use crate::db::Db;
use crate::error::DbResult;
use crate::row::DbRow;

/// Every (table, column) of the connected database's schema.
fn schema_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
        Backend::MySql => {
            "SELECT CAST(table_name AS CHAR) AS t, CAST(column_name AS CHAR) AS c \
             FROM information_schema.columns WHERE table_schema = DATABASE()"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c \
             FROM information_schema.columns WHERE table_schema = current_schema()"
        }
    }
}

/// Refuses a database holding a table or column the backup format does not name, so
/// a backup can never silently leave data behind.
pub async fn check_schema(db: &Db) -> Result<(), BackupError> {
    for row in db.fetch_raw(schema_sql(db.backend())).await? {
        let (t, c) = (row.string("t")?, row.string("c")?);
        if EXCLUDED_TABLES.contains(&t.as_str()) {
            continue;
        }
        let spec = table(&t).ok_or_else(|| {
            BackupError::Schema(format!("table {t} is not part of the backup format"))
        })?;
        if spec.kind(&c).is_none() {
            return Err(BackupError::Schema(format!(
                "column {t}.{c} is not part of the backup format"
            )));
        }
    }
    Ok(())
}

/// The newest migration applied to the connected database (0 when none).
pub async fn applied_version(db: &Db) -> DbResult<i64> {
    let rows = db
        .fetch_raw("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
        .await?;
    rows.first().map_or(Ok(0), |r| r.i64("v"))
}

/// Whether every backed-up table (and the sessions) is empty; else names the first
/// table with rows.
pub async fn is_empty(db: &Db) -> Result<(), BackupError> {
    let names = super::TABLES.iter().map(|t| t.name).chain(["sessions"]);
    for name in names {
        let q = Query::select()
            .expr_as(Expr::val(1), "one")
            .from(name)
            .limit(1)
            .to_owned();
        if db.fetch_optional(&q).await?.is_some() {
            return Err(BackupError::NotEmpty(name));
        }
    }
    Ok(())
}

/// Up to `limit` rows of a table in key order, starting after the row whose key values
/// are `after` (the key columns of the last row of the previous batch).
pub async fn read_batch(
    db: &Db,
    spec: &TableSpec,
    after: Option<&[Cell]>,
    limit: u64,
) -> DbResult<Vec<Vec<Cell>>> {
    let mut q = Query::select();
    q.columns(spec.columns.iter().map(|(c, _)| *c))
        .from(spec.name);
    for k in spec.key {
        q.order_by(*k, Order::Asc);
    }
    if let Some(last) = after {
        let cols = spec.key.iter().map(|k| Expr::col(*k));
        let vals = spec.key.iter().zip(last).map(|(k, cell)| {
            let kind = spec.kind(k).unwrap_or(Kind::Int);
            Expr::val(super::write::value_of(kind, cell))
        });
        q.and_where(Expr::tuple(cols).gt(Expr::tuple(vals)));
    }
    q.limit(limit);
    db.fetch_all(&q)
        .await?
        .iter()
        .map(|row| row_cells(spec, row))
        .collect()
}

/// The key values of a row (as read by [`read_batch`]), for the next batch's `after`.
pub fn key_of(spec: &TableSpec, row: &[Cell]) -> Vec<Cell> {
    spec.key
        .iter()
        .filter_map(|k| spec.columns.iter().position(|(c, _)| c == k))
        .filter_map(|i| row.get(i).cloned())
        .collect()
}

fn row_cells(spec: &TableSpec, row: &DbRow) -> DbResult<Vec<Cell>> {
    spec.columns
        .iter()
        .map(|(col, kind)| {
            Ok(match kind {
                Kind::Int => row.opt_i64(col)?.map(Cell::Int),
                Kind::Text => row.opt_string(col)?.map(Cell::Text),
                Kind::Bool => row.opt_bool(col)?.map(Cell::Bool),
                Kind::Decimal => row.opt_decimal(col)?.map(Cell::Decimal),
                Kind::Date => row.opt_date(col)?.map(Cell::Date),
            }
            .unwrap_or(Cell::Null))
        })
        .collect()
}
