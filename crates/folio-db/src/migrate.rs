//! Embedded, per-backend SQL migrations, applied in order and recorded in
//! `schema_migrations`. Several Folio instances starting together serialise on a lock.

use crate::config::Backend;
use crate::db::Db;
use crate::error::DbResult;

/// One embedded migration.
struct Migration {
    version: i64,
    description: &'static str,
    sqlite: &'static str,
    mysql: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "schema v1: users, sessions, accounts, assets, activities, prices, fx, tokens",
        sqlite: include_str!("migrations/sqlite/0001_schema.sql"),
        mysql: include_str!("migrations/mysql/0001_schema.sql"),
        postgres: include_str!("migrations/postgres/0001_schema.sql"),
    },
    Migration {
        version: 2,
        description: "v2: users.fees_in_cost_basis, activities.transfer_of",
        sqlite: include_str!("migrations/sqlite/0002_settings_transfers.sql"),
        mysql: include_str!("migrations/mysql/0002_settings_transfers.sql"),
        postgres: include_str!("migrations/postgres/0002_settings_transfers.sql"),
    },
    Migration {
        version: 3,
        description: "v3: users.theme, users.privacy_mode",
        sqlite: include_str!("migrations/sqlite/0003_display_settings.sql"),
        mysql: include_str!("migrations/mysql/0003_display_settings.sql"),
        postgres: include_str!("migrations/postgres/0003_display_settings.sql"),
    },
    Migration {
        version: 4,
        description: "v4: import_templates (saved CSV column mappings)",
        sqlite: include_str!("migrations/sqlite/0004_import_templates.sql"),
        mysql: include_str!("migrations/mysql/0004_import_templates.sql"),
        postgres: include_str!("migrations/postgres/0004_import_templates.sql"),
    },
];

/// The schema version this binary migrates to (the newest embedded migration).
pub fn schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version BIGINT NOT NULL PRIMARY KEY, description VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)";

impl Db {
    /// Applies every pending migration; returns how many ran.
    pub async fn migrate(&self) -> DbResult<usize> {
        let backend = self.backend();
        let mut conn = self.raw_conn().await?;
        conn.as_ref().raw(CREATE_TABLE).await?;
        conn.as_ref().raw(lock_sql(backend, true)).await?;
        let result = apply_pending(&mut conn, backend).await;
        conn.as_ref().raw(lock_sql(backend, false)).await?;
        result
    }
}

async fn apply_pending(conn: &mut crate::exec::Conn, backend: Backend) -> DbResult<usize> {
    let mut applied = 0;
    for m in MIGRATIONS {
        let done = conn
            .as_ref()
            .scalar_i64(&format!(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = {}",
                m.version
            ))
            .await?;
        if done > 0 {
            continue;
        }
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::MySql => m.mysql,
            Backend::Postgres => m.postgres,
        };
        // SQLite and PostgreSQL run DDL transactionally; MySQL commits each DDL
        // statement implicitly, so a failed MySQL migration must be repaired by hand
        // (docs/database.md says how).
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let record = format!(
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES ({}, '{}', {now})",
            m.version,
            m.description.replace('\'', "''")
        );
        let transactional = backend != Backend::MySql;
        if transactional {
            conn.as_ref().raw("BEGIN").await?;
        }
        for statement in statements(sql).chain([record.as_str()]) {
            conn.as_ref().raw(statement).await?;
        }
        if transactional {
            conn.as_ref().raw("COMMIT").await?;
        }
        tracing::info!(
            version = m.version,
            description = m.description,
            "applied migration"
        );
        applied += 1;
    }
    Ok(applied)
}

/// Splits a migration script into statements: `--` comment lines are dropped and `;`
/// separates statements (the scripts contain no `;` inside literals). MySQL's protocol
/// runs one statement per call, so every backend gets them one by one.
fn statements(script: &str) -> impl Iterator<Item = &str> {
    script.split(';').map(str::trim).filter(|s| {
        s.lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
    })
}

fn lock_sql(backend: Backend, acquire: bool) -> &'static str {
    match (backend, acquire) {
        // SQLite's single writer connection already serialises migrations.
        (Backend::Sqlite, _) => "SELECT 1",
        (Backend::MySql, true) => "SELECT GET_LOCK('folio_migrate', 60)",
        (Backend::MySql, false) => "SELECT RELEASE_LOCK('folio_migrate')",
        (Backend::Postgres, true) => "SELECT pg_advisory_lock(4242001)",
        (Backend::Postgres, false) => "SELECT pg_advisory_unlock(4242001)",
    }
}
