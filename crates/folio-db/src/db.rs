//! The `Db` handle: one per process, owning the (private) sqlx pools and the gate.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sea_query::{InsertStatement, MysqlQueryBuilder, PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, MySqlPool, PgPool, SqlitePool};

use crate::config::{Backend, DbConfig};
use crate::error::{DbError, DbResult};
use crate::gate::{Admission, Gate};
use crate::row::DbRow;
use crate::stats::DbStats;

/// A connection idle longer than this is pinged before it is handed out, so a
/// connection the server closed is replaced instead of failing the request.
const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

/// The process's database handle. Cheap to clone; all clones share one budget.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    pools: Pools,
    gate: Gate,
}

enum Pools {
    /// SQLite has one writer at a time: writes go through a one-connection pool,
    /// reads through another, both behind the same gate.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    MySql(MySqlPool),
    Postgres(PgPool),
}

/// Whether an operation only reads (safe to retry on a fresh connection) or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Read,
    Write,
}

impl Db {
    /// Builds the pools without opening a connection: the first query opens one.
    pub fn connect_lazy(cfg: &DbConfig) -> DbResult<Self> {
        let backend = cfg
            .validate()
            .map_err(|e| DbError::Corrupt(e.to_string()))?;
        let url = cfg.driver_url();
        let cap = cfg.max_connections;
        let pools = match backend {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(&url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true);
                let pool = |max: u32| {
                    SqlitePoolOptions::new()
                        .min_connections(0)
                        .max_connections(max)
                        .idle_timeout(cfg.idle_timeout)
                        .max_lifetime(cfg.max_lifetime)
                        .acquire_timeout(cfg.acquire_timeout)
                        .connect_lazy_with(opts.clone())
                };
                Pools::Sqlite {
                    read: pool(cap.max(1)),
                    write: pool(1),
                }
            }
            Backend::MySql => {
                let opts = MySqlConnectOptions::from_str(&url)?;
                let pool = MySqlPoolOptions::new()
                    .min_connections(0)
                    .max_connections(cap)
                    .idle_timeout(cfg.idle_timeout)
                    .max_lifetime(cfg.max_lifetime)
                    .acquire_timeout(cfg.acquire_timeout)
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_AFTER_IDLE {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_lazy_with(opts);
                Pools::MySql(pool)
            }
            Backend::Postgres => {
                let opts = PgConnectOptions::from_str(&url)?.application_name("folio");
                let pool = PgPoolOptions::new()
                    .min_connections(0)
                    .max_connections(cap)
                    .idle_timeout(cfg.idle_timeout)
                    .max_lifetime(cfg.max_lifetime)
                    .acquire_timeout(cfg.acquire_timeout)
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_AFTER_IDLE {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect_lazy_with(opts);
                Pools::Postgres(pool)
            }
        };
        let cap_usize = usize::try_from(cap).unwrap_or(usize::MAX);
        let gate = Gate::new(cap_usize, cfg.max_waiters, cfg.acquire_timeout);
        Ok(Self {
            inner: Arc::new(Inner {
                backend,
                pools,
                gate,
            }),
        })
    }

    /// Which database this handle talks to.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Current pool and gate counts. Reads only in-process state; opens nothing.
    pub fn stats(&self) -> DbStats {
        let (size, idle) = match &self.inner.pools {
            Pools::Sqlite { read, write } => (
                read.size() + write.size(),
                u32_of(read.num_idle() + write.num_idle()),
            ),
            Pools::MySql(p) => (p.size(), u32_of(p.num_idle())),
            Pools::Postgres(p) => (p.size(), u32_of(p.num_idle())),
        };
        let gate = &self.inner.gate;
        DbStats {
            size,
            idle,
            in_use: u32_of(gate.in_use()),
            waiters: u32_of(gate.waiters()),
            hard_cap: u32_of(gate.cap()),
        }
    }

    /// Closes every pooled connection (used at shutdown).
    pub async fn close(&self) {
        match &self.inner.pools {
            Pools::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Pools::MySql(p) => p.close().await,
            Pools::Postgres(p) => p.close().await,
        }
    }

    /// Runs a query and returns all rows.
    pub(crate) async fn fetch_all<S: SqlxBinder>(&self, stmt: &S) -> DbResult<Vec<DbRow>> {
        let mut conn = self.conn(Mode::Read).await?;
        let (sql, values) = render(self.backend(), stmt);
        conn.as_ref().fetch_all(sql, values).await
    }

    /// Runs a query expected to return at most one row.
    pub(crate) async fn fetch_optional<S: SqlxBinder>(&self, stmt: &S) -> DbResult<Option<DbRow>> {
        Ok(self.fetch_all(stmt).await?.into_iter().next())
    }

    /// Runs a query that must return one row; none is `NotFound`.
    pub(crate) async fn fetch_one<S: SqlxBinder>(&self, stmt: &S) -> DbResult<DbRow> {
        self.fetch_optional(stmt).await?.ok_or(DbError::NotFound)
    }

    /// Runs a write and returns the number of affected rows.
    pub(crate) async fn execute<S: SqlxBinder>(&self, stmt: &S) -> DbResult<u64> {
        let mut conn = self.conn(Mode::Write).await?;
        let (sql, values) = render(self.backend(), stmt);
        conn.as_ref().execute(sql, values).await
    }

    /// Runs an insert and returns the new row's `id`.
    pub(crate) async fn insert_id(&self, stmt: InsertStatement) -> DbResult<i64> {
        let mut conn = self.conn(Mode::Write).await?;
        conn.as_ref().insert_id(self.backend(), stmt).await
    }

    /// Starts a transaction holding one connection (and one gate slot) until commit or drop.
    pub(crate) async fn begin(&self) -> DbResult<Tx> {
        let admission = self.inner.gate.admit().await?;
        let tx = match &self.inner.pools {
            Pools::Sqlite { write, .. } => TxInner::Sqlite(write.begin().await?),
            Pools::MySql(p) => TxInner::MySql(p.begin().await?),
            Pools::Postgres(p) => TxInner::Postgres(p.begin().await?),
        };
        Ok(Tx {
            tx,
            backend: self.backend(),
            _admission: admission,
        })
    }

    /// Raw SQL (several statements allowed) on one connection; for migrations only.
    pub(crate) async fn raw_conn(&self) -> DbResult<Conn> {
        self.conn(Mode::Write).await
    }

    async fn conn(&self, mode: Mode) -> DbResult<Conn> {
        let admission = self.inner.gate.admit().await?;
        let conn = match (&self.inner.pools, mode) {
            (Pools::Sqlite { read, .. }, Mode::Read) => ConnInner::Sqlite(read.acquire().await?),
            (Pools::Sqlite { write, .. }, Mode::Write) => ConnInner::Sqlite(write.acquire().await?),
            (Pools::MySql(p), _) => ConnInner::MySql(p.acquire().await?),
            (Pools::Postgres(p), _) => ConnInner::Postgres(p.acquire().await?),
        };
        Ok(Conn {
            conn,
            _admission: admission,
        })
    }
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn render<S: SqlxBinder>(backend: Backend, stmt: &S) -> (String, SqlxValues) {
    match backend {
        Backend::Sqlite => stmt.build_sqlx(SqliteQueryBuilder),
        Backend::MySql => stmt.build_sqlx(MysqlQueryBuilder),
        Backend::Postgres => stmt.build_sqlx(PostgresQueryBuilder),
    }
}

/// A pooled connection plus its gate slot; both are returned on drop.
pub(crate) struct Conn {
    conn: ConnInner,
    _admission: Admission,
}

enum ConnInner {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    MySql(sqlx::pool::PoolConnection<sqlx::MySql>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

impl Conn {
    pub(crate) fn as_ref(&mut self) -> ConnRef<'_> {
        match &mut self.conn {
            ConnInner::Sqlite(c) => ConnRef::Sqlite(c),
            ConnInner::MySql(c) => ConnRef::MySql(c),
            ConnInner::Postgres(c) => ConnRef::Postgres(c),
        }
    }
}

/// An open transaction plus its gate slot. Dropped without `commit` it rolls back.
pub(crate) struct Tx {
    tx: TxInner,
    backend: Backend,
    _admission: Admission,
}

enum TxInner {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    MySql(sqlx::Transaction<'static, sqlx::MySql>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    fn as_ref(&mut self) -> ConnRef<'_> {
        match &mut self.tx {
            TxInner::Sqlite(c) => ConnRef::Sqlite(c),
            TxInner::MySql(c) => ConnRef::MySql(c),
            TxInner::Postgres(c) => ConnRef::Postgres(c),
        }
    }

    pub(crate) async fn fetch_all<S: SqlxBinder>(&mut self, stmt: &S) -> DbResult<Vec<DbRow>> {
        let (sql, values) = render(self.backend, stmt);
        self.as_ref().fetch_all(sql, values).await
    }

    pub(crate) async fn fetch_optional<S: SqlxBinder>(
        &mut self,
        stmt: &S,
    ) -> DbResult<Option<DbRow>> {
        Ok(self.fetch_all(stmt).await?.into_iter().next())
    }

    pub(crate) async fn execute<S: SqlxBinder>(&mut self, stmt: &S) -> DbResult<u64> {
        let (sql, values) = render(self.backend, stmt);
        self.as_ref().execute(sql, values).await
    }

    pub(crate) async fn insert_id(&mut self, stmt: InsertStatement) -> DbResult<i64> {
        let backend = self.backend;
        self.as_ref().insert_id(backend, stmt).await
    }

    pub(crate) async fn commit(self) -> DbResult<()> {
        match self.tx {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::MySql(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// A borrowed connection of any backend; the single place statements are executed.
pub(crate) enum ConnRef<'a> {
    Sqlite(&'a mut sqlx::SqliteConnection),
    MySql(&'a mut sqlx::MySqlConnection),
    Postgres(&'a mut sqlx::PgConnection),
}

impl ConnRef<'_> {
    async fn fetch_all(self, sql: String, values: SqlxValues) -> DbResult<Vec<DbRow>> {
        Ok(match self {
            ConnRef::Sqlite(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(DbRow::Sqlite)
                .collect(),
            ConnRef::MySql(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(DbRow::MySql)
                .collect(),
            ConnRef::Postgres(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .fetch_all(c)
                .await?
                .into_iter()
                .map(DbRow::Postgres)
                .collect(),
        })
    }

    async fn execute(self, sql: String, values: SqlxValues) -> DbResult<u64> {
        Ok(match self {
            ConnRef::Sqlite(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .execute(c)
                .await?
                .rows_affected(),
            ConnRef::MySql(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .execute(c)
                .await?
                .rows_affected(),
            ConnRef::Postgres(c) => sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .execute(c)
                .await?
                .rows_affected(),
        })
    }

    async fn insert_id(self, backend: Backend, mut stmt: InsertStatement) -> DbResult<i64> {
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
                i64::try_from(id).map_err(|e| DbError::Corrupt(format!("insert id: {e}")))
            }
            ConnRef::Postgres(c) => {
                stmt.returning_col("id");
                let (sql, values) = render(backend, &stmt);
                let row = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                    .fetch_one(c)
                    .await?;
                DbRow::Postgres(row).i64("id")
            }
        }
    }

    /// Runs a trusted, parameterless query returning one integer (migrations).
    pub(crate) async fn scalar_i64(self, sql: &str) -> DbResult<i64> {
        let stmt = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(match self {
            ConnRef::Sqlite(c) => sqlx::query_scalar(stmt).fetch_one(c).await?,
            ConnRef::MySql(c) => sqlx::query_scalar(stmt).fetch_one(c).await?,
            ConnRef::Postgres(c) => sqlx::query_scalar(stmt).fetch_one(c).await?,
        })
    }

    /// Runs several `;`-separated statements (migrations).
    pub(crate) async fn raw(self, sql: &str) -> DbResult<()> {
        match self {
            ConnRef::Sqlite(c) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(c)
                .await
                .map(drop)?,
            ConnRef::MySql(c) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(c)
                .await
                .map(drop)?,
            ConnRef::Postgres(c) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(c)
                .await
                .map(drop)?,
        }
        Ok(())
    }
}
