//! Loading a backup into an empty database: one transaction, multi-row inserts with the
//! original ids, transfer links that point forward applied last, identity sequences
//! moved past the restored ids.

use sea_query::{Expr, ExprTrait, Query, SimpleExpr, Value};

use super::{BackupError, Cell, Kind, TableSpec};
use crate::config::Backend;
use crate::db::{Db, Tx};

/// Bound parameters per statement, below every backend's limit (SQLite's 32,766 is the
/// smallest).
const MAX_PARAMS: usize = 30_000;
/// Rows per multi-row `INSERT`, whatever the width.
const MAX_ROWS: usize = 500;
/// Scale of the DECIMAL/NUMERIC columns on MySQL and PostgreSQL.
const SERVER_SCALE: u32 = 10;

/// A restore in progress: everything happens in one transaction that commits in
/// [`Restore::finish`] and rolls back if the value is dropped (any error, a truncated
/// file, an interrupted process), leaving the target as empty as it was.
pub struct Restore {
    tx: Tx,
    backend: Backend,
    /// `(activity id, transfer_of)` links to an activity not yet inserted.
    deferred_links: Vec<(i64, i64)>,
    rows: u64,
}

/// A sea-query value for a cell of the given kind (a NULL keeps the column's type).
pub(crate) fn value_of(kind: Kind, cell: &Cell) -> Value {
    match cell {
        Cell::Null => match kind {
            Kind::Int => Value::BigInt(None),
            Kind::Text => Value::String(None),
            Kind::Bool => Value::Bool(None),
            Kind::Decimal => Value::Decimal(None),
            Kind::Date => Value::TimeDate(None),
        },
        Cell::Int(i) => (*i).into(),
        Cell::Text(s) => s.as_str().into(),
        Cell::Bool(b) => (*b).into(),
        Cell::Decimal(d) => (*d).into(),
        Cell::Date(d) => (*d).into(),
    }
}

impl Restore {
    /// Checks that the (migrated) target is empty and opens the transaction.
    pub async fn begin(db: &Db) -> Result<Self, BackupError> {
        super::is_empty(db).await?;
        Ok(Self {
            tx: db.begin().await?,
            backend: db.backend(),
            deferred_links: Vec::new(),
            rows: 0,
        })
    }

    /// Inserts rows of `spec` whose cells follow `columns` (a subset of the table's
    /// columns, as a backup file names them).
    pub async fn insert(
        &mut self,
        spec: &TableSpec,
        columns: &[String],
        mut rows: Vec<Vec<Cell>>,
    ) -> Result<(), BackupError> {
        let (names, kinds): (Vec<&'static str>, Vec<Kind>) = columns
            .iter()
            .map(|c| {
                spec.columns
                    .iter()
                    .find(|(n, _)| n == c)
                    .copied()
                    .ok_or_else(|| BackupError::Schema(format!("unknown column {}.{c}", spec.name)))
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .unzip();
        self.check_values(spec, columns, &kinds, &rows)?;
        if spec.name == "activities" {
            self.defer_forward_links(columns, &mut rows);
        }
        let per_statement = (MAX_PARAMS / kinds.len().max(1)).clamp(1, MAX_ROWS);
        for chunk in rows.chunks(per_statement) {
            let mut insert = Query::insert();
            insert.into_table(spec.name).columns(names.iter().copied());
            for row in chunk {
                let values = kinds
                    .iter()
                    .zip(row)
                    .map(|(k, c)| SimpleExpr::from(Expr::val(value_of(*k, c))));
                insert
                    .values(values)
                    .map_err(|e| BackupError::Value(format!("{}: {e}", spec.name)))?;
            }
            self.tx.execute(&insert).await?;
        }
        self.rows += u64::try_from(rows.len()).unwrap_or(u64::MAX);
        Ok(())
    }

    /// Rows must have one cell per column, and decimals must fit the target exactly:
    /// MySQL and PostgreSQL columns keep 10 decimal places and would round silently.
    fn check_values(
        &self,
        spec: &TableSpec,
        columns: &[String],
        kinds: &[Kind],
        rows: &[Vec<Cell>],
    ) -> Result<(), BackupError> {
        for row in rows {
            if row.len() != kinds.len() {
                return Err(BackupError::Value(format!(
                    "a {} row has {} values for {} columns",
                    spec.name,
                    row.len(),
                    kinds.len()
                )));
            }
            if self.backend == Backend::Sqlite {
                continue;
            }
            for (col, cell) in columns.iter().zip(row) {
                if let Cell::Decimal(d) = cell
                    && d.scale() > SERVER_SCALE
                {
                    return Err(BackupError::Value(format!(
                        "{}.{col} = {d} has more than {SERVER_SCALE} decimal places, which {} would round; nothing was restored",
                        spec.name,
                        self.backend.name()
                    )));
                }
            }
        }
        Ok(())
    }

    /// A TRANSFER_IN may be linked to a TRANSFER_OUT with a higher id, which does not
    /// exist yet: insert it unlinked and link it in [`Restore::finish`].
    fn defer_forward_links(&mut self, columns: &[String], rows: &mut [Vec<Cell>]) {
        let at = |name: &str| columns.iter().position(|c| c == name);
        let (Some(id_at), Some(link_at)) = (at("id"), at("transfer_of")) else {
            return;
        };
        for row in rows {
            if let (Some(Cell::Int(id)), Some(Cell::Int(link))) = (row.get(id_at), row.get(link_at))
                && link >= id
            {
                self.deferred_links.push((*id, *link));
                row[link_at] = Cell::Null;
            }
        }
    }

    /// Applies deferred links, moves identity sequences past the restored ids and
    /// commits. Returns the number of rows restored.
    pub async fn finish(mut self) -> Result<u64, BackupError> {
        for (id, link) in std::mem::take(&mut self.deferred_links) {
            let q = Query::update()
                .table("activities")
                .value("transfer_of", link)
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            self.tx.execute(&q).await?;
        }
        if self.backend == Backend::Postgres {
            for spec in super::TABLES.iter().filter(|t| t.has_id()) {
                let t = spec.name;
                self.tx
                    .raw(&format!(
                        "SELECT setval(pg_get_serial_sequence('{t}', 'id'), \
                         COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
                    ))
                    .await?;
            }
        }
        self.tx.commit().await?;
        Ok(self.rows)
    }
}
