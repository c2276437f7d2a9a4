//! The connection gate: every database operation passes it before touching a pool, so
//! the whole process shares one bounded budget with a fair (FIFO) queue, a bounded
//! number of waiters and a deadline after which the caller gets a 503.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{DbError, DbResult, UnavailableReason};

/// Admission control in front of the pools.
pub(crate) struct Gate {
    /// One permit per connection this process may hold; tokio's semaphore is FIFO-fair.
    permits: Arc<Semaphore>,
    /// The hard cap H (number of permits).
    cap: usize,
    /// Requests currently queued for a permit.
    waiters: AtomicUsize,
    /// Queue bound: beyond it a request is refused at once.
    max_waiters: usize,
    /// How long a request may queue.
    deadline: Duration,
}

/// Proof of admission; the budget slot is returned when it drops.
pub(crate) struct Admission {
    _permit: OwnedSemaphorePermit,
}

impl Gate {
    pub(crate) fn new(cap: usize, max_waiters: usize, deadline: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(cap)),
            cap,
            waiters: AtomicUsize::new(0),
            max_waiters,
            deadline,
        }
    }

    /// Waits in line for a slot, at most until the deadline.
    pub(crate) async fn admit(&self) -> DbResult<Admission> {
        if let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() {
            return Ok(Admission { _permit: permit });
        }
        if self.waiters.fetch_add(1, Ordering::SeqCst) >= self.max_waiters {
            self.waiters.fetch_sub(1, Ordering::SeqCst);
            return Err(unavailable(UnavailableReason::QueueFull));
        }
        let waited =
            tokio::time::timeout(self.deadline, Arc::clone(&self.permits).acquire_owned()).await;
        self.waiters.fetch_sub(1, Ordering::SeqCst);
        match waited {
            Ok(Ok(permit)) => Ok(Admission { _permit: permit }),
            Ok(Err(_closed)) => Err(unavailable(UnavailableReason::BreakerOpen)),
            Err(_elapsed) => Err(unavailable(UnavailableReason::Timeout)),
        }
    }

    pub(crate) fn cap(&self) -> usize {
        self.cap
    }

    pub(crate) fn waiters(&self) -> usize {
        self.waiters.load(Ordering::SeqCst)
    }

    pub(crate) fn in_use(&self) -> usize {
        self.cap.saturating_sub(self.permits.available_permits())
    }
}

fn unavailable(reason: UnavailableReason) -> DbError {
    DbError::Unavailable {
        reason,
        retry_after: Duration::from_secs(2),
    }
}
