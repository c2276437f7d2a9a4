//! Throw-away databases for tests: each test gets its own database on SQLite (a temp
//! file), MariaDB/MySQL or PostgreSQL, dropped again when the guard goes away.
//!
//! Server URLs come from `FOLIO_TEST_MYSQL_URL` / `FOLIO_TEST_POSTGRES_URL` (defaults:
//! the local root accounts). When a server is unreachable the test is skipped with a
//! message, except under `CI=true`, where it fails: CI must never pass by skipping.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use secrecy::SecretString;
use sqlx::{ConnectOptions, Connection, Executor};

use crate::{Backend, DbConfig};

/// Default admin URL of the local MariaDB.
pub const DEFAULT_MYSQL_URL: &str = "mysql://root@127.0.0.1:3306";
/// Default admin URL of the local PostgreSQL.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The admin URL for a server backend, from the environment or the default.
pub fn admin_url(backend: Backend) -> String {
    let (var, default) = match backend {
        Backend::MySql => ("FOLIO_TEST_MYSQL_URL", DEFAULT_MYSQL_URL),
        Backend::Postgres => ("FOLIO_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        Backend::Sqlite => return String::new(),
    };
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

/// Whether unreachable backends must fail the run instead of skipping.
pub fn backends_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A database that exists for one test.
pub struct TestDatabase {
    /// Connection URL of the fresh database.
    pub url: String,
    backend: Backend,
    name: String,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    /// Creates a fresh, empty database, or returns `None` (after printing why) when the
    /// server is unreachable outside CI.
    pub async fn create(backend: Backend) -> Option<Self> {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("folio_t_{}_{}_{}", std::process::id(), n, nanos());
        match backend {
            Backend::Sqlite => {
                let dir = TempDir::new(&name);
                let url = format!("sqlite://{}/folio.db", dir.0.display());
                Some(Self {
                    url,
                    backend,
                    name,
                    _dir: Some(dir),
                })
            }
            Backend::MySql | Backend::Postgres => {
                let admin = admin_url(backend);
                if let Err(e) =
                    admin_exec(backend, &admin, &format!("CREATE DATABASE {name}")).await
                {
                    let msg = format!("{} unreachable at {admin}: {e}", backend.name());
                    assert!(
                        !backends_required(),
                        "{msg} (CI=true: a backend CI must test is down)"
                    );
                    eprintln!("SKIPPED: {msg}");
                    return None;
                }
                let url = database_url(&admin, &name);
                Some(Self {
                    url,
                    backend,
                    name,
                    _dir: None,
                })
            }
        }
    }

    /// A configuration for this database with Folio's defaults.
    pub fn config(&self) -> DbConfig {
        DbConfig::new(SecretString::from(self.url.clone()))
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database's name on its server.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.backend == Backend::Sqlite {
            return;
        }
        let (backend, admin, name) = (self.backend, admin_url(self.backend), self.name.clone());
        // Drop runs inside the test's runtime; a separate thread with its own runtime
        // can block until the database is gone.
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt {
                let sql = match backend {
                    Backend::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    _ => format!("DROP DATABASE IF EXISTS {name}"),
                };
                if let Err(e) = rt.block_on(admin_exec(backend, &admin, &sql)) {
                    eprintln!("could not drop test database {name}: {e}");
                }
            }
        });
        let _ = handle.join();
    }
}

/// Runs one statement as the admin user (test set-up only).
pub async fn admin_exec(backend: Backend, admin: &str, sql: &str) -> Result<(), sqlx::Error> {
    let stmt = sqlx::AssertSqlSafe(sql.to_owned());
    match backend {
        Backend::MySql => {
            let mut c = sqlx::mysql::MySqlConnectOptions::from_str(admin)?
                .connect()
                .await?;
            c.execute(sqlx::raw_sql(stmt)).await?;
            c.close().await
        }
        Backend::Postgres => {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(admin)?
                .connect()
                .await?;
            c.execute(sqlx::raw_sql(stmt)).await?;
            c.close().await
        }
        Backend::Sqlite => Ok(()),
    }
}

/// Replaces the database path of a server URL.
pub fn database_url(admin: &str, database: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{database}", &base[..host_end]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

/// A temporary directory removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
