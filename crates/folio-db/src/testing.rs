//! Throw-away databases for tests: each test gets its own database on SQLite (a temp
//! file), MariaDB/MySQL or PostgreSQL, dropped again when the guard goes away.
//!
//! Server URLs come from `FOLIO_TEST_MYSQL_URL` / `FOLIO_TEST_POSTGRES_URL` (defaults:
//! the local root accounts). When a server is unreachable the test is skipped with a
//! message, except under `CI=true`, where it fails: CI must never pass by skipping.
//!
//! Server tests and tests that stop or reconfigure a server coordinate through a file
//! lock: every server [`TestDatabase`] holds it shared; [`exclusive_server_lock`]
//! waits for them and keeps new ones out while MariaDB is stopped or reconfigured.

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
    _lock: Option<ServerLock>,
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
                    _lock: None,
                })
            }
            Backend::MySql | Backend::Postgres => {
                let lock = shared_server_lock();
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
                    _lock: lock,
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
                let dropped = match backend {
                    Backend::Postgres => rt.block_on(admin_exec(
                        backend,
                        &admin,
                        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    )),
                    _ => rt.block_on(drop_mysql_database(&admin, &name)),
                };
                if let Err(e) = dropped {
                    eprintln!("could not drop test database {name}: {e}");
                }
            }
        });
        let _ = handle.join();
    }
}

/// Drops a MariaDB/MySQL test database after ending every session still using it (the
/// MySQL counterpart of PostgreSQL's `WITH (FORCE)`): a connection left inside a
/// transaction — e.g. a rollback still queued on the test's blocked runtime — would
/// otherwise hold a metadata lock and make `DROP DATABASE` wait forever.
async fn drop_mysql_database(admin: &str, name: &str) -> Result<(), sqlx::Error> {
    let mut c = sqlx::mysql::MySqlConnectOptions::from_str(admin)?
        .connect()
        .await?;
    c.execute("SET SESSION lock_wait_timeout = 30").await?;
    // The column is BIGINT on MariaDB and BIGINT UNSIGNED on MySQL: cast to one type.
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT CAST(ID AS SIGNED) FROM information_schema.PROCESSLIST \
         WHERE DB = ? AND ID <> CONNECTION_ID()",
    )
    .bind(name)
    .fetch_all(&mut c)
    .await?;
    for id in ids {
        // The session may have ended meanwhile; that is fine.
        let _ = c.execute(sqlx::AssertSqlSafe(format!("KILL {id}"))).await;
    }
    c.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .await?;
    c.close().await
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

/// Held while a test uses (shared) or disrupts (exclusive) the local servers.
pub struct ServerLock {
    _file: std::fs::File,
    exclusive: bool,
}

/// Set while this process holds the exclusive lock: its own databases need no share.
static EXCLUSIVE_HELD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn lock_file() -> Option<std::fs::File> {
    let path = std::env::temp_dir().join("folio-test-servers.lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .ok()
}

/// A shared hold on the servers (taken by every server `TestDatabase`); waits while a
/// disruptive test holds the exclusive lock in another process.
pub fn shared_server_lock() -> Option<ServerLock> {
    if EXCLUSIVE_HELD.load(Ordering::SeqCst) > 0 {
        return None;
    }
    let file = lock_file()?;
    file.lock_shared().ok()?;
    Some(ServerLock {
        _file: file,
        exclusive: false,
    })
}

/// Exclusive use of the servers, for tests that stop MariaDB or change its globals.
/// Blocks until every other test holding a server database (in any process) is done;
/// tests taking it also serialise among themselves.
pub fn exclusive_server_lock() -> ServerLock {
    let file = lock_file().unwrap_or_else(|| panic!("cannot open the test lock file"));
    file.lock()
        .unwrap_or_else(|e| panic!("cannot take the exclusive test lock: {e}"));
    EXCLUSIVE_HELD.fetch_add(1, Ordering::SeqCst);
    ServerLock {
        _file: file,
        exclusive: true,
    }
}

impl Drop for ServerLock {
    fn drop(&mut self) {
        if self.exclusive {
            EXCLUSIVE_HELD.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A login of its own for one test database, limited to `max_connections` at once:
/// MariaDB `WITH MAX_USER_CONNECTIONS n` (n = 0: only the server-wide limit applies),
/// PostgreSQL `CONNECTION LIMIT n`. Dropped with the test.
pub struct LimitedAccount {
    /// URL of the test database as this account.
    pub url: String,
    /// The account's user / role name.
    pub user: String,
    backend: Backend,
    database: String,
}

impl LimitedAccount {
    /// Creates the account with access to `db` only.
    pub async fn create(db: &TestDatabase, max_connections: u32) -> Self {
        let backend = db.backend();
        let admin = admin_url(backend);
        let user = format!("fl_{}", &db.name()[8..])
            .chars()
            .take(60)
            .collect::<String>();
        let pw = "folio-test-pw";
        let sql = match backend {
            Backend::MySql => format!(
                "CREATE USER '{user}'@'%' IDENTIFIED BY '{pw}' WITH MAX_USER_CONNECTIONS {max_connections}; \
                 GRANT ALL ON {db}.* TO '{user}'@'%'",
                db = db.name()
            ),
            Backend::Postgres => format!(
                "CREATE ROLE {user} LOGIN PASSWORD '{pw}' CONNECTION LIMIT {max_connections}; \
                 ALTER DATABASE {db} OWNER TO {user}",
                db = db.name()
            ),
            Backend::Sqlite => panic!("SQLite has no accounts"),
        };
        admin_exec(backend, &admin, &sql)
            .await
            .unwrap_or_else(|e| panic!("create limited account: {e}"));
        let url = with_user(&db.url, &user, pw);
        Self {
            url,
            user,
            backend,
            database: db.name().to_owned(),
        }
    }

    /// A configuration for this account with Folio's defaults.
    pub fn config(&self) -> DbConfig {
        DbConfig::new(SecretString::from(self.url.clone()))
    }

    /// Connections the server holds for this account right now (asked as admin).
    pub async fn server_connections(&self) -> Result<u32, sqlx::Error> {
        count_connections(self.backend, &self.user).await
    }
}

impl Drop for LimitedAccount {
    fn drop(&mut self) {
        let (backend, user, database) = (self.backend, self.user.clone(), self.database.clone());
        let handle = std::thread::spawn(move || {
            let sql = match backend {
                Backend::MySql => format!("DROP USER IF EXISTS '{user}'@'%'"),
                Backend::Postgres => format!(
                    "DROP DATABASE IF EXISTS {database} WITH (FORCE); DROP ROLE IF EXISTS {user}"
                ),
                Backend::Sqlite => return,
            };
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                let admin = admin_url(backend);
                for statement in sql.split("; ") {
                    if let Err(e) = rt.block_on(admin_exec(backend, &admin, statement)) {
                        eprintln!("cleanup of test account {user}: {e}");
                    }
                }
            }
        });
        let _ = handle.join();
    }
}

/// Connections the server holds for `user` right now, asked on an admin connection.
///
/// On MySQL/MariaDB, threads still in the handshake (`Connect`) or being torn down
/// (`Killed`) are not counted: a connect attempt the server is about to refuse with
/// 1203/1226 briefly shows up under the account, and counting it would report a limit
/// "exceeded" that the server itself enforced (seen once in CI as a peak of 3 under a
/// limit of 2 while another client retried its connect).
pub async fn count_connections(backend: Backend, user: &str) -> Result<u32, sqlx::Error> {
    let admin = admin_url(backend);
    let n: i64 = match backend {
        Backend::MySql => {
            let mut c = sqlx::mysql::MySqlConnectOptions::from_str(&admin)?
                .connect()
                .await?;
            let n = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS SIGNED) FROM information_schema.PROCESSLIST \
                 WHERE USER = ? AND COMMAND NOT IN ('Connect', 'Killed')",
            )
            .bind(user)
            .fetch_one(&mut c)
            .await?;
            c.close().await?;
            n
        }
        Backend::Postgres => {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(&admin)?
                .connect()
                .await?;
            let n = sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1")
                .bind(user)
                .fetch_one(&mut c)
                .await?;
            c.close().await?;
            n
        }
        Backend::Sqlite => 0,
    };
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Samples an account's server-side connection count on one admin connection until
/// stopped; returns the highest count seen and the number of samples.
pub struct ConnectionSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<(u32, u32)>,
}

impl ConnectionSampler {
    /// Starts sampling every `every`.
    pub fn start(backend: Backend, user: &str, every: std::time::Duration) -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (flag, user) = (std::sync::Arc::clone(&stop), user.to_owned());
        let task = tokio::spawn(async move {
            let (mut peak, mut samples) = (0, 0);
            // Bounded: at most 100k samples even if never stopped.
            while !flag.load(Ordering::SeqCst) && samples < 100_000 {
                if let Ok(n) = count_connections(backend, &user).await {
                    peak = peak.max(n);
                    samples += 1;
                }
                tokio::time::sleep(every).await;
            }
            (peak, samples)
        });
        Self { stop, task }
    }

    /// Stops and returns `(peak, samples)`.
    pub async fn finish(self) -> (u32, u32) {
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.unwrap_or((u32::MAX, 0))
    }
}

/// `url` with `user:password@` as its credentials.
pub fn with_user(url: &str, user: &str, password: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[scheme_end..];
    let host_start = rest.find('@').map_or(0, |i| i + 1);
    format!(
        "{}{user}:{password}@{}",
        &url[..scheme_end],
        &rest[host_start..]
    )
}

/// Stops the local MariaDB (as root) and waits until it no longer answers.
/// Only for tests holding [`exclusive_server_lock`].
pub async fn stop_mariadb() {
    let status = std::process::Command::new("mariadb-admin")
        .args(["-uroot", "-h127.0.0.1", "shutdown"])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "mariadb-admin shutdown failed"
    );
    // Wait for the process to exit, not just to stop answering: start-stop-daemon
    // would otherwise find it still running and start nothing.
    for _ in 0..600 {
        let running = std::process::Command::new("pidof")
            .arg("mariadbd")
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !running {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("MariaDB did not stop");
}

/// Starts the local MariaDB as the machine does and waits until it answers.
pub async fn start_mariadb() {
    let _ = std::process::Command::new("start-stop-daemon")
        .args([
            "--start",
            "--oknodo",
            "--background",
            "--exec",
            "/usr/sbin/mariadbd",
        ])
        .status();
    for _ in 0..600 {
        if admin_exec(Backend::MySql, &admin_url(Backend::MySql), "SELECT 1")
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("MariaDB did not come back within 60 s");
}
