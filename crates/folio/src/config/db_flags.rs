//! Database connection-budget flags. Every knob has a safe default sized for a shared
//! host; docs/database.md explains how to size them.

use std::time::Duration;

use clap::Args;
use secrecy::SecretString;

/// Flags that shape the database connection budget.
#[derive(Debug, Clone, Args)]
pub struct DbFlags {
    /// Most connections Folio opens to the database (the configured hard cap). The
    /// detected account/server limit can lower it further, never raise it.
    #[arg(long, global = true, env = "FOLIO_DB_MAX_CONNECTIONS", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_max_connections: u32,

    /// Connection slots of the database account left free for other clients (an admin
    /// shell, a backup job). The hard cap becomes the detected free slots minus this,
    /// but never less than 1.
    #[arg(long, global = true, env = "FOLIO_DB_RESERVE", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub db_reserve: u32,

    /// Seconds an unused connection stays open; an idle Folio holds no connections.
    /// Lowered automatically below the server's own idle limit (wait_timeout).
    #[arg(long, global = true, env = "FOLIO_DB_IDLE_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub db_idle_timeout: u64,

    /// Seconds before a connection is replaced (each gets up to 10% less, at random).
    /// Lowered automatically below the server's wait_timeout.
    #[arg(long, global = true, env = "FOLIO_DB_MAX_LIFETIME", default_value_t = 1800, value_parser = clap::value_parser!(u64).range(10..=86_400))]
    pub db_max_lifetime: u64,

    /// Seconds a request may wait for a database connection before it gets a 503 with
    /// Retry-After.
    #[arg(long, global = true, env = "FOLIO_DB_ACQUIRE_TIMEOUT", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub db_acquire_timeout: u64,

    /// Requests that may queue for a connection at once; more get an immediate 503.
    #[arg(long, global = true, env = "FOLIO_DB_QUEUE_LIMIT", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub db_queue_limit: u64,

    /// Percent of the hard cap that background work (price refresh, imports) may hold
    /// at once, at least one connection; the rest stays free for interactive requests.
    #[arg(long, global = true, env = "FOLIO_DB_BACKGROUND_SHARE", default_value_t = 25, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub db_background_share: u8,

    /// Seconds background work may wait for a connection (no user is waiting on it).
    #[arg(long, global = true, env = "FOLIO_DB_BACKGROUND_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub db_background_timeout: u64,

    /// Seconds a pooled connection may sit unused before it is pinged on reuse, so a
    /// connection the server closed is replaced instead of failing a request.
    #[arg(long, global = true, env = "FOLIO_DB_PING_AFTER_IDLE", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub db_ping_after_idle: u64,

    /// Seconds between re-reads of the server's connection limits (done on an
    /// already-open connection; never opens one for it).
    #[arg(long, global = true, env = "FOLIO_DB_DETECT_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(5..=86_400))]
    pub db_detect_interval: u64,
}

impl DbFlags {
    /// The database layer's configuration for a URL.
    pub fn to_db_config(&self, url: SecretString) -> folio_db::DbConfig {
        let mut cfg = folio_db::DbConfig::new(url);
        cfg.max_connections = self.db_max_connections;
        cfg.reserve = self.db_reserve;
        cfg.idle_timeout = Duration::from_secs(self.db_idle_timeout);
        cfg.max_lifetime = Duration::from_secs(self.db_max_lifetime);
        cfg.acquire_timeout = Duration::from_secs(self.db_acquire_timeout);
        cfg.max_waiters = usize::try_from(self.db_queue_limit).unwrap_or(usize::MAX);
        cfg.background_share_percent = self.db_background_share;
        cfg.background_acquire_timeout = Duration::from_secs(self.db_background_timeout);
        cfg.ping_after_idle = Duration::from_secs(self.db_ping_after_idle);
        cfg.detect_interval = Duration::from_secs(self.db_detect_interval);
        cfg
    }
}
