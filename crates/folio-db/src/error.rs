//! The database layer's error type, shaped for the front ends: each variant says which
//! HTTP status it becomes, and none carries SQL or server text meant for a client.

use std::time::Duration;

use crate::classify::{ErrorClass, classify};

/// Shorthand for results of database operations.
pub type DbResult<T> = Result<T, DbError>;

/// Why the database could not serve a request right now (all become `503`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnavailableReason {
    /// No connection became free within the request's deadline.
    Timeout,
    /// Too many requests were already waiting for a connection.
    QueueFull,
    /// The circuit breaker is open: the server is down or over quota.
    BreakerOpen,
    /// The server refused a new connection for lack of slots.
    Capacity,
    /// The connection broke and the work was not safe to retry.
    ConnectionLost,
    /// The server is starting up or shutting down.
    ServerStarting,
    /// An hourly account quota (queries, updates, connections) is exhausted.
    Quota,
}

impl UnavailableReason {
    /// A stable label for metrics.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::QueueFull => "queue_full",
            Self::BreakerOpen => "breaker_open",
            Self::Capacity => "capacity",
            Self::ConnectionLost => "connection_lost",
            Self::ServerStarting => "server_starting",
            Self::Quota => "quota",
        }
    }
}

/// A failed database operation.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database cannot serve this request now; becomes `503` with `Retry-After`.
    #[error("database unavailable ({})", reason.label())]
    Unavailable {
        /// What ran out.
        reason: UnavailableReason,
        /// When a client may reasonably try again.
        retry_after: Duration,
    },
    /// No row matched (or it belongs to another user); becomes `404`.
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule was broken, e.g. a duplicate name; becomes `409`
    /// or a form message.
    #[error("conflicts with existing data")]
    Conflict,
    /// A row could not be turned into a domain value; a bug or a hand-edited database;
    /// becomes `500`.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Anything else from the driver; becomes `500`. Logged, never shown.
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
}

impl DbError {
    /// Maps a driver error through the single classification.
    pub(crate) fn from_sqlx(err: sqlx::Error) -> Self {
        let unavailable = |reason| DbError::Unavailable {
            reason,
            retry_after: Duration::from_secs(2),
        };
        match classify(&err) {
            ErrorClass::Capacity => unavailable(UnavailableReason::Capacity),
            ErrorClass::ConnectionLost => unavailable(UnavailableReason::ConnectionLost),
            ErrorClass::ServerStarting => unavailable(UnavailableReason::ServerStarting),
            ErrorClass::Quota => DbError::Unavailable {
                reason: UnavailableReason::Quota,
                retry_after: Duration::from_secs(60),
            },
            ErrorClass::Conflict => DbError::Conflict,
            ErrorClass::NotFound => DbError::NotFound,
            ErrorClass::Fatal => DbError::Other(err),
        }
    }

    /// Whether a front end should answer 503 rather than 500.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, DbError::Unavailable { .. })
    }
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        DbError::from_sqlx(err)
    }
}
