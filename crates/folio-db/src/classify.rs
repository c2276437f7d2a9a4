//! The one place where database errors are classified, by MySQL error number or
//! PostgreSQL SQLSTATE (not by message text, except to split MySQL's 1226 by resource).

use std::borrow::Cow;

/// What a database error means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The server has no free connection slot for us (MySQL 1040/1203/1226 on
    /// `max_user_connections`, PostgreSQL 53300). Shrink the budget and retry later.
    Capacity,
    /// The connection died (socket closed, server killed it, idle timeout). Safe to
    /// retry on a fresh connection only if the work was a read or never sent.
    ConnectionLost,
    /// The server is starting or shutting down (PostgreSQL 57P03, MySQL 1053).
    ServerStarting,
    /// A constraint or concurrency conflict (duplicate key, deadlock, serialization).
    Conflict,
    /// An hourly account quota is exhausted (MySQL 1226 on `max_questions`,
    /// `max_updates` or `max_connections_per_hour`). Stop trying for a while.
    Quota,
    /// No row where one was expected.
    NotFound,
    /// Anything else: configuration, authentication, a bug. Not retried.
    Fatal,
}

/// Classifies a driver error.
pub fn classify(err: &sqlx::Error) -> ErrorClass {
    match err {
        sqlx::Error::Database(db) => classify_database(db.as_ref()),
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            ErrorClass::ConnectionLost
        }
        sqlx::Error::PoolTimedOut => ErrorClass::Capacity,
        sqlx::Error::RowNotFound => ErrorClass::NotFound,
        sqlx::Error::Configuration(_)
        | sqlx::Error::InvalidArgument(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::TypeNotFound { .. }
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Encode(_)
        | sqlx::Error::Decode(_)
        | sqlx::Error::AnyDriverError(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::Migrate(_)
        | sqlx::Error::InvalidSavePointStatement
        | sqlx::Error::BeginFailed => ErrorClass::Fatal,
        // sqlx::Error is #[non_exhaustive]; a variant added upstream is treated as fatal
        // (never retried) until it is listed above.
        _ => ErrorClass::Fatal,
    }
}

fn classify_database(db: &dyn sqlx::error::DatabaseError) -> ErrorClass {
    if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return classify_mysql(my.number(), my.message());
    }
    let code: Option<Cow<'_, str>> = db.code();
    if db
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_some()
    {
        return classify_postgres(code.as_deref().unwrap_or_default());
    }
    classify_sqlite(code.as_deref().unwrap_or_default())
}

/// A short label for metrics: the MySQL error number, the SQLSTATE, or a word for
/// errors without a server code.
pub(crate) fn error_code(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Database(db) => {
            if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
                my.number().to_string()
            } else {
                db.code()
                    .map_or_else(|| "database".to_owned(), |c| c.into_owned())
            }
        }
        sqlx::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => "timeout".to_owned(),
        sqlx::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            "refused".to_owned()
        }
        sqlx::Error::Io(_) => "io".to_owned(),
        sqlx::Error::Tls(_) => "tls".to_owned(),
        sqlx::Error::Protocol(_) => "protocol".to_owned(),
        _ => "other".to_owned(),
    }
}

/// Whether an operation that failed with `err` may run again on a fresh connection.
///
/// Reads: whenever the connection was lost. Writes: only when the server itself says
/// the session ended before or while the statement ran without committing it —
/// MySQL 4031 (closed for inactivity before our statement), MariaDB 1927 (connection
/// killed; an autocommit statement is rolled back), PostgreSQL 57P01/57P02
/// (terminated; the statement is rolled back). A dropped socket after a write was
/// sent is ambiguous and never retried.
pub(crate) fn retry_safe(err: &sqlx::Error, mode: crate::db::Mode) -> bool {
    if classify(err) != ErrorClass::ConnectionLost {
        return false;
    }
    match mode {
        crate::db::Mode::Read => true,
        crate::db::Mode::Write => match err {
            sqlx::Error::Database(db) => {
                if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
                    matches!(my.number(), 4031 | 1927)
                } else {
                    matches!(db.code().as_deref(), Some("57P01" | "57P02"))
                }
            }
            _ => false,
        },
    }
}

/// MySQL / MariaDB error numbers.
pub(crate) fn classify_mysql(number: u16, message: &str) -> ErrorClass {
    match number {
        1040 | 1203 => ErrorClass::Capacity,
        1226 if message.contains("max_user_connections") => ErrorClass::Capacity,
        1226 => ErrorClass::Quota,
        // 4031: client idle past wait_timeout (MySQL 8); 1927: connection killed (MariaDB);
        // 2006/2013: server gone away / lost during query; 1053: server shutdown in progress.
        4031 | 1927 | 2006 | 2013 => ErrorClass::ConnectionLost,
        1053 => ErrorClass::ServerStarting,
        1062 | 1451 | 1452 | 1213 | 1205 => ErrorClass::Conflict,
        _ => ErrorClass::Fatal,
    }
}

/// PostgreSQL SQLSTATE codes.
pub(crate) fn classify_postgres(code: &str) -> ErrorClass {
    match code {
        "53300" => ErrorClass::Capacity,
        "57P01" | "57P02" => ErrorClass::ConnectionLost,
        "57P03" => ErrorClass::ServerStarting,
        "23505" | "23503" | "40001" | "40P01" => ErrorClass::Conflict,
        c if c.starts_with("08") => ErrorClass::ConnectionLost,
        _ => ErrorClass::Fatal,
    }
}

/// SQLite extended result codes (as decimal strings); the low byte is the primary code.
fn classify_sqlite(code: &str) -> ErrorClass {
    match code.parse::<u32>().map(|c| c & 0xff) {
        // 19 CONSTRAINT (unique, primary key, foreign key incl. RESTRICT); 5/6 BUSY/LOCKED.
        Ok(19 | 5 | 6) => ErrorClass::Conflict,
        _ => ErrorClass::Fatal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_capacity_is_recognised_by_number() {
        assert_eq!(
            classify_mysql(1040, "Too many connections"),
            ErrorClass::Capacity
        );
        assert_eq!(
            classify_mysql(1203, "User x already has more than 'max_user_connections'"),
            ErrorClass::Capacity
        );
        assert_eq!(
            classify_mysql(
                1226,
                "User 'f' has exceeded the 'max_user_connections' resource (current value: 2)"
            ),
            ErrorClass::Capacity
        );
    }

    #[test]
    fn mysql_hourly_quotas_are_not_capacity() {
        assert_eq!(
            classify_mysql(1226, "User 'f' has exceeded the 'max_questions' resource"),
            ErrorClass::Quota
        );
    }

    #[test]
    fn closed_connections_are_connection_lost() {
        assert_eq!(classify_mysql(4031, ""), ErrorClass::ConnectionLost);
        assert_eq!(classify_mysql(1927, ""), ErrorClass::ConnectionLost);
        assert_eq!(classify_postgres("57P01"), ErrorClass::ConnectionLost);
        assert_eq!(classify_postgres("08006"), ErrorClass::ConnectionLost);
    }

    #[test]
    fn postgres_too_many_connections_is_capacity() {
        assert_eq!(classify_postgres("53300"), ErrorClass::Capacity);
        assert_eq!(classify_postgres("42601"), ErrorClass::Fatal);
    }
}
