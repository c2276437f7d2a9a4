//! The `Db` handle: one per process, owning the (private) connection stores and the
//! gate. Every operation is admitted by the gate, gets a connection within its
//! deadline — retrying capacity refusals and dead connections with jittered backoff —
//! and reports what it saw back to the controller.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_query::{InsertStatement, MysqlQueryBuilder, PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::{SqlxBinder, SqlxValues};
use sqlx::mysql::MySqlConnectOptions;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use tokio::sync::Semaphore;

use crate::classify::retry_safe;
use crate::config::{Backend, DbConfig};
use crate::controller::Tuning;
use crate::detect::{Budget, Limits};
use crate::error::{DbError, DbResult, UnavailableReason};
pub(crate) use crate::exec::{Conn, Tx};
use crate::gate::{Gate, GateSettings, Lane, unavailable};
use crate::metrics::Metrics;
use crate::pool::{Pool, PoolSettings};
use crate::row::DbRow;

/// How many times a read that lost its connection is retried on a fresh one.
mod read;

const MAX_STATEMENT_RETRIES: u32 = 2;

/// The process's database handle. Cheap to clone; all clones share one budget.
#[derive(Clone)]
pub struct Db {
    pub(crate) inner: Arc<Inner>,
    pub(crate) lane: Lane,
}

pub(crate) struct Inner {
    pub(crate) backend: Backend,
    pub(crate) cfg: DbConfig,
    pub(crate) pools: Pools,
    pub(crate) gate: Arc<Gate>,
    pub(crate) metrics: Arc<Metrics>,
    /// SQLite has one writer at a time.
    pub(crate) writer: Arc<Semaphore>,
    pub(crate) detected: Mutex<Detected>,
    pub(crate) maintenance_started: AtomicBool,
    pub(crate) closed: AtomicBool,
    /// The last failed connect, as `code: message`, for `folio doctor` and logs.
    pub(crate) last_connect_error: Mutex<Option<String>>,
}

/// The last detection and the budget derived from it.
#[derive(Default)]
pub(crate) struct Detected {
    pub(crate) limits: Option<Limits>,
    pub(crate) budget: Option<Budget>,
    pub(crate) at: Option<Instant>,
}

#[allow(
    clippy::large_enum_variant,
    reason = "one value per process; boxing the SQLite stores buys nothing"
)]
pub(crate) enum Pools {
    /// SQLite: writes through a one-connection store, reads through another.
    Sqlite {
        read: Pool<sqlx::Sqlite>,
        write: Pool<sqlx::Sqlite>,
    },
    MySql(Pool<sqlx::MySql>),
    Postgres(Pool<sqlx::Postgres>),
}

/// Whether an operation only reads (safe to retry on a fresh connection) or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Read,
    Write,
}

impl Db {
    /// Builds the handle without opening a connection: the first operation opens one
    /// (and reads the server's limits on it).
    pub fn connect_lazy(cfg: &DbConfig) -> DbResult<Self> {
        let backend = cfg
            .validate()
            .map_err(|e| DbError::Corrupt(e.to_string()))?;
        let url = cfg.driver_url();
        let metrics = Arc::new(Metrics::default());
        let settings = PoolSettings {
            idle_timeout: cfg.idle_timeout,
            max_lifetime: cfg.max_lifetime,
            ping_after_idle: cfg.ping_after_idle,
        };
        let m = || Arc::clone(&metrics);
        let pools = match backend {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(&url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true);
                Pools::Sqlite {
                    read: Pool::new(opts.clone(), settings, m()),
                    write: Pool::new(opts, settings, m()),
                }
            }
            Backend::MySql => Pools::MySql(Pool::new(
                MySqlConnectOptions::from_str(&url)?,
                settings,
                m(),
            )),
            Backend::Postgres => {
                let opts = PgConnectOptions::from_str(&url)?.application_name("folio");
                Pools::Postgres(Pool::new(opts, settings, m()))
            }
        };
        let gate = Gate::new(
            cfg.max_connections,
            GateSettings {
                max_waiters: cfg.max_waiters,
                background_cap: background_cap(cfg.max_connections, cfg.background_share_percent),
                background_share_percent: cfg.background_share_percent,
            },
            Tuning::default(),
        );
        Ok(Self {
            inner: Arc::new(Inner {
                backend,
                cfg: cfg.clone(),
                pools,
                gate,
                metrics,
                writer: Arc::new(Semaphore::new(1)),
                detected: Mutex::new(Detected::default()),
                maintenance_started: AtomicBool::new(false),
                closed: AtomicBool::new(false),
                last_connect_error: Mutex::new(None),
            }),
            lane: Lane::Interactive,
        })
    }

    /// Which database this handle talks to.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// A handle to the same budget whose operations draw on the background share
    /// (`--db-background-share`) with the longer background deadline, so batch work
    /// never starves interactive requests.
    pub fn background(&self) -> Db {
        Db {
            inner: Arc::clone(&self.inner),
            lane: Lane::Background,
        }
    }

    /// Closes every idle connection and refuses new operations (shutdown).
    pub async fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.gate.close();
        match &self.inner.pools {
            Pools::Sqlite { read, write } => {
                read.close_idle().await;
                write.close_idle().await;
            }
            Pools::MySql(p) => p.close_idle().await,
            Pools::Postgres(p) => p.close_idle().await,
        }
    }

    fn deadline(&self) -> Instant {
        Instant::now()
            + match self.lane {
                Lane::Interactive => self.inner.cfg.acquire_timeout,
                Lane::Background => self.inner.cfg.background_acquire_timeout,
            }
    }

    /// Runs a write and returns the number of affected rows. Retried only when the
    /// server proves it was not applied (the session was closed before it ran).
    pub(crate) async fn execute<S: SqlxBinder>(&self, stmt: &S) -> DbResult<u64> {
        let (sql, values) = render(self.backend(), stmt);
        let r = self
            .write(|mut conn: Conn| {
                let (sql, values) = (sql.clone(), values.clone());
                async move {
                    let r = conn.as_ref().execute(sql, values).await;
                    (conn, r)
                }
            })
            .await;
        self.inner.count_unavailable(&r);
        r
    }

    /// Runs an insert and returns the new row's `id`.
    pub(crate) async fn insert_id(&self, stmt: InsertStatement) -> DbResult<i64> {
        let backend = self.backend();
        let r = self
            .write(|mut conn: Conn| {
                let stmt = stmt.clone();
                async move {
                    let r = conn.as_ref().insert_id(backend, stmt).await;
                    (conn, r)
                }
            })
            .await;
        self.inner.count_unavailable(&r);
        r
    }

    async fn write<T, F, Fut>(&self, mut run: F) -> DbResult<T>
    where
        F: FnMut(Conn) -> Fut,
        Fut: Future<Output = (Conn, Result<T, sqlx::Error>)>,
    {
        let deadline = self.deadline();
        let mut attempt = 0;
        loop {
            let conn = self.acquire(Mode::Write, deadline).await?;
            let (mut conn, r) = run(conn).await;
            conn.observe(&r);
            match r {
                Err(e) if attempt < MAX_STATEMENT_RETRIES && retry_safe(&e, Mode::Write) => {
                    attempt += 1;
                    self.inner.metrics.retried();
                }
                r => return r.map_err(DbError::from_sqlx),
            }
        }
    }

    /// Starts a transaction holding one connection (and one gate slot) until commit or
    /// drop. `BEGIN` itself is retried on a fresh connection if the old one died.
    pub(crate) async fn begin(&self) -> DbResult<Tx> {
        let r = self.begin_inner().await;
        self.inner.count_unavailable(&r);
        r
    }

    async fn begin_inner(&self) -> DbResult<Tx> {
        let deadline = self.deadline();
        let mut attempt = 0;
        loop {
            let mut conn = self.acquire(Mode::Write, deadline).await?;
            let r = conn.as_ref().raw_sqlx("BEGIN").await;
            conn.observe(&r);
            match r {
                Ok(()) => {
                    return Ok(Tx {
                        conn,
                        backend: self.backend(),
                        open: true,
                    });
                }
                Err(e) if attempt < MAX_STATEMENT_RETRIES && retry_safe(&e, Mode::Read) => {
                    attempt += 1;
                    self.inner.metrics.retried();
                }
                Err(e) => return Err(DbError::from_sqlx(e)),
            }
        }
    }

    /// Runs trusted SQL without parameters that returns rows (schema inspection).
    pub(crate) async fn fetch_raw(&self, sql: &str) -> DbResult<Vec<DbRow>> {
        let mut conn = self.acquire(Mode::Read, self.deadline()).await?;
        let no_values = SqlxValues(sea_query::Values(Vec::new()));
        let r = conn.as_ref().fetch_all(sql.to_owned(), no_values).await;
        conn.observe(&r);
        let r = r.map_err(DbError::from_sqlx);
        self.inner.count_unavailable(&r);
        r
    }

    /// Raw SQL (several statements allowed) on one connection; for migrations only.
    pub(crate) async fn raw_conn(&self) -> DbResult<Conn> {
        let r = self.acquire(Mode::Write, self.deadline()).await;
        self.inner.count_unavailable(&r);
        r
    }

    /// Gets a connection within `deadline`: admission, then an idle or new connection.
    /// Capacity refusals shrink T and retry; unreachable servers feed the breaker and
    /// retry; both with jittered exponential backoff, never past the deadline.
    pub(crate) async fn acquire(&self, mode: Mode, deadline: Instant) -> DbResult<Conn> {
        self.inner.ensure_maintenance();
        let mut backoff = Duration::from_millis(20);
        loop {
            let writer = match (&self.inner.pools, mode) {
                (Pools::Sqlite { .. }, Mode::Write) => Some(self.wait_writer(deadline).await?),
                _ => None,
            };
            let admission = self.inner.gate.admit(self.lane, deadline).await?;
            self.inner.metrics.waited(admission.waited);
            let err = match self.inner.checkout(mode, deadline).await {
                Ok(held) => {
                    return Ok(Conn {
                        inner: Arc::clone(&self.inner),
                        held: Some(held),
                        broken: false,
                        writer,
                        admission: Some(admission),
                    });
                }
                Err(e) => e,
            };
            drop(admission);
            let reason = self.inner.on_connect_error(&err)?;
            let pause = jittered_backoff(backoff);
            if Instant::now() + pause >= deadline {
                return Err(unavailable(reason, Duration::from_secs(2)));
            }
            self.inner.metrics.retried();
            tokio::time::sleep(pause).await;
            backoff = (backoff * 2).min(Duration::from_millis(500));
        }
    }

    async fn wait_writer(&self, deadline: Instant) -> DbResult<tokio::sync::OwnedSemaphorePermit> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(wait, Arc::clone(&self.inner.writer).acquire_owned()).await {
            Ok(Ok(p)) => Ok(p),
            Ok(Err(_)) => Err(unavailable(
                UnavailableReason::BreakerOpen,
                Duration::from_secs(2),
            )),
            Err(_) => Err(unavailable(
                UnavailableReason::Timeout,
                Duration::from_secs(2),
            )),
        }
    }
}

fn background_cap(hard_cap: u32, percent: u8) -> u32 {
    (hard_cap * u32::from(percent) / 100).max(1)
}

/// Full jitter between half and all of `base`.
fn jittered_backoff(base: Duration) -> Duration {
    let ms = u64::try_from(base.as_millis()).unwrap_or(500).max(2);
    let r = getrandom::u64().unwrap_or(0) % (ms / 2);
    Duration::from_millis(ms / 2 + r)
}

pub(crate) fn render<S: SqlxBinder>(backend: Backend, stmt: &S) -> (String, SqlxValues) {
    match backend {
        Backend::Sqlite => stmt.build_sqlx(SqliteQueryBuilder),
        Backend::MySql => stmt.build_sqlx(MysqlQueryBuilder),
        Backend::Postgres => stmt.build_sqlx(PostgresQueryBuilder),
    }
}
