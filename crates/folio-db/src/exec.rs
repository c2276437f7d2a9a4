//! Held connections and the single place statements are executed, for every backend.
//!
//! A [`Conn`] is one pooled connection plus its gate slot; dropping it returns the
//! connection to its store (or closes it when broken or surplus) *before* the slot is
//! released. A [`Tx`] is a `Conn` inside `BEGIN`; dropped without `commit` it rolls
//! back in a task that holds the slot until done, so no lock outlives the request.

use std::sync::Arc;

use sea_query::InsertStatement;
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use tokio::sync::OwnedSemaphorePermit;

use crate::classify::{ErrorClass, classify};
use crate::config::Backend;
use crate::db::{Inner, render};
use crate::error::{DbError, DbResult};
use crate::gate::Admission;
use crate::pool::Pooled;
use crate::row::DbRow;

/// A connection taken from one of the stores.
pub(crate) enum Held {
    SqliteRead(Pooled<sqlx::Sqlite>),
    SqliteWrite(Pooled<sqlx::Sqlite>),
    MySql(Pooled<sqlx::MySql>),
    Postgres(Pooled<sqlx::Postgres>),
}

impl Held {
    pub(crate) fn as_ref(&mut self) -> ConnRef<'_> {
        match self {
            Held::SqliteRead(p) | Held::SqliteWrite(p) => ConnRef::Sqlite(&mut p.conn),
            Held::MySql(p) => ConnRef::MySql(&mut p.conn),
            Held::Postgres(p) => ConnRef::Postgres(&mut p.conn),
        }
    }
}

/// A pooled connection plus its gate slot; both are returned on drop.
pub(crate) struct Conn {
    pub(crate) inner: Arc<Inner>,
    pub(crate) held: Option<Held>,
    /// Set when the connection failed in use: it is dropped, not reused.
    pub(crate) broken: bool,
    pub(crate) writer: Option<OwnedSemaphorePermit>,
    pub(crate) admission: Option<Admission>,
}

impl Conn {
    pub(crate) fn as_ref(&mut self) -> ConnRef<'_> {
        self.held.as_mut().map_or(ConnRef::Gone, Held::as_ref)
    }

    /// Records the outcome of a statement: a lost connection is not reused, and
    /// success tells the breaker the server is reachable.
    pub(crate) fn observe<T>(&mut self, result: &Result<T, sqlx::Error>) {
        match result {
            Ok(_) => self.inner.gate.on_success(),
            Err(e) => match classify(e) {
                ErrorClass::ConnectionLost => self.broken = true,
                // An hourly quota (e.g. max_questions) ran out mid-request: stop asking.
                ErrorClass::Quota => self.inner.gate.on_quota(),
                ErrorClass::Capacity
                | ErrorClass::ServerStarting
                | ErrorClass::Conflict
                | ErrorClass::NotFound
                | ErrorClass::Fatal => {}
            },
        }
    }

    /// The connection is not to be reused.
    pub(crate) fn mark_broken(&mut self) {
        self.broken = true;
    }

    /// Moves the connection and its slots into a new `Conn` (this one becomes empty).
    fn take(&mut self) -> Conn {
        Conn {
            inner: Arc::clone(&self.inner),
            held: self.held.take(),
            broken: self.broken,
            writer: self.writer.take(),
            admission: self.admission.take(),
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // The connection goes back (or is closed) before the slot is released.
        if let Some(held) = self.held.take() {
            self.inner.checkin(held, self.broken);
        }
        self.writer.take();
        self.admission.take();
    }
}

/// An open transaction plus its gate slot. Dropped without `commit` it rolls back
/// (in a task that keeps the slot until the `ROLLBACK` is done).
pub(crate) struct Tx {
    pub(crate) conn: Conn,
    pub(crate) backend: Backend,
    pub(crate) open: bool,
}

impl Tx {
    pub(crate) async fn fetch_all<S: SqlxBinder>(&mut self, stmt: &S) -> DbResult<Vec<DbRow>> {
        let (sql, values) = render(self.backend, stmt);
        let r = self.conn.as_ref().fetch_all(sql, values).await;
        self.finish(r)
    }

    pub(crate) async fn fetch_optional<S: SqlxBinder>(
        &mut self,
        stmt: &S,
    ) -> DbResult<Option<DbRow>> {
        Ok(self.fetch_all(stmt).await?.into_iter().next())
    }

    pub(crate) async fn execute<S: SqlxBinder>(&mut self, stmt: &S) -> DbResult<u64> {
        let (sql, values) = render(self.backend, stmt);
        let r = self.conn.as_ref().execute(sql, values).await;
        self.finish(r)
    }

    pub(crate) async fn insert_id(&mut self, stmt: InsertStatement) -> DbResult<i64> {
        let backend = self.backend;
        let r = self.conn.as_ref().insert_id(backend, stmt).await;
        self.finish(r)
    }

    /// Runs trusted SQL without parameters inside the transaction.
    pub(crate) async fn raw(&mut self, sql: &str) -> DbResult<()> {
        let r = self.conn.as_ref().raw_sqlx(sql).await;
        self.finish(r)
    }

    pub(crate) async fn commit(mut self) -> DbResult<()> {
        let r = self.conn.as_ref().raw_sqlx("COMMIT").await;
        // Whatever happened, the transaction is over: do not roll back on drop.
        self.open = false;
        self.finish(r)
    }

    fn finish<T>(&mut self, r: Result<T, sqlx::Error>) -> DbResult<T> {
        self.conn.observe(&r);
        let r = r.map_err(DbError::from_sqlx);
        self.conn.inner.count_unavailable(&r);
        r
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if !self.open || self.conn.broken {
            return;
        }
        let mut conn = self.conn.take();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    if conn.as_ref().raw_sqlx("ROLLBACK").await.is_err() {
                        conn.mark_broken();
                    }
                });
            }
            // No runtime to roll back on: closing the connection rolls back.
            Err(_) => conn.mark_broken(),
        }
    }
}

/// A borrowed connection of any backend; the single place statements are executed.
pub(crate) enum ConnRef<'a> {
    Sqlite(&'a mut sqlx::SqliteConnection),
    MySql(&'a mut sqlx::MySqlConnection),
    Postgres(&'a mut sqlx::PgConnection),
    /// Never constructed in practice: a `Conn` whose connection was already returned.
    Gone,
}

fn gone() -> sqlx::Error {
    sqlx::Error::PoolClosed
}

/// Raw rows taken from a stream before they are mapped. Mapping each row as it arrives
/// keeps SQLite's worker thread blocked on a full row channel and wakes it once per row
/// (a 36,000-row load took 55% longer in the dashboard bench); a chunk is pulled at the
/// worker's pace first, then mapped, so raw rows never exceed this many.
const ROWS_PER_CHUNK: usize = 1024;

/// Hands every row of `rows` to `each`, `ROWS_PER_CHUNK` at a time.
async fn drain<R>(
    mut rows: futures_core::stream::BoxStream<'_, Result<R, sqlx::Error>>,
    wrap: fn(R) -> DbRow,
    each: &mut (dyn FnMut(DbRow) + Send),
) -> Result<(), sqlx::Error> {
    let mut chunk = Vec::with_capacity(ROWS_PER_CHUNK);
    while let Some(row) = std::future::poll_fn(|cx| rows.as_mut().poll_next(cx)).await {
        chunk.push(wrap(row?));
        if chunk.len() == ROWS_PER_CHUNK {
            chunk.drain(..).for_each(&mut *each);
        }
    }
    chunk.into_iter().for_each(each);
    Ok(())
}

impl ConnRef<'_> {
    /// Runs a query and hands each row to `each` as it arrives (in chunks of
    /// [`ROWS_PER_CHUNK`]), so a large result is never held as raw rows all at once
    /// (raw rows cost several times the values mapped from them).
    pub(crate) async fn fetch_each(
        self,
        sql: String,
        values: SqlxValues,
        each: &mut (dyn FnMut(DbRow) + Send),
    ) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql);
        match self {
            ConnRef::Sqlite(c) => {
                drain(sqlx::query_with(sql, values).fetch(c), DbRow::Sqlite, each).await
            }
            ConnRef::MySql(c) => {
                drain(sqlx::query_with(sql, values).fetch(c), DbRow::MySql, each).await
            }
            ConnRef::Postgres(c) => {
                let rows = sqlx::query_with(sql, values).fetch(c);
                drain(rows, DbRow::Postgres, each).await
            }
            ConnRef::Gone => Err(gone()),
        }
    }

    /// Runs a query and returns every row (through [`ConnRef::fetch_each`]).
    pub(crate) async fn fetch_all(
        self,
        sql: String,
        values: SqlxValues,
    ) -> Result<Vec<DbRow>, sqlx::Error> {
        let mut rows = Vec::new();
        self.fetch_each(sql, values, &mut |row| rows.push(row))
            .await
            .map(|()| rows)
    }

    pub(crate) async fn execute(self, sql: String, values: SqlxValues) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql);
        match self {
            ConnRef::Sqlite(c) => Ok(sqlx::query_with(sql, values)
                .execute(c)
                .await?
                .rows_affected()),
            ConnRef::MySql(c) => Ok(sqlx::query_with(sql, values)
                .execute(c)
                .await?
                .rows_affected()),
            ConnRef::Postgres(c) => Ok(sqlx::query_with(sql, values)
                .execute(c)
                .await?
                .rows_affected()),
            ConnRef::Gone => Err(gone()),
        }
    }

    pub(crate) async fn insert_id(
        self,
        backend: Backend,
        mut stmt: InsertStatement,
    ) -> Result<i64, sqlx::Error> {
        match self {
            ConnRef::Sqlite(c) => {
                let (sql, values) = render(backend, &stmt);
                Ok(sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                    .execute(c)
                    .await?
                    .last_insert_rowid())
            }
            ConnRef::MySql(c) => {
                let (sql, values) = render(backend, &stmt);
                let id = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                    .execute(c)
                    .await?
                    .last_insert_id();
                i64::try_from(id).map_err(|e| sqlx::Error::Decode(Box::new(e)))
            }
            ConnRef::Postgres(c) => {
                stmt.returning_col("id");
                let (sql, values) = render(backend, &stmt);
                let row = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                    .fetch_one(c)
                    .await?;
                sqlx::Row::try_get::<i64, _>(&row, "id")
            }
            ConnRef::Gone => Err(gone()),
        }
    }

    /// Runs a trusted, parameterless query returning one integer (migrations).
    pub(crate) async fn scalar_i64(self, sql: &str) -> DbResult<i64> {
        let stmt = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(match self {
            ConnRef::Sqlite(c) => sqlx::query_scalar(stmt).fetch_one(c).await?,
            ConnRef::MySql(c) => sqlx::query_scalar(stmt).fetch_one(c).await?,
            ConnRef::Postgres(c) => sqlx::query_scalar(stmt).fetch_one(c).await?,
            ConnRef::Gone => return Err(DbError::from_sqlx(gone())),
        })
    }

    /// Runs several `;`-separated statements (migrations).
    pub(crate) async fn raw(self, sql: &str) -> DbResult<()> {
        self.raw_sqlx(sql).await.map_err(DbError::from_sqlx)
    }

    /// Runs trusted SQL without parameters (`BEGIN`, `COMMIT`, `ROLLBACK`, migrations).
    pub(crate) async fn raw_sqlx(self, sql: &str) -> Result<(), sqlx::Error> {
        let stmt = || sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()));
        match self {
            ConnRef::Sqlite(c) => stmt().execute(c).await.map(drop),
            ConnRef::MySql(c) => stmt().execute(c).await.map(drop),
            ConnRef::Postgres(c) => stmt().execute(c).await.map(drop),
            ConnRef::Gone => Err(gone()),
        }
    }

    /// A round trip that proves the connection works (the breaker's probe).
    pub(crate) async fn ping(self) -> Result<(), sqlx::Error> {
        match self {
            ConnRef::Sqlite(c) => sqlx::Connection::ping(c).await,
            ConnRef::MySql(c) => sqlx::Connection::ping(c).await,
            ConnRef::Postgres(c) => sqlx::Connection::ping(c).await,
            ConnRef::Gone => Err(gone()),
        }
    }
}
