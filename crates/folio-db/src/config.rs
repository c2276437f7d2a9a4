//! Database configuration: which backend, where, and how many connections at most.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

/// The database flavours Folio speaks, chosen by URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (`sqlite:`).
    Sqlite,
    /// MySQL or MariaDB (`mysql:` / `mariadb:`).
    MySql,
    /// PostgreSQL (`postgres:` / `postgresql:`).
    Postgres,
}

impl Backend {
    /// A short name for logs and metrics.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::MySql => "mysql",
            Self::Postgres => "postgres",
        }
    }
}

/// Why a database configuration was refused at start-up.
#[derive(Debug, thiserror::Error)]
pub enum DbConfigError {
    /// The URL's scheme names no supported backend.
    #[error("database URL must start with sqlite:, mysql:, mariadb:, postgres: or postgresql:")]
    UnknownScheme,
    /// An in-memory SQLite database would vanish when its last connection idles out.
    #[error("in-memory SQLite is not supported; use a file, e.g. sqlite://folio.db")]
    InMemorySqlite,
    /// A limit that must be at least one was zero.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    /// The background share is not a percentage in 1..=100.
    #[error("database background share must be between 1 and 100 (percent)")]
    Share,
}

/// Everything the database layer needs, validated once at start-up.
#[derive(Clone)]
pub struct DbConfig {
    /// Connection URL; a secret because it may carry a password.
    pub url: SecretString,
    /// Hard ceiling on connections this process opens (the configured part of H).
    pub max_connections: u32,
    /// A pooled connection unused this long is closed, so an idle Folio holds none.
    pub idle_timeout: Duration,
    /// A connection older than this is replaced; keep it below the server's `wait_timeout`.
    pub max_lifetime: Duration,
    /// How long a request may wait for a connection before it is answered with 503.
    pub acquire_timeout: Duration,
    /// How many requests may wait for a connection at once; beyond it they get 503 at once.
    pub max_waiters: usize,
    /// Connection slots of the account left free for other clients (an admin shell,
    /// another tool). The hard cap is the detected free slots minus this, at least 1.
    pub reserve: u32,
    /// Percentage of the hard cap background work (price refresh, imports) may hold at
    /// once, at least one connection; the rest is kept for interactive requests.
    pub background_share_percent: u8,
    /// How long background work may wait for a connection (it has no user waiting).
    pub background_acquire_timeout: Duration,
    /// A pooled connection unused this long is pinged before reuse, so one the server
    /// closed is replaced instead of failing the request.
    pub ping_after_idle: Duration,
    /// How often the limits are re-read from the server (on an already open connection).
    pub detect_interval: Duration,
}

impl DbConfig {
    /// A configuration with Folio's defaults for the given URL.
    pub fn new(url: SecretString) -> Self {
        Self {
            url,
            max_connections: 4,
            idle_timeout: Duration::from_secs(60),
            max_lifetime: Duration::from_secs(30 * 60),
            acquire_timeout: Duration::from_secs(5),
            max_waiters: 1024,
            reserve: 0,
            background_share_percent: 25,
            background_acquire_timeout: Duration::from_secs(30),
            ping_after_idle: Duration::from_secs(30),
            detect_interval: Duration::from_secs(60),
        }
    }

    /// The backend named by the URL scheme, after checking the limits.
    pub fn validate(&self) -> Result<Backend, DbConfigError> {
        if self.max_connections == 0 {
            return Err(DbConfigError::Zero("database max connections"));
        }
        if self.max_waiters == 0 {
            return Err(DbConfigError::Zero("database queue bound"));
        }
        if self.acquire_timeout.is_zero() || self.background_acquire_timeout.is_zero() {
            return Err(DbConfigError::Zero("database acquire timeout"));
        }
        if self.idle_timeout.is_zero() || self.max_lifetime.is_zero() {
            return Err(DbConfigError::Zero(
                "database idle timeout and max lifetime",
            ));
        }
        if self.background_share_percent == 0 || self.background_share_percent > 100 {
            return Err(DbConfigError::Share);
        }
        let url = self.url.expose_secret();
        let backend = backend_of(url)?;
        if backend == Backend::Sqlite && (url.contains(":memory:") || url.contains("mode=memory")) {
            return Err(DbConfigError::InMemorySqlite);
        }
        Ok(backend)
    }

    /// The URL with any password replaced, safe for logs and `Debug`.
    pub fn redacted_url(&self) -> String {
        redact_url(self.url.expose_secret())
    }

    /// The URL as sqlx expects it (`mariadb:` becomes `mysql:`).
    pub(crate) fn driver_url(&self) -> String {
        let url = self.url.expose_secret();
        match url.strip_prefix("mariadb:") {
            Some(rest) => format!("mysql:{rest}"),
            None => url.to_owned(),
        }
    }
}

impl std::fmt::Debug for DbConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbConfig")
            .field("url", &self.redacted_url())
            .field("max_connections", &self.max_connections)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_lifetime", &self.max_lifetime)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("max_waiters", &self.max_waiters)
            .field("reserve", &self.reserve)
            .field("background_share_percent", &self.background_share_percent)
            .field(
                "background_acquire_timeout",
                &self.background_acquire_timeout,
            )
            .field("ping_after_idle", &self.ping_after_idle)
            .field("detect_interval", &self.detect_interval)
            .finish()
    }
}

fn backend_of(url: &str) -> Result<Backend, DbConfigError> {
    let scheme = url
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match scheme.as_str() {
        "sqlite" => Ok(Backend::Sqlite),
        "mysql" | "mariadb" => Ok(Backend::MySql),
        "postgres" | "postgresql" => Ok(Backend::Postgres),
        _ => Err(DbConfigError::UnknownScheme),
    }
}

/// Replaces the password in `scheme://user:password@host/...` (and any `password=` query
/// parameter) with `***`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            let start = scheme_end + 3 + colon + 1;
            let end = scheme_end + 3 + at;
            out.replace_range(start..end, "***");
        }
    }
    if let Some(pos) = out.find("password=") {
        let start = pos + "password=".len();
        let end = out[start..].find('&').map_or(out.len(), |e| start + e);
        out.replace_range(start..end, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_survive_redaction() {
        assert_eq!(
            redact_url("mysql://folio:s3cret@db:3306/folio"),
            "mysql://folio:***@db:3306/folio"
        );
        assert_eq!(
            redact_url("postgres://u:p%40ss@h/db?sslmode=require"),
            "postgres://u:***@h/db?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=x&a=b"),
            "postgres://h/db?user=u&password=***&a=b"
        );
        assert_eq!(redact_url("sqlite://folio.db"), "sqlite://folio.db");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let cfg = DbConfig::new(SecretString::from("mysql://u:hunter22@h/db"));
        assert!(!format!("{cfg:?}").contains("hunter22"));
    }

    #[test]
    fn backend_follows_the_url_scheme() {
        let b = |u: &str| {
            DbConfig::new(SecretString::from(u))
                .validate()
                .map_err(|e| e.to_string())
        };
        assert_eq!(b("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(b("mariadb://h/db").unwrap(), Backend::MySql);
        assert_eq!(b("postgresql://h/db").unwrap(), Backend::Postgres);
        assert!(b("redis://h").is_err());
        assert!(b("sqlite::memory:").is_err());
    }
}
