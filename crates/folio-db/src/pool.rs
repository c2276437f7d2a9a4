//! A small connection store behind the gate, one per backend (two for SQLite).
//!
//! Why not sqlx's `Pool`: when it opens a connection it retries internally until its
//! acquire timeout on "connection refused" and on PostgreSQL 53300/57P03 (sqlx issue
//! 2848), so a full server turns into requests spinning out their whole timeout, and the
//! gate never sees the refusal it must react to. Here the gate decides *whether* a
//! connection may be used (it admits at most T operations), and this store only keeps
//! idle connections, opens one exactly once when none is idle (the error goes straight
//! back to the gate), pings connections idle a while, and closes connections that are
//! idle too long, too old (jittered lifetime), near the server's own idle limit, broken,
//! or surplus to T.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use sqlx::{ConnectOptions, Connection, Database};

use crate::metrics::{CloseReason, Metrics};

/// Lifetimes of pooled connections.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolSettings {
    /// Close a connection unused this long.
    pub idle_timeout: Duration,
    /// Replace a connection this old (each connection gets up to 10% less, at random,
    /// so connections opened together do not all expire together).
    pub max_lifetime: Duration,
    /// Ping a connection unused this long before handing it out.
    pub ping_after_idle: Duration,
}

/// One open connection with its bookkeeping.
pub(crate) struct Pooled<DB: Database> {
    pub(crate) conn: DB::Connection,
    created: Instant,
    lifetime: Duration,
    last_used: Instant,
    /// The server closes this session after this much idleness (`wait_timeout`,
    /// `idle_session_timeout`), when known.
    pub(crate) server_idle_limit: Option<Duration>,
    /// Its state is uncertain; it must complete a round trip before reuse.
    pub(crate) dirty: bool,
}

/// Idle connections of one backend, and a count of all it has open.
pub(crate) struct Pool<DB: Database> {
    options: <DB::Connection as Connection>::Options,
    idle: Mutex<Vec<Pooled<DB>>>,
    open: Arc<AtomicU32>,
    settings: PoolSettings,
    metrics: Arc<Metrics>,
}

impl<DB: Database> Pool<DB> {
    pub(crate) fn new(
        options: <DB::Connection as Connection>::Options,
        settings: PoolSettings,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            options,
            idle: Mutex::new(Vec::new()),
            open: Arc::new(AtomicU32::new(0)),
            settings,
            metrics,
        }
    }

    fn idle_list(&self) -> std::sync::MutexGuard<'_, Vec<Pooled<DB>>> {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Connections open (idle, lent out, or being closed).
    pub(crate) fn open(&self) -> u32 {
        self.open.load(Ordering::SeqCst)
    }

    /// Connections waiting in the store.
    pub(crate) fn idle(&self) -> u32 {
        u32::try_from(self.idle_list().len()).unwrap_or(u32::MAX)
    }

    /// The most recently used healthy idle connection, or a new one. The flag says
    /// whether the connection is new. A connect error is returned as is, at once.
    pub(crate) async fn checkout(
        &self,
        deadline: Instant,
    ) -> Result<(Pooled<DB>, bool), sqlx::Error> {
        if let Some(p) = self.checkout_idle(deadline).await {
            return Ok((p, false));
        }
        self.connect(deadline).await.map(|p| (p, true))
    }

    /// The most recently used healthy idle connection, if any; never opens one.
    /// Expired connections are closed and ones idle a while pinged on the way.
    pub(crate) async fn checkout_idle(&self, deadline: Instant) -> Option<Pooled<DB>> {
        loop {
            let mut p = self.idle_list().pop()?;
            let now = Instant::now();
            if let Some(reason) = self.expired(&p, now) {
                self.close(p, reason);
                continue;
            }
            if p.dirty || now.duration_since(p.last_used) >= self.settings.ping_after_idle {
                let limit = remaining(deadline).min(Duration::from_secs(5));
                match tokio::time::timeout(limit, p.conn.ping()).await {
                    Ok(Ok(())) => p.dirty = false,
                    _ => {
                        self.discard(p, CloseReason::PingFailed);
                        continue;
                    }
                }
            }
            return Some(p);
        }
    }

    async fn connect(&self, deadline: Instant) -> Result<Pooled<DB>, sqlx::Error> {
        self.open.fetch_add(1, Ordering::SeqCst);
        let attempt = tokio::time::timeout(remaining(deadline), self.options.connect()).await;
        match attempt {
            Ok(Ok(conn)) => {
                self.metrics.connected();
                let now = Instant::now();
                Ok(Pooled {
                    conn,
                    created: now,
                    lifetime: jittered(self.settings.max_lifetime),
                    last_used: now,
                    server_idle_limit: None,
                    dirty: false,
                })
            }
            Ok(Err(e)) => {
                self.open.fetch_sub(1, Ordering::SeqCst);
                Err(e)
            }
            Err(_elapsed) => {
                self.open.fetch_sub(1, Ordering::SeqCst);
                Err(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "connect timed out",
                )))
            }
        }
    }

    /// Takes a connection back: broken ones are dropped, surplus ones (more open than
    /// `target`) closed, the rest kept for reuse.
    pub(crate) fn checkin(&self, mut p: Pooled<DB>, broken: bool, target: u32) {
        if broken {
            self.discard(p, CloseReason::Broken);
        } else if self.open() > target {
            self.close(p, CloseReason::Surplus);
        } else if let Some(reason) = self.expired(&p, Instant::now()) {
            self.close(p, reason);
        } else {
            p.last_used = Instant::now();
            self.idle_list().push(p);
        }
    }

    /// Closes idle connections that expired, and idle ones beyond `target`.
    pub(crate) fn reap(&self, target: u32) {
        let now = Instant::now();
        let mut doomed = Vec::new();
        {
            let mut idle = self.idle_list();
            let mut i = 0;
            while i < idle.len() {
                if let Some(reason) = self.expired(&idle[i], now) {
                    doomed.push((idle.remove(i), reason));
                } else {
                    i += 1;
                }
            }
            // The list is oldest-used first: surplus goes from the front.
            let open = self
                .open()
                .saturating_sub(u32::try_from(doomed.len()).unwrap_or(0));
            let surplus = usize::try_from(open.saturating_sub(target)).unwrap_or(0);
            let n = surplus.min(idle.len());
            for p in idle.drain(..n) {
                doomed.push((p, CloseReason::Surplus));
            }
        }
        for (p, reason) in doomed {
            self.close(p, reason);
        }
    }

    /// Closes every idle connection and waits for the closes (shutdown).
    pub(crate) async fn close_idle(&self) {
        let all: Vec<_> = self.idle_list().drain(..).collect();
        for p in all {
            let _ = tokio::time::timeout(Duration::from_secs(5), p.conn.close()).await;
            self.open.fetch_sub(1, Ordering::SeqCst);
            self.metrics.closed(CloseReason::Shutdown);
        }
    }

    fn expired(&self, p: &Pooled<DB>, now: Instant) -> Option<CloseReason> {
        let idle_for = now.duration_since(p.last_used);
        if now.duration_since(p.created) >= p.lifetime {
            Some(CloseReason::Lifetime)
        } else if idle_for >= self.settings.idle_timeout {
            Some(CloseReason::Idle)
        } else if p.server_idle_limit.is_some_and(|l| idle_for >= l * 3 / 4) {
            Some(CloseReason::ServerTimeout)
        } else {
            None
        }
    }

    /// Closes politely (the server frees the slot at once); the count drops when done.
    fn close(&self, p: Pooled<DB>, reason: CloseReason) {
        self.metrics.closed(reason);
        let open = Arc::clone(&self.open);
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(5), p.conn.close()).await;
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
            Err(_) => {
                drop(p);
                open.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Drops a connection known to be unusable without talking to the server.
    pub(crate) fn discard(&self, p: Pooled<DB>, reason: CloseReason) {
        self.metrics.closed(reason);
        drop(p);
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<DB: Database> Pooled<DB> {
    /// Caps this connection's lifetime below the server's idle limit as well.
    pub(crate) fn set_server_idle_limit(&mut self, limit: Option<Duration>) {
        self.server_idle_limit = limit.filter(|l| !l.is_zero());
        if let Some(l) = self.server_idle_limit {
            self.lifetime = self.lifetime.min(jittered(l * 3 / 4));
        }
    }
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

/// `max` minus up to 10%, at random.
pub(crate) fn jittered(max: Duration) -> Duration {
    let tenth = u64::try_from(max.as_millis() / 10).unwrap_or(0);
    if tenth == 0 {
        return max;
    }
    let r = getrandom::u64().unwrap_or(0) % tenth;
    max.saturating_sub(Duration::from_millis(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent_below() {
        let max = Duration::from_secs(100);
        for _ in 0..100 {
            let j = jittered(max);
            assert!(j <= max && j > Duration::from_secs(90));
        }
        assert_eq!(jittered(Duration::from_millis(5)), Duration::from_millis(5));
    }
}
