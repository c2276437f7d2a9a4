//! A point-in-time view of the connection budget, for `/metrics` and `/readyz`.

/// Counts describing the pools and the gate right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbStats {
    /// Open connections across the process's pools.
    pub size: u32,
    /// Open connections not lent out.
    pub idle: u32,
    /// Gate slots currently held by requests.
    pub in_use: u32,
    /// Requests queued at the gate.
    pub waiters: u32,
    /// The hard cap H on connections.
    pub hard_cap: u32,
}
