//! Detection of the server's connection limits, on a connection that is already open
//! (never one opened for the purpose), and the budget Folio derives from them.
//!
//! MySQL/MariaDB: the session value of `@@max_user_connections` (the account's own
//! limit when it has one, else the server-wide one), `@@max_connections`, the account's
//! threads in `PROCESSLIST` (an account without `PROCESS` sees exactly its own),
//! `Threads_connected`, `wait_timeout`, and the hourly quotas of `SHOW CREATE USER`.
//! PostgreSQL: `rolconnlimit`, `datconnlimit`, `max_connections` minus the reserved
//! slots, and `pg_stat_activity`.

use std::time::Duration;

use sqlx::Row;

use crate::config::DbConfig;

/// What the server says about connection limits. `None` means unknown or unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Server product and version, e.g. `MariaDB 10.11.19`.
    pub server: String,
    /// The account as the server sees it (`user@host` / role name).
    pub account: String,
    /// Connections this account may hold at once (MySQL `max_user_connections`,
    /// PostgreSQL `rolconnlimit`).
    pub account_limit: Option<u32>,
    /// Connections the account holds now, including Folio's own.
    pub account_in_use: Option<u32>,
    /// Connections to this database allowed at once (PostgreSQL `datconnlimit`).
    pub database_limit: Option<u32>,
    /// Connections to this database now.
    pub database_in_use: Option<u32>,
    /// Connections the whole server allows ordinary accounts (`max_connections`, minus
    /// PostgreSQL's reserved slots).
    pub server_limit: Option<u32>,
    /// Client connections the server holds now, from every account.
    pub server_in_use: Option<u32>,
    /// The server closes a session idle this long (`wait_timeout`,
    /// `idle_session_timeout`).
    pub idle_limit: Option<Duration>,
    /// Hourly quotas of the account, e.g. `("MAX_QUERIES_PER_HOUR", 1000)`.
    pub hourly_quotas: Vec<(String, u64)>,
    /// A PostgreSQL superuser: `rolconnlimit` does not apply to it.
    pub superuser: bool,
}

/// The budget Folio chooses from configuration and [`Limits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// The configured maximum (`--db-max-connections`).
    pub configured_max: u32,
    /// Slots deliberately left free for other clients (`--db-reserve`).
    pub reserve: u32,
    /// Connections held by other clients of the same account (or server, or database,
    /// whichever limit binds).
    pub held_by_others: u32,
    /// Free slots the tightest limit leaves Folio, before the reserve.
    pub free: Option<u32>,
    /// The hard cap H Folio will never exceed.
    pub hard_cap: u32,
    /// Which limit set H: `configured`, `account`, `database` or `server`.
    pub limited_by: &'static str,
    /// Idle connections close after this long.
    pub idle_timeout: Duration,
    /// Connections are replaced after at most this long.
    pub max_lifetime: Duration,
    /// Plain-language problems worth acting on.
    pub warnings: Vec<String>,
}

/// Derives the budget. `ours` is how many connections this process holds right now
/// (they are counted in the `*_in_use` figures but are not "others").
pub fn compute_budget(cfg: &DbConfig, limits: &Limits, ours: u32) -> Budget {
    let mut hard_cap = cfg.max_connections.max(1);
    let mut limited_by = "configured";
    let mut held_by_others = 0;
    let mut free_min: Option<u32> = None;
    let mut warnings = Vec::new();
    let account_limit = if limits.superuser {
        None
    } else {
        limits.account_limit
    };
    let scopes = [
        ("account", account_limit, limits.account_in_use),
        ("database", limits.database_limit, limits.database_in_use),
        ("server", limits.server_limit, limits.server_in_use),
    ];
    for (scope, limit, in_use) in scopes {
        let Some(limit) = limit else { continue };
        let others = in_use.unwrap_or(ours).saturating_sub(ours);
        let free = limit.saturating_sub(others);
        let usable = free.saturating_sub(cfg.reserve);
        if free_min.is_none_or(|f| free < f) {
            free_min = Some(free);
            held_by_others = others;
        }
        if usable < hard_cap {
            hard_cap = usable.max(1);
            limited_by = scope;
        }
        if others > 0 && usable < cfg.max_connections {
            warnings.push(format!(
                "your {scope} allows {limit} connection(s) and {others} are in use elsewhere; \
                 Folio will use {}",
                usable.max(1)
            ));
        }
        if free == 0 {
            warnings.push(format!(
                "no free {scope} connection slot: Folio starts degraded on one connection \
                 and answers 503 until a slot frees up"
            ));
        } else if free <= cfg.reserve {
            warnings.push(format!(
                "the reserve ({}) takes every free {scope} slot; Folio still uses 1",
                cfg.reserve
            ));
        }
    }
    let mut max_lifetime = cfg.max_lifetime;
    let mut idle_timeout = cfg.idle_timeout;
    if let Some(idle_limit) = limits.idle_limit.filter(|d| !d.is_zero()) {
        let below = idle_limit * 3 / 4;
        if max_lifetime > below {
            max_lifetime = below;
        }
        if idle_timeout > below {
            idle_timeout = below;
            warnings.push(format!(
                "the server closes idle sessions after {}s; Folio closes its idle \
                 connections after {}s instead",
                idle_limit.as_secs(),
                below.as_secs()
            ));
        }
    }
    for (name, n) in &limits.hourly_quotas {
        warnings.push(format!(
            "the account has an hourly quota {name} = {n}; when it runs out Folio answers \
             503 until the hour is over"
        ));
    }
    if limits.superuser && limits.account_limit.is_some() {
        warnings.push("the role is a superuser: its CONNECTION LIMIT is not enforced".into());
    }
    Budget {
        configured_max: cfg.max_connections,
        reserve: cfg.reserve,
        held_by_others,
        free: free_min,
        hard_cap,
        limited_by,
        idle_timeout,
        max_lifetime,
        warnings,
    }
}

fn positive(n: i64) -> Option<u32> {
    u32::try_from(n).ok().filter(|n| *n > 0)
}

fn count(n: i64) -> Option<u32> {
    u32::try_from(n).ok()
}

/// Reads the limits of a MySQL/MariaDB server.
pub(crate) async fn mysql(c: &mut sqlx::MySqlConnection) -> Result<Limits, sqlx::Error> {
    let row = sqlx::query(
        "SELECT VERSION(), CURRENT_USER(), CAST(@@max_user_connections AS SIGNED), \
         CAST(@@max_connections AS SIGNED), CAST(@@wait_timeout AS SIGNED), \
         (SELECT CAST(COUNT(*) AS SIGNED) FROM information_schema.PROCESSLIST \
          WHERE USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1))",
    )
    .fetch_one(&mut *c)
    .await?;
    let version: String = row.try_get(0)?;
    let flavour = if version.to_ascii_lowercase().contains("mariadb") {
        "MariaDB"
    } else {
        "MySQL"
    };
    let version_short = version.split('-').next().unwrap_or(&version).to_owned();
    let threads: Option<String> = sqlx::query("SHOW GLOBAL STATUS LIKE 'Threads_connected'")
        .fetch_optional(&mut *c)
        .await?
        .map(|r| r.try_get::<String, _>(1))
        .transpose()?;
    // Readable for one's own account on MariaDB and MySQL 8; skipped where refused.
    let create_user: Option<String> = match sqlx::query("SHOW CREATE USER CURRENT_USER()")
        .fetch_optional(&mut *c)
        .await
    {
        Ok(r) => r.and_then(|r| r.try_get::<String, _>(0).ok()),
        Err(_) => None,
    };
    Ok(Limits {
        server: format!("{flavour} {version_short}"),
        account: row.try_get(1)?,
        account_limit: positive(row.try_get(2)?),
        account_in_use: count(row.try_get(5)?),
        database_limit: None,
        database_in_use: None,
        server_limit: positive(row.try_get(3)?),
        server_in_use: threads.and_then(|t| t.trim().parse().ok()),
        idle_limit: u64::try_from(row.try_get::<i64, _>(4)?)
            .ok()
            .map(Duration::from_secs),
        hourly_quotas: create_user
            .as_deref()
            .map(hourly_quotas)
            .unwrap_or_default(),
        superuser: false,
    })
}

/// The non-zero `MAX_*_PER_HOUR` clauses of a `SHOW CREATE USER` statement.
pub(crate) fn hourly_quotas(create_user: &str) -> Vec<(String, u64)> {
    let words: Vec<&str> = create_user.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w[0].starts_with("MAX_") && w[0].ends_with("_PER_HOUR"))
        .filter_map(|w| Some((w[0].to_owned(), w[1].trim_matches('\'').parse().ok()?)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Reads the limits of a PostgreSQL server.
pub(crate) async fn postgres(c: &mut sqlx::PgConnection) -> Result<Limits, sqlx::Error> {
    let row = sqlx::query(
        "SELECT current_setting('server_version'), current_user::text, \
         COALESCE((SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user), -1)::int8, \
         COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false), \
         COALESCE((SELECT datconnlimit FROM pg_database WHERE datname = current_database()), -1)::int8, \
         (current_setting('max_connections')::int8 \
          - current_setting('superuser_reserved_connections')::int8 \
          - COALESCE(current_setting('reserved_connections', true), '0')::int8), \
         (SELECT count(*) FROM pg_stat_activity WHERE usename = current_user)::int8, \
         (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())::int8, \
         (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int8, \
         COALESCE((SELECT setting FROM pg_settings WHERE name = 'idle_session_timeout'), '0')::int8",
    )
    .fetch_one(&mut *c)
    .await?;
    let version: String = row.try_get(0)?;
    Ok(Limits {
        server: format!(
            "PostgreSQL {}",
            version.split_whitespace().next().unwrap_or("")
        ),
        account: row.try_get(1)?,
        account_limit: count(row.try_get(2)?),
        account_in_use: count(row.try_get(6)?),
        database_limit: count(row.try_get(4)?),
        database_in_use: count(row.try_get(7)?),
        server_limit: positive(row.try_get(5)?),
        server_in_use: count(row.try_get(8)?),
        idle_limit: u64::try_from(row.try_get::<i64, _>(9)?)
            .ok()
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis),
        hourly_quotas: Vec::new(),
        superuser: row.try_get(3)?,
    })
}

/// The server's idle limit for one connection's session, read right after connecting
/// (a `SET GLOBAL wait_timeout` applies to new sessions only).
pub(crate) async fn mysql_session_idle_limit(
    c: &mut sqlx::MySqlConnection,
) -> Result<Option<Duration>, sqlx::Error> {
    let secs: i64 = sqlx::query_scalar("SELECT CAST(@@wait_timeout AS SIGNED)")
        .fetch_one(c)
        .await?;
    Ok(u64::try_from(secs)
        .ok()
        .filter(|s| *s > 0)
        .map(Duration::from_secs))
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    fn cfg(max: u32, reserve: u32) -> DbConfig {
        let mut c = DbConfig::new(SecretString::from("mysql://u@h/db"));
        c.max_connections = max;
        c.reserve = reserve;
        c
    }

    fn account(limit: u32, in_use: u32) -> Limits {
        Limits {
            account_limit: Some(limit),
            account_in_use: Some(in_use),
            server_limit: Some(151),
            server_in_use: Some(in_use + 3),
            ..Limits::default()
        }
    }

    #[test]
    fn the_account_limit_minus_others_caps_the_configured_maximum() {
        let b = compute_budget(&cfg(4, 0), &account(3, 3), 1);
        assert_eq!(
            (b.hard_cap, b.held_by_others, b.limited_by),
            (1, 2, "account")
        );
        assert!(
            b.warnings
                .iter()
                .any(|w| w.contains("allows 3 connection(s) and 2 are in use elsewhere"))
        );
    }

    #[test]
    fn the_configured_maximum_wins_when_it_is_lower() {
        let b = compute_budget(&cfg(2, 0), &account(10, 1), 1);
        assert_eq!((b.hard_cap, b.limited_by), (2, "configured"));
        assert!(b.warnings.is_empty());
    }

    #[test]
    fn the_reserve_is_left_free_but_never_below_one_connection() {
        assert_eq!(compute_budget(&cfg(4, 1), &account(3, 1), 1).hard_cap, 2);
        let b = compute_budget(&cfg(4, 2), &account(2, 1), 1);
        assert_eq!(b.hard_cap, 1);
        assert!(b.warnings.iter().any(|w| w.contains("reserve")));
    }

    #[test]
    fn a_full_account_is_reported_as_degraded() {
        let b = compute_budget(&cfg(4, 0), &account(2, 3), 1);
        assert_eq!((b.hard_cap, b.free), (1, Some(0)));
        assert!(b.warnings.iter().any(|w| w.contains("degraded")));
    }

    #[test]
    fn lifetime_and_idle_timeout_stay_below_the_server_idle_limit() {
        let limits = Limits {
            idle_limit: Some(Duration::from_secs(40)),
            ..Limits::default()
        };
        let b = compute_budget(&cfg(4, 0), &limits, 0);
        assert_eq!(b.max_lifetime, Duration::from_secs(30));
        assert_eq!(b.idle_timeout, Duration::from_secs(30));
    }

    #[test]
    fn superuser_roles_ignore_the_role_limit() {
        let limits = Limits {
            account_limit: Some(1),
            account_in_use: Some(1),
            superuser: true,
            ..Limits::default()
        };
        assert_eq!(compute_budget(&cfg(4, 0), &limits, 1).hard_cap, 4);
    }

    #[test]
    fn hourly_quotas_are_read_from_show_create_user() {
        let q = hourly_quotas(
            "CREATE USER `f`@`%` WITH MAX_QUERIES_PER_HOUR 100 MAX_UPDATES_PER_HOUR 0 \
             MAX_CONNECTIONS_PER_HOUR 20 MAX_USER_CONNECTIONS 2",
        );
        assert_eq!(
            q,
            vec![
                ("MAX_QUERIES_PER_HOUR".to_owned(), 100),
                ("MAX_CONNECTIONS_PER_HOUR".to_owned(), 20)
            ]
        );
    }
}
