//! Reads: every query that returns rows goes through [`Db::fetch_map`], which maps rows
//! as they arrive and retries on a fresh connection when one is lost.

use sea_query_sqlx::SqlxBinder;

use super::{Db, MAX_STATEMENT_RETRIES, Mode, render};
use crate::classify::retry_safe;
use crate::error::{DbError, DbResult};
use crate::row::DbRow;

impl Db {
    /// Runs a query and returns all rows; a lost connection is retried on a fresh one.
    pub(crate) async fn fetch_all<S: SqlxBinder>(&self, stmt: &S) -> DbResult<Vec<DbRow>> {
        self.fetch_map(stmt, Ok).await
    }

    /// Runs a query and maps each row as it arrives, rather than holding every raw row
    /// first (for 100,000 activities the raw rows cost several times the mapped
    /// values). A lost connection is retried on a fresh one; the first row that fails
    /// to map is the error.
    pub(crate) async fn fetch_map<S, T>(
        &self,
        stmt: &S,
        map: impl Fn(DbRow) -> DbResult<T> + Send + Sync,
    ) -> DbResult<Vec<T>>
    where
        S: SqlxBinder,
        T: Send,
    {
        let r = self.fetch_map_inner(stmt, &map).await;
        self.inner.count_unavailable(&r);
        r
    }

    async fn fetch_map_inner<S, T>(
        &self,
        stmt: &S,
        map: &(dyn Fn(DbRow) -> DbResult<T> + Send + Sync),
    ) -> DbResult<Vec<T>>
    where
        S: SqlxBinder,
        T: Send,
    {
        let deadline = self.deadline();
        let mut attempt = 0;
        loop {
            let mut conn = self.acquire(Mode::Read, deadline).await?;
            let (sql, values) = render(self.backend(), stmt);
            let mut out = Vec::new();
            let mut failed = None;
            let mut each = |row: DbRow| {
                if failed.is_none() {
                    match map(row) {
                        Ok(v) => out.push(v),
                        Err(e) => failed = Some(e),
                    }
                }
            };
            let r = conn.as_ref().fetch_each(sql, values, &mut each).await;
            conn.observe(&r);
            match r {
                Err(e) if attempt < MAX_STATEMENT_RETRIES && retry_safe(&e, Mode::Read) => {
                    attempt += 1;
                    self.inner.metrics.retried();
                }
                Err(e) => return Err(DbError::from_sqlx(e)),
                Ok(()) => return failed.map_or(Ok(out), Err),
            }
        }
    }

    /// Runs a query expected to return at most one row.
    pub(crate) async fn fetch_optional<S: SqlxBinder>(&self, stmt: &S) -> DbResult<Option<DbRow>> {
        Ok(self.fetch_all(stmt).await?.into_iter().next())
    }

    /// Runs a query that must return one row; none is `NotFound`.
    pub(crate) async fn fetch_one<S: SqlxBinder>(&self, stmt: &S) -> DbResult<DbRow> {
        self.fetch_optional(stmt).await?.ok_or(DbError::NotFound)
    }
}
