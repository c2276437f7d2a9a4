//! Getting a connection for an admitted operation: from the store, or a new one, with
//! the outcome reported to the controller (the part of `Db` that talks to servers).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::classify::{ErrorClass, classify, error_code};
use crate::error::{DbError, DbResult, UnavailableReason};
use crate::exec::Held;
use crate::gate::unavailable;

use crate::db::{Detected, Inner, Mode, Pools};

impl Inner {
    /// Counts an operation answered as unavailable (one 503), by reason.
    pub(crate) fn count_unavailable<T>(&self, r: &DbResult<T>) {
        if let Err(DbError::Unavailable { reason, .. }) = r {
            self.metrics.unavailable(*reason);
        }
    }

    /// Connections open across the stores.
    pub(crate) fn open(&self) -> u32 {
        match &self.pools {
            Pools::Sqlite { read, write } => read.open() + write.open(),
            Pools::MySql(p) => p.open(),
            Pools::Postgres(p) => p.open(),
        }
    }

    /// Feeds a failed connect to the controller. Returns the 503 reason to use if the
    /// deadline runs out, or the error itself when retrying cannot help.
    pub(crate) fn on_connect_error(&self, err: &sqlx::Error) -> DbResult<UnavailableReason> {
        self.metrics.connect_error(&error_code(err));
        *self
            .last_connect_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(format!("{}: {err}", error_code(err)));
        match classify(err) {
            ErrorClass::Capacity if self.open() == 0 && self.lock_detected().at.is_none() => {
                let t = self.gate.start_degraded();
                tracing::warn!(code = %error_code(err), target = t, "no free database connection slot at start-up; running degraded on one connection and probing");
                Ok(UnavailableReason::Capacity)
            }
            ErrorClass::Capacity => {
                let t = self.gate.on_capacity(self.open());
                self.metrics.decreased();
                self.trim(t);
                tracing::warn!(code = %error_code(err), target = t, "database refused a connection for lack of slots; lowering the target");
                Ok(UnavailableReason::Capacity)
            }
            ErrorClass::ConnectionLost => {
                self.gate.on_failure();
                Ok(UnavailableReason::ConnectionLost)
            }
            ErrorClass::ServerStarting => {
                self.gate.on_failure();
                Ok(UnavailableReason::ServerStarting)
            }
            ErrorClass::Quota => {
                self.gate.on_quota();
                Err(unavailable(
                    UnavailableReason::Quota,
                    Duration::from_secs(60),
                ))
            }
            ErrorClass::Conflict | ErrorClass::NotFound | ErrorClass::Fatal => {
                // Bad credentials, unknown database...: not retried, but the breaker
                // learns the server is unusable so /readyz says so.
                self.gate.on_failure();
                tracing::error!(error = %err, "cannot open a database connection");
                Err(DbError::Other(clone_error(err)))
            }
        }
    }

    /// Closes idle connections beyond T.
    pub(crate) fn trim(&self, target: u32) {
        match &self.pools {
            Pools::Sqlite { read, .. } => read.reap(target),
            Pools::MySql(p) => p.reap(target),
            Pools::Postgres(p) => p.reap(target),
        }
    }

    pub(crate) async fn checkout(
        self: &Arc<Self>,
        mode: Mode,
        deadline: Instant,
    ) -> Result<Held, sqlx::Error> {
        let mut held = match (&self.pools, mode) {
            (Pools::Sqlite { read, .. }, Mode::Read) => {
                Held::SqliteRead(read.checkout(deadline).await?.0)
            }
            (Pools::Sqlite { write, .. }, Mode::Write) => {
                Held::SqliteWrite(write.checkout(deadline).await?.0)
            }
            (Pools::MySql(p), _) => {
                let (mut c, fresh) = p.checkout(deadline).await?;
                if fresh {
                    match crate::detect::mysql_session_idle_limit(&mut c.conn).await {
                        Ok(limit) => c.set_server_idle_limit(limit),
                        Err(e) => {
                            p.discard(c, crate::metrics::CloseReason::Broken);
                            return Err(e);
                        }
                    }
                }
                Held::MySql(c)
            }
            (Pools::Postgres(p), _) => {
                let (mut c, fresh) = p.checkout(deadline).await?;
                if fresh {
                    c.set_server_idle_limit(self.detected_idle_limit());
                }
                Held::Postgres(c)
            }
        };
        self.gate.on_success();
        if self.detection_due(None) {
            self.detect_on(&mut held).await;
        }
        Ok(held)
    }

    pub(crate) fn detected_idle_limit(&self) -> Option<Duration> {
        self.lock_detected()
            .limits
            .as_ref()
            .and_then(|l| l.idle_limit)
    }

    pub(crate) fn lock_detected(&self) -> std::sync::MutexGuard<'_, Detected> {
        self.detected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Returns a connection to its store.
    pub(crate) fn checkin(&self, held: Held, broken: bool) {
        let target = self.gate.snapshot().target;
        match (&self.pools, held) {
            (Pools::Sqlite { read, .. }, Held::SqliteRead(c)) => read.checkin(c, broken, target),
            (Pools::Sqlite { write, .. }, Held::SqliteWrite(c)) => write.checkin(c, broken, 1),
            (Pools::MySql(p), Held::MySql(c)) => p.checkin(c, broken, target),
            (Pools::Postgres(p), Held::Postgres(c)) => p.checkin(c, broken, target),
            // A connection never changes backend; nothing else can be returned.
            (_, held) => drop(held),
        }
    }

    pub(crate) fn ensure_maintenance(self: &Arc<Self>) {
        if !self.maintenance_started.swap(true, Ordering::SeqCst) {
            crate::maintain::spawn(Arc::downgrade(self));
        }
    }
}

/// `sqlx::Error` is not `Clone`; keep what a log needs.
fn clone_error(err: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(err.to_string())
}
